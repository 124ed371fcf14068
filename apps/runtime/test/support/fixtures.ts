import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { RuntimeProcess } from './runtime-process.js'

/**
 * One dev platform for a test file (handed to `onStart` once it listens, closed after the file) and a list
 * of spawned runtimes that are SIGKILLed after each test: push every runtime a test starts.
 */
export function usePlatformAndRuntimes(onStart: (platform: RunningDevPlatform) => void): RuntimeProcess[] {
  const running: RuntimeProcess[] = []
  let platform: RunningDevPlatform | undefined
  beforeAll(async () => {
    platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
    onStart(platform)
  })
  afterAll(() => platform?.close())
  afterEach(async () => {
    await Promise.all(running.splice(0).map((rt) => rt.stop('SIGKILL')))
  })
  return running
}
