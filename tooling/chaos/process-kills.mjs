// molecule-mcp and molecule-runtime SIGKILLed at random points during traffic: messages lost (0) or redelivered
// (counted: delivery is at least once), token/cursor/snapshot files torn (0).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDevPlatform } from '@molecule/dev-platform'
import { sleep, spawnBridge, spawnRuntime, tempDir } from './lib/processes.mjs'
import { hasStackTrace, leakedSecrets, row } from './lib/report.mjs'
import { corruptStateFiles } from './lib/state-files.mjs'
import { a2aCall, drainInbox, sendToInbox } from './lib/traffic.mjs'
import { ECHO_CONFIG } from './platform-faults.mjs'

/** Deterministic "random" kill points, so two runs kill at the same moments. */
function killPoints(count, seed = 20_261_207) {
  let state = seed
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return 50 + (state % 1500)
  })
}

async function bridgeKills(platform, { bridgeKills: kills, workspaces }) {
  const entries = []
  for (let i = 0; i < workspaces; i++) {
    const ws = await platform.createWorkspace({
      name: `Kill ${i}`,
      external: true,
      mint_token: true,
      delivery_mode: 'poll',
    })
    entries.push({ id: ws.id, token: ws.token })
  }
  const configsDir = tempDir('chaos-kill-bridge-')
  const env = {
    PLATFORM_URL: platform.url,
    MOLECULE_WORKSPACES: JSON.stringify(entries),
    CONFIGS_DIR: configsDir,
    MOLECULE_MCP_POLL_INTERVAL_MS: '200',
    MOLECULE_HEARTBEAT_INTERVAL_MS: '1000',
  }
  const expected = []
  const seen = new Map()
  const corrupt = new Set()
  let output = ''
  let n = 0
  for (const delay of killPoints(kills)) {
    const bridge = spawnBridge(env)
    await bridge.initialize().catch(() => {})
    for (let i = 0; i < 3; i++) {
      const text = `kill-msg-${n++}`
      await sendToInbox(platform.url, entries[n % entries.length].id, text)
      expected.push(text)
    }
    const draining = drainInbox(bridge, expected, seen, 10_000)
    await sleep(delay)
    await bridge.stop('SIGKILL')
    await draining
    output += bridge.stderr.text
    for (const name of corruptStateFiles(configsDir)) corrupt.add(name)
  }
  const last = spawnBridge(env)
  await last.initialize()
  const drained = await drainInbox(last, expected, seen, 60_000)
  await last.stop()
  output += last.stderr.text
  const redelivered = [...seen.values()].filter((count) => count > 1).length
  const name = `molecule-mcp SIGKILLed ${kills} times`
  return [
    row(
      name,
      'messages lost',
      `${drained.missing.length} of ${expected.length}`,
      '0',
      drained.missing.length === 0,
    ),
    row(name, 'messages redelivered (at least once)', redelivered, 'counted', true),
    row(name, 'cursor/token files torn', corrupt.size, '0', corrupt.size === 0),
    row(
      name,
      'stack traces / secrets in output',
      `${hasStackTrace(output) ? 1 : 0} / ${leakedSecrets(
        output,
        entries.map((e) => e.token),
      )}`,
      '0 / 0',
      !hasStackTrace(output) &&
        leakedSecrets(
          output,
          entries.map((e) => e.token),
        ) === 0,
    ),
  ]
}

async function runtimeKills(platform, { runtimeKills: kills }) {
  const ws = await platform.createWorkspace({ name: 'Kill runtime' })
  const dir = tempDir('chaos-kill-runtime-')
  writeFileSync(join(dir, 'config.yaml'), ECHO_CONFIG)
  writeFileSync(join(dir, 'system-prompt.md'), 'You echo.')
  const corrupt = new Set()
  let unanswered = 0
  let output = ''
  let registeredAgain = 0
  let first = true
  for (const delay of killPoints(kills, 7)) {
    const runtime = spawnRuntime({ workspaceId: ws.id, platformUrl: platform.url, dir })
    const url = `http://127.0.0.1:${await runtime.port()}`
    // The first boot is killed only after its register saved the minted token: a kill between the platform
    // minting and the file being written loses the only copy, which no runtime can recover from on its own.
    if (first) {
      while (!runtime.lines().some((l) => l.msg === 'registered')) await sleep(20)
      first = false
    }
    // A call cut by the kill itself is expected; one that fails before the kill is not.
    let killing = false
    const traffic = (async () => {
      while (!killing) await a2aCall(url, 'hello').catch(() => (killing ? 0 : unanswered++))
    })()
    await sleep(delay)
    if (runtime.lines().some((l) => l.msg === 'registered')) registeredAgain++
    killing = true
    await runtime.stop('SIGKILL')
    await traffic
    output += runtime.stderr.text
    for (const name of corruptStateFiles(dir)) corrupt.add(name)
  }
  const last = spawnRuntime({ workspaceId: ws.id, platformUrl: platform.url, dir })
  await last.port()
  const end = Date.now() + 30_000
  while (!last.lines().some((l) => l.msg === 'registered') && Date.now() < end) await sleep(50)
  const healthy = last.lines().some((l) => l.msg === 'registered')
  await last.stop()
  output += last.stderr.text
  const name = `molecule-runtime SIGKILLed ${kills} times`
  return [
    row(name, 'A2A calls unanswered while alive', unanswered, '0', unanswered === 0),
    row(name, 'token/snapshot files torn', corrupt.size, '0', corrupt.size === 0),
    row(name, 'registers again with its saved token after the kills', healthy ? 'yes' : 'no', 'yes', healthy),
    row(name, 'boots that registered before the kill', `${registeredAgain} of ${kills}`, 'reported', true),
    row(name, 'stack traces in output', hasStackTrace(output) ? 1 : 0, '0', !hasStackTrace(output)),
  ]
}

export async function processKills(plan) {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  try {
    return [...(await bridgeKills(platform, plan)), ...(await runtimeKills(platform, plan))]
  } finally {
    await platform.close()
  }
}
