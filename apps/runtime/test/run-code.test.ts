import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { SUBPROCESS_WARNING } from '@molecule/sandbox'
import { recordingLogger } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv, sendBody } from './support/runtime-process.js'

// An adapter whose agent runs each message as a shell program through the runtime's run_code tool.
const CODE_ADAPTER = `
export const Adapter = {
  name: 'coder',
  createExecutor(config) {
    return async (ctx) => {
      const tool = config.setup.tools.find((t) => t.name === 'run_code')
      const result = await tool.run({ signal: ctx.signal }, { code: ctx.text, language: 'shell' })
      return JSON.stringify(result.data)
    }
  },
}
`

let platform: RunningDevPlatform
const runtimes: RunningRuntime[] = []

async function coder(env: Record<string, string>) {
  const root = await mkdtemp(join(tmpdir(), 'molecule-run-code-'))
  await writeFile(
    join(root, 'config.yaml'),
    'name: Coder\nruntime: coder\na2a:\n  push_notifications: false\n',
  )
  await writeFile(join(root, 'coder.mjs'), CODE_ADAPTER)
  const log = recordingLogger()
  const runtime = await startRuntime({
    logger: log,
    env: inProcessEnv(root, randomUUID(), platform.url, { ADAPTER_MODULE: join(root, 'coder.mjs'), ...env }),
  })
  runtimes.push(runtime)
  await runtime.registered
  const send = async (text: string): Promise<Record<string, unknown>> => {
    const res = await fetch(`${runtime.url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody(text)),
    })
    const body = (await res.json()) as { result: { parts: Array<{ text: string }> } }
    return JSON.parse(body.result.parts[0]?.text ?? '{}') as Record<string, unknown>
  }
  return { root, log, send }
}

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
})
afterAll(async () => {
  await Promise.all(runtimes.map((rt) => rt.stop('test')))
  await platform.close()
})

describe('run_code in the runtime', () => {
  it('runs in bwrap by default: the token file the runtime wrote is out of reach, and a stuck program does not stall A2A', async () => {
    const { root, log, send } = await coder({ SANDBOX_TIMEOUT: '1' })
    const token = (await readFile(join(root, '.auth_token'), 'utf8')).trim()
    const read = await send(`cat ${join(root, '.auth_token')}; env`)
    expect(read.backend).toBe('bwrap')
    expect(JSON.stringify(read)).not.toContain(token)
    expect(read.stderr).toMatch(/No such file/)
    expect(log.lines.some((line) => line.msg === SUBPROCESS_WARNING)).toBe(false)

    const stuck = send('while :; do :; done')
    const started = Date.now()
    expect(await send('echo still here')).toMatchObject({ exit_code: 0, stdout: 'still here\n' })
    expect(Date.now() - started).toBeLessThan(900)
    expect(await stuck).toEqual({ error: 'Timeout after 1s', exit_code: -1 })
  })

  it('SANDBOX_BACKEND=subprocess works and warns at boot that it is not an isolation boundary', async () => {
    const { log, send } = await coder({ SANDBOX_BACKEND: 'subprocess' })
    expect(log.at('warn').some((line) => line.msg === SUBPROCESS_WARNING)).toBe(true)
    expect(await send('echo $((40+2))')).toMatchObject({
      exit_code: 0,
      stdout: '42\n',
      backend: 'subprocess',
    })
  })

  it('a bad SANDBOX_MEMORY_LIMIT stops the boot naming the setting', async () => {
    await expect(coder({ SANDBOX_MEMORY_LIMIT: 'lots' })).rejects.toThrow(/sandbox\.memory_limit 'lots'/)
  })
})
