import { accessSync, constants, mkdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

const CONTAINER_CONFIGS_DIR = '/configs'

/** Where the state directory is looked for; tests point both at temp dirs so they never read the machine's. */
export interface BridgeConfigOptions {
  /** Default: the user's home directory (for `~/.molecule-workspace`). */
  home?: string
  /** The container's configs mount. Default `/configs`. */
  mountedConfigsDir?: string
}

/**
 * Picks the state directory: `explicit` (CONFIGS_DIR, resolved by `loadEnv`), else /configs when writable, else
 * ~/.molecule-workspace (0700).
 */
export function resolveConfigsDir(
  explicit: string | undefined,
  home: string = homedir(),
  mounted: string = CONTAINER_CONFIGS_DIR,
): string {
  if (explicit) {
    mkdirSync(explicit, { recursive: true, mode: 0o700 })
    return explicit
  }
  try {
    if (statSync(mounted).isDirectory()) {
      accessSync(mounted, constants.W_OK)
      return mounted
    }
  } catch {
    // not present or not writable: fall through to the per-user directory
  }
  const dir = join(home, '.molecule-workspace')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

/** Reads `MOLECULE_WORKSPACE_TOKEN_FILE`; every failure is specific and never falls back elsewhere. */
export function readTokenFile(path: string): { token?: string; problem?: string } {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { problem: `MOLECULE_WORKSPACE_TOKEN_FILE: ${path} does not exist` }
    if (code === 'EISDIR')
      return { problem: `MOLECULE_WORKSPACE_TOKEN_FILE: ${path} is a directory, not a file` }
    return {
      problem: `MOLECULE_WORKSPACE_TOKEN_FILE: cannot read ${path} (${code ?? 'error'}); check its permissions`,
    }
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return { problem: `MOLECULE_WORKSPACE_TOKEN_FILE: ${path} is not UTF-8 text` }
  }
  const token = text.trim()
  if (token === '')
    return { problem: `MOLECULE_WORKSPACE_TOKEN_FILE: ${path} is empty; paste the workspace token into it` }
  if (/\s/.test(token)) {
    return {
      problem: `MOLECULE_WORKSPACE_TOKEN_FILE: ${path} contains whitespace inside the token; it must hold one token`,
    }
  }
  return { token }
}

/**
 * The token an earlier run saved, only when it was saved for this workspace: the runtime records the owner beside
 * it (`.auth_token.workspace_id`), and another workspace's token must never be presented as this one's.
 */
export function savedToken(
  explicitDir: string | undefined,
  id: string,
  options: BridgeConfigOptions,
): string | undefined {
  let dir: string
  try {
    dir = resolveConfigsDir(explicitDir, options.home, options.mountedConfigsDir)
  } catch {
    return undefined
  }
  try {
    const owner = readFileSync(join(dir, '.auth_token.workspace_id'), 'utf8').trim()
    if (owner !== '' && owner !== id) return undefined
  } catch {
    // no owner file: a token provisioned for this container, or saved by an older runtime
  }
  return readTokenFile(join(dir, '.auth_token')).token
}
