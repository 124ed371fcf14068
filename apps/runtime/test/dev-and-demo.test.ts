import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runtimeBin } from './support/runtime-process.js'

function run(args: string[]) {
  const child = spawn(process.execPath, [runtimeBin, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c
  })
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, out: () => stdout, err: () => stderr }
}

describe('molecule-runtime demo and dev', () => {
  it('demo: two workspaces, a user message, a delegation, exit 0', async () => {
    const demo = run(['demo'])
    expect(await demo.exited).toBe(0)
    const out = demo.out()
    expect(out).toContain('user  → alpha : hello alpha, are you there?')
    expect(out).toContain('alpha → user  : You said: hello alpha, are you there?')
    expect(out).toMatch(/alpha → beta {2}: please confirm you received the release checklist/)
    expect(out).toContain(
      'alpha → user  : beta says: You said: please confirm you received the release checklist',
    )
    expect(demo.err()).not.toMatch(/\n\s+at /)
  })

  it('dev: prints where everything listens and a curl that works; Ctrl-C exits 0', async () => {
    const dev = run(['dev', '--port', '0', '--workspaces', '3'])
    const end = Date.now() + 10_000
    while (!dev.out().includes('Ctrl-C') && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    const out = dev.out()
    expect(out.split('\n')[0]).toMatch(/^molecule dev console: http:\/\/127\.0\.0\.1:\d+\/$/)
    expect(out.match(/A2A http:\/\/127\.0\.0\.1:\d+/g)).toHaveLength(3)
    const curl = out.split('\n').find((line) => line.trim().startsWith('curl '))
    const match = curl?.match(/-X POST (\S+) .* -d '(.+)'$/)
    expect(match).toBeTruthy()
    const res = await fetch(match?.[1] ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: match?.[2] ?? '',
    })
    const body = (await res.json()) as { result: { parts: Array<{ text: string }> } }
    expect(body.result.parts[0]?.text).toBe('hello')
    dev.child.kill('SIGINT')
    expect(await dev.exited).toBe(0)
  })
})

describe('molecule-runtime dev --adapter (the adapter template documents this command)', () => {
  const template = join(dirname(runtimeBin), '../../../examples/adapter-template/dist/index.js')
  const relayConfig = join(dirname(runtimeBin), '../../../examples/workspaces/relay')

  it('runs the workspaces with the given adapter, on loopback, with state in a temp directory', async () => {
    const dev = run([
      'dev',
      '--port',
      '0',
      '--workspaces',
      '1',
      '--adapter',
      template,
      '--config',
      relayConfig,
    ])
    const end = Date.now() + 10_000
    while (!dev.out().includes('Ctrl-C') && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    const out = dev.out()
    expect(out).toContain(`workspaces (adapter ${template})`)
    expect(out.match(/A2A http:\/\/127\.0\.0\.1:\d+/g)).toHaveLength(1)
    const curl = out.split('\n').find((line) => line.trim().startsWith('curl '))
    const match = curl?.match(/-X POST (\S+) .* -d '(.+)'$/)
    const res = await fetch(match?.[1] ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: match?.[2] ?? '',
    })
    const body = (await res.json()) as { result: { parts: Array<{ text: string }> } }
    expect(body.result.parts[0]?.text).toBe('You said: hello')
    dev.child.kill('SIGINT')
    expect(await dev.exited).toBe(0)
  })

  it('a missing adapter file is one line naming the option, before anything starts', async () => {
    const dev = run(['dev', '--port', '0', '--adapter', 'no/such/adapter.js'])
    expect(await dev.exited).toBe(1)
    expect(dev.err()).toContain('--adapter:')
    expect(dev.err()).toContain('does not exist')
    expect(dev.err()).not.toMatch(/\n\s+at /)
  })
})

describe('molecule-runtime command line', () => {
  it('prints help and version, and rejects unknown commands and bad options with exit 2 / 1', async () => {
    const help = run(['--help'])
    expect(await help.exited).toBe(0)
    expect(help.out()).toContain('molecule-runtime dev [options]')
    const version = run(['--version'])
    expect(await version.exited).toBe(0)
    expect(version.out().trim()).toMatch(/^\d+\.\d+\.\d+/)
    const bogus = run(['bogus'])
    expect(await bogus.exited).toBe(2)
    expect(bogus.err()).toContain('unknown command "bogus"')
    const badDev = run(['dev', '--workspaces', 'many'])
    expect(await badDev.exited).toBe(1)
    expect(badDev.err()).toContain('--workspaces must be a whole number')
    expect(badDev.err()).not.toMatch(/\n\s+at /)
  })
})
