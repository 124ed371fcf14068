import type { Logger } from '@molecule/core'
import { allowedHostEntry, allowedOriginEntry } from './request-policy.js'

/** Every timer is an option so tests can run the whole status machine in milliseconds. */
export interface DevPlatformOptions {
  /** Port for `startDevPlatform`; 0 (default) picks a free one. */
  port?: number
  /**
   * Interface for `startDevPlatform`; default `127.0.0.1`. Anything beyond loopback requires `adminToken` (and
   * refuses `lenient`), and prints a warning on stderr.
   */
  host?: string
  /**
   * Origins (`scheme://host[:port]`) whose web pages may call the platform. A request whose `Origin` is neither one of
   * these nor the platform's own origin is refused with 403. Default: none.
   */
  allowedOrigins?: string[]
  /**
   * Host names that `Host` may name besides IP addresses, `localhost` and `host`; any other `Host` is refused with
   * 403 (DNS rebinding). Default: none.
   */
  allowedHosts?: string[]
  /** Logger to use; by default `createLogger` of @molecule/logger (JSON lines on stderr) at `logLevel`. */
  logger?: Logger
  /** Level of the default logger; default `info` (`silent` to mute). */
  logLevel?: string
  /** A workspace whose last heartbeat is older than this turns `degraded`; default 90 s (0 disables). */
  degradedAfterMs?: number
  /** A workspace whose last heartbeat is older than this turns `offline`; default 180 s. */
  offlineAfterMs?: number
  /** A workspace stuck in `provisioning` this long turns `failed`; default 10 min. */
  provisionTimeoutMs?: number
  /** How often liveness, provisioning and retention are checked; default 1 s. */
  sweepIntervalMs?: number
  /**
   * Idle timeout of an A2A forward to a push-mode agent: restarted by every event of the target (heartbeats
   * included); when it fires the call is queued as busy. Default 5 min.
   */
  proxyTimeoutMs?: number
  /** Delay before the single retry of a platform delegation that got 502/503; default 8 s. */
  delegationRetryDelayMs?: number
  /** Activity rows older than this are pruned (their ids then answer 410 as cursors); default 7 days. */
  activityRetentionMs?: number
  /** `Retry-After` seconds sent with busy 503 answers; default 30. */
  busyRetryAfterSeconds?: number
  /** Pending approvals older than this are auto-denied when `GET /approvals/pending` is read; default 10 min. */
  approvalExpiryMs?: number
  /**
   * Dev fail-open (upstream `MOLECULE_ENV=dev` without `ADMIN_TOKEN`): credential-less calls pass the
   * workspace and admin gates. Default false, so contract tests see the strict 401s.
   */
  lenient?: boolean
  /** Operator token (upstream `ADMIN_TOKEN`). When set, admin routes require it; it also opens every workspace route. */
  adminToken?: string
  /** Markdown returned by `GET /workspaces/:id/instructions/resolve`, per workspace id or `*` for all. */
  instructions?: Record<string, string>
  /** Files returned by `GET /workspaces/:id/shared-context`, per workspace id. */
  sharedContext?: Record<string, Array<{ path: string; content: string }>>
  /** Values for `GET /workspaces/:id/secrets/values`, per workspace id; `*` applies to all (workspace wins). */
  secrets?: Record<string, Record<string, string>>
  /** Serve the dev console (a live page of workspaces, traffic and approvals) at `/`; default true. */
  console?: boolean
  /** The console's live updates are batched: at most one per this many ms per open page; default 100. */
  consoleFlushMs?: number
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number
}

export interface ResolvedOptions {
  port: number
  host: string
  /** Serialized origins. */
  allowedOrigins: string[]
  /** Lowercase host names. */
  allowedHosts: string[]
  degradedAfterMs: number
  offlineAfterMs: number
  provisionTimeoutMs: number
  sweepIntervalMs: number
  proxyTimeoutMs: number
  delegationRetryDelayMs: number
  activityRetentionMs: number
  busyRetryAfterSeconds: number
  approvalExpiryMs: number
  lenient: boolean
  adminToken: string | undefined
  instructions: Record<string, string>
  sharedContext: Record<string, Array<{ path: string; content: string }>>
  secrets: Record<string, Record<string, string>>
  console: boolean
  consoleFlushMs: number
  now: () => number
}

/** Defaults filled in; a malformed `allowedOrigins` or `allowedHosts` entry is a DevPlatformError naming it. */
export function resolveOptions(options: DevPlatformOptions): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    allowedOrigins: (options.allowedOrigins ?? []).map(allowedOriginEntry),
    allowedHosts: (options.allowedHosts ?? []).map(allowedHostEntry),
    degradedAfterMs: options.degradedAfterMs ?? 90_000,
    offlineAfterMs: options.offlineAfterMs ?? 180_000,
    provisionTimeoutMs: options.provisionTimeoutMs ?? 600_000,
    sweepIntervalMs: options.sweepIntervalMs ?? 1_000,
    proxyTimeoutMs: options.proxyTimeoutMs ?? 300_000,
    delegationRetryDelayMs: options.delegationRetryDelayMs ?? 8_000,
    activityRetentionMs: options.activityRetentionMs ?? 7 * 24 * 3_600_000,
    busyRetryAfterSeconds: options.busyRetryAfterSeconds ?? 30,
    approvalExpiryMs: options.approvalExpiryMs ?? 600_000,
    lenient: options.lenient ?? false,
    adminToken: options.adminToken || undefined,
    instructions: options.instructions ?? {},
    sharedContext: options.sharedContext ?? {},
    secrets: options.secrets ?? {},
    console: options.console ?? true,
    consoleFlushMs: options.consoleFlushMs ?? 100,
    now: options.now ?? Date.now,
  }
}
