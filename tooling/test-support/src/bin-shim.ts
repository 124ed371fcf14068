import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

/**
 * Runs a package's bin shim (`bin/<name>.js`, which imports `../dist/cli.js`) from a copy in a temp package, with
 * `dist/cli.js` as given, or missing as in a checkout that was not built yet.
 */
export function runBinShim(shim: string, cli?: string): SpawnSyncReturns<string> {
  const root = mkdtempSync(join(tmpdir(), 'bin-shim-'))
  const copy = join(root, 'bin', basename(shim))
  mkdirSync(join(root, 'bin'))
  copyFileSync(shim, copy)
  writeFileSync(join(root, 'package.json'), '{"type":"module"}')
  if (cli !== undefined) {
    mkdirSync(join(root, 'dist'))
    writeFileSync(join(root, 'dist', 'cli.js'), cli)
  }
  return spawnSync(process.execPath, [copy], { encoding: 'utf8', timeout: 10_000 })
}
