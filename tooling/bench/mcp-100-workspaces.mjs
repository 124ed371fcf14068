// One molecule-mcp process serving 100 workspaces against the dev platform:
//   1. with shortened intervals (HEARTBEAT_MS, default 1000): RSS and heartbeat punctuality (every gap between
//      heartbeats the platform saw);
//   2. at the default intervals (heartbeat 20 s, inbox poll 5 s), idle: the bridge's CPU next to a bare node:http client
//      making the same requests (mcp-bare-client.mjs), side by side over IDLE_WINDOWS windows of IDLE_MS after
//      IDLE_SETTLE_MS, and the ratio.
// Targets: RSS <= 150 MB, every heartbeat on time (gap <= 1.5x interval), idle CPU <= 1.2x the bare client.
import { fork } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startDevPlatform } from '@molecule/dev-platform'
import { BRIDGE, requireBundle, spawnServer, tempDir } from './mcp-common.mjs'

requireBundle()
const count = Number(process.env.WORKSPACES ?? 100)
const intervalMs = Number(process.env.HEARTBEAT_MS ?? 1000)
const measureMs = Number(process.env.MEASURE_MS ?? 8000)
const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
const entries = []
for (let i = 0; i < count; i++) {
  const ws = await platform.createWorkspace({
    name: `Bench ${i}`,
    external: true,
    mint_token: true,
    delivery_mode: 'poll',
  })
  entries.push({ id: ws.id, token: ws.token })
}
const server = spawnServer(BRIDGE, {
  PLATFORM_URL: platform.url,
  MOLECULE_WORKSPACES: JSON.stringify(entries),
  CONFIGS_DIR: tempDir('mcp-bench-100-'),
  MOLECULE_HEARTBEAT_INTERVAL_MS: String(intervalMs),
  MOLECULE_MCP_POLL_INTERVAL_MS: String(Number(process.env.POLL_MS ?? 5000)),
})
await server.initialize()
const pid = server.child.pid

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
/** utime + stime of a process, in clock ticks (100/s). */
const cpuTicksOf = (p) => {
  const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')
  return Number(fields[11]) + Number(fields[12])
}
const cpuTicks = () => cpuTicksOf(pid)

// Warm up: wait until every workspace has beaten at least once.
const deadline = Date.now() + 15_000
while (entries.some((e) => !platform.state.get(e.id)?.last_heartbeat_at) && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 50))
}
const last = new Map(entries.map((e) => [e.id, platform.state.get(e.id)?.last_heartbeat_at ?? 0]))
const gaps = []
const ticks0 = cpuTicks()
const t0 = Date.now()
let peakRss = rssMb()
while (Date.now() - t0 < measureMs) {
  await new Promise((r) => setTimeout(r, 20))
  for (const e of entries) {
    const at = platform.state.get(e.id)?.last_heartbeat_at ?? 0
    if (at !== last.get(e.id)) {
      gaps.push(at - last.get(e.id))
      last.set(e.id, at)
    }
  }
  peakRss = Math.max(peakRss, rssMb())
}
const cpuPct = ((cpuTicks() - ticks0) / 100 / ((Date.now() - t0) / 1000)) * 100
// A workspace that never beat again during the window is a missed heartbeat too.
const silent = entries.filter((e) => Date.now() - last.get(e.id) > intervalMs * 1.5).length
await server.stop()
await platform.close()

const late = gaps.filter((g) => g > intervalMs * 1.5).length
gaps.sort((a, b) => a - b)
console.log(
  `molecule-mcp serving ${count} workspaces (heartbeat every ${intervalMs} ms, ${measureMs} ms window):`,
)
console.log(
  `  peak RSS          ${peakRss.toFixed(1)} MB (target <= 150) ${peakRss <= 150 ? 'OK' : 'MISSED'}`,
)
console.log(
  `  heartbeats seen   ${gaps.length}, gap median ${gaps[Math.floor(gaps.length / 2)]} ms, max ${gaps.at(-1)} ms`,
)
console.log(
  `  late (> 1.5x)     ${late + silent} ${late + silent === 0 ? 'OK (every heartbeat on time)' : 'MISSED'}`,
)
console.log(
  `  CPU               ${cpuPct.toFixed(1)} % of one core (includes ${count} heartbeats/interval and inbox polls)`,
)

