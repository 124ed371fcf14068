import type { ActingWorkspace } from './acting-workspace.js'
import type { ToolContext } from './registry.js'

/**
 * Why the acting workspace may not write GLOBAL memory, or undefined when it may (the platform still has the last
 * word: it accepts GLOBAL only from a top-level workspace). The tier is the one configured for this process
 * (config.yaml `tier`, or `TIER`); when none is, the platform's record is asked, so the refusal and
 * `get_workspace_info` never name two different tiers.
 */
export async function globalRefusal(ctx: ToolContext, acting: ActingWorkspace): Promise<string | undefined> {
  if (ctx.tier !== undefined) {
    if (ctx.tier === 0) return undefined
    return `Error: GLOBAL memory needs a tier-0 workspace; this workspace's configured tier is ${ctx.tier} (config.yaml \`tier\`, or TIER). Nothing was saved: use TEAM or LOCAL.`
  }
  let record: { tier?: number | null | undefined; parent_id?: string | null | undefined }
  try {
    record = await acting.client.getWorkspace(acting.id, { signal: ctx.signal })
  } catch {
    // Unknown tier: let the platform decide.
    return undefined
  }
  if (record.parent_id) {
    return `Error: GLOBAL memory can only be written by a top-level workspace; workspace ${acting.id} has a parent (${record.parent_id}). Nothing was saved: use TEAM (your parent's team) or LOCAL.`
  }
  if (typeof record.tier === 'number' && record.tier !== 0) {
    return `Error: GLOBAL memory needs a tier-0 workspace; the platform lists workspace ${acting.id} as tier ${record.tier}. Nothing was saved: use TEAM or LOCAL.`
  }
  return undefined
}
