import { randomUUID } from 'node:crypto'
import { mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type Logger, maskSecrets, silentLogger } from '@molecule/core'

/** Extra fields of one audit line; `actor` and `trace_id` replace their defaults, the rest is appended. */
export type AuditExtra = { actor?: string | undefined; trace_id?: string | undefined } & Record<
  string,
  unknown
>

/**
 * Where built-in tools record their decisions: one call per event of the audit vocabulary (event type, action,
 * resource, outcome). Returns the event's trace id. Never throws: an audit failure must not break the tool.
 */
export interface AuditSink {
  log(eventType: string, action: string, resource: string, outcome: string, extra?: AuditExtra): string
}

/** Records nothing (a context without an audit log); still hands out trace ids. */
export const noAudit: AuditSink = {
  log: (_type, _action, _resource, _outcome, extra) => extra?.trace_id ?? randomUUID(),
}

export interface JsonlAuditLogOptions {
  /** The JSONL file (`AUDIT_LOG_PATH`); its directory is created on the first write. */
  path: string
  /** `workspace_id` of every line and the default `actor`. */
  workspaceId: string
  logger?: Logger
  /** Clock, for tests. */
  now?: () => Date
}

const BUILT_IN = new Set([
  'timestamp',
  'event_type',
  'workspace_id',
  'actor',
  'action',
  'resource',
  'outcome',
  'trace_id',
])

/**
 * The append-only JSONL audit log: one JSON object per line, appended (never truncated or rotated), flushed to disk
 * with fsync, one write at a time. A failed write is logged as a warning (once per kind of failure, later ones at
 * debug) and never thrown. Strings are passed through `maskSecrets`, so a credential in a resource or preview never
 * reaches the file.
 */
export class JsonlAuditLog implements AuditSink {
  readonly path: string
  readonly #workspaceId: string
  readonly #logger: Logger
  readonly #now: () => Date
  readonly #warned = new Set<string>()
  #tail: Promise<void> = Promise.resolve()
  #dirReady: Promise<unknown> | undefined

  constructor(options: JsonlAuditLogOptions) {
    this.path = options.path
    this.#workspaceId = options.workspaceId
    this.#logger = options.logger ?? silentLogger
    this.#now = options.now ?? (() => new Date())
  }

  log(eventType: string, action: string, resource: string, outcome: string, extra: AuditExtra = {}): string {
    const traceId = extra.trace_id || randomUUID()
    let line: string
    try {
      line = this.#line(eventType, action, resource, outcome, traceId, extra)
    } catch (err) {
      this.#warn('serialize', err, traceId, action)
      return traceId
    }
    this.#tail = this.#tail.then(() => this.#append(line, traceId, action))
    return traceId
  }

  /** Resolves once every line logged so far is on disk (or has failed and been reported). */
  flush(): Promise<void> {
    return this.#tail
  }

  #line(
    eventType: string,
    action: string,
    resource: string,
    outcome: string,
    traceId: string,
    extra: AuditExtra,
  ): string {
    const entry: Record<string, unknown> = {
      timestamp: this.#now().toISOString().replace(/Z$/, '+00:00'),
      event_type: eventType,
      workspace_id: this.#workspaceId,
      actor: extra.actor || this.#workspaceId,
      action,
      resource,
      outcome,
      trace_id: traceId,
    }
    for (const [key, value] of Object.entries(extra)) {
      if (!BUILT_IN.has(key) && value !== undefined) entry[key] = value
    }
    return `${JSON.stringify(entry, jsonSafe)}\n`
  }

  async #append(line: string, traceId: string, action: string): Promise<void> {
    try {
      this.#dirReady ??= mkdir(dirname(this.path), { recursive: true })
      await this.#dirReady
      const file = await open(this.path, 'a', 0o600)
      try {
        await file.write(line)
        await file.sync()
      } finally {
        await file.close()
      }
    } catch (err) {
      this.#dirReady = undefined
      this.#warn((err as NodeJS.ErrnoException)?.code ?? 'write', err, traceId, action)
    }
  }

  #warn(kind: string, err: unknown, traceId: string, action: string): void {
    const fields = { err: (err as Error)?.message ?? String(err), path: this.path, traceId, action }
    if (this.#warned.has(kind)) {
      this.#logger.debug(fields, 'audit log write failed')
      return
    }
    this.#warned.add(kind)
    this.#logger.warn(fields, 'audit log write failed; the event is lost (the tool goes on)')
  }
}

/** Values JSON cannot carry become strings (as upstream's `default=str`); every string is masked. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return maskSecrets(value)
  if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol')
    return String(value)
  return value
}
