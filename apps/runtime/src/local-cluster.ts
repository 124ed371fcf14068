import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import type { RunningRuntime } from './boot/types.js'
import { startRuntime } from './boot.js'
import { runtimeLogger } from './logger.js'
import { RuntimeError } from './runtime-error.js'

/** `examples/` of the monorepo checkout this file runs from (src/ or dist/ of apps/runtime). */
export function examplesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  for (const candidate of [resolve(here, '../../../examples'), resolve(here, '../../examples')]) {
    if (existsSync(join(candidate, 'workspaces'))) return candidate
  }
  throw new RuntimeError('EXAMPLES_NOT_FOUND', 'examples/ not found next to this molecule-runtime.', {
    fix: 'Run dev and demo from a checkout of the molecule monorepo.',
  })
}

export interface LocalWorkspaceSpec {
  name: string
  /** Directory under examples/workspaces holding the config.yaml to copy. */
  example: string
  /** A config directory of the user's to copy instead of the example (`dev --config`). */
  configSource?: string
  /** ADAPTER_MODULE for this workspace ('' = use the built-in named by config `runtime`). */
  adapterModule?: string
  extraEnv?: Record<string, string>
}

export interface LocalWorkspace {
  name: string
  id: string
  runtime: RunningRuntime
  configDir: string
}

/**
 * An embedded dev platform plus in-process workspace runtimes, each with its own temp config dir — what
 * `molecule-runtime dev` and `demo` run. Everything binds 127.0.0.1.
 */
export class LocalCluster {
  readonly workspaces: LocalWorkspace[] = []

  private constructor(
    readonly platform: RunningDevPlatform,
    readonly root: string,
    private readonly logLevel: string,
  ) {}

  static async start(options: { port: number; logLevel: string }): Promise<LocalCluster> {
    const platform = await startDevPlatform({
      port: options.port,
      host: '127.0.0.1',
      logLevel: options.logLevel,
    })
    const root = await mkdtemp(join(tmpdir(), 'molecule-dev-'))
    return new LocalCluster(platform, root, options.logLevel)
  }

  async add(spec: LocalWorkspaceSpec): Promise<LocalWorkspace> {
    const dir = join(this.root, spec.name)
    const configDir = join(dir, 'configs')
    await mkdir(configDir, { recursive: true })
    await mkdir(join(dir, 'workspace'), { recursive: true })
    // The whole example directory (config.yaml, system-prompt.md, ...), renamed to this workspace.
    await cp(spec.configSource ?? join(examplesDir(), 'workspaces', spec.example), configDir, {
      recursive: true,
    })
    const template = await readFile(join(configDir, 'config.yaml'), 'utf8')
    await writeFile(join(configDir, 'config.yaml'), template.replace(/^name:.*$/m, `name: ${spec.name}`))
    const { id } = await this.platform.createWorkspace({ name: spec.name, role: spec.example })
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      WORKSPACE_ID: id,
      WORKSPACE_CONFIG_PATH: configDir,
      CONFIGS_DIR: configDir,
      PLATFORM_URL: this.platform.url,
      HOSTNAME: '127.0.0.1',
      ADAPTER_MODULE: spec.adapterModule ?? '',
      MOLECULE_A2A_HOST: '127.0.0.1',
      MOLECULE_A2A_PORT: '0',
      MOLECULE_WORKSPACE_DIR: join(dir, 'workspace'),
      DELEGATION_RESULTS_FILE: join(dir, 'delegation_results.jsonl'),
      AUDIT_LOG_PATH: process.env.AUDIT_LOG_PATH ?? join(dir, 'audit.jsonl'),
      // Each example workspace has its own shared-plugins folder: a laptop's /plugins is not theirs.
      PLUGINS_DIR: join(dir, 'shared-plugins'),
      MOLECULE_HEARTBEAT_INTERVAL_MS: process.env.MOLECULE_HEARTBEAT_INTERVAL_MS ?? '5000',
      ...spec.extraEnv,
    }
    const logger: Logger = runtimeLogger(this.logLevel, { workspace: spec.name })
    const runtime = await startRuntime({ env, logger })
    await runtime.registered
    const ws = { name: spec.name, id, runtime, configDir }
    this.workspaces.push(ws)
    return ws
  }

  /** JSON-RPC `message/send` through the platform's A2A proxy, as the canvas user (no caller header). */
  async send(target: LocalWorkspace, text: string): Promise<string> {
    const res = await fetch(`${this.platform.url}/workspaces/${target.id}/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(userMessageBody(text)),
    })
    const body = (await res.json()) as { result?: unknown; error?: { message?: string } }
    if (body.error) return `[error] ${body.error.message ?? 'unknown error'}`
    return replyText(body.result)
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.workspaces.map((ws) => ws.runtime.stop('dev shutdown')))
    await this.platform.close()
    await rm(this.root, { recursive: true, force: true })
  }
}

export function userMessageBody(text: string): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id: 1,
    method: 'message/send',
    params: { message: { role: 'user', messageId: `m-${Date.now()}`, parts: [{ kind: 'text', text }] } },
  }
}

/** Text of a v0.3 `message/send` result: a Message, or a Task whose status message / artifacts carry it. */
export function replyText(result: unknown): string {
  const texts = (parts: unknown): string[] =>
    Array.isArray(parts)
      ? parts.flatMap((p) =>
          typeof (p as { text?: unknown }).text === 'string' ? [(p as { text: string }).text] : [],
        )
      : []
  const r = (result ?? {}) as {
    parts?: unknown
    status?: { state?: string; message?: { parts?: unknown } }
    artifacts?: Array<{ parts?: unknown }>
  }
  if (r.parts) return texts(r.parts).join('')
  const status = texts(r.status?.message?.parts).join('')
  if (status) return r.status?.state === 'failed' ? `[failed] ${status}` : status
  return (r.artifacts ?? []).flatMap((a) => texts(a.parts)).join('')
}
