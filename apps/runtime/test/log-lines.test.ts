import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import { usePlatformAndRuntimes } from './support/fixtures.js'
import { duplicateKeys } from './support/json-keys.js'
import { ECHO_CONFIG, sendBody, spawnRuntime, workspaceDirs } from './support/runtime-process.js'

let platform: RunningDevPlatform
const running = usePlatformAndRuntimes((started) => {
  platform = started
})

describe('duplicateKeys', () => {
  it('finds a key written twice in one object, at the top and nested, and nothing else', () => {
    expect(duplicateKeys('{"a":1,"b":{"c":"x:y","c":2},"a":"}"}')).toEqual(['c', 'a'])
    expect(duplicateKeys('{"a":{"x":1},"b":{"x":2},"l":[{"x":1},{"x":2}],"s":"\\"x\\":1"}')).toEqual([])
  })
})

describe('runtime log lines', () => {
  it('never carry a key twice, from boot through a task to the last line of the shutdown', async () => {
    const ws = await platform.createWorkspace({ name: 'logs' })
    const dirs = await workspaceDirs(ECHO_CONFIG)
    const rt = spawnRuntime(ws.id, platform.url, dirs, { MOLECULE_LOG_LEVEL: 'debug' })
    running.push(rt)
    const listening = await rt.waitForMsg('A2A server listening')
    await rt.waitForMsg('registered')
    const res = await fetch(String(listening.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody('hello')),
    })
    expect(res.status).toBe(200)
    expect((await rt.stop('SIGTERM')).code).toBe(0)

    const lines = rt.stderr.split('\n').filter((line) => line.startsWith('{'))
    expect(lines.map((line) => (JSON.parse(line) as { msg?: string }).msg)).toEqual(
      expect.arrayContaining(['A2A server listening', 'registered', 'shutting down', 'stopped']),
    )
    const repeated = lines.flatMap((line) => duplicateKeys(line).map((key) => `${key} in ${line}`))
    expect(repeated).toEqual([])
    // Bound once by the runtime, so present on every line of this workspace.
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ workspaceId: ws.id })
  })
})
