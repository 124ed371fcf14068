// The shipped processes the product benchmarks measure: the dev platform in a process of its own (counting the
// heartbeats it receives), and `molecule-runtime` spawned from its bin, registered with that platform. Server CPU
// is read from /proc, so every target is measured the same way whatever it runs.
import { fork, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The package exports only its API; the bin sits next to dist/ (…/apps/runtime/dist/index.js).
export const runtimeBin = join(
  dirname(dirname(fileURLToPath(import.meta.resolve('@molecule/runtime')))),
  'bin',
  'molecule-runtime.js',
)

/** Read once per bench process: every spawn uses them. */
let imageFlags

/**
 * The node flags the runtime's container image starts it with (its Dockerfile's ENTRYPOINT, the arguments between
 * `node` and the bin): the benchmarks run the runtime as the image does.
 */
export function imageNodeFlags() {
  imageFlags ??= readImageNodeFlags()
  return [...imageFlags]
}

function readImageNodeFlags() {
  const dockerfile = readFileSync(join(dirname(dirname(runtimeBin)), 'Dockerfile'), 'utf8')
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)
  if (!entrypoint) throw new Error('apps/runtime/Dockerfile has no ENTRYPOINT ["…"] line')
  const args = JSON.parse(entrypoint[1])
  const node = args.indexOf('node')
  const bin = args.findIndex((a) => a.endsWith('molecule-runtime.js'))
  if (node < 0 || bin < node)
    throw new Error(`unexpected ENTRYPOINT in apps/runtime/Dockerfile: ${entrypoint[1]}`)
  return args.slice(node + 1, bin)
}

const CLOCK_TICK_US = 10_000 // USER_HZ is 100 on Linux

/** User + system CPU time of a process so far, in µs, from /proc/<pid>/stat. */
export function processCpuUs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // Fields after the command name (which may contain spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_US
}

/** Resident set size of a process in bytes, from /proc/<pid>/status. */
export function processRssBytes(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return match ? Number(match[1]) * 1024 : Number.NaN
}

/**
 * Child-process entry (`--platform`): a dev platform whose request log counts heartbeats. Answers `{ heartbeats }`
 * (timestamps in ms since its start, per workspace id) over IPC when sent 'heartbeats'.
 */
export async function servePlatform() {
  const { startDevPlatform } = await import('@molecule/dev-platform')
  const started = performance.now()
  const heartbeats = []
  const noop = () => {}
  const logger = {
    debug(obj) {
      if (obj && obj.path === '/registry/heartbeat') heartbeats.push(performance.now() - started)
    },
    info: noop,
    warn: noop,
    error: noop,
    child() {
      return logger
    },
  }
  const platform = await startDevPlatform({ port: 0, logger })
  process.on('message', (msg) => {
    if (msg === 'heartbeats')
      process.send?.({ heartbeats: { now: performance.now() - started, at: heartbeats } })
  })
  process.send?.({ ready: platform.url })
}

/** Forks `entry --platform`; resolves with { url, pid, heartbeatsSince(ms), stop() }. */
export function spawnPlatform(entry) {
  const child = fork(entry, ['--platform'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const ask = (key) =>
    new Promise((resolve, reject) => {
      // Both listeners go once answered: the bench asks for heartbeats every round.
      const onExit = (code) => {
        child.off('message', onMessage)
        reject(new Error(`dev platform exited (${code})`))
      }
      const onMessage = (msg) => {
        if (msg && key in msg) {
          child.off('message', onMessage)
          child.off('exit', onExit)
          resolve(msg[key])
        }
      }
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  return ask('ready').then((url) => ({
    url,
    pid: child.pid,
    /** Heartbeat arrival times (ms, the platform's clock) and the platform's clock now. */
    async heartbeats() {
      child.send('heartbeats')
      return ask('heartbeats')
    },
    stop() {
      child.kill()
    },
  }))
}

/**
 * Spawns `molecule-runtime` (default: the echo adapter), registered with the platform at `platformUrl`; resolves once
 * it logged `registered`, with { port, pid, stop() }. `a2a` is extra YAML of the config's `a2a` block; `runtime` the
 * config's `runtime`; `bin` another build's bin (A/B work).
 */
export async function spawnRuntime(
  platformUrl,
  { a2a = '', env = {}, runtime = 'echo', bin = runtimeBin } = {},
) {
  const root = await mkdtemp(join(tmpdir(), 'molecule-product-bench-'))
  await mkdir(join(root, 'workspace'), { recursive: true })
  await writeFile(
    join(root, 'config.yaml'),
    `name: bench-${runtime}\nruntime: ${runtime}\na2a:\n  port: 8000\n${a2a}`,
  )
  // The image's flags, then BENCH_NODE_ARGS: more node flags for the runtime, e.g. "--cpu-prof
  // --cpu-prof-dir=/tmp/prof" to profile it under the bench's load (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = [...imageNodeFlags(), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]
  const child = spawn(process.execPath, [...nodeArgs, bin], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      WORKSPACE_ID: crypto.randomUUID(),
      WORKSPACE_CONFIG_PATH: root,
      CONFIGS_DIR: root,
      PLATFORM_URL: platformUrl,
      HOSTNAME: '127.0.0.1',
      MOLECULE_A2A_HOST: '127.0.0.1',
      MOLECULE_A2A_PORT: '0',
      MOLECULE_WORKSPACE_DIR: join(root, 'workspace'),
      ...env,
    },
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  const port = await new Promise((resolve, reject) => {
    let found
    const timer = setTimeout(
      () => reject(new Error(`runtime did not register in 15 s:\n${stderr.slice(-2000)}`)),
      15_000,
    )
    child.stderr.on('data', (chunk) => {
      stderr = (stderr + chunk).slice(-20_000)
      found ??= /"msg":"A2A server listening"/.test(stderr)
        ? /"url":"http:\/\/[^:]+:(\d+)/.exec(stderr)?.[1]
        : undefined
      if (found && /"msg":"registered"/.test(stderr)) {
        clearTimeout(timer)
        resolve(Number(found))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`runtime exited (${code}) before registering:\n${stderr.slice(-2000)}`))
    })
  })
  return {
    port,
    pid: child.pid,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()))
      await rm(root, { recursive: true, force: true })
    },
  }
}
