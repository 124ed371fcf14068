import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { TaskState } from '@a2a-js/sdk'
import { ClientFactory } from '@a2a-js/sdk/client'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { sdkTextRequest } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { usePlatformAndRuntimes } from './support/fixtures.js'
import { waitGone } from './support/processes.js'
import {
  descendantsOf,
  type RuntimeProcess,
  sendBody,
  spawnRuntime,
  workspaceDirs,
} from './support/runtime-process.js'

let platform: RunningDevPlatform
const running = usePlatformAndRuntimes((started) => {
  platform = started
})

function cliConfig(script: string, timeoutMs: number): string {
  return [
    'name: CLI Test',
    'runtime: cli',
    'runtime_config:',
    '  command: sh',
    `  args: ["-c", ${JSON.stringify(script)}]`,
    `  timeout_ms: ${timeoutMs}`,
    '  kill_grace_ms: 300',
    'a2a:',
    '  port: 8000',
    '  push_notifications: false',
    '',
  ].join('\n')
}

async function startCli(script: string, timeoutMs: number, env: Record<string, string> = {}) {
  const ws = await platform.createWorkspace({ name: 'cli' })
  const dirs = await workspaceDirs(cliConfig(script, timeoutMs))
  const rt = spawnRuntime(ws.id, platform.url, dirs, env)
  running.push(rt)
  const listening = await rt.waitForMsg('A2A server listening')
  await rt.waitForMsg('registered')
  return { rt, dirs, url: String(listening.url), id: ws.id }
}

