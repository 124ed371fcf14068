import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from '@molecule/core'
import { type TokenSource, TokenStore, writeFileAtomic } from '@molecule/platform-client'

/** Beside `.auth_token`: the id of the workspace the token was minted for. */
export const TOKEN_OWNER_FILE_NAME = '.auth_token.workspace_id'

export interface OwnedTokenStoreOptions {
  configsDir: string
  workspaceId: string
  log: Logger
}

/**
 * The workspace token of one workspace id. A state directory reused with another `WORKSPACE_ID` must not lend that
 * workspace's token to this one (the platform would answer 401, or worse, accept it for the wrong workspace): every
 * token this store writes records its owner beside it, and a token whose owner file names another id is not used.
 * A token file without an owner file (provisioned by the platform, or written by an older runtime) is used as is.
 */
export class OwnedTokenStore implements TokenSource {
  readonly tokens: TokenStore
  readonly ownerPath: string
  #owned: boolean | undefined

  constructor(private readonly options: OwnedTokenStoreOptions) {
    this.tokens = new TokenStore(options.configsDir)
    this.ownerPath = join(options.configsDir, TOKEN_OWNER_FILE_NAME)
  }

  get path(): string {
    return this.tokens.path
  }

  read(): string | undefined {
    return this.owned() ? this.tokens.read() : undefined
  }

  reload(): string | undefined {
    this.#owned = undefined
    return this.owned() ? this.tokens.reload() : undefined
  }

  async write(token: string): Promise<boolean> {
    const changed = await this.tokens.write(token)
    if (this.readOwner() !== this.options.workspaceId) {
      await writeFileAtomic(this.ownerPath, this.options.workspaceId)
    }
    this.#owned = true
    return changed
  }

  private owned(): boolean {
    if (this.#owned !== undefined) return this.#owned
    const owner = this.readOwner()
    const { workspaceId, log } = this.options
    this.#owned = owner === undefined || owner === workspaceId
    if (!this.#owned && this.tokens.reload() !== undefined) {
      log.warn(
        { path: this.tokens.path, tokenWorkspaceId: owner },
        'the token file belongs to another workspace id, so it is not used; registering for a new token',
      )
    }
    return this.#owned
  }

  private readOwner(): string | undefined {
    try {
      return readFileSync(this.ownerPath, 'utf8').trim() || undefined
    } catch {
      return undefined
    }
  }
}
