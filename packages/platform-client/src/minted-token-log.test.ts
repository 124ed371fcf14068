import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordingLogger } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { PlatformClient } from './client.js'
import { TokenStore } from './token-store.js'

/** A minted token as the platform would send it: 43 characters of base64url. */
const MINTED = 'mInTeD-t0ken_' + 'Zq9'.repeat(10)

function registeringPlatform(): typeof fetch {
  return async () =>
    new Response(JSON.stringify({ status: 'registered', auth_token: MINTED }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    })
}

describe('a minted token in the log', () => {
  it('says a token was minted and stored, with no part of it', async () => {
    const logger = recordingLogger()
    const tokens = new TokenStore(mkdtempSync(join(tmpdir(), 'minted-log-')))
    const client = new PlatformClient({
      platformUrl: 'http://platform.test',
      workspaceId: 'ws-1',
      token: tokens,
      logger,
      fetch: registeringPlatform(),
    })
    await client.register({ url: 'http://agent.test/a2a', agent_card: { name: 'a' } })
    expect(tokens.read()).toBe(MINTED)
    expect(logger.lines.map((line) => line.msg)).toContain('platform minted a workspace token; stored')
    const written = JSON.stringify(logger.lines)
    for (let i = 0; i + 4 <= MINTED.length; i++) expect(written).not.toContain(MINTED.slice(i, i + 4))
  })
})
