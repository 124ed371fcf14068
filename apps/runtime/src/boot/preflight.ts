import { join } from 'node:path'
import { checkAdapterForPreflight } from '@molecule/adapter-core/runtime'
import { generateAgentsMd, renderPreflightReport, runPreflight } from '@molecule/config'
import { describeError } from '@molecule/core'
import { BootFailure } from './boot-failure.js'
import type { ResolvedSettings } from './resolve-settings.js'

/**
 * Phase 2. Checks adapter discovery (and the adapter's own checks), the A2A port, required env, prompt files and skills; writes `AGENTS.md` into the
 * workspace directory first (a failing report still leaves it for the operator); then a report with a failure aborts
 * the boot, and any other report is printed on stderr.
 */
export async function preflight(resolved: ResolvedSettings): Promise<void> {
  const { config, configDir, runtimeEnv, settings, log, adapterQuery, env } = resolved
  // The adapter checks what it needs itself (the model's API key, …) with the effective model and environment.
  const adapterContext = { model: config.model, runtimeConfig: config.runtime_config, env }
  const report = await runPreflight(config, {
    configDir,
    env: runtimeEnv,
    checkAdapter: async () => checkAdapterForPreflight({ ...adapterQuery, preflight: adapterContext }),
  })
  const rendered = renderPreflightReport(report)
  try {
    await generateAgentsMd(configDir, join(settings.workspaceDir, 'AGENTS.md'), { env: runtimeEnv })
  } catch (err) {
    log.warn({ err: describeError(err) }, 'could not write AGENTS.md')
  }
  if (!report.ok) throw new BootFailure('PREFLIGHT_FAILED', rendered.trimEnd())
  if (rendered) process.stderr.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`)
}
