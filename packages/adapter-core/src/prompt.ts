import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SkillSummary } from './adapter.js'

/** A file whose text goes into the prompt, named as the agent should see it. */
export interface PromptFile {
  name: string
  content: string
}

/** A workspace the agent may delegate to (a platform peer or a coordinated child). */
export interface PromptPeer {
  id: string
  name?: string
  status?: string
  /** The peer's agent card; the platform sometimes sends it as a JSON string. Peers without one are skipped. */
  agentCard?: Record<string, unknown> | string | null
}

/** Everything the system prompt is assembled from; every part is optional. */
export interface SystemPromptParts {
  /** Organisation-wide instructions from the platform (`/instructions/resolve`). */
  platformInstructions?: string
  /** config.yaml `prompt_files` (default `system-prompt.md`), in order. */
  promptFiles?: readonly PromptFile[]
  /** Memory snapshot files (`MEMORY.md`, `USER.md`) not already among `promptFiles`. */
  memoryFiles?: readonly PromptFile[]
  /** Files shared by the parent workspace. */
  parentContext?: readonly PromptFile[]
  pluginRules?: readonly string[]
  pluginPrompts?: readonly string[]
  /** Coordinator mode: the children this workspace delegates to (adds the team block). */
  children?: readonly PromptPeer[]
  skills?: readonly SkillSummary[]
  /** A line under the skills heading, before the skills (how to use them, e.g. through `activate_skill`). */
  skillsNote?: string
  peers?: readonly PromptPeer[]
}

const DELEGATION_FAILURES = `## Handling delegation failures
If a delegated task fails or a peer is unreachable:
- keep going with any work that does not depend on the answer;
- retry a transient failure once, after about 30 seconds;
- if it keeps failing, say which peer and task failed and what you tried — never drop a task silently.`

const COORDINATION_RULES = `Coordination rules (mandatory):
- You coordinate; you do not do the team's work. Delegate every task before starting any of it yourself.
- Send independent pieces to several members in parallel.
- If every member is offline, say so instead of doing the work.
- When a member fails, try another member before summarising; never forward a raw error.
- Answer with a synthesis of the members' results, in the language the caller used.`

function cardOf(peer: PromptPeer): Record<string, unknown> | undefined {
  const card = peer.agentCard
  if (card === undefined || card === null) return undefined
  if (typeof card !== 'string') return card
  try {
    const parsed: unknown = JSON.parse(card)
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function peerLines(peers: readonly PromptPeer[]): string[] {
  const lines: string[] = []
  for (const peer of peers) {
    const card = cardOf(peer)
    if (card === undefined) continue
    const name = (typeof card.name === 'string' && card.name) || peer.name || peer.id
    lines.push(`- **${name}** (id: \`${peer.id}\`, status: ${peer.status ?? 'unknown'})`)
    const skills = Array.isArray(card.skills)
      ? card.skills
          .map((s) => (s && typeof s === 'object' ? (s as { name?: unknown; id?: unknown }) : {}))
          .map((s) => (typeof s.name === 'string' ? s.name : typeof s.id === 'string' ? s.id : ''))
          .filter(Boolean)
      : []
    if (skills.length > 0) lines.push(`  Skills: ${skills.join(', ')}`)
  }
  return lines
}

/** The "peers you can delegate to" block; empty when no peer has a card. */
export function renderPeerSection(peers: readonly PromptPeer[]): string {
  const lines = peerLines(peers)
  if (lines.length === 0) return ''
  return [
    '## Your Peers (workspaces you can delegate to)',
    ...lines,
    '',
    'Delegate with `delegate_to_workspace`, and only to the workspaces listed above.',
  ].join('\n')
}

/** The coordinator's team block; empty when no child has a card. */
export function renderTeamSection(children: readonly PromptPeer[]): string {
  const lines = peerLines(children)
  if (lines.length === 0) return ''
  return ['## Your Team (sub-workspaces you coordinate)', ...lines, '', COORDINATION_RULES].join('\n')
}

function fileBlock(files: readonly PromptFile[] | undefined): string[] {
  return (files ?? []).map((f) => f.content.trim()).filter((c) => c.length > 0)
}

/**
 * Assembles the system prompt in the runtime's fixed order: platform instructions, prompt files,
 * memory snapshots, parent context, plugin rules, plugin guidelines (+ team block), skills, peers,
 * and always the delegation-failure guidance. Empty parts leave no heading behind.
 */
export function buildSystemPrompt(parts: SystemPromptParts): string {
  const sections: string[] = []
  const instructions = parts.platformInstructions?.trim()
  if (instructions) sections.push(`# Platform Instructions\n${instructions}`)
  sections.push(...fileBlock(parts.promptFiles), ...fileBlock(parts.memoryFiles))
  const parent = (parts.parentContext ?? []).filter((f) => f.content.trim().length > 0)
  if (parent.length > 0)
    sections.push(
      [
        '## Parent Context',
        'Files shared by the workspace that coordinates you:',
        ...parent.map((f) => `### ${f.name}\n${f.content.trim()}`),
      ].join('\n'),
    )
  const rules = (parts.pluginRules ?? []).map((r) => r.trim()).filter(Boolean)
  if (rules.length > 0) sections.push(['## Platform Rules', ...rules].join('\n'))
  const guidelines = (parts.pluginPrompts ?? []).map((r) => r.trim()).filter(Boolean)
  const team = renderTeamSection(parts.children ?? [])
  if (team) guidelines.push(team)
  if (guidelines.length > 0) sections.push(['## Platform Guidelines', ...guidelines].join('\n'))
  const skills = parts.skills ?? []
  if (skills.length > 0)
    sections.push(
      [
        '## Your Skills',
        ...(parts.skillsNote?.trim() ? [parts.skillsNote.trim()] : []),
        ...skills.map((s) =>
          [`### ${s.name}`, s.description, s.instructions?.trim()].filter(Boolean).join('\n'),
        ),
      ].join('\n'),
    )
  const peers = renderPeerSection(parts.peers ?? [])
  if (peers) sections.push(peers)
  sections.push(DELEGATION_FAILURES)
  return sections.join('\n\n')
}

/**
 * Reads prompt files from the config directory, in order. Missing or unreadable files are reported
 * in `missing` (preflight already warned about them) instead of failing the boot.
 */
export async function readPromptFiles(
  configDir: string,
  names: readonly string[],
): Promise<{ files: PromptFile[]; missing: string[] }> {
  const files: PromptFile[] = []
  const missing: string[] = []
  for (const name of names) {
    try {
      files.push({ name, content: await readFile(path.resolve(configDir, name), 'utf8') })
    } catch {
      missing.push(name)
    }
  }
  return { files, missing }
}
