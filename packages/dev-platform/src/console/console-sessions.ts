import { randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { sha256Hex } from '../ids.js'

/** Name of the console's session cookie (HttpOnly, SameSite=Strict, host-only). */
export const SESSION_COOKIE = 'molecule_console'

/** Sessions kept at once; the oldest is forgotten first (its browser signs in again). */
const MAX_SESSIONS = 64

/**
 * Browser sessions of the dev console. A session is what lets the console's own page call the platform's routes
 * (the approval decide route needs WorkspaceAuth) without a token ever reaching the page: the browser holds an
 * HttpOnly cookie, the platform holds only its SHA-256. Sessions live as long as the process.
 */
export class ConsoleSessions {
  private readonly hashes = new Set<string>()

  /** A new session id (32 random bytes, base64url) for a `Set-Cookie`. */
  mint(): string {
    const id = randomBytes(32).toString('base64url')
    this.hashes.add(sha256Hex(id))
    if (this.hashes.size > MAX_SESSIONS) {
      const oldest = this.hashes.values().next().value as string
      this.hashes.delete(oldest)
    }
    return id
  }

  /** Whether the request carries the cookie of a live session. */
  holds(c: Context): boolean {
    const id = getCookie(c, SESSION_COOKIE)
    return id !== undefined && id.length > 0 && this.hashes.has(sha256Hex(id))
  }

  /** The `Set-Cookie` value for a session id: never readable by scripts, never sent by another site. */
  static cookie(id: string): string {
    return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`
  }
}
