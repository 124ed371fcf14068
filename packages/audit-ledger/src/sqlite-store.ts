import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import type { LedgerRow } from './canonical.js'
import { LedgerStoreError } from './ledger-errors.js'
import type { ChainTail, Checkpoint, LedgerStore } from './ledger-store.js'
import { microsToSqlText, sqlTextToMicros } from './timestamps.js'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_events (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  timestamp DATETIME NOT NULL,
  agent_id VARCHAR(255) NOT NULL,
  session_id VARCHAR(255) NOT NULL,
  operation VARCHAR(50) NOT NULL,
  input_hash VARCHAR(64),
  output_hash VARCHAR(64),
  model_used VARCHAR(255),
  human_oversight_flag BOOLEAN NOT NULL DEFAULT 0,
  risk_flag BOOLEAN NOT NULL DEFAULT 0,
  prev_hmac VARCHAR(64),
  hmac VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_audit_events_agent_id ON audit_events (agent_id);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  agent_id VARCHAR(255) NOT NULL,
  size INTEGER NOT NULL,
  last_hmac VARCHAR(64) NOT NULL,
  signature TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (agent_id, size)
);`

interface SqlRow {
  id: string
  timestamp: string
  agent_id: string
  session_id: string
  operation: string
  input_hash: string | null
  output_hash: string | null
  model_used: string | null
  human_oversight_flag: number
  risk_flag: number
  prev_hmac: string | null
  hmac: string
}

function fromSql(row: SqlRow): LedgerRow {
  return {
    id: row.id,
    timestampMicros: sqlTextToMicros(row.timestamp),
    agentId: row.agent_id,
    sessionId: row.session_id,
    operation: row.operation,
    inputHash: row.input_hash,
    outputHash: row.output_hash,
    modelUsed: row.model_used,
    humanOversightFlag: Boolean(row.human_oversight_flag),
    riskFlag: Boolean(row.risk_flag),
    prevHmac: row.prev_hmac,
    hmac: row.hmac,
  }
}

/** The ledger in a SQLite file (better-sqlite3): every append is one immediate transaction. */
export class SqliteLedgerStore implements LedgerStore {
  readonly kind = 'sqlite'
  private constructor(
    private readonly db: BetterSqlite3.Database,
    readonly path: string,
  ) {}

  /** Opens (creating the file, its directory and the tables unless `mustExist`). */
  static async open(path: string, options: { mustExist?: boolean } = {}): Promise<SqliteLedgerStore> {
    let Database: typeof BetterSqlite3
    try {
      Database = (await import('better-sqlite3')).default
    } catch (err) {
      throw new LedgerStoreError(
        'AUDIT_LEDGER_DRIVER',
        'the SQLite driver (better-sqlite3) could not be loaded',
        {
          fix: 'Install better-sqlite3 (an optional dependency: it compiles when no prebuilt binary fits, which needs a C++ toolchain), or keep the ledger in PostgreSQL with AUDIT_LEDGER_DB=postgresql://…',
          cause: err,
        },
      )
    }
    try {
      if (!options.mustExist) mkdirSync(dirname(path), { recursive: true })
      const db = new Database(path, { fileMustExist: options.mustExist ?? false })
      db.pragma('busy_timeout = 5000')
      db.exec(SCHEMA)
      return new SqliteLedgerStore(db, path)
    } catch (err) {
      throw new LedgerStoreError(
        'AUDIT_LEDGER_DB',
        `cannot open the audit ledger at ${path}: ${(err as Error).message}`,
        {
          path: 'AUDIT_LEDGER_DB',
          cause: err,
        },
      )
    }
  }

  async append(agentId: string, build: (tail: ChainTail | undefined) => LedgerRow): Promise<LedgerRow> {
    const last = this.db.prepare(
      'SELECT hmac, timestamp FROM audit_events WHERE agent_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1',
    )
    const count = this.db.prepare('SELECT COUNT(*) AS n FROM audit_events WHERE agent_id = ?')
    const insert = this.db.prepare(
      `INSERT INTO audit_events (id, timestamp, agent_id, session_id, operation, input_hash, output_hash, model_used,
        human_oversight_flag, risk_flag, prev_hmac, hmac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    const run = this.db.transaction((): LedgerRow => {
      const tailRow = last.get(agentId) as { hmac: string; timestamp: string } | undefined
      const tail = tailRow && {
        hmac: tailRow.hmac,
        timestampMicros: sqlTextToMicros(tailRow.timestamp),
        size: (count.get(agentId) as { n: number }).n,
      }
      const row = build(tail)
      insert.run(
        row.id,
        microsToSqlText(row.timestampMicros),
        row.agentId,
        row.sessionId,
        row.operation,
        row.inputHash,
        row.outputHash,
        row.modelUsed,
        row.humanOversightFlag ? 1 : 0,
        row.riskFlag ? 1 : 0,
        row.prevHmac,
        row.hmac,
      )
      return row
    })
    return run.immediate()
  }

  async rows(agentId: string): Promise<LedgerRow[]> {
    const rows = this.db
      .prepare('SELECT * FROM audit_events WHERE agent_id = ? ORDER BY timestamp ASC, id ASC')
      .all(agentId) as SqlRow[]
    return rows.map(fromSql)
  }

  async addCheckpoint(cp: Checkpoint): Promise<void> {
    this.db
      .prepare(
        'INSERT OR REPLACE INTO audit_checkpoints (agent_id, size, last_hmac, signature, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(cp.agentId, cp.size, cp.lastHmac, cp.signature, microsToSqlText(cp.createdAtMicros))
  }

  async checkpoints(agentId: string): Promise<Checkpoint[]> {
    const rows = this.db
      .prepare('SELECT * FROM audit_checkpoints WHERE agent_id = ? ORDER BY size ASC')
      .all(agentId) as Array<{
      agent_id: string
      size: number
      last_hmac: string
      signature: string
      created_at: string
    }>
    return rows.map((r) => ({
      agentId: r.agent_id,
      size: r.size,
      lastHmac: r.last_hmac,
      signature: r.signature,
      createdAtMicros: sqlTextToMicros(r.created_at),
    }))
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}
