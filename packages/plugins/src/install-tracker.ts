import { chmod, mkdir, stat, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, normalize, sep } from 'node:path'
import { fileHash, sha256 } from './files.js'
import type { Claim, InstallRecord, MemoryChunk } from './install-record.js'
import { PluginError } from './plugin-error.js'

/** Claims of the other installed plugins, by key: `false` when any of them put the thing there. */
export function claimsOf(records: readonly InstallRecord[]): Map<string, boolean> {
  const out = new Map<string, boolean>()
  for (const record of records)
    for (const claim of record.claims) out.set(claim.key, (out.get(claim.key) ?? true) && claim.preexisting)
  return out
}

/**
 * Everything one install writes goes through here, so the install record lists it: files and folders created,
 * settings entries and memory chunks added, and whether each was the user's before (then uninstall keeps it).
 */
export class InstallTracker {
  readonly claims = new Map<string, Claim>()
  readonly filesWritten: string[] = []
  readonly memory: MemoryChunk[] = []
  readonly warnings: string[] = []
  private readonly previous: Map<string, Claim>

  constructor(
    readonly configsDir: string,
    readonly plugin: string,
    previous: InstallRecord | undefined,
    private readonly others: ReadonlyMap<string, boolean>,
  ) {
    this.previous = new Map((previous?.claims ?? []).map((c) => [c.key, c]))
  }

  /** This plugin's claim from its previous install, if any (a reinstall keeps what it knew then). */
  previousClaim(key: string): Claim | undefined {
    return this.previous.get(key)
  }

  /**
   * Records that this install relies on `key`. Something already there is the user's unless this plugin or another
   * one claimed it before: then it belongs to the plugins and goes with the last of them.
   */
  claim(key: string, existedBefore: boolean, digest?: string): Claim {
    const known = this.claims.get(key)
    if (known) {
      if (digest !== undefined) known.sha256 = digest
      return known
    }
    const preexisting =
      this.previous.get(key)?.preexisting ?? (existedBefore && (this.others.get(key) ?? true))
    const claim: Claim = { key, preexisting, ...(digest !== undefined ? { sha256: digest } : {}) }
    this.claims.set(key, claim)
    return claim
  }

  /** Notes a configs-relative file this install created or changed (the install's output lists them). */
  wrote(path: string): void {
    if (!this.filesWritten.includes(path)) this.filesWritten.push(path)
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message)
  }

  /** The absolute path of a configs-relative path; refuses paths that leave the configs dir. */
  resolve(rel: string): string {
    const clean = normalize(rel)
    if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`))
      throw new PluginError('PLUGIN_PATH_OUTSIDE', `Plugin "${this.plugin}" tried to write ${rel}.`, {
        path: rel,
        fix: 'Plugins may write only inside the configs directory.',
      })
    return join(this.configsDir, clean)
  }

  /** Creates a configs-relative folder and its missing parents, claiming each. */
  async ensureDir(rel: string): Promise<void> {
    const parts = normalize(rel).split(sep).filter(Boolean)
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/')
      const abs = this.resolve(path)
      const existed = await stat(abs).then(
        (s) => s.isDirectory(),
        () => false,
      )
      if (!existed) await mkdir(abs)
      this.claim(`dir:${path}`, existed)
    }
  }

  /**
   * Writes a configs-relative file. An identical file is claimed as it is; a different one is kept (with a warning)
   * unless this plugin wrote it and nobody changed it since (an updated plugin replaces its own file).
   */
  async writeFile(rel: string, data: string | Uint8Array, mode?: number): Promise<boolean> {
    const path = normalize(rel).split(sep).join('/')
    const abs = this.resolve(path)
    const digest = sha256(data)
    const current = await fileHash(abs)
    const key = `file:${path}`
    const mine = this.previous.get(key)
    if (
      current !== undefined &&
      current !== digest &&
      !(mine && !mine.preexisting && mine.sha256 === current)
    ) {
      this.warn(`kept ${path}: a different file is already there`)
      return false
    }
    await this.ensureDir(dirname(path) === '.' ? '' : dirname(path))
    if (current !== digest) {
      await writeFile(abs, data)
      if (mode !== undefined) await chmod(abs, mode)
      this.wrote(path)
    }
    this.claim(key, current !== undefined, digest)
    return true
  }
}
