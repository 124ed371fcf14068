import { AsyncLocalStorage } from 'node:async_hooks'
import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

// An adapter that takes its tools when it builds its executor, as LangGraph does.
const TOOL_TAKING_ADAPTER = `
export const Adapter = {
  name: 'tool-taker',
  createExecutor(config) {
    const names = config.setup.tools.map((t) => t.name)
    return (ctx) => ctx.text + ' (' + names.length + ' tools)'
  },
}
`

let platform: RunningDevPlatform
const runtimes: RunningRuntime[] = []

async function workspace(runtime: 'echo' | 'tool-taker'): Promise<RunningRuntime> {
  const root = await mkdtemp(join(tmpdir(), 'molecule-task-scope-'))
  await writeFile(join(root, 'system-prompt.md'), 'You answer briefly.')
  await writeFile(
    join(root, 'config.yaml'),
    `name: Scoped\nruntime: ${runtime}\na2a:\n  push_notifications: false\n`,
  )
  const adapterFile = join(root, 'tool-taker.mjs')
  await writeFile(adapterFile, TOOL_TAKING_ADAPTER)
  const rt = await startRuntime({
    logger: silentLogger,
    env: inProcessEnv(root, randomUUID(), platform.url, {
      HOSTNAME: '127.0.0.1',
      ...(runtime === 'tool-taker' ? { ADAPTER_MODULE: adapterFile } : {}),
    }),
  })
  runtimes.push(rt)
  return rt
}

async function send(rt: RunningRuntime, text: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${rt.port}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'message/send',
      params: {
        message: { kind: 'message', role: 'user', messageId: randomUUID(), parts: [{ kind: 'text', text }] },
      },
    }),
  })
  const body = (await res.json()) as { result?: { parts?: Array<{ text?: string }> } }
  return body.result?.parts?.[0]?.text ?? JSON.stringify(body)
}

/** Counts task scopes opened in this process (AsyncLocalStorage runs whose store is a task). */
function countTaskScopes(): { count(): number } {
  const run = AsyncLocalStorage.prototype.run
  let n = 0
  vi.spyOn(AsyncLocalStorage.prototype, 'run').mockImplementation(function (
    this: AsyncLocalStorage<unknown>,
    store: unknown,
    fn: (...args: unknown[]) => unknown,
    ...args: unknown[]
  ) {
    if (store !== null && typeof store === 'object' && 'taskId' in store && 'contextId' in store) n++
    return run.call(this, store, fn, ...args)
  })
  return { count: () => n }
}

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
})
afterEach(() => {
  vi.restoreAllMocks()
})
afterAll(async () => {
  await Promise.all(runtimes.map((rt) => rt.stop('test')))
  await platform.close()
})

describe('task scopes (AsyncLocalStorage) are opened only for adapters that took their tools', () => {
  it('echo never reads its tools, so its tasks run without a scope and pay nothing for it', async () => {
    const rt = await workspace('echo')
    const scopes = countTaskScopes()
    for (const text of ['one', 'two', 'three']) expect(await send(rt, text)).toBe(text)
    expect(scopes.count()).toBe(0)
  })

  it('an adapter that read setup.tools in createExecutor runs every task in its scope', async () => {
    const rt = await workspace('tool-taker')
    const scopes = countTaskScopes()
    for (const text of ['one', 'two', 'three'])
      expect(await send(rt, text)).toMatch(new RegExp(`^${text} \\(\\d+ tools\\)$`))
    expect(scopes.count()).toBe(3)
  })
})
