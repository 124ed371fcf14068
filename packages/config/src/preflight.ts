import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadEnv, type RuntimeEnv } from './load-env.ts'
import type { WorkspaceConfig } from './schema.ts'

export type PreflightLevel = 'fail' | 'warn'

export interface PreflightIssue {
  level: PreflightLevel
  /** Same value as `level`, under upstream's field name (adapter-core and older callers read it). */
  severity: PreflightLevel
  title: string
  detail: string
  /** One sentence on what to do; may be empty. */
  fix: string
}

/** What an adapter check may return: `level` or upstream's `severity`, one issue or several. */
export interface PreflightIssueInput {
  level?: PreflightLevel
  severity?: PreflightLevel
  title: string
  detail: string
  fix?: string
}

export interface PreflightReport {
  /** False iff any issue is a failure. */
  ok: boolean
  /** Every issue in check order. */
  issues: PreflightIssue[]
  failures: PreflightIssue[]
  warnings: PreflightIssue[]
}

export interface PreflightOptions {
  /** Directory holding config.yaml, prompt files and `skills/`. */
  configDir: string
  /** Resolved env (default `loadEnv()`); `required_env` names are looked up through `env.get`. */
  env?: RuntimeEnv
  /**
   * Adapter discovery (check 1, title `Runtime`), supplied by the caller so this package never depends on
   * adapter-core. Without it, preflight only verifies that ADAPTER_MODULE is set.
   */
  checkAdapter?: () => Promise<PreflightIssueInput | readonly PreflightIssueInput[] | undefined>
}

function issue(level: PreflightLevel, title: string, detail: string, fix = ''): PreflightIssue {
  return { level, severity: level, title, detail, fix }
}

function normalize(input: PreflightIssueInput): PreflightIssue {
  const level = input.level ?? input.severity ?? 'fail'
  return issue(level === 'warn' ? 'warn' : 'fail', input.title, input.detail, input.fix ?? '')
}

function isSet(env: RuntimeEnv, name: string): boolean {
  return (env.get(name)?.trim() ?? '') !== ''
}

async function runtimeCheck(options: PreflightOptions, env: RuntimeEnv): Promise<PreflightIssue[]> {
  if (!options.checkAdapter) {
    if (env.adapterModule) return []
    return [
      issue(
        'fail',
        'Runtime',
        'ADAPTER_MODULE is not set, so no adapter is installed (templates set it in their Dockerfile, e.g. ENV ADAPTER_MODULE=adapter).',
        'Install the adapter package matching config.yaml `runtime` and set ADAPTER_MODULE to it.',
      ),
    ]
  }
  try {
    const found = await options.checkAdapter()
    if (found === undefined) return []
    const list: readonly PreflightIssueInput[] = Array.isArray(found) ? found : [found as PreflightIssueInput]
    return list.map(normalize)
  } catch (err) {
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
    return [
      issue(
        'fail',
        'Runtime',
        `adapter discovery threw ${reason}`,
        'Check ADAPTER_MODULE and that the adapter package is installed.',
      ),
    ]
  }
}

function portCheck(config: WorkspaceConfig): PreflightIssue[] {
  const { port } = config.a2a
  if (port >= 1 && port <= 65535) return []
  return [
    issue(
      'fail',
      'A2A port',
      `a2a.port is ${port}; it must be between 1 and 65535.`,
      'Set a2a.port in config.yaml to a free port (default 8000).',
    ),
  ]
}

function requiredEnvCheck(config: WorkspaceConfig, env: RuntimeEnv): PreflightIssue[] {
  return config.runtime_config.required_env
    .filter((name) => !isSet(env, name))
    .map((name) =>
      issue(
        'fail',
        'Required env',
        `${name} is required by runtime_config.required_env but is not set.`,
        `Set ${name} for this workspace through the platform secrets API.`,
      ),
    )
}

/** Legacy `auth_token_file`: a missing file is fine when the token arrives through env instead. */
function authTokenCheck(config: WorkspaceConfig, env: RuntimeEnv, configDir: string): PreflightIssue[] {
  const { auth_token_file: file, auth_token_env: tokenEnv, required_env: required } = config.runtime_config
  if (!file || existsSync(join(configDir, file))) return []
  if (tokenEnv && isSet(env, tokenEnv)) return []
  if (required.length > 0 && required.every((name) => isSet(env, name))) return []
  return [
    issue(
      'fail',
      'Auth token',
      `runtime_config.auth_token_file ${file} does not exist in ${configDir} and no token env var is set.`,
      'Provide the token through runtime_config.required_env (platform secrets API) instead of a file.',
    ),
  ]
}

const DEFAULT_PROMPT_FILE = 'system-prompt.md'

function promptFileCheck(config: WorkspaceConfig, configDir: string): PreflightIssue[] {
  if (config.prompt_files.length === 0) {
    // The user listed nothing: the default file is what is missing, and there is no list to remove it from.
    if (existsSync(join(configDir, DEFAULT_PROMPT_FILE))) return []
    return [
      issue(
        'warn',
        'Prompt file',
        `${DEFAULT_PROMPT_FILE} not found in ${configDir} (the system prompt file read when config.yaml lists no prompt_files).`,
        `Create ${DEFAULT_PROMPT_FILE} with the agent's instructions, or list your own files under prompt_files in config.yaml.`,
      ),
    ]
  }
  return config.prompt_files
    .filter((file) => !existsSync(join(configDir, file)))
    .map((file) =>
      issue(
        'warn',
        'Prompt file',
        `${file} (listed in prompt_files) not found in ${configDir}.`,
        `Create ${file} or remove it from prompt_files.`,
      ),
    )
}

function skillCheck(config: WorkspaceConfig, configDir: string): PreflightIssue[] {
  return config.skills
    .filter((skill) => !existsSync(join(configDir, 'skills', skill, 'SKILL.md')))
    .map((skill) =>
      issue(
        'warn',
        'Skill',
        `skills/${skill}/SKILL.md not found in ${configDir}.`,
        `Add skills/${skill}/SKILL.md or remove "${skill}" from skills.`,
      ),
    )
}

/**
 * Checks, in upstream order: adapter discovery, A2A port, required env, legacy auth token file,
 * prompt files (warn), skills (warn). Never throws for a bad workspace; problems become issues.
 */
export async function runPreflight(
  config: WorkspaceConfig,
  options: PreflightOptions,
): Promise<PreflightReport> {
  const env = options.env ?? loadEnv()
  const issues = [
    ...(await runtimeCheck(options, env)),
    ...portCheck(config),
    ...requiredEnvCheck(config, env),
    ...authTokenCheck(config, env, options.configDir),
    ...promptFileCheck(config, options.configDir),
    ...skillCheck(config, options.configDir),
  ]
  const failures = issues.filter((i) => i.level === 'fail')
  const warnings = issues.filter((i) => i.level === 'warn')
  return { ok: failures.length === 0, issues, failures, warnings }
}

/** Failures first, then warnings; an empty string when there is nothing to say. */
export function renderPreflightReport(report: Pick<PreflightReport, 'failures' | 'warnings'>): string {
  const all = [...report.failures, ...report.warnings]
  if (all.length === 0) return ''
  const lines = ['Preflight checks:']
  for (const entry of all) {
    const level = entry.level ?? entry.severity
    lines.push(`  [${level === 'warn' ? 'WARN' : 'FAIL'}] ${entry.title}: ${entry.detail}`)
    if (entry.fix) lines.push(`      Fix: ${entry.fix}`)
  }
  return `${lines.join('\n')}\n`
}
