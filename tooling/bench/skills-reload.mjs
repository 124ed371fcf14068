// Skills hot-reload benchmark: a running `molecule-runtime` (echo adapter, child process) with one skill; each of
// N edits rewrites its SKILL.md description and times how long until the served card
// (`/.well-known/agent-card.json`) and the platform's copy of the card show it. Also the CPU the runtime spent
// per reload (from /proc, minus what the card polling costs it when nothing changes).
// Run from the repo root after a build:  pnpm --filter @molecule/bench bench:skills   (target: median ≤ 300 ms)
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { startDevPlatform } from '@molecule/dev-platform'

const EDITS = Number(process.env.SKILLS_EDITS ?? 20)
const POLL_MS = 5
const runtimeBin = join(
  dirname(dirname(fileURLToPath(import.meta.resolve('@molecule/runtime')))),
  'bin',
  'molecule-runtime.js',
)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const p90 = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.9) - 1]

/** utime + stime of a process, in milliseconds (Linux). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

const skillMd = (description) => `---\nname: bench\ndescription: ${description}\n---\nBenchmark skill.\n`

async function until(check, what, ms = 5000) {
  const end = Date.now() + ms
  for (;;) {
    if (await check()) return
    if (Date.now() > end) throw new Error(`${what} not seen within ${ms} ms`)
    await sleep(POLL_MS)
  }
}

const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
const root = await mkdtemp(join(tmpdir(), 'molecule-skills-bench-'))
let child
try {
  await mkdir(join(root, 'skills/bench'), { recursive: true })
  await writeFile(join(root, 'config.yaml'), 'name: skills-bench\nruntime: echo\nskills: [bench]\n')
  await writeFile(join(root, 'system-prompt.md'), 'You benchmark.\n')
  await writeFile(join(root, 'skills/bench/SKILL.md'), skillMd('edit -1'))
  const { id } = await platform.createWorkspace({ name: 'skills-bench' })
  child = spawn(process.execPath, [runtimeBin], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH,
      WORKSPACE_ID: id,
      WORKSPACE_CONFIG_PATH: root,
      CONFIGS_DIR: root,
      PLATFORM_URL: platform.url,
      HOSTNAME: '127.0.0.1',
      MOLECULE_A2A_HOST: '127.0.0.1',
      MOLECULE_A2A_PORT: '0',
      MOLECULE_WORKSPACE_DIR: join(root, 'workspace'),
      DELEGATION_RESULTS_FILE: join(root, 'delegations.jsonl'),
    },
  })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (c) => {
    stderr += c
  })
  await until(() => /"msg":"registered"/.test(stderr), 'the registered line', 15_000).catch((err) => {
    throw new Error(`${err.message}; stderr:\n${stderr.slice(-2000)}`)
  })
  const cardUrl = `${platform.url.replace(/:\d+$/, '')}:${/"bind":"[^"]*:(\d+)"/.exec(stderr)?.[1]}/.well-known/agent-card.json`
  const served = async () => (await (await fetch(cardUrl)).json()).skills?.[0]?.description
  const stored = () => platform.state.get(id)?.agent_card?.skills?.[0]?.description

  // What polling the card costs the runtime when nothing changes, per millisecond.
  const idleStart = cpuMs(child.pid)
  const idleT0 = performance.now()
  while (performance.now() - idleT0 < 1000) {
    await served()
    await sleep(POLL_MS)
  }
  const pollCpuPerMs = (cpuMs(child.pid) - idleStart) / (performance.now() - idleT0)

  const servedMs = []
  const platformMs = []
  const cpuPerReload = []
  for (let i = 0; i < EDITS; i++) {
    const text = `edit ${i}`
    const cpu0 = cpuMs(child.pid)
    const t0 = performance.now()
    await writeFile(join(root, 'skills/bench/SKILL.md'), skillMd(text))
    let servedAt
    let platformAt
    await until(async () => {
      if (servedAt === undefined && (await served()) === text) servedAt = performance.now() - t0
      if (platformAt === undefined && stored() === text) platformAt = performance.now() - t0
      return servedAt !== undefined && platformAt !== undefined
    }, `edit ${i}`)
    const elapsed = performance.now() - t0
    cpuPerReload.push(Math.max(0, cpuMs(child.pid) - cpu0 - pollCpuPerMs * elapsed))
    servedMs.push(servedAt)
    platformMs.push(platformAt)
    await sleep(100)
  }
  const fmt = (v) => `${v.toFixed(1)} ms`
  console.log(`edits:                               ${EDITS} (debounce 150 ms included)`)
  console.log(`write → served card     median/p90:  ${fmt(median(servedMs))} / ${fmt(p90(servedMs))}`)
  console.log(`write → platform card   median/p90:  ${fmt(median(platformMs))} / ${fmt(p90(platformMs))}`)
  console.log(`runtime CPU per reload  median:      ${fmt(median(cpuPerReload))} (clock ticks of 10 ms)`)
  const met = median(servedMs) <= 300 && median(platformMs) <= 300
  console.log(`target (median ≤ 300 ms, both):      ${met ? 'met' : 'NOT met'}`)
  if (!met) process.exitCode = 1
} finally {
  child?.kill('SIGTERM')
  await platform.close()
  await rm(root, { recursive: true, force: true })
}
