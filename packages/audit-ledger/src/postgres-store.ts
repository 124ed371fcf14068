import type { Pool, PoolClient } from 'pg'
import type { LedgerRow } from './canonical.js'
import { LedgerStoreError } from './ledger-errors.js'
import type { ChainTail, Checkpoint, LedgerStore } from './ledger-store.js'
import { microsToSqlText } from './timestamps.js'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_events (
  id VARCHAR(36) PRIMARY KEY,
  "timestamp" TIMESTAMPTZ NOT NULL,
  agent_id VARCHAR(255) NOT NULL,
  session_id VARCHAR(255) NOT NULL,
  operation VARCHAR(50) NOT NULL,
  input_hash VARCHAR(64),
  output_hash VARCHAR(64),
  model_used VARCHAR(255),
  human_oversight_flag BOOLEAN NOT NULL DEFAULT FALSE,
  risk_flag BOOLEAN NOT NULL DEFAULT FALSE,
  prev_hmac VARCHAR(64),
  hmac VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_audit_events_agent_id ON audit_events (agent_id);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  agent_id VARCHAR(255) NOT NULL,
  size INTEGER NOT NULL,
  last_hmac VARCHAR(64) NOT NULL,
  signature TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (agent_id, size)
);`

/** Microseconds since the epoch, exactly (a `Date` would keep milliseconds only). */
const MICROS = (column: string) => `(EXTRACT(EPOCH FROM ${column}) * 1000000)::bigint`

const SELECT_ROWS = `SELECT id, ${MICROS('"timestamp"')} AS ts, agent_id, session_id, operation, input_hash, output_hash,
  model_used, human_oversight_flag, risk_flag, prev_hmac, hmac FROM audit_events WHERE agent_id = $1
  ORDER BY "timestamp" ASC, id ASC`

function fromPg(r: Record<string, unknown>): LedgerRow {
  return {
    id: String(r.id),
    timestampMicros: Number(r.ts),
    agentId: String(r.agent_id),
    sessionId: String(r.session_id),
    operation: String(r.operation),
    inputHash: (r.input_hash as string | null) ?? null,
    outputHash: (r.output_hash as string | null) ?? null,
    modelUsed: (r.model_used as string | null) ?? null,
    humanOversightFlag: r.human_oversight_flag === true,
    riskFlag: r.risk_flag === true,
    prevHmac: (r.prev_hmac as string | null) ?? null,
    hmac: String(r.hmac),
  }
}

/** Masks the password of a connection URL for messages. */
export function safeUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@')
}

/**
 * The ledger in PostgreSQL (node-postgres). An append takes a transaction-scoped advisory lock on the agent id, so
 * writers in several processes still build one chain per agent.
 */
export class PostgresLedgerStore implements LedgerStore {
  readonly kind = 'postgresql'
  private constructor(private readonly pool: Pool) {}

  static async open(url: string): Promise<PostgresLedgerStore> {
    let PoolClass: typeof Pool
    try {
      PoolClass = (await import('pg')).default.Pool
    } catch (err) {
      throw new LedgerStoreError('AUDIT_LEDGER_DRIVER', 'the PostgreSQL driver (pg) could not be loaded', {
        cause: err,
      })
    }
    const pool = new PoolClass({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 })
    pool.on('error', () => {}) // an idle client's lost connection: the next query reconnects or reports it
    try {
      // Writers starting together would race on CREATE TABLE IF NOT EXISTS (a duplicate-type error): one at a time.
      await pool.query(
        `BEGIN; SELECT pg_advisory_xact_lock(hashtext('audit_events:schema')); ${SCHEMA} COMMIT;`,
      )
    } catch (err) {
      await pool.end().catch(() => {})
      throw new LedgerStoreError(
        'AUDIT_LEDGER_DB',
        `cannot use the audit ledger database ${safeUrl(url)}: ${(err as Error).message}`,
        { path: 'AUDIT_LEDGER_DB', cause: err },
      )
    }
    return new PostgresLedgerStore(pool)
  }

  async #inTransaction<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      const result = await fn(client)
      await client.query('COMMIT')
      return result
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      client.release()
    }
  }

  append(agentId: string, build: (tail: ChainTail | undefined) => LedgerRow): Promise<LedgerRow> {
    return this.#inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit_events:${agentId}`])
      const last = await client.query(
        `SELECT hmac, ${MICROS('"timestamp"')} AS ts, (SELECT COUNT(*) FROM audit_events WHERE agent_id = $1) AS n
         FROM audit_events WHERE agent_id = $1 ORDER BY "timestamp" DESC, id DESC LIMIT 1`,
        [agentId],
      )
      const tail = last.rows[0] as { hmac: string; ts: string; n: string } | undefined
      const row = build(tail && { hmac: tail.hmac, timestampMicros: Number(tail.ts), size: Number(tail.n) })
      await client.query(
        `INSERT INTO audit_events (id, "timestamp", agent_id, session_id, operation, input_hash, output_hash, model_used,
          human_oversight_flag, risk_flag, prev_hmac, hmac) VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          row.id,
          `${microsToSqlText(row.timestampMicros)}+00`,
          row.agentId,
          row.sessionId,
          row.operation,
          row.inputHash,
          row.outputHash,
          row.modelUsed,
          row.humanOversightFlag,
          row.riskFlag,
          row.prevHmac,
          row.hmac,
        ],
      )
      return row
    })
  }

  async rows(agentId: string): Promise<LedgerRow[]> {
    return (await this.pool.query(SELECT_ROWS, [agentId])).rows.map(fromPg)
  }

  async addCheckpoint(cp: Checkpoint): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_checkpoints (agent_id, size, last_hmac, signature, created_at) VALUES ($1, $2, $3, $4, $5::timestamptz)
       ON CONFLICT (agent_id, size) DO UPDATE SET last_hmac = EXCLUDED.last_hmac, signature = EXCLUDED.signature`,
      [cp.agentId, cp.size, cp.lastHmac, cp.signature, `${microsToSqlText(cp.createdAtMicros)}+00`],
    )
  }

  async checkpoints(agentId: string): Promise<Checkpoint[]> {
    const result = await this.pool.query(
      `SELECT agent_id, size, last_hmac, signature, ${MICROS('created_at')} AS ts FROM audit_checkpoints
       WHERE agent_id = $1 ORDER BY size ASC`,
      [agentId],
    )
    return result.rows.map((r: Record<string, unknown>) => ({
      agentId: String(r.agent_id),
      size: Number(r.size),
      lastHmac: String(r.last_hmac),
      signature: String(r.signature),
      createdAtMicros: Number(r.ts),
    }))
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
