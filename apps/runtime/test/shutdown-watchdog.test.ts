import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import { usePlatformAndRuntimes } from './support/fixtures.js'
import { spawnRuntime, workspaceDirs } from './support/runtime-process.js'

// An adapter whose pre-stop hook takes 8 s: the stop hangs that long unless the CLI's watchdog ends it first.
const SLOW_STOP_ADAPTER = `
export const Adapter = {
  name: 'slow-stop',
  createExecutor: () => (ctx) => ctx.text,
  preStopState: () => new Promise((resolve) => setTimeout(() => resolve({}), 8000)),
}
`

let platform: RunningDevPlatform
const running = usePlatformAndRuntimes((started) => {
  platform = started
})

describe('the CLI shutdown watchdog', () => {
  it('uses the grace period the runtime resolved: MOLECULE_SHUTDOWN_GRACE_MS=0 gives a hung stop 5 s, not 13 s', async () => {
    const dirs = await workspaceDirs('name: Slow\nruntime: slow-stop\na2a:\n  port: 8000\n')
    const adapterFile = join(dirs.root, 'slow-stop-adapter.mjs')
    await writeFile(adapterFile, SLOW_STOP_ADAPTER)
    const ws = await platform.createWorkspace({ name: 'slow-stop' })
    const rt = spawnRuntime(ws.id, platform.url, dirs, {
      ADAPTER_MODULE: adapterFile,
      MOLECULE_SHUTDOWN_GRACE_MS: '0',
    })
    running.push(rt)
    // Logged after boot returned, so the CLI's signal handlers are in place.
    await rt.waitForMsg('registered')
    const started = Date.now()
    const exit = await rt.stop('SIGTERM')
    const elapsed = Date.now() - started
    expect(exit).toEqual({ code: 1, signal: null })
    expect(rt.stderr).toContain('shutdown did not finish in time')
    expect(elapsed).toBeGreaterThanOrEqual(4500)
    expect(elapsed).toBeLessThan(7500)
  })
})
