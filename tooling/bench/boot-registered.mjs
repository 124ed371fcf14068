// Boot benchmark: process start of `molecule-runtime` (echo adapter) to its `registered` log line, against the
// floor of starting `node -e ''`. Median of N runs each, printed side by side with the ratio.
// Run from the repo root after a build:  pnpm --filter @molecule/bench boot   (target: ≤ 2.5× the bare start)
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startDevPlatform } from '@molecule/dev-platform'
import { imageNodeFlags, runtimeBin } from './product-processes.mjs'

const RUNS = Number(process.env.BOOT_RUNS ?? 10)
// Started as the container image starts it (its node flags included).
const runtimeArgs = [...imageNodeFlags(), runtimeBin]

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function timeFloor() {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', () => resolve(performance.now() - started))
  })
}

function timeBoot(env) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, runtimeArgs, { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let buffered = ''
    let elapsed
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`no "registered" line within 10 s; stderr:\n${buffered.slice(-2000)}`))
    }, 10_000)
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk) => {
      buffered += chunk
      if (elapsed === undefined && /"msg":"registered"/.test(buffered)) {
        elapsed = performance.now() - started
        child.kill('SIGTERM')
      }
    })
    child.on('error', reject)
    child.on('exit', () => {
      clearTimeout(timer)
      if (elapsed !== undefined) resolve(elapsed)
      else reject(new Error(`runtime exited before registering; stderr:\n${buffered.slice(-2000)}`))
    })
  })
}

const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
const root = await mkdtemp(join(tmpdir(), 'molecule-boot-bench-'))
try {
  // Interleaved, floor then runtime in each round: the machine's moods hit both alike.
  const floor = []
  const boot = []
  for (let i = 0; i < RUNS; i++) {
    floor.push(await timeFloor())
    const configs = join(root, `ws-${i}`)
    await mkdir(configs, { recursive: true })
    await writeFile(join(configs, 'config.yaml'), `name: bench-${i}\nruntime: echo\na2a:\n  port: 8000\n`)
    const { id } = await platform.createWorkspace({ name: `bench-${i}` })
    boot.push(
      await timeBoot({
        PATH: process.env.PATH,
        WORKSPACE_ID: id,
        WORKSPACE_CONFIG_PATH: configs,
        CONFIGS_DIR: configs,
        PLATFORM_URL: platform.url,
        HOSTNAME: '127.0.0.1',
        MOLECULE_A2A_HOST: '127.0.0.1',
        MOLECULE_A2A_PORT: '0',
        MOLECULE_WORKSPACE_DIR: join(configs, 'workspace'),
        DELEGATION_RESULTS_FILE: join(configs, 'delegations.jsonl'),
      }),
    )
  }
  const floorMs = median(floor)
  const bootMs = median(boot)
  console.log(`runs per target:                ${RUNS}`)
  console.log(`floor  (node -e '') median:     ${floorMs.toFixed(1)} ms`)
  console.log(
    `molecule-runtime → registered:  ${bootMs.toFixed(1)} ms  (min ${Math.min(...boot).toFixed(1)}, max ${Math.max(...boot).toFixed(1)})`,
  )
  const ratio = bootMs / floorMs
  console.log(
    `ratio runtime / floor:          ${ratio.toFixed(2)}x   (target <= 2.5x: ${ratio <= 2.5 ? 'met' : 'NOT met'})`,
  )
  console.log(`absolute (≤ 300 ms):            ${bootMs <= 300 ? 'met' : 'NOT met'}`)
} finally {
  await platform.close()
  await rm(root, { recursive: true, force: true })
}
