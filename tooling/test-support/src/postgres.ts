import { execFileSync } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { freePort } from './ports.js'

/** A PostgreSQL database for one test file. */
export interface TestPostgres {
  /** `postgresql://…` of an empty database the tests may use freely. */
  url: string
  stop(): Promise<void>
}

export const PG_URL_VARIABLE = 'MOLECULE_TEST_PG_URL'

function findPgBin(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter)
  const root = '/usr/lib/postgresql'
  if (existsSync(root)) {
    for (const version of readdirSync(root).sort().reverse()) dirs.push(join(root, version, 'bin'))
  }
  return dirs.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
}

function uidOf(user: string): number | undefined {
  try {
    return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
  } catch {
    return undefined
  }
}

/**
 * The PostgreSQL the tests use: `MOLECULE_TEST_PG_URL` when set (CI sets it), else a throwaway cluster started with
 * `initdb`/`pg_ctl` in a temp dir on a free loopback port (as the `postgres` user when running as root). Throws a
 * message naming what is missing when neither is possible: PostgreSQL tests never pass without a server.
 */
export async function testPostgres(): Promise<TestPostgres> {
  const given = process.env[PG_URL_VARIABLE]?.trim()
  if (given) return { url: given, stop: async () => {} }
  const bin = findPgBin()
  if (!bin) {
    throw new Error(
      `PostgreSQL tests need a server: set ${PG_URL_VARIABLE} to the URL of a throwaway database, or install PostgreSQL (initdb and pg_ctl) so the tests start their own (Debian: apt-get install postgresql).`,
    )
  }
  const asRoot = process.getuid?.() === 0
  const pgUid = asRoot ? uidOf('postgres') : undefined
  if (asRoot && pgUid === undefined) {
    throw new Error(
      `PostgreSQL tests run as root and there is no 'postgres' user to run initdb as: set ${PG_URL_VARIABLE}, or create that user.`,
    )
  }
  const dir = mkdtempSync(join(tmpdir(), 'molecule-pg-'))
  if (asRoot && pgUid !== undefined) {
    chownSync(dir, pgUid, Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()))
    chmodSync(dir, 0o700)
  }
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool)
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args
    execFileSync(command, argv, { stdio: 'pipe', timeout: 60_000 })
  }
  const data = join(dir, 'data')
  const port = await freePort()
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'molecule', '--no-sync', '-E', 'UTF8'])
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`
  run('pg_ctl', ['-D', data, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
  return {
    url: `postgresql://molecule@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