// 2. Idle CPU at the default intervals: the bare client and the bridge run side by side, each against a dev platform
// of its own, and are measured over the same windows, so whatever else the machine does weighs on both alike. Both
// get IDLE_SETTLE_MS first: their first minute is start-up and JIT warm-up, not what idling costs.
const idleMs = Number(process.env.IDLE_MS ?? 30_000)
const idleWindows = Number(process.env.IDLE_WINDOWS ?? 4)
const idleSettleMs = Number(process.env.IDLE_SETTLE_MS ?? 60_000)
const IDLE_HEARTBEAT_MS = 20_000
const IDLE_POLL_MS = 5_000
/** A dev platform with `count` poll-mode workspaces. */
async function idleFleet(label) {
  const fleetPlatform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const fleet = []
  for (let i = 0; i < count; i++) {
    const ws = await fleetPlatform.createWorkspace({
      name: `${label} ${i}`,
      external: true,
      mint_token: true,
      delivery_mode: 'poll',
    })
    fleet.push({ id: ws.id, token: ws.token })
  }
  return { platform: fleetPlatform, entries: fleet }
}
/** CPU time of every thread of a process so far, in ms (the scheduler's ns counters, not 10 ms ticks). */
const cpuMsOf = (p) => {
  let ns = 0
  for (const task of readdirSync(`/proc/${p}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${p}/task/${task}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return ns / 1e6
}
const bareFleet = await idleFleet('Bare')
const bridgeFleet = await idleFleet('Idle')
const bare = fork(fileURLToPath(new URL('./mcp-bare-client.mjs', import.meta.url)), {
  env: {
    PLATFORM_URL: bareFleet.platform.url,
    BARE_WORKSPACES: JSON.stringify(bareFleet.entries),
    HEARTBEAT_MS: String(IDLE_HEARTBEAT_MS),
    POLL_MS: String(IDLE_POLL_MS),
  },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
})
await new Promise((r) => bare.once('message', r))
const idleBridge = spawnServer(BRIDGE, {
  PLATFORM_URL: bridgeFleet.platform.url,
  MOLECULE_WORKSPACES: JSON.stringify(bridgeFleet.entries),
  CONFIGS_DIR: tempDir('mcp-bench-idle-'),
  MOLECULE_HEARTBEAT_INTERVAL_MS: String(IDLE_HEARTBEAT_MS),
  MOLECULE_MCP_POLL_INTERVAL_MS: String(IDLE_POLL_MS),
})
await idleBridge.initialize()
await new Promise((r) => setTimeout(r, idleSettleMs))
let bareTotal = 0
let bridgeTotal = 0
const windowRatios = []
for (let w = 0; w < idleWindows; w++) {
  const bare0 = cpuMsOf(bare.pid)
  const bridge0 = cpuMsOf(idleBridge.child.pid)
  await new Promise((r) => setTimeout(r, idleMs))
  const bareMs = cpuMsOf(bare.pid) - bare0
  const bridgeMs = cpuMsOf(idleBridge.child.pid) - bridge0
  bareTotal += bareMs
  bridgeTotal += bridgeMs
  windowRatios.push((bridgeMs / bareMs).toFixed(2))
}
bare.kill()
await idleBridge.stop()
await bareFleet.platform.close()
await bridgeFleet.platform.close()
const idleSeconds = (idleMs * idleWindows) / 1000
const pct = (ms) => ((ms / 1000 / idleSeconds) * 100).toFixed(2)
const idleRatio = bridgeTotal / bareTotal
console.log(
  `  idle CPU (heartbeat ${IDLE_HEARTBEAT_MS / 1000} s, poll ${IDLE_POLL_MS / 1000} s; after ${idleSettleMs / 1000} s, ${idleWindows} windows of ${idleMs / 1000} s side by side): bridge ${pct(bridgeTotal)} %, bare node:http client ${pct(bareTotal)} % of one core -> ${idleRatio.toFixed(2)}x (windows ${windowRatios.join(' ')}; target <= 1.2x) ${idleRatio <= 1.2 ? 'OK' : 'MISSED'}`,
)
