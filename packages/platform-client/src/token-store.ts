import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from './atomic-file.js'
import { PlatformClientError } from './errors.js'
import { type Logger, silentLogger } from './logger.js'

/** Where a client gets its bearer token from; {@link TokenStore} and plain strings both fit. */
export interface TokenSource {
  /** The current token (cached), or undefined when none is known yet. */
  read(): string | undefined
  /** Drops any cache and reads again (after a 401: the file may have been rotated). */
  reload(): string | undefined
  /** Adopts a new token (e.g. minted by the first register). Resolves once it is durable. */
  write(token: string): Promise<boolean>
}

export const TOKEN_FILE_NAME = '.auth_token'

/**
 * The workspace bearer token in `<configsDir>/.auth_token`: mode 0600, no trailing newline, replaced atomically
 * (temp file in the same directory + rename) so a reader never sees a torn or half-written token.
 */
export class TokenStore implements TokenSource {
  readonly path: string
  private readonly logger: Logger
  private cached: string | undefined
  private loaded = false

  constructor(configsDir: string, options: { logger?: Logger } = {}) {
    this.path = join(configsDir, TOKEN_FILE_NAME)
    this.logger = options.logger ?? silentLogger
  }

  read(): string | undefined {
    if (!this.loaded) {
      this.cached = this.readFromDisk()
      this.loaded = true
    }
    return this.cached
  }

  reload(): string | undefined {
    this.loaded = false
    return this.read()
  }

  /**
   * Stores `token` (trimmed). Returns false when the file already holds exactly this token (no write, mtime kept).
   * The in-process value changes immediately, before the file is replaced.
   */
  async write(token: string): Promise<boolean> {
    const value = token.trim()
    if (!value || /\s/.test(value)) {
      throw new PlatformClientError(
        'TOKEN_INVALID',
        `Refusing to store an empty or multi-line token in ${this.path}; pass the token exactly as the platform returned it.`,
      )
    }
    this.cached = value
    this.loaded = true
    const onDisk = await readFile(this.path, 'utf8').then(
      (text) => text.trim(),
      () => undefined,
    )
    if (onDisk === value) return false
    try {
      await writeFileAtomic(this.path, value)
    } catch (err) {
      throw new PlatformClientError(
        'TOKEN_WRITE_FAILED',
        `Could not write the auth token to ${this.path}: ${(err as Error).message}. Make the directory writable or set CONFIGS_DIR.`,
        { cause: err },
      )
    }
    return true
  }

  private readFromDisk(): string | undefined {
    try {
      const text = readFileSync(this.path, 'utf8').trim()
      return text || undefined
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.logger.warn({ path: this.path, err: (err as Error).message }, 'cannot read auth token file')
      }
      return undefined
    }
  }
}

/** In-memory token holder used when the client was given a plain string (or nothing). */
export class MemoryTokenSource implements TokenSource {
  constructor(private token: string | undefined) {}
  read(): string | undefined {
    return this.token
  }
  reload(): string | undefined {
    return this.token
  }
  async write(token: string): Promise<boolean> {
    const value = token.trim()
    const changed = value !== this.token
    this.token = value || undefined
    return changed
  }
}
