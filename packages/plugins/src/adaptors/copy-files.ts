import { readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { filesUnder, withUnixLineEndings } from '../files.js'
import type { InstallContext } from '../protocol.js'

/** Script and markdown files are copied with `\n` line endings (a CRLF shebang script does not run). */
const TEXT_EXTENSIONS = new Set(['.sh', '.bash', '.py', '.js', '.mjs', '.cjs', '.ts', '.md', '.json', '.txt'])

async function sourceBytes(file: string): Promise<string | Uint8Array> {
  const bytes = await readFile(file)
  return TEXT_EXTENSIONS.has(extname(file).toLowerCase()) && !bytes.includes(0)
    ? withUnixLineEndings(bytes.toString('utf8'))
    : bytes
}

/** Shell scripts and files the author marked executable stay executable; the rest keep the default mode. */
async function modeFor(file: string, exact: boolean): Promise<number | undefined> {
  if (!exact && extname(file).toLowerCase() === '.sh') return 0o755
  const mode = await stat(file).then((s) => s.mode & 0o777)
  return mode & 0o111 ? 0o755 : undefined
}

export interface CopyOptions {
  /** Which files, by path relative to the source folder. Default: all. */
  keep?: (relative: string) => boolean
  /** Only the top level. Default: recursive. */
  topLevelOnly?: boolean
  /** Byte-for-byte (a plugin folder copied as a whole); default: scripts get `\n` line endings. */
  exact?: boolean
}

/**
 * Copies the regular files under `sourceDir` to `targetDir` of the configs dir through the context, so each is
 * recorded (and never written over a different file that is not the plugin's own).
 */
export async function copyTree(
  ctx: InstallContext,
  sourceDir: string,
  targetDir: string,
  options: CopyOptions = {},
): Promise<void> {
  for (const rel of await filesUnder(sourceDir)) {
    if (options.keep?.(rel) === false || (options.topLevelOnly && rel.includes('/'))) continue
    const file = join(sourceDir, rel)
    const bytes = options.exact ? await readFile(file) : await sourceBytes(file)
    await ctx.writeFile(`${targetDir}/${rel}`, bytes, await modeFor(file, options.exact === true))
  }
}
