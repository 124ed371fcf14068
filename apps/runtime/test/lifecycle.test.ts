import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { usePlatformAndRuntimes } from './support/fixtures.js'
import { sendBody, spawnRuntime, workspaceDirs } from './support/runtime-process.js'

// A template-style adapter loaded through ADAPTER_MODULE (a file path): it uses the heartbeat handle the
// runtime passes in AdapterConfig to report a wedge, and declares capabilities + an idle-timeout override.
const PROBE_ADAPTER = `
export const Adapter = {
  name: 'probe',
  displayName: 'Probe',
  capabilities: () => ({ providesNativeHeartbeat: false, providesNativeScheduler: false, providesNativeSession: true,
    providesNativeStatusMgmt: false, providesNativeRetry: false, providesActivityDecoration: false,
    providesChannelDispatch: false }),
  idleTimeoutOverride: () => 900,
  preStopState: () => ({ session_id: 'sess-42' }),
  restoreState(snapshot) { this.restored = snapshot.adapter?.session_id ?? 'none' },
  createExecutor(config) {
    const adapter = this
    return async (ctx) => {
      if (ctx.text === 'wedge') { config.heartbeat.markWedged('probe stuck: restart the workspace'); return 'wedged' }
      if (ctx.text === 'unwedge') { config.heartbeat.clearWedge(); return 'healthy' }
      if (ctx.text === 'prompt?') return config.setup.systemPrompt
      if (ctx.text === 'peers?') {
        const tool = config.setup.tools.find((t) => t.name === 'list_peers')
        const result = await tool.run({ signal: ctx.signal }, {})
        return typeof result === 'string' ? result : result.text
      }
      if (ctx.text === 'restored?') return 'restored=' + (adapter.restored ?? 'none')
      if (ctx.text.startsWith('slow')) { await new Promise((r) => setTimeout(r, 800)); return 'slow done' }
      return 'probe: ' + ctx.text
    }
  },
}
`

const CONFIG = (extra = '') =>
  `name: Probe\nruntime: probe\na2a:\n  port: 8000\n  push_notifications: false\n${extra}`

let platform: RunningDevPlatform
const running = usePlatformAndRuntimes((started) => {
  platform = started
})

async function startProbe(
  extraConfig = '',
  env: Record<string, string> = {},
  dirsIn?: Awaited<ReturnType<typeof workspaceDirs>>,
  id?: string,
) {
  const wsId = id ?? (await platform.createWorkspace({ name: 'probe' })).id
  const dirs = dirsIn ?? (await workspaceDirs(CONFIG(extraConfig)))
  const adapterFile = join(dirs.root, 'probe-adapter.mjs')
  await writeFile(adapterFile, PROBE_ADAPTER)
  const rt = spawnRuntime(wsId, platform.url, dirs, { ADAPTER_MODULE: adapterFile, ...env })
  running.push(rt)
  const listening = await rt.waitForMsg('A2A server listening')
  await rt.waitForMsg('registered')
  const send = async (text: string): Promise<string> => {
    const res = await fetch(String(listening.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody(text)),
    })
    const body = (await res.json()) as { result: { parts: Array<{ text: string }> } }
    return body.result.parts[0]?.text ?? ''
  }
  return { rt, dirs, id: wsId, send }
}

