import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CENSOR, maskSecrets } from '@molecule/core'
import { recordingLogger, until } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunningRuntime, startRuntime } from '../src/index.js'
import { inProcessEnv } from './support/runtime-process.js'

// Values no pattern of maskSecrets recognises (lowercase words and dashes): only remembering them masks them.
const MINTED = 'minted-token-of-this-very-workspace'
const INBOUND_AT_REGISTER = 'inbound-secret-sent-with-register'
const INBOUND_AT_HEARTBEAT = 'inbound-secret-sent-with-heartbeat'
const API_KEY = 'service-key-read-from-the-environment' // secret-scan: allow (a readable fake, to be masked)

let server: Server | undefined
let runtime: RunningRuntime | undefined
afterEach(async () => {
  await runtime?.stop('test end')
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
  server = undefined
  runtime = undefined
})

/** A platform that mints a token at register and sends its inbound secret with register and heartbeat answers. */
async function secretSendingPlatform(): Promise<{ url: string; heartbeats: () => number }> {
  let heartbeats = 0
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? ''
      res.setHeader('content-type', 'application/json')
      if (path === '/registry/register') {
        return res.end(
          JSON.stringify({
            status: 'registered',
            auth_token: MINTED,
            platform_inbound_secret: INBOUND_AT_REGISTER,
          }),
        )
      }
      if (path === '/registry/heartbeat') {
        heartbeats++
        return res.end(JSON.stringify({ status: 'ok', platform_inbound_secret: INBOUND_AT_HEARTBEAT }))
      }
      if (path.endsWith('/delegations')) return res.end('[]')
      res.statusCode = 404
      res.end('{"error":"not found"}')
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    heartbeats: () => heartbeats,
  }
}

describe('the secrets a runtime holds are masked wherever they appear', () => {
  it('its API keys from the environment, its minted token and the platform inbound secret', async () => {
    const platform = await secretSendingPlatform()
    const root = await mkdtemp(join(tmpdir(), 'molecule-remembered-'))
    await writeFile(join(root, 'config.yaml'), 'name: Keeper\nruntime: echo\na2a:\n  port: 8000\n')
    const logger = recordingLogger()
    runtime = await startRuntime({
      logger,
      env: inProcessEnv(root, randomUUID(), platform.url, {
        HOSTNAME: '127.0.0.1',
        MOLECULE_HEARTBEAT_INTERVAL_MS: '50',
        SOME_SERVICE_API_KEY: API_KEY,
      }),
    })
    expect(maskSecrets(`key ${API_KEY}`)).toBe(`key ${CENSOR}`)
    await runtime.registered
    await until(() => platform.heartbeats() >= 2)
    for (const secret of [MINTED, INBOUND_AT_REGISTER, INBOUND_AT_HEARTBEAT]) {
      expect(maskSecrets(`got ${secret}.`)).toBe(`got ${CENSOR}.`)
    }
    expect(JSON.stringify(logger.lines)).not.toContain(MINTED)
  })
})
