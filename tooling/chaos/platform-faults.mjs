// Platform faults against a runtime and a many-workspace bridge: the platform killed and restarted, answering
// 500/503/429 with Retry-After, stalling responses, dropping connections mid-body. Counts crashes, lost inbox
// messages, heartbeat gaps and the time to recover once the platform is healthy again.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDevPlatform } from '@molecule/dev-platform'
import { startFaultProxy } from './lib/fault-proxy.mjs'
import { sleep, spawnBridge, spawnRuntime, tempDir } from './lib/processes.mjs'
import { hasStackTrace, leakedSecrets, row } from './lib/report.mjs'
import { a2aCall, drainInbox, sendToInbox } from './lib/traffic.mjs'

const MODES = ['down', '500', '503', '429', 'stall', 'drop', 'pass']
export const ECHO_CONFIG = 'name: Chaos\nruntime: echo\na2a:\n  port: 8000\n  push_notifications: false\n'

export async function platformFaults({ workspaces, durationMs, stallMs, messages }) {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const proxy = await startFaultProxy(platform.url, { stallMs })
  const entries = []
  for (let i = 0; i < workspaces; i++) {
    const ws = await platform.createWorkspace({
      name: `Chaos ${i}`,
      external: true,
      mint_token: true,
      delivery_mode: 'poll',
    })
    entries.push({ id: ws.id, token: ws.token })
  }
  const secrets = entries.map((e) => e.token)
  const bridge = spawnBridge({
    PLATFORM_URL: proxy.url,
    MOLECULE_WORKSPACES: JSON.stringify(entries),
    CONFIGS_DIR: tempDir('chaos-bridge-'),
    MOLECULE_HEARTBEAT_INTERVAL_MS: '2000',
    MOLECULE_MCP_POLL_INTERVAL_MS: '1000',
  })
  await bridge.initialize()
  const rtWs = await platform.createWorkspace({ name: 'Chaos runtime' })
  const dir = tempDir('chaos-runtime-')
  writeFileSync(join(dir, 'config.yaml'), ECHO_CONFIG)
  writeFileSync(join(dir, 'system-prompt.md'), 'You echo.')
  const runtime = spawnRuntime({ workspaceId: rtWs.id, platformUrl: proxy.url, dir })
  const a2aUrl = `http://127.0.0.1:${await runtime.port()}`
  const watched = [...entries.map((e) => e.id), rtWs.id]
  const beatDeadline = Date.now() + 60_000
  while (watched.some((id) => !platform.state.get(id)?.last_heartbeat_at) && Date.now() < beatDeadline)
    await sleep(100)

  // Heartbeat gaps as the platform saw them, sampled every 250 ms.
  const lastBeat = new Map(watched.map((id) => [id, platform.state.get(id)?.last_heartbeat_at ?? Date.now()]))
  let maxGapMs = 0
  const sampler = setInterval(() => {
    for (const id of watched) {
      const at = platform.state.get(id)?.last_heartbeat_at ?? 0
      const previous = lastBeat.get(id) ?? at
      if (at !== previous) {
        maxGapMs = Math.max(maxGapMs, at - previous)
        lastBeat.set(id, at)
      }
    }
  }, 250)

  const expected = []
  const a2a = { ok: 0, failed: 0, status500: 0 }
  const slotMs = Math.max(1000, Math.floor(durationMs / MODES.length))
  const started = Date.now()
  let sent = 0
  const sendEvery = Math.max(20, Math.floor(durationMs / messages))
  const traffic = (async () => {
    while (Date.now() - started < durationMs) {
      const text = `fault-msg-${sent++}`
      const target = entries[sent % entries.length]
      await sendToInbox(platform.url, target.id, text).then(
        () => expected.push(text),
        () => {},
      )
      await a2aCall(a2aUrl, `ping ${sent}`).then(
        () => a2a.ok++,
        (err) => {
          a2a.failed++
          if (/500/.test(String(err))) a2a.status500++
        },
      )
      await sleep(sendEvery)
    }
  })()
  for (let i = 0; Date.now() - started < durationMs; i++) {
    await proxy.set(MODES[i % MODES.length])
    await sleep(Math.min(slotMs, durationMs - (Date.now() - started)))
  }
  await traffic
  await proxy.set('pass')
  const healthyAt = Date.now()
  const recoverDeadline = healthyAt + 180_000
  while (
    watched.some((id) => (platform.state.get(id)?.last_heartbeat_at ?? 0) <= healthyAt) &&
    Date.now() < recoverDeadline
  ) {
    await sleep(100)
  }
  const recoverMs = Date.now() - healthyAt
  clearInterval(sampler)
  const drained = await drainInbox(bridge, expected, new Map(), 120_000)
  const duplicates = [...drained.seen.values()].filter((n) => n > 1).length
  const crashes = (bridge.alive() ? 0 : 1) + (runtime.alive() ? 0 : 1)
  await bridge.stop()
  await runtime.stop()
  await proxy.close()
  await platform.close()
  const output = bridge.stderr.text + runtime.stderr.text + runtime.stdout.text
  if (existsSync(join(dir, '.auth_token')))
    secrets.push(readFileSync(join(dir, '.auth_token'), 'utf8').trim())
  const name = `platform faults (${Math.round(durationMs / 1000)} s, ${workspaces}+1 workspaces)`
  return [
    row(name, 'crashes', crashes, '0', crashes === 0),
    row(
      name,
      'inbox messages lost',
      `${drained.missing.length} of ${expected.length}`,
      '0',
      drained.missing.length === 0,
    ),
    row(name, 'inbox messages redelivered', duplicates, 'counted', true),
    row(
      name,
      'A2A answered while the platform failed',
      `${a2a.ok} of ${a2a.ok + a2a.failed}`,
      'all',
      a2a.failed === 0,
    ),
    row(name, 'max heartbeat gap while faults ran', `${(maxGapMs / 1000).toFixed(1)} s`, 'reported', true),
    row(
      name,
      'time to recover (every workspace beats)',
      `${(recoverMs / 1000).toFixed(1)} s`,
      '<= 60 s',
      recoverMs <= 60_000,
    ),
    row(
      name,
      'stack traces / secrets in output',
      `${hasStackTrace(output) ? 1 : 0} / ${leakedSecrets(output, secrets)}`,
      '0 / 0',
      !hasStackTrace(output) && leakedSecrets(output, secrets) === 0,
    ),
  ]
}
