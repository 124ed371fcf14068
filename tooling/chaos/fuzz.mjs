// Input fuzz: generated JSON-RPC bodies at the runtime's A2A server, MCP tools/call argument sets at the bridge,
// config.yaml texts and MOLECULE_WORKSPACES values. Counts crashes, HTTP 500s, stack traces and secrets in output.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseConfig } from '@molecule/config'
import { startDevPlatform } from '@molecule/dev-platform'
import { loadBridgeConfig } from '@molecule/mcp-bridge'
import { configText, rng, rpcBody, toolArgs, workspacesValue } from './lib/generate.mjs'
import { spawnBridge, spawnRuntime, tempDir } from './lib/processes.mjs'
import { hasStackTrace, leakedSecrets, row } from './lib/report.mjs'
import { ECHO_CONFIG } from './platform-faults.mjs'

/** Secrets the processes know: a provider key in their environment and the workspace tokens. */
const API_KEY = 'sk-chaosfuzz0123456789abcdefghijklmnopqrstuv' // secret-scan: allow (a planted fake)

async function inParallel(count, width, job) {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await job(next++)
    }),
  )
}

async function fuzzA2A(platform, count) {
  const ws = await platform.createWorkspace({ name: 'Fuzz runtime' })
  const dir = tempDir('chaos-fuzz-runtime-')
  writeFileSync(join(dir, 'config.yaml'), ECHO_CONFIG)
  writeFileSync(join(dir, 'system-prompt.md'), 'You echo.')
  const runtime = spawnRuntime({
    workspaceId: ws.id,
    platformUrl: platform.url,
    dir,
    extraEnv: { OPENAI_API_KEY: API_KEY },
  })
  const url = `http://127.0.0.1:${await runtime.port()}/`
  const r = rng(0xa2a)
  const secrets = [API_KEY]
  let status500 = 0
  let stacks = 0
  let leaks = 0
  let failures = 0
  await inParallel(count, 8, async () => {
    const body = rpcBody(r, secrets)
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': r.next() < 0.9 ? 'application/json' : 'text/plain' },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      const text = await res.text()
      if (res.status >= 500) status500++
      if (hasStackTrace(text)) stacks++
      if (leakedSecrets(text, secrets) > 0) leaks++
    } catch {
      failures++
    }
  })
  const alive = runtime.alive()
  await runtime.stop()
  const log = runtime.stderr.text + runtime.stdout.text
  const name = `fuzz: ${count} JSON-RPC bodies at the A2A server`
  return [
    row(
      name,
      'crashes / requests without an answer',
      `${alive ? 0 : 1} / ${failures}`,
      '0 / 0',
      alive && failures === 0,
    ),
    row(name, 'HTTP 5xx answers', status500, '0', status500 === 0),
    ...outputHygiene(name, { stacks, leaks, log, secrets }),
  ]
}

