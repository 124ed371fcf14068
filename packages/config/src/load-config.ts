import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { isMoleculeError, MoleculeError, maskSecrets } from '@molecule/core'
import { parseDocument } from 'yaml'
import { configInvalidError, problemFromIssue } from './config-problems.ts'
import { loadEnv, type RuntimeEnv } from './load-env.ts'
import { type WorkspaceConfig, workspaceConfigSchema } from './schema.ts'
import { unknownKeyWarnings } from './unknown-keys.ts'
import { locateYamlError } from './yaml-position.ts'

export interface LoadedConfig {
  config: WorkspaceConfig
  /** Non-fatal findings (unknown keys, YAML warnings), one sentence each. */
  warnings: string[]
  /** The config.yaml path the config came from (or the `source` label for in-memory text). */
  path: string
  /** Top-level keys the file sets; every other setting is its default (a message must not blame the user for it). */
  keysSet: ReadonlySet<string>
}

export interface ParseConfigOptions {
  /**
   * Env overrides to apply (MODEL_PROVIDER, DELEGATION_*, SANDBOX_*). Default: `loadEnv(process.env)`,
   * as upstream applied them on every load.
   */
  env?: RuntimeEnv
  /** Directory that `initial_prompt_file` / `idle_prompt_file` are relative to. Default: the cwd. */
  configDir?: string
  /** Name used in messages. Default `config.yaml`. */
  source?: string
}

export interface LoadConfigOptions {
  env?: RuntimeEnv
}

const CONFIG_FILE = 'config.yaml'

/**
 * yaml's messages end with "at line L, column C:" plus a code frame; we print the position our own way, and mask
 * what the first line quotes from the file.
 */
function yamlSummary(message: string): string {
  return maskSecrets((message.split('\n')[0] ?? 'invalid YAML').replace(/ at line \d+, column \d+:?$/, ''))
}

