import { recordingLogger } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import {
  BwrapBackend,
  createSandbox,
  DEFAULT_LIMITS,
  findBwrap,
  parseMemoryLimit,
  SandboxError,
  SUBPROCESS_WARNING,
} from '../src/index.js'

const savedPath = process.env.PATH

afterEach(() => {
  process.env.PATH = savedPath
})

describe('choosing a backend', () => {
  it('auto picks bwrap when it is on PATH, and subprocess (with the startup warning) when it is not', () => {
    const quiet = recordingLogger()
    expect(createSandbox({ logger: quiet }).backend).toBe(findBwrap() ? 'bwrap' : 'subprocess')
    process.env.PATH = '/nonexistent'
    const log = recordingLogger()
    expect(createSandbox({ logger: log }).backend).toBe('subprocess')
    expect(log.lines.some((line) => line.level === 'warn' && line.msg === SUBPROCESS_WARNING)).toBe(true)
    expect(SUBPROCESS_WARNING).toContain('not an isolation boundary')
  })

  it('an explicit bwrap without bwrap installed answers every call with an error naming what to install', async () => {
    process.env.PATH = '/nonexistent'
    const sandbox = createSandbox({ backend: 'bwrap' })
    const result = await sandbox.run('print(1)', 'python')
    expect(result).toMatchObject({ exit_code: -1 })
    expect('error' in result && result.error).toMatch(/bwrap is not on PATH.*apt-get install bubblewrap/)
  })

  it('docker without a docker client, and e2b, are clear errors, never an unsandboxed run', async () => {
    process.env.PATH = '/nonexistent'
    const docker = await createSandbox({ backend: 'docker' }).run('print(1)', 'python')
    expect('error' in docker && docker.error).toMatch(/docker is not on PATH.*install a docker engine/)
    const e2b = await createSandbox({ backend: 'e2b' }).run('print(1)', 'python')
    expect('error' in e2b && e2b.error).toMatch(/does not ship the E2B client/)
  })

  it('a bwrap that cannot create its namespaces fails with a clear error instead of running the code', async () => {
    const broken = new BwrapBackend('/bin/false')
    await expect(broken.run('print(1)', 'python', DEFAULT_LIMITS)).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof SandboxError &&
        error.code === 'SANDBOX_UNAVAILABLE' &&
        /namespaces/.test(error.message) &&
        /SANDBOX_BACKEND=subprocess/.test(error.fix ?? ''),
    )
  })
})

describe('parseMemoryLimit', () => {
  it.each([
    ['256m', 256 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5G', 1.5 * 1024 ** 3],
    ['65536k', 64 * 1024 ** 2],
    ['33554432', 32 * 1024 ** 2],
    ['512mb', 512 * 1024 ** 2],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseMemoryLimit(text)).toBe(bytes)
  })

  it.each(['', 'lots', '-1m', '1m', '12x'])('refuses %j, naming the setting', (text) => {
    expect(() => parseMemoryLimit(text)).toThrow(/sandbox\.memory_limit/)
  })
})
