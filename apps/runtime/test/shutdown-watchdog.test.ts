import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type RuntimeProcess, spawnRuntime, workspaceDirs } from './support/runtime-process.js'

// Nothing needs the platform here: the A2A server is up before registration, and the stop does not wait for it.
const NO_PLATFORM = 'http://127.0.0.1:9'

// An adapter whose pre-stop hook takes 8 s: the stop hangs that long unless the CLI's watchdog ends it first.
const SLOW_STOP_ADAPTER = `
export const Adapter = {
  name: 'slow-stop',
  createExecutor: () => (ctx) => ctx.text,
  preStopState: () => new Promise((resolve) => setTimeout(() => resolve({}), 8000)),
}
`

const running: RuntimeProcess[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((rt) => rt.stop('SIGKILL')))
})

describe('the CLI shutdown watchdog', () => {
  it('uses the grace period the runtime resolved: MOLECULE_SHUTDOWN_GRACE_MS=0 gives a hung stop 5 s, not 13 s', async () => {
    const dirs = await workspaceDirs('name: Slow\nruntime: slow-stop\na2a:\n  port: 8000\n')
    const adapterFile = join(dirs.root, 'slow-stop-adapter.mjs')
    await writeFile(adapterFile, SLOW_STOP_ADAPTER)
    const rt = spawnRuntime(crypto.randomUUID(), NO_PLATFORM, dirs, {
      ADAPTER_MODULE: adapterFile,
      MOLECULE_SHUTDOWN_GRACE_MS: '0',
    })
    running.push(rt)
    await rt.waitForMsg('A2A server listening')
    const started = Date.now()
    const exit = await rt.stop('SIGTERM')
    const elapsed = Date.now() - started
    expect(exit).toEqual({ code: 1, signal: null })
    expect(rt.stderr).toContain('shutdown did not finish in time')
    expect(elapsed).toBeGreaterThanOrEqual(4500)
    expect(elapsed).toBeLessThan(7500)
  })
})