function readYaml(text: string, source: string): { data: unknown; warnings: string[] } {
  // YAML 1.1, like the PyYAML loader upstream configs were written for (`streaming: yes` is a boolean).
  const doc = parseDocument(text, { version: '1.1', prettyErrors: true, uniqueKeys: true })
  const [error] = doc.errors
  if (error) {
    const pos = locateYamlError(text, error, doc)
    const where = `${source}:${pos.line}:${pos.col}`
    const summary = pos.hint ?? yamlSummary(error.message)
    const fix = 'Correct the YAML syntax at that line (indentation, quotes, a missing ":"), then retry.'
    throw new MoleculeError(
      'CONFIG_YAML_SYNTAX',
      `${source} is not valid YAML (line ${pos.line}, column ${pos.col}): ${summary}. Fix: ${fix}`,
      { path: where, fix, cause: error },
    )
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (err) {
    const fix = 'Use fewer YAML aliases (*name) and no self-referencing anchors.'
    throw new MoleculeError(
      'CONFIG_YAML_SYNTAX',
      `${source} could not be read: ${err instanceof Error ? err.message : String(err)}. Fix: ${fix}`,
      { path: source, fix, cause: err },
    )
  }
  const warnings = doc.warnings.map((warning) => {
    const pos = warning.linePos?.[0]
    return `${source}${pos ? `:${pos.line}:${pos.col}` : ''}: ${yamlSummary(warning.message)}`
  })
  return { data: data ?? {}, warnings }
}

/** Inline text wins when non-blank; otherwise the file (relative to the config dir) is read and trimmed. */
function resolvePrompt(inline: string, file: string | undefined, key: string, configDir: string): string {
  if (inline.trim() !== '' || !file) return inline
  const full = resolve(configDir, file)
  try {
    return readFileSync(full, 'utf8').trim()
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    const fix = missing
      ? `Create ${full}, or point ${key} at an existing file, or remove ${key}.`
      : `Make ${full} a readable text file, or remove ${key}.`
    throw new MoleculeError(
      'CONFIG_PROMPT_FILE',
      `${key}: ${missing ? 'file not found' : 'cannot read file'}: ${full}. Fix: ${fix}`,
      { path: key, fix, cause: err, details: { file: full } },
    )
  }
}

function applyEnv(config: WorkspaceConfig, env: RuntimeEnv): WorkspaceConfig {
  const { delegation, sandbox } = env
  return {
    ...config,
    model: env.modelProvider ?? config.model,
    delegation: {
      ...config.delegation,
      retry_attempts: delegation.retryAttempts ?? config.delegation.retry_attempts,
      retry_delay: delegation.retryDelay ?? config.delegation.retry_delay,
      timeout: delegation.timeout ?? config.delegation.timeout,
    },
    sandbox: {
      ...config.sandbox,
      backend: sandbox.backend ?? config.sandbox.backend,
      timeout: sandbox.timeout ?? config.sandbox.timeout,
      memory_limit: sandbox.memoryLimit ?? config.sandbox.memory_limit,
    },
  }
}

/**
 * Parses config.yaml text: YAML 1.1, schema defaults, prompt files, env overrides. Throws
 * `MoleculeError` (`CONFIG_YAML_SYNTAX`, `CONFIG_INVALID`, `CONFIG_PROMPT_FILE`, `ENV_INVALID`).
 */
export function parseConfig(text: string, options: ParseConfigOptions = {}): LoadedConfig {
  try {
    return parseConfigText(text, options)
  } catch (err) {
    if (isMoleculeError(err)) throw err
    // Safety net: whatever the input, callers get a MoleculeError, never a raw exception.
    const source = options.source ?? CONFIG_FILE
    throw new MoleculeError('CONFIG_INVALID', `${source} could not be loaded: ${String(err)}`, {
      path: source,
      cause: err,
    })
  }
}

/**
 * A config is parsed once per load: zod's compiled fast path (generated with `new Function` on the first parse of each
 * object schema) would cost more than it saves, a tenth of a runtime's boot.
 */
const ONCE = { jitless: true } as const

function parseConfigText(text: string, options: ParseConfigOptions): LoadedConfig {
  const source = options.source ?? CONFIG_FILE
  const configDir = options.configDir ?? process.cwd()
  const { data, warnings } = readYaml(text, source)
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const [issue] = workspaceConfigSchema.safeParse(data, ONCE).error?.issues ?? []
    const problem = issue
      ? problemFromIssue(issue, data)
      : problemFromIssue({ code: 'custom', path: [], message: 'a mapping', input: data }, data)
    throw configInvalidError([problem], source)
  }
  const raw = data as Record<string, unknown>
  const parsed = workspaceConfigSchema.safeParse(raw, ONCE)
  if (!parsed.success) {
    // Report problems in file order (zod reports some nested blocks late).
    const order = Object.keys(raw)
    const rank = (issue: { path: PropertyKey[] }) => order.indexOf(String(issue.path[0]))
    const issues = [...parsed.error.issues].sort((a, b) => rank(a) - rank(b))
    throw configInvalidError(
      issues.map((issue) => problemFromIssue(issue, raw)),
      source,
    )
  }
  const config = parsed.data
  config.initial_prompt = resolvePrompt(
    config.initial_prompt,
    config.initial_prompt_file,
    'initial_prompt_file',
    configDir,
  )
  config.idle_prompt = resolvePrompt(
    config.idle_prompt,
    config.idle_prompt_file,
    'idle_prompt_file',
    configDir,
  )
  const keysSet = new Set(Object.keys(raw))
  const empty = keysSet.size === 0 ? [`${source} is empty: every setting takes its default.`] : []
  return {
    config: applyEnv(config, options.env ?? loadEnv()),
    keysSet,
    warnings: [...warnings, ...empty, ...unknownKeyWarnings(raw, source)],
    path: options.configDir === undefined ? source : join(options.configDir, CONFIG_FILE),
  }
}

/** Reads `<dir>/config.yaml`. A missing file is `CONFIG_NOT_FOUND` (upstream: "Config file not found"). */
export async function loadConfig(dir: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const path = join(dir, CONFIG_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    const fix = missing
      ? 'Mount the workspace config directory (WORKSPACE_CONFIG_PATH, default /configs) with a config.yaml in it.'
      : `Make ${path} a readable file.`
    throw new MoleculeError(
      missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_UNREADABLE',
      `${missing ? 'Config file not found' : 'Config file cannot be read'}: ${path}. Fix: ${fix}`,
      { path, fix, cause: err },
    )
  }
  return parseConfig(text, { configDir: dir, source: path, ...(options.env ? { env: options.env } : {}) })
}
