import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import { BUNDLE, externalWorkspace, singleEnv, tempDir, until, useDevPlatform } from './harness.js'

let platform: RunningDevPlatform

useDevPlatform((started) => {
  platform = started
})

/** The bundle over raw pipes, so the test controls stdin and sees every stdout byte. */
function spawnRaw(env: Record<string, string>) {
  const child = spawn(process.execPath, [BUNDLE], { env, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const send = (message: unknown) => child.stdin.write(`${JSON.stringify(message)}\n`)
  return { child, exited, send, stdout: () => stdout, stderr: () => stderr }
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
}

function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown)
}

describe('process lifecycle and stdout hygiene', () => {
  it('exits 0 soon after the host closes stdin, even with a long wait_for_message in flight', async () => {
    const ws = await externalWorkspace(platform, 'Lifecycle')
    const bridge = spawnRaw(singleEnv(platform.url, tempDir('mcp-life-'), ws))
    const guard = setTimeout(() => bridge.child.kill('SIGKILL'), 20_000)
    try {
      bridge.send(initialize)
      await until('initialize answered', () => bridge.stdout().includes('"id":1'))
      bridge.send({ jsonrpc: '2.0', method: 'notifications/initialized' })
      bridge.send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'wait_for_message', arguments: { timeout_secs: 300 } },
      })
      await until('registered', () => platform.state.get(ws.id)?.delivery_mode === 'poll')
      const closedAt = Date.now()
      bridge.child.stdin.end()
      expect(await bridge.exited).toBe(0)
      expect(Date.now() - closedAt).toBeLessThan(5_000)
      expect(() => jsonLines(bridge.stdout())).not.toThrow()
    } finally {
      clearTimeout(guard)
    }
  })

  it('keeps stdout JSON-RPC only when a dependency writes with console.log', async () => {
    const ws = await externalWorkspace(platform, 'Chatty')
    const dir = tempDir('mcp-chatty-')
    // Stands in for any library that prints to stdout (console.log/info/debug) once the server is running.
    const chatty = join(dir, 'chatty.mjs')
    writeFileSync(
      chatty,
      "setTimeout(() => { console.log('dependency says hi'); console.info('info line'); console.debug('debug line') }, 300)\n",
    )
    const bridge = spawnRaw({ ...singleEnv(platform.url, dir, ws), NODE_OPTIONS: `--import ${chatty}` })
    const guard = setTimeout(() => bridge.child.kill('SIGKILL'), 20_000)
    try {
      bridge.send(initialize)
      await until('initialize answered', () => bridge.stdout().includes('"id":1'))
      await until('the dependency printed', () => bridge.stderr().includes('debug line'))
      bridge.send({ jsonrpc: '2.0', id: 2, method: 'ping' })
      await until('ping answered', () => bridge.stdout().includes('"id":2'))
      const lines = jsonLines(bridge.stdout())
      expect(lines).toHaveLength(2)
      expect(bridge.stderr()).toContain('dependency says hi')
      bridge.child.stdin.end()
      expect(await bridge.exited).toBe(0)
    } finally {
      clearTimeout(guard)
    }
  })
})