describe('workspace lifecycle with an ADAPTER_MODULE adapter', () => {
  it('pushes task state immediately (not on the 60 s beat) and never leaves a phantom task', async () => {
    const { id, send } = await startProbe('', { MOLECULE_HEARTBEAT_INTERVAL_MS: '60000' })
    const reply = send('slow: crunch the numbers')
    await until(() => platform.state.get(id)?.active_tasks === 1)
    expect(platform.state.get(id)?.current_task).toBe('slow: crunch the numbers')
    expect(await reply).toBe('slow done')
    await until(() => platform.state.get(id)?.active_tasks === 0)
    expect(platform.state.get(id)?.current_task).toBe('')
  })

  it('reports capabilities in runtime_metadata, and a wedge degrades the workspace until cleared', async () => {
    const { id, send } = await startProbe()
    await until(() => platform.state.get(id)?.status === 'online')
    await until(() => platform.state.get(id)?.capabilities.session === true)
    expect(platform.state.get(id)?.capabilities).toMatchObject({ session: true, heartbeat: false })
    expect(await send('wedge')).toBe('wedged')
    await until(() => platform.state.get(id)?.status === 'degraded')
    expect(platform.state.get(id)?.last_sample_error).toBe('probe stuck: restart the workspace')
    expect(await send('unwedge')).toBe('healthy')
    await until(() => platform.state.get(id)?.status === 'online')
  })

  it('sends initial_prompt once through the platform (marker first) and never again after a restart', async () => {
    const first = await startProbe('initial_prompt: wake up and read your notes\n', {
      MOLECULE_READINESS_INTERVAL_MS: '20',
    })
    const selfPrompts = () =>
      platform.state.activity.rows.filter(
        (row) =>
          row.workspace_id === first.id &&
          row.source_id === first.id &&
          JSON.stringify(row.request_body).includes('wake up and read your notes'),
      )
    await until(() => selfPrompts().length === 1)
    expect(JSON.stringify(selfPrompts()[0]?.response_body)).toContain('probe: wake up and read your notes')
    expect(await readFile(join(first.dirs.configs, '.initial_prompt_done'), 'utf8')).toBe('attempted')
    await first.rt.stop()

    await startProbe('', { MOLECULE_READINESS_INTERVAL_MS: '20' }, first.dirs, first.id)
    await new Promise((r) => setTimeout(r, 500))
    expect(selfPrompts()).toHaveLength(1)
  })

  it('fires idle_prompt only while nothing runs', async () => {
    const { id, send } = await startProbe('idle_prompt: anything in the backlog?\n', {
      MOLECULE_IDLE_INTERVAL_MS: '150',
      MOLECULE_IDLE_SETTLE_MS: '0',
    })
    const idleRows = () =>
      platform.state.activity.rows.filter(
        (row) =>
          row.workspace_id === id &&
          row.source_id === id &&
          JSON.stringify(row.request_body).includes('"idle-'),
      )
    await until(() => idleRows().length >= 1)
    // While a slow task runs, no idle prompt is sent.
    const busy = send('slow: long task')
    await until(() => platform.state.get(id)?.active_tasks === 1)
    const before = idleRows().length
    await new Promise((r) => setTimeout(r, 500))
    // Three intervals passed; at most one prompt that was already on its way when the task began.
    const during = idleRows().length
    expect(during).toBeLessThanOrEqual(before + 1)
    await busy
    await until(() => idleRows().length > during)
  })

  it('hands the adapter its system prompt and platform tools bound to the workspace', async () => {
    const dirs = await workspaceDirs(CONFIG('prompt_files: [system-prompt.md, rules.md]\n'))
    await writeFile(join(dirs.configs, 'system-prompt.md'), 'You are the probe.\n')
    await writeFile(join(dirs.configs, 'rules.md'), 'Never guess.\n')
    const sibling = await platform.createWorkspace({ name: 'sibling-of-probe' })
    const { rt, send } = await startProbe('', {}, dirs)
    // A first boot (no token yet) adds the platform's parts once the register has minted the token.
    await rt.waitForMsg('system prompt completed')
    // The assembled prompt: prompt files in order, then the peers that have a card, then the failure guidance.
    const prompt = await send('prompt?')
    expect(
      prompt.startsWith(
        'You are the probe.\n\nNever guess.\n\n## Your Peers (workspaces you can delegate to)\n',
      ),
    ).toBe(true)
    expect(prompt).toMatch(/^- \*\*Probe\*\* \(id: `[0-9a-f-]{36}`, status: online\)$/m)
    expect(prompt).not.toContain('sibling-of-probe')
    expect(prompt.endsWith('never drop a task silently.')).toBe(true)
    expect(await send('peers?')).toContain(`sibling-of-probe (ID: ${sibling.id}`)
  })

  it('restores the pre-stop snapshot into the adapter on the next boot', async () => {
    const first = await startProbe()
    expect(await first.send('restored?')).toBe('restored=none')
    expect(await first.rt.stop()).toEqual({ code: 0, signal: null })
    expect(existsSync(first.dirs.snapshot)).toBe(true)
    const second = await startProbe('', {}, first.dirs, first.id)
    expect(await second.send('restored?')).toBe('restored=sess-42')
  })
})
