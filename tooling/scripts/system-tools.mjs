#!/usr/bin/env node
// Runs before `pnpm test`: the tests drive real system tools (Python for skill scripts, bubblewrap for run_code's
// sandbox, Debian's Chromium for the dev console, PostgreSQL for the audit ledger, a C++ toolchain for its SQLite
// driver, openssl for a throwaway TLS certificate). Prints nothing when all are there. When some are missing it names
// them with the command that installs them; as root on Debian it installs them itself (one apt-get update), so the
// README's test command works on a fresh machine. MOLECULE_NO_APT=1 turns the installing off.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

const onPath = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
const postgresBin = () =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))

const TOOLS = [
  { name: 'python3', pkg: 'python3', present: () => existsSync('/usr/bin/python3') },
  { name: 'bubblewrap', pkg: 'bubblewrap', present: () => onPath('bwrap') },
  { name: 'prlimit', pkg: 'util-linux', present: () => onPath('prlimit') },
  {
    name: 'chromium',
    pkg: 'chromium',
    present: () => existsSync(process.env.MOLECULE_TEST_CHROMIUM ?? '/usr/bin/chromium'),
  },
  {
    name: 'PostgreSQL',
    pkg: 'postgresql',
    present: () => Boolean(process.env.MOLECULE_TEST_PG_URL) || postgresBin(),
  },
  { name: 'a C++ toolchain', pkg: 'g++ make', present: () => onPath('g++') && onPath('make') },
  { name: 'openssl', pkg: 'openssl', present: () => onPath('openssl') },
]

const missing = TOOLS.filter((tool) => !tool.present())
const packages = missing.flatMap((tool) => tool.pkg.split(' '))
const canInstall =
  missing.length > 0 &&
  process.getuid?.() === 0 &&
  onPath('apt-get') &&
  !/^(1|true|yes)$/i.test(process.env.MOLECULE_NO_APT ?? '')

if (canInstall) {
  console.log(
    `tests need ${missing.map((t) => t.name).join(', ')}: installing ${packages.join(' ')} from Debian`,
  )
  const apt = (args) =>
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  apt(['update', '-qq'])
  apt(['install', '-y', '-qq', '--no-install-recommends', ...packages])
} else if (missing.length > 0) {
  console.error(
    `tests need ${missing.map((t) => t.name).join(', ')}, which this machine lacks. Install them (Debian: sudo apt-get install -y ${packages.join(' ')}) and run the tests again.`,
  )
  process.exit(1)
}

// The ledger's SQLite driver is an optional dependency: without a toolchain at install time it was skipped.
const ledger = path.resolve(import.meta.dirname, '../../packages/audit-ledger/package.json')
try {
  createRequire(ledger)('better-sqlite3')
} catch {
  console.log(
    'the SQLite driver (better-sqlite3) is not built: reinstalling it now that a C++ toolchain is here',
  )
  // The pnpm running this script (npx pnpm@10 puts none on PATH), else the one on PATH.
  const pnpm = process.env.npm_execpath?.includes('pnpm')
    ? [process.execPath, process.env.npm_execpath]
    : ['pnpm']
  const [command, ...first] = pnpm
  execFileSync(command, [...first, 'install', '--force', '--frozen-lockfile'], {
    stdio: 'inherit',
    cwd: path.resolve(import.meta.dirname, '../..'),
  })
}
