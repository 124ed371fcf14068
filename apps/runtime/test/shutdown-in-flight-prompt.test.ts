import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

/**
 * A stop cancels the initial-prompt task still in flight. A platform that holds the proxied prompt open (a slow or
 * wedged proxy; the send timeout is 600 s) must not hold the runtime's stop, which has to end within its grace.
 */
let server: Server | undefined
let runtime: RunningRuntime | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
  runtime = undefined
})

async function holdingPlatform(delegations: (workspaceId: string) => unknown[] = () => []) {
  let promptArrived!: () => void
  const arrived = new Promise<void>((r) => {
    promptArrived = r
  })
  let promptClosed!: () => void
  const closed = new Promise<void>((r) => {
    promptClosed = r
  })
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? ''
      res.setHeader('content-type', 'application/json')
      if (path === '/registry/register')
        return res.end('{"status":"registered","auth_token":"tok_0123456789abcdef"}')
      if (path === '/registry/heartbeat') return res.end('{"status":"ok"}')
      if (path.endsWith('/delegations')) return res.end(JSON.stringify(delegations(path.split('/')[2] ?? '')))
      if (path.endsWith('/notify')) return res.end('{"status":"sent"}')
      if (/^\/workspaces\/[^/]+$/.test(path)) return res.end('{"id":"x","name":"x"}')
      // The proxied self-prompt: never answered.
      if (path.endsWith('/a2a')) {
        res.on('close', () => promptClosed())
        return promptArrived()
      }
      res.statusCode = 404
      res.end('{"error":"not found"}')
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, arrived, closed }
}

async function boot(platformUrl: string, extraConfig: string, env: Record<string, string> = {}) {
  const root = await mkdtemp(join(tmpdir(), 'molecule-stop-prompt-'))
  await writeFile(
    join(root, 'config.yaml'),
    `name: Stopper\nruntime: echo\n${extraConfig}a2a:\n  port: 8000\n`,
  )
  return startRuntime({
    logger: silentLogger,
    env: inProcessEnv(root, randomUUID(), platformUrl, {
      HOSTNAME: '127.0.0.1',
      MOLECULE_HEARTBEAT_INTERVAL_MS: '100',
      MOLECULE_SHUTDOWN_GRACE_MS: '200',
      MOLECULE_READINESS_INTERVAL_MS: '20',
      ...env,
    }),
  })
}

async function stopsWithin(rt: RunningRuntime, ms: number): Promise<string> {
  return Promise.race([
    rt.stop('SIGTERM').then(() => 'stopped'),
    new Promise<string>((r) => setTimeout(() => r(`still stopping after ${ms} ms`), ms)),
  ])
}

describe('stop while the initial prompt is still in flight at the platform', () => {
  it('aborts the prompt request and finishes within the grace period', async () => {
    const platform = await holdingPlatform()
    runtime = await boot(platform.url, 'initial_prompt: hello there\n')
    await platform.arrived
    const started = Date.now()
    expect(await stopsWithin(runtime, 3000)).toBe('stopped')
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('an idle prompt still in flight is aborted by the stop, not left open', async () => {
    const platform = await holdingPlatform()
    runtime = await boot(platform.url, 'idle_prompt: anything to do?\nidle_interval_seconds: 60\n', {
      MOLECULE_IDLE_INTERVAL_MS: '50',
    })
    await platform.arrived
    expect(await stopsWithin(runtime, 3000)).toBe('stopped')
    const outcome = await Promise.race([
      platform.closed.then(() => 'request closed'),
      new Promise((r) => setTimeout(() => r('request still open 2 s after the stop'), 2000)),
    ])
    expect(outcome).toBe('request closed')
  })

  it('aborts a delegation-results wake-up message the same way', async () => {
    const platform = await holdingPlatform((self) => [
      {
        id: 'row-1',
        delegation_id: randomUUID(),
        source_id: self,
        target_id: 'peer',
        status: 'completed',
        summary: 'done',
      },
    ])
    runtime = await boot(platform.url, '', {
      MOLECULE_DELEGATION_POLL_MS: '50',
      MOLECULE_SELF_MESSAGE_COOLDOWN_MS: '0',
    })
    await platform.arrived
    expect(await stopsWithin(runtime, 3000)).toBe('stopped')
  })
})
