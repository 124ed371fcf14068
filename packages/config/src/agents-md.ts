import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { MoleculeError } from '@molecule/core'
import { loadConfig } from './load-config.ts'
import { loadEnv, type RuntimeEnv } from './load-env.ts'
import type { WorkspaceConfig } from './schema.ts'

export interface AgentsMdOptions {
  /** Resolved env (default `loadEnv()`): `AGENT_URL` and the config overrides come from here. */
  env?: RuntimeEnv
}

/** Newlines in a heading or label would end it early and turn the rest into body text. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** The AGENTS.md text for a loaded config (AAIF layout: heading, role, description, endpoint, tools). */
export function renderAgentsMd(config: WorkspaceConfig, agentUrl?: string): string {
  const name = oneLine(config.name) || 'Workspace'
  const role = oneLine(config.role) || oneLine(config.description) || 'Not specified'
  const description = config.description.trim() || 'No description provided.'
  const endpoint = agentUrl ?? `http://localhost:${config.a2a.port}/a2a`
  const tools = [...config.tools, ...config.plugins].map((tool) => `- ${oneLine(tool)}`)
  return [
    `# ${name}`,
    '',
    `**Role:** ${role}`,
    '',
    '## Description',
    '',
    description,
    '',
    '## A2A Endpoint',
    '',
    endpoint,
    '',
    '## MCP Tools',
    '',
    ...(tools.length > 0 ? tools : ['None']),
    '',
  ].join('\n')
}

/**
 * Loads `<configDir>/config.yaml` and (over)writes `outputPath` atomically: a temp file in the same
 * directory renamed over the target, so a reader never sees half a file. Returns the written text.
 */
export async function generateAgentsMd(
  configDir: string,
  outputPath: string,
  options: AgentsMdOptions = {},
): Promise<string> {
  const env = options.env ?? loadEnv()
  const { config } = await loadConfig(configDir, { env })
  const content = renderAgentsMd(config, env.agentUrl)
  const dir = dirname(outputPath)
  const temp = join(dir, `.${basename(outputPath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(temp, content, 'utf8')
    await rename(temp, outputPath)
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined)
    const fix = `Make ${dir} an existing, writable directory.`
    throw new MoleculeError(
      'AGENTS_MD_WRITE_FAILED',
      `Could not write ${outputPath}: ${err instanceof Error ? err.message : String(err)}. Fix: ${fix}`,
      { path: outputPath, fix, cause: err },
    )
  }
  return content
}
