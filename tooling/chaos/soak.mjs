// Soak: mixed A2A traffic at a runtime and inbox traffic through a bridge at a steady rate. RSS and open handles
// of both processes are sampled; their slopes (after a warm-up quarter) must be flat and the p99 latency stable.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDevPlatform } from '@molecule/dev-platform'
import { procStats, sleep, spawnBridge, spawnRuntime, tempDir } from './lib/processes.mjs'
import { percentile, row, slopePerMinute } from './lib/report.mjs'
import { a2aCall, drainInbox, sendToInbox } from './lib/traffic.mjs'
import { ECHO_CONFIG } from './platform-faults.mjs'

export async function soak({ durationMs, ratePerSecond, limits }) {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const ws = await platform.createWorkspace({ name: 'Soak runtime' })
  const dir = tempDir('chaos-soak-runtime-')
  writeFileSync(join(dir, 'config.yaml'), ECHO_CONFIG)
  writeFileSync(join(dir, 'system-prompt.md'), 'You echo.')
  const runtime = spawnRuntime({ workspaceId: ws.id, platformUrl: platform.url, dir })
  const url = `http://127.0.0.1:${await runtime.port()}/`
  const inboxWs = []
  for (let i = 0; i < 10; i++) {
    inboxWs.push(
      await platform.createWorkspace({
        name: `Soak ${i}`,
        external: true,
        mint_token: true,
        delivery_mode: 'poll',
      }),
    )
  }
  const bridge = spawnBridge({
    PLATFORM_URL: platform.url,
    MOLECULE_WORKSPACES: JSON.stringify(inboxWs.map((w) => ({ id: w.id, token: w.token }))),
    CONFIGS_DIR: tempDir('chaos-soak-bridge-'),
    MOLECULE_MCP_POLL_INTERVAL_MS: '500',
    MOLECULE_HEARTBEAT_INTERVAL_MS: '2000',
  })
  await bridge.initialize()

  const started = Date.now()
  const samples = { runtime: [], bridge: [] }
  const sampleEvery = Math.max(1000, Math.floor(durationMs / 120))
  const sampler = setInterval(() => {
    const t = Date.now() - started
    for (const [name, proc] of [
      ['runtime', runtime.child.pid],
      ['bridge', bridge.child.pid],
    ]) {
      const stats = procStats(proc)
      if (stats) samples[name].push({ t, ...stats })
    }
  }, sampleEvery)
  const latencies = []
  let errors = 0
  let sent = 0
  const expected = []
  const seen = new Map()
  const gapMs = 1000 / ratePerSecond
  while (Date.now() - started < durationMs) {
    const tick = Date.now()
    const n = sent++
    if (n % 4 === 0) {
      const text = `soak-msg-${n}`
      await sendToInbox(platform.url, inboxWs[n % inboxWs.length].id, text).then(
        () => expected.push(text),
        () => errors++,
      )
      if (n % 20 === 0) await drainInbox(bridge, expected, seen, 2_000)
    } else {
      await a2aCall(url, `soak ${n}`).then(
        (ms) => latencies.push({ t: tick - started, ms }),
        () => errors++,
      )
    }
    await sleep(Math.max(0, gapMs - (Date.now() - tick)))
  }
  clearInterval(sampler)
  const drained = await drainInbox(bridge, expected, seen, 60_000)
  await bridge.stop()
  await runtime.stop()
  await platform.close()

  const after = (points) => points.filter((p) => p.t >= durationMs / 4)
  const slope = (name, key) => slopePerMinute(after(samples[name]).map((p) => ({ t: p.t, y: p[key] })))
  const third = durationMs / 3
  const firstThird = latencies.filter((l) => l.t < third).map((l) => l.ms)
  const lastThird = latencies.filter((l) => l.t >= 2 * third).map((l) => l.ms)
  // The p99 of a third holding fewer than 1,000 latencies is its slowest one or two, so one GC pause or scheduling
  // hiccup on a shared machine would decide it: short (smoke) soaks compare the p90 instead.
  const pct = Math.min(firstThird.length, lastThird.length) >= 1000 ? 99 : 90
  const tailFirst = percentile(firstThird, pct)
  const tailLast = percentile(lastThird, pct)
  const name = `soak (${Math.round(durationMs / 60_000) || (durationMs / 1000).toFixed(0) + ' s'}${durationMs >= 60_000 ? ' min' : ''}, ${ratePerSecond}/s)`
  const rows = [
    row(
      name,
      'errors / inbox messages lost',
      `${errors} / ${drained.missing.length} of ${expected.length}`,
      '0 / 0',
      errors === 0 && drained.missing.length === 0,
    ),
  ]
  for (const proc of ['runtime', 'bridge']) {
    const rss = slope(proc, 'rss')
    const fds = slope(proc, 'fds')
    const last = samples[proc].at(-1)
    rows.push(
      row(
        name,
        `${proc} RSS slope (end ${last?.rss.toFixed(0)} MB)`,
        `${rss.toFixed(2)} MB/min`,
        `< ${limits.rssMbPerMin} MB/min`,
        rss < limits.rssMbPerMin,
      ),
      row(
        name,
        `${proc} open handles slope (end ${last?.fds})`,
        `${fds.toFixed(2)} /min`,
        `< ${limits.fdsPerMin} /min`,
        fds < limits.fdsPerMin,
      ),
    )
  }
  rows.push(
    row(
      name,
      `A2A p${pct} first third → last third`,
      `${tailFirst.toFixed(1)} → ${tailLast.toFixed(1)} ms`,
      'last <= 2x first + 5 ms',
      tailLast <= 2 * tailFirst + 5,
    ),
  )
  return rows
}
