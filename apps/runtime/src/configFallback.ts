/**
 * Stand-in for the parts of `@molecule/config` the boot sequence needs, used while that package has no
 * sources yet. Same function names and shapes as its planned public API, so switching is an import change.
 * Deliberately small: the typed subset of config.yaml the runtime reads, preflight's port / required-env /
 * adapter / prompt / skill checks, and a short AGENTS.md.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { RuntimeError } from './RuntimeError.js'

export class MoleculeError extends RuntimeError {}

export interface RuntimeEnv {
  workspaceId: string
  configPath: string
  configsDir: string
  platformUrl: string
  hostname: string | undefined
  adapterModule: string | undefined
  heartbeatIntervalMs: number
  modelProvider: string | undefined
}

function dockerized(env: NodeJS.ProcessEnv): boolean {
  return existsSync('/.dockerenv') || Boolean(env.DOCKER_VERSION)
}

export function loadEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const platformUrl =
    env.PLATFORM_URL?.trim() ||
    (dockerized(env) ? 'http://host.docker.internal:8080' : 'http://localhost:8080')
  try {
    new URL(platformUrl)
  } catch {
    throw new MoleculeError(
      'ENV_INVALID',
      `PLATFORM_URL: "${platformUrl.slice(0, 60)}" is not a URL. Fix: set PLATFORM_URL=http://host:port.`,
    )
  }
  const rawInterval = env.MOLECULE_HEARTBEAT_INTERVAL_MS?.trim()
  const heartbeatIntervalMs = rawInterval ? Number(rawInterval) : 30_000
  if (!Number.isInteger(heartbeatIntervalMs) || heartbeatIntervalMs < 1) {
    throw new MoleculeError(
      'ENV_INVALID',
      `MOLECULE_HEARTBEAT_INTERVAL_MS: got "${rawInterval}", expected a positive whole number of milliseconds.`,
    )
  }
  const configPath = env.WORKSPACE_CONFIG_PATH?.trim() || '/configs'
  return {
    workspaceId: env.WORKSPACE_ID?.trim() ?? '',
    configPath,
    configsDir: env.CONFIGS_DIR?.trim() || '/configs',
    platformUrl: platformUrl.replace(/\/+$/, ''),
    hostname: env.HOSTNAME?.trim() || undefined,
    adapterModule: env.ADAPTER_MODULE?.trim() || undefined,
    heartbeatIntervalMs,
    modelProvider: env.MODEL_PROVIDER,
  }
}

export interface WorkspaceConfig {
  name: string
  description: string
  role: string
  version: string
  tier: number
  model: string
  runtime: string
  runtime_config: Record<string, unknown> & { required_env: string[] }
  initial_prompt: string
  idle_prompt: string
  idle_interval_seconds: number
  skills: string[]
  tools: string[]
  plugins: string[]
  prompt_files: string[]
  a2a: { port: number; streaming: boolean; push_notifications: boolean }
  rbac: { roles: string[]; allowed_actions: Record<string, string[]> }
}

export interface LoadedConfig {
  config: WorkspaceConfig
  warnings: string[]
  path: string
}

function bad(path: string, value: unknown, expected: string): MoleculeError {
  const shown = JSON.stringify(value)?.slice(0, 60) ?? String(value)
  return new MoleculeError(
    'CONFIG_INVALID',
    `config.yaml ${path}: got ${shown}, expected ${expected}. Fix: correct ${path} in config.yaml.`,
  )
}

function str(raw: Record<string, unknown>, key: string, fallback: string, prefix = ''): string {
  const v = raw[key]
  if (v === undefined || v === null) return fallback
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  throw bad(prefix + key, v, 'a string')
}

function int(raw: Record<string, unknown>, key: string, fallback: number, prefix = ''): number {
  const v = raw[key]
  if (v === undefined || v === null) return fallback
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n)) throw bad(prefix + key, v, 'a whole number')
  return n
}

function bool(raw: Record<string, unknown>, key: string, fallback: boolean, prefix = ''): boolean {
  const v = raw[key]
  if (v === undefined || v === null) return fallback
  if (typeof v !== 'boolean') throw bad(prefix + key, v, 'true or false')
  return v
}

function list(raw: Record<string, unknown>, key: string, prefix = ''): string[] {
  const v = raw[key]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw bad(prefix + key, v, 'a list of strings')
  return v as string[]
}

function map(raw: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = raw[key]
  if (v === undefined || v === null) return {}
  if (typeof v !== 'object' || Array.isArray(v)) throw bad(key, v, 'a mapping')
  return v as Record<string, unknown>
}

async function promptText(dir: string, raw: Record<string, unknown>, key: string): Promise<string> {
  const inline = str(raw, key, '')
  if (inline) return inline
  const file = str(raw, `${key}_file`, '')
  if (!file) return ''
  try {
    return (await readFile(join(dir, file), 'utf8')).trim()
  } catch {
    return ''
  }
}

export async function loadConfig(dir: string, options: { env?: RuntimeEnv } = {}): Promise<LoadedConfig> {
  const path = join(dir, 'config.yaml')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new MoleculeError(
      'CONFIG_NOT_FOUND',
      `Config file not found: ${path}. Fix: mount the workspace config directory (WORKSPACE_CONFIG_PATH) with a config.yaml.`,
    )
  }
  let doc: unknown
  try {
    doc = parse(text) ?? {}
  } catch (err) {
    const pos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0]
    throw new MoleculeError(
      'CONFIG_YAML_SYNTAX',
      `config.yaml is not valid YAML${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}: ${(err as Error).message.split('\n')[0]}`,
    )
  }
  if (typeof doc !== 'object' || Array.isArray(doc) || doc === null)
    throw bad('(top level)', doc, 'a mapping')
  const raw = doc as Record<string, unknown>
  const a2a = map(raw, 'a2a')
  const runtimeConfig = map(raw, 'runtime_config')
  const rbac = map(raw, 'rbac')
  const tierRaw = raw.tier
  const modelProvider = options.env?.modelProvider
  const config: WorkspaceConfig = {
    name: str(raw, 'name', 'Workspace'),
    description: str(raw, 'description', ''),
    role: str(raw, 'role', ''),
    version: str(raw, 'version', '1.0.0'),
    tier: /^\d+$/.test(String(tierRaw ?? '')) ? Number(tierRaw) : 1,
    model: modelProvider !== undefined ? modelProvider : str(raw, 'model', 'anthropic:claude-opus-4-7'),
    runtime: str(raw, 'runtime', 'langgraph'),
    runtime_config: {
      ...runtimeConfig,
      required_env: list(runtimeConfig, 'required_env', 'runtime_config.'),
    },
    initial_prompt: await promptText(dir, raw, 'initial_prompt'),
    idle_prompt: await promptText(dir, raw, 'idle_prompt'),
    idle_interval_seconds: int(raw, 'idle_interval_seconds', 600),
    skills: list(raw, 'skills'),
    tools: list(raw, 'tools'),
    plugins: list(raw, 'plugins'),
    prompt_files: list(raw, 'prompt_files'),
    a2a: {
      port: int(a2a, 'port', 8000, 'a2a.'),
      streaming: bool(a2a, 'streaming', true, 'a2a.'),
      push_notifications: bool(a2a, 'push_notifications', true, 'a2a.'),
    },
    rbac: {
      roles: rbac.roles === undefined ? ['operator'] : list(rbac, 'roles', 'rbac.'),
      allowed_actions: (map(rbac, 'allowed_actions') as Record<string, string[]>) ?? {},
    },
  }
  return { config, warnings: [], path }
}

export interface PreflightIssue {
  severity: 'fail' | 'warn'
  title: string
  detail: string
  fix: string
}

export interface PreflightReport {
  failures: PreflightIssue[]
  warnings: PreflightIssue[]
  ok: boolean
}

export async function runPreflight(
  config: WorkspaceConfig,
  options: {
    configDir: string
    env: RuntimeEnv
    rawEnv?: NodeJS.ProcessEnv
    checkAdapter?: () => Promise<PreflightIssue[]>
  },
): Promise<PreflightReport> {
  const issues: PreflightIssue[] = [...((await options.checkAdapter?.()) ?? [])]
  const port = config.a2a.port
  if (!(port >= 1 && port <= 65535)) {
    issues.push({
      severity: 'fail',
      title: 'A2A port',
      detail: `a2a.port is ${port}; it must be between 1 and 65535.`,
      fix: 'Set a2a.port in config.yaml to a valid port (default 8000).',
    })
  }
  const env = options.rawEnv ?? process.env
  for (const name of config.runtime_config.required_env) {
    if (!env[name]?.trim()) {
      issues.push({
        severity: 'fail',
        title: 'Required env',
        detail: `${name} is not set.`,
        fix: `Set ${name} for this workspace (secrets API or container env).`,
      })
    }
  }
  const prompts = config.prompt_files.length > 0 ? config.prompt_files : ['system-prompt.md']
  for (const file of prompts) {
    if (!existsSync(join(options.configDir, file))) {
      issues.push({
        severity: 'warn',
        title: 'Prompt file',
        detail: `${file} not found in ${options.configDir}.`,
        fix: `Create ${file} or remove it from prompt_files.`,
      })
    }
  }
  for (const skill of config.skills) {
    if (!existsSync(join(options.configDir, 'skills', skill, 'SKILL.md'))) {
      issues.push({
        severity: 'warn',
        title: 'Skill',
        detail: `skills/${skill}/SKILL.md not found.`,
        fix: `Add skills/${skill}/SKILL.md or remove "${skill}" from skills.`,
      })
    }
  }
  const failures = issues.filter((i) => i.severity === 'fail')
  const warnings = issues.filter((i) => i.severity === 'warn')
  return { failures, warnings, ok: failures.length === 0 }
}

export function renderPreflightReport(report: PreflightReport): string {
  const all = [...report.failures, ...report.warnings]
  if (all.length === 0) return ''
  const lines = ['Preflight checks:']
  for (const issue of all) {
    lines.push(`  [${issue.severity.toUpperCase()}] ${issue.title}: ${issue.detail}`)
    if (issue.fix) lines.push(`      Fix: ${issue.fix}`)
  }
  return `${lines.join('\n')}\n`
}

export async function generateAgentsMd(configDir: string, outputPath: string): Promise<void> {
  const { config } = await loadConfig(configDir)
  const lines = [
    `# ${config.name}`,
    '',
    `**Role:** ${config.role || config.description}`,
    '',
    '## Description',
    config.description,
    '',
    '## A2A endpoint',
    `http://localhost:${config.a2a.port}/a2a`,
    '',
  ]
  await mkdir(dirname(outputPath), { recursive: true })
  const temp = `${outputPath}.${process.pid}.tmp`
  await writeFile(temp, lines.join('\n'))
  await rename(temp, outputPath)
}