/** Waits until the runtime has at least `count` live descendants (the CLI's shell and its children). */
async function descendants(rt: RuntimeProcess, count: number): Promise<number[]> {
  const end = Date.now() + 5000
  for (;;) {
    const found = descendantsOf(rt.pid)
    if (found.length >= count) return found
    if (Date.now() > end) throw new Error(`expected ${count} descendants, found ${found.length}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

describe('SIGTERM shutdown', () => {
  it('during a long cli task: cancels it after the grace period, writes the snapshot, exits 0, leaves no process', async () => {
    const { rt, dirs, url, id } = await startCli('sleep 30', 60_000, { MOLECULE_SHUTDOWN_GRACE_MS: '600' })
    const reply = post(url, sendBody('a long job with Bearer abc.def.ghi inside')).then(
      (res) => res.status,
      () => 'closed',
    )
    const children = await descendants(rt, 1)
    const started = Date.now()
    const exit = await rt.stop('SIGTERM')
    const elapsed = Date.now() - started
    expect(exit).toEqual({ code: 0, signal: null })
    expect(elapsed).toBeGreaterThanOrEqual(500)
    expect(elapsed).toBeLessThan(600 + 4000)
    for (const pid of children) expect(await waitGone(pid)).toBe(true)
    await reply
    const snapshot = JSON.parse(await readFile(dirs.snapshot, 'utf8')) as Record<string, unknown>
    expect(snapshot.workspace_id).toBe(id)
    expect(typeof snapshot.timestamp).toBe('string')
    // The interrupted task is recorded, scrubbed of the bearer token it mentioned.
    expect(snapshot.active_tasks).toBe(1)
    expect(snapshot.current_task).toBe('a long job with [REDACTED:BEARER_TOKEN] inside')
    expect(rt.lines.some((line) => line.msg === 'pre-stop snapshot written')).toBe(true)
    expect(rt.stderr).not.toMatch(/\n\s+at /)
  })

  it('lets a task that finishes within the grace period complete before exiting 0', async () => {
    const { rt, url } = await startCli('sleep 0.4; echo finished in time', 60_000, {
      MOLECULE_SHUTDOWN_GRACE_MS: '5000',
    })
    const reply = post(url, sendBody('quick job')).then(
      async (res) => (await res.json()) as { result?: { parts?: Array<{ text?: string }> } },
    )
    await descendants(rt, 1)
    const exit = await rt.stop('SIGTERM')
    expect(exit.code).toBe(0)
    expect((await reply).result?.parts?.[0]?.text).toBe('finished in time')
  })
})

describe('SIGTERM while booting', () => {
  it('waits for the boot, then stops as usual and exits 0; a token the platform minted is on disk', async () => {
    const ws = await platform.createWorkspace({ name: 'stopped-at-boot' })
    const dirs = await workspaceDirs('name: Early stop\nruntime: echo\na2a:\n  port: 8000\n')
    const rt = spawnRuntime(ws.id, platform.url, dirs)
    running.push(rt)
    // The preflight report is printed by the boot, after the CLI's signal handlers are installed.
    const deadline = Date.now() + 10_000
    while (!rt.stderr.includes('Preflight checks') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5))
    const exit = await rt.stop('SIGTERM')
    expect(exit).toEqual({ code: 0, signal: null })
    const msgs = rt.lines.map((line) => line.msg)
    expect(msgs).toContain('stop requested while booting; stopping once booted')
    expect(msgs.indexOf('shutting down')).toBeGreaterThan(msgs.indexOf('A2A server listening'))
    // Whatever the register in flight had reached: a token the platform minted was not lost on the way.
    if (platform.state.tokens.liveCount(ws.id) > 0) {
      const stored = (await readFile(join(dirs.configs, '.auth_token'), 'utf8')).trim()
      expect(platform.state.tokens.verify(ws.id, stored)).toBe(true)
    }
    expect(rt.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('cli adapter in a running workspace', () => {
  it('a timeout fails the task with a sanitized error and kills the whole process group', async () => {
    const { rt, url } = await startCli(
      'echo "secret OPENAI_API_KEY=sk-abcdefabcdefabcdefabcdef" >&2; sleep 30 & sleep 30',
      1500,
    )
    const reply = post(url, sendBody('run forever'))
    const children = await descendants(rt, 2)
    const res = await reply
    const body = (await res.json()) as {
      result: { status?: { state: string; message?: { parts: Array<{ text: string }> } } }
    }
    expect(body.result.status?.state).toBe('failed')
    expect(body.result.status?.message?.parts[0]?.text).toBe(
      'Agent error (timeout) — see workspace logs for details.',
    )
    for (const pid of children) expect(await waitGone(pid)).toBe(true)
    expect(descendantsOf(rt.pid)).toEqual([])
    expect(rt.child.exitCode).toBeNull()
  })

  it('a failing command: sanitized reply, scrubbed stderr in the log only, workspace degraded', async () => {
    const { rt, url, id } = await startCli(
      'echo "fatal: OPENAI_API_KEY=sk-abcdefabcdefabcdefabcdef rejected" >&2; exit 3',
      60_000,
    )
    const res = await post(url, sendBody('try it'))
    const body = (await res.json()) as {
      result: { status?: { state: string; message?: { parts: Array<{ text: string }> } } }
    }
    expect(body.result.status?.state).toBe('failed')
    expect(body.result.status?.message?.parts[0]?.text).toBe(
      'Agent error (exit_3) — see workspace logs for details.',
    )
    const logged = await rt.waitForMsg('cli command failed')
    expect(String(logged.stderr)).toContain('OPENAI_API_KEY=[REDACTED:API_KEY]')
    expect(rt.stderr).not.toContain('sk-abcdefabcdef')
    // Every task failing: the next heartbeat carries error_rate 1 and the platform shows the workspace degraded.
    const end = Date.now() + 5000
    while (platform.state.get(id)?.status !== 'degraded' && Date.now() < end)
      await new Promise((r) => setTimeout(r, 25))
    expect(platform.state.get(id)?.status).toBe('degraded')
    expect(platform.state.get(id)?.last_sample_error).toBe('1 of 1 recent tasks failed')
  })

  it('tasks/cancel from the @a2a-js/sdk client kills the process group', async () => {
    const { rt, url } = await startCli('sleep 30 & sleep 30', 60_000)
    const client = await new ClientFactory().createFromUrl(url)
    const stream = client.sendMessageStream(sdkTextRequest('cancel me'))
    const first = await stream.next()
    const taskId = (first.value as { payload: { value: { id: string } } }).payload.value.id
    const children = await descendants(rt, 2)
    const canceled = (await client.cancelTask({ tenant: '', id: taskId, metadata: undefined })) as {
      status: { state: number }
    }
    expect(canceled.status.state).toBe(TaskState.TASK_STATE_CANCELED)
    for await (const _event of stream) {
      // drain to the terminal event
    }
    for (const pid of children) expect(await waitGone(pid)).toBe(true)
    expect(descendantsOf(rt.pid)).toEqual([])
  })
})