async function fuzzTools(platform, count) {
  const ws = await platform.createWorkspace({
    name: 'Fuzz bridge',
    external: true,
    mint_token: true,
    delivery_mode: 'poll',
  })
  const secrets = [ws.token, API_KEY]
  const bridge = spawnBridge({
    PLATFORM_URL: platform.url,
    WORKSPACE_ID: ws.id,
    MOLECULE_WORKSPACE_TOKEN: ws.token,
    OPENAI_API_KEY: API_KEY,
    CONFIGS_DIR: tempDir('chaos-fuzz-bridge-'),
    // Tools that wait by design answer within a second: a delegation, and an approval nobody decides (the bridge
    // would otherwise wait out its 50 s budget per call and answer "pending").
    DELEGATION_TIMEOUT: '1',
    APPROVAL_TIMEOUT: '1',
  })
  await bridge.initialize()
  const listed = await bridge.request('tools/list')
  // wait_for_message blocks by design (up to 300 s); every other tool is called.
  const tools = listed.result.tools.filter((t) => t.name !== 'wait_for_message')
  const r = rng(0x7001)
  let internal = 0
  let stacks = 0
  let leaks = 0
  let unanswered = 0
  await inParallel(count, 4, async () => {
    const tool = r.next() < 0.95 ? r.pick(tools) : { name: r.pick(['', 'nope', '../x']), inputSchema: {} }
    const args = toolArgs(r, Object.keys(tool.inputSchema?.properties ?? {}), secrets)
    try {
      // Longer than the bridge's own longest wait (50 s, e.g. check_approval's wait_secs): no answer is a hang.
      const reply = await bridge.request('tools/call', { name: tool.name, arguments: args }, 60_000)
      const text = JSON.stringify(reply)
      if (reply.error?.code === -32603) {
        internal++
        if (process.env.CHAOS_DEBUG)
          console.error(
            tool.name,
            JSON.stringify(args).slice(0, 200),
            JSON.stringify(reply.error).slice(0, 300),
          )
      }
      if (hasStackTrace(text.replaceAll('\\n', '\n'))) stacks++
      if (leakedSecrets(text, secrets) > 0) {
        leaks++
        if (process.env.CHAOS_DEBUG) console.error('leak', tool.name, text.slice(0, 300))
      }
    } catch {
      unanswered++
      if (process.env.CHAOS_DEBUG)
        console.error('no answer within 60 s', tool.name, JSON.stringify(args).slice(0, 300))
    }
  })
  const alive = bridge.alive()
  await bridge.stop()
  const log = bridge.stderr.text
  const name = `fuzz: ${count} MCP tools/call argument sets at the bridge`
  return [
    row(
      name,
      'crashes / calls without an answer',
      `${alive ? 0 : 1} / ${unanswered}`,
      '0 / 0',
      alive && unanswered === 0,
    ),
    row(name, 'internal errors (-32603)', internal, '0', internal === 0),
    ...outputHygiene(name, { stacks, leaks, log, secrets }),
  ]
}

function fuzzSettings(count) {
  const secrets = [
    'mol_ws_chaos0123456789abcdefghijklmnopqrstu', // secret-scan: allow
    'ghp_chaos0123456789abcdefghijklmnopqrstuvwx', // secret-scan: allow
  ]
  const r = rng(0xc0f)
  let raw = 0
  let stacks = 0
  let leaks = 0
  const dir = tempDir('chaos-fuzz-config-')
  for (let i = 0; i < count; i++) {
    for (const attempt of [
      () => parseConfig(configText(r, secrets), { configDir: dir, source: 'config.yaml' }),
      () =>
        loadBridgeConfig(
          {
            CONFIGS_DIR: dir,
            PLATFORM_URL: 'http://127.0.0.1:1',
            MOLECULE_WORKSPACES: workspacesValue(r, secrets),
          },
          { home: dir, mountedConfigsDir: join(dir, 'none') },
        ),
    ]) {
      try {
        attempt()
      } catch (err) {
        if (!(err instanceof Error) || typeof err.code !== 'string') raw++
        const text = `${err?.message ?? err}`
        if (hasStackTrace(text)) stacks++
        if (leakedSecrets(text, secrets) > 0) leaks++
      }
    }
  }
  const name = `fuzz: ${count} config.yaml + ${count} MOLECULE_WORKSPACES values`
  return [
    row(name, 'errors that are not a MoleculeError', raw, '0', raw === 0),
    row(name, 'stack traces in messages', stacks, '0', stacks === 0),
    row(name, 'secrets in messages', leaks, '0', leaks === 0),
  ]
}

export async function fuzz({ a2aBodies, toolCalls, configs }) {
  const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  try {
    return [
      ...(await fuzzA2A(platform, a2aBodies)),
      ...(await fuzzTools(platform, toolCalls)),
      ...fuzzSettings(configs),
    ]
  } finally {
    await platform.close()
  }
}

/** The rows every fuzz target shares: stack traces in its answers or log, and secrets anywhere in its output. */
function outputHygiene(name, { stacks, leaks, log, secrets }) {
  const logStacks = hasStackTrace(log) ? 1 : 0
  const secretsShown = leaks + leakedSecrets(log, secrets)
  return [
    row(
      name,
      'stack traces (answers / log)',
      `${stacks} / ${logStacks}`,
      '0 / 0',
      stacks === 0 && logStacks === 0,
    ),
    row(name, 'secrets in output', secretsShown, '0', secretsShown === 0),
  ]
}
