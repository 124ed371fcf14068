import { isoTime, mintTokenValue, newId, sha256Hex } from './ids.js'

export interface TokenRecord {
  id: string
  workspaceId: string
  /** sha256 of the plaintext; the plaintext itself is never kept. */
  sha256: string
  prefix: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}

/** Workspace bearer tokens, stored by hash only (the plaintext is returned once, at mint time). */
export class TokenStore {
  readonly records = new Map<string, TokenRecord>()
  private readonly byHash = new Map<string, TokenRecord>()

  constructor(private readonly now: () => number) {}

  mint(workspaceId: string): { id: string; token: string } {
    const token = mintTokenValue()
    const record: TokenRecord = {
      id: newId(),
      workspaceId,
      sha256: sha256Hex(token),
      prefix: token.slice(0, 8),
      createdAt: this.now(),
      lastUsedAt: null,
      revokedAt: null,
    }
    this.records.set(record.id, record)
    this.byHash.set(record.sha256, record)
    return { id: record.id, token }
  }

  live(workspaceId: string): TokenRecord[] {
    return [...this.records.values()].filter((t) => t.workspaceId === workspaceId && t.revokedAt === null)
  }

  liveCount(workspaceId: string): number {
    return this.live(workspaceId).length
  }

  /** The live record for a plaintext token, or undefined. Bumps `lastUsedAt`. */
  lookup(token: string): TokenRecord | undefined {
    const record = this.byHash.get(sha256Hex(token))
    if (!record || record.revokedAt !== null) return undefined
    record.lastUsedAt = this.now()
    return record
  }

  /** True when `token` is a live token bound to `workspaceId`. */
  verify(workspaceId: string, token: string): boolean {
    return this.lookup(token)?.workspaceId === workspaceId
  }

  revoke(workspaceId: string, tokenId: string): boolean {
    const record = this.records.get(tokenId)
    if (!record || record.workspaceId !== workspaceId || record.revokedAt !== null) return false
    record.revokedAt = this.now()
    return true
  }

  revokeAll(workspaceId: string): void {
    for (const record of this.live(workspaceId)) record.revokedAt = this.now()
  }

  static describe(record: TokenRecord) {
    return {
      id: record.id,
      prefix: record.prefix,
      created_at: isoTime(record.createdAt),
      last_used_at: record.lastUsedAt === null ? null : isoTime(record.lastUsedAt),
    }
  }
}
