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
async function modeFor(file: string): Promise<number | undefined> {
  if (extname(file).toLowerCase() === '.sh') return 0o755
  const mode = await stat(file).then((s) => s.mode & 0o777)
  return mode & 0o111 ? 0o755 : undefined
}

/**
 * Copies every regular file under `sourceDir` (recursively, or only the top level) to `targetDir` of the configs
 * dir through the context, so each is recorded; `keep` filters by path relative to `sourceDir`.
 */
export async function copyTree(
  ctx: InstallContext,
  sourceDir: string,
  targetDir: string,
  keep: (relative: string) => boolean = () => true,
  recursive = true,
): Promise<void> {
  for (const rel of await filesUnder(sourceDir)) {
    if (!keep(rel) || (!recursive && rel.includes('/'))) continue
    const file = join(sourceDir, rel)
    await ctx.writeFile(`${targetDir}/${rel}`, await sourceBytes(file), await modeFor(file))
  }
}
