import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const runtimeBin = join(appDir, 'bin', 'molecule-runtime.js')

if (!existsSync(join(appDir, 'dist', 'cli.js'))) {
  throw new Error('apps/runtime/dist/cli.js is missing: run `pnpm --filter @molecule/runtime... build` first')
}

export interface LogLine {
  msg?: string
  level?: number
  [key: string]: unknown
}

/** A `molecule-runtime` child process with its stderr parsed into log lines. */
export class RuntimeProcess {
  readonly lines: LogLine[] = []
  stderr = ''
  stdout = ''
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  #waiters: Array<() => void> = []

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.setEncoding('utf8')
    child.stdout.setEncoding('utf8')
    let partial = ''
    child.stdout.on('data', (chunk: string) => {
      this.stdout += chunk
    })
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk
      partial += chunk
      const parts = partial.split('\n')
      partial = parts.pop() ?? ''
      for (const part of parts) {
        if (!part.startsWith('{')) continue
        try {
          this.lines.push(JSON.parse(part) as LogLine)
        } catch {
          // not a log line
        }
      }
      for (const wake of this.#waiters.splice(0)) wake()
    })
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        for (const wake of this.#waiters.splice(0)) wake()
        resolve({ code, signal })
      })
    })
  }

  get pid(): number {
    return this.child.pid ?? 0
  }

  /** Resolves with the first log line matching `predicate`; rejects after `ms` or when the process exits. */
  async waitFor(predicate: (line: LogLine) => boolean, ms = 10_000): Promise<LogLine> {
    const deadline = Date.now() + ms
    for (;;) {
      const found = this.lines.find(predicate)
      if (found) return found
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `runtime exited (${this.child.exitCode ?? this.child.signalCode}) before the log line; stderr:\n${this.stderr.slice(-3000)}`,
        )
      }
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for a log line; stderr:\n${this.stderr.slice(-3000)}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200))
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  waitForMsg(msg: string, ms?: number): Promise<LogLine> {
    return this.waitFor((line) => line.msg === msg, ms)
  }

  async stop(
    signal: NodeJS.Signals = 'SIGTERM',
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    return this.exited
  }
}

export interface WorkspaceDirs {
  root: string
  configs: string
  workspace: string
  snapshot: string
  results: string
}

export async function workspaceDirs(configYaml: string): Promise<WorkspaceDirs> {
  const root = await mkdtemp(join(tmpdir(), 'molecule-rt-'))
  const configs = join(root, 'configs')
  await mkdir(configs, { recursive: true })
  await writeFile(join(configs, 'config.yaml'), configYaml)
  return {
    root,
    configs,
    workspace: join(root, 'workspace'),
    snapshot: join(configs, '.agent_snapshot.json'),
    results: join(root, 'delegation_results.jsonl'),
  }
}

/**
 * The environment of an in-process `startRuntime` whose config, token, workspace, results and snapshot files all
 * live under `root`, serving A2A on a free loopback port; `overrides` set the host name and the timers.
 */
export function inProcessEnv(
  root: string,
  workspaceId: string,
  platformUrl: string,
  overrides: Record<string, string>,
): Record<string, string> {
  return {
    WORKSPACE_ID: workspaceId,
    WORKSPACE_CONFIG_PATH: root,
    CONFIGS_DIR: root,
    PLATFORM_URL: platformUrl,
    MOLECULE_A2A_HOST: '127.0.0.1',
    MOLECULE_A2A_PORT: '0',
    MOLECULE_WORKSPACE_DIR: join(root, 'workspace'),
    DELEGATION_RESULTS_FILE: join(root, 'results.jsonl'),
    AGENT_SNAPSHOT_PATH: join(root, 'snapshot.json'),
    AUDIT_LOG_PATH: join(root, 'audit.jsonl'),
    PLUGINS_DIR: join(root, 'shared-plugins'),
    ...overrides,
  }
}

/** Spawns the built CLI with an environment isolated to `dirs` and fast timers. */
export function spawnRuntime(
  workspaceId: string,
  platformUrl: string,
  dirs: WorkspaceDirs,
  extraEnv: Record<string, string> = {},
): RuntimeProcess {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    WORKSPACE_ID: workspaceId,
    WORKSPACE_CONFIG_PATH: dirs.configs,
    CONFIGS_DIR: dirs.configs,
    PLATFORM_URL: platformUrl,
    HOSTNAME: '127.0.0.1',
    MOLECULE_A2A_HOST: '127.0.0.1',
    MOLECULE_A2A_PORT: '0',
    MOLECULE_WORKSPACE_DIR: dirs.workspace,
    DELEGATION_RESULTS_FILE: dirs.results,
    AGENT_SNAPSHOT_PATH: dirs.snapshot,
    AUDIT_LOG_PATH: join(dirs.workspace, '..', 'audit.jsonl'),
    PLUGINS_DIR: join(dirs.configs, '..', 'shared-plugins'),
    MOLECULE_HEARTBEAT_INTERVAL_MS: '200',
    MOLECULE_REGISTER_RETRY_BASE_MS: '50',
    MOLECULE_REGISTER_RETRY_MAX_MS: '200',
    MOLECULE_SHUTDOWN_GRACE_MS: '1000',
    ...extraEnv,
  }
  const child = spawn(process.execPath, [runtimeBin], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  return new RuntimeProcess(child)
}

/** Pids of every live descendant of `pid` (children, grandchildren, ...), read from /proc. */
export function descendantsOf(pid: number): number[] {
  const parentOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (fields[0] === 'Z') continue
      parentOf.set(Number(entry), Number(fields[1]))
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const current = queue.shift() as number
    for (const [child, parent] of parentOf) {
      if (parent === current) {
        out.push(child)
        queue.push(child)
      }
    }
  }
  return out
}

/** JSON-RPC `message/send` body with a text part. */
export function sendBody(text: string, id: string | number = 1): Record<string, unknown> {
  return {
    jsonrpc: '2.0',
    id,
    method: 'message/send',
    params: { message: { role: 'user', messageId: `m-${Math.random()}`, parts: [{ kind: 'text', text }] } },
  }
}

export const ECHO_CONFIG = 'name: Echo Test\nruntime: echo\na2a:\n  port: 8000\n  push_notifications: false\n'

export { freePort } from '@molecule/test-support'
