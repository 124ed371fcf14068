// One molecule-mcp process serving 100 workspaces against the dev platform with shortened intervals:
// RSS, heartbeat punctuality (every gap between heartbeats seen by the platform), and CPU while idle.
// Targets: RSS <= 150 MB, every heartbeat on time (gap <= 1.5x interval).
import { readFileSync } from 'node:fs'
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
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return Number(fields[11]) + Number(fields[12]) // utime + stime, in clock ticks (100/s)
}

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
