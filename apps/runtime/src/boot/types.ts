import type { Adapter } from '@molecule/adapter-core'
import type { BuiltinAdapter } from '@molecule/adapter-core/runtime'
import type { Logger } from '@molecule/core'
import type { TaskActivity, WedgeState } from '../task-activity.js'

export interface StartRuntimeOptions {
  /** Environment to resolve (default `process.env`); `dev` passes one per workspace. */
  env?: NodeJS.ProcessEnv
  /** Default: the runtime's own JSON logger on stderr. The runtime binds `workspaceId` itself: do not bind it here. */
  logger?: Logger
  /** Built-in adapters selectable by config `runtime` (default: echo, cli). */
  builtins?: Readonly<Record<string, BuiltinAdapter>>
  /** Where `ADAPTER_MODULE` package names and relative paths resolve from. */
  cwd?: string
  /** Overrides container detection (a `/configs` directory exists); tests pass false. */
  inContainer?: boolean
}

export interface RunningRuntime {
  readonly workspaceId: string
  /** Advertised A2A URL (what peers and the platform use). */
  readonly url: string
  /** Port the A2A server really listens on. */
  readonly port: number
  readonly adapter: Adapter
  readonly activity: TaskActivity
  readonly wedge: WedgeState
  /** `MOLECULE_SHUTDOWN_GRACE_MS` as resolved at boot: how long `stop` lets running tasks finish. */
  readonly shutdownGraceMs: number
  /** Resolves when the platform accepted our registration (retried with backoff until then). */
  readonly registered: Promise<void>
  /** SIGTERM path: drain within the grace period, snapshot, stop loops, close. Idempotent. */
  stop(reason?: string): Promise<{ cancelled: number }>
}
