import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { recordingLogger, until } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBridgeConfig } from './bridge-config.js'
import { WorkspacePool } from './workspace-pool.js'

let platform: RunningDevPlatform

beforeAll(async () => {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
})
afterAll(async () => {
  await platform?.close()
})

/** The platform issues the workspace a new token: the one the bridge was given is now rejected. */
function replaceToken(workspaceId: string): void {
  platform.state.tokens.revokeAll(workspaceId)
  platform.state.tokens.mint(workspaceId)
}

async function rejectedPool(env: Record<string, string>) {
  const logger = recordingLogger()
  const pool = new WorkspacePool(
    loadBridgeConfig({
      PLATFORM_URL: platform.url,
      CONFIGS_DIR: mkdtempSync(join(tmpdir(), 'token-rejected-')),
      MOLECULE_HEARTBEAT_INTERVAL_MS: '50',
      ...env,
    }),
    logger,
  )
  await pool.start()
  await pool.stop()
  return logger.at('error').map((line) => line.msg ?? '')
}

describe('a rejected token', () => {
  it('in single mode says the bridge serves nothing, not that "the others keep running"', async () => {
    const ws = await platform.createWorkspace({ name: 'Solo', external: true, mint_token: true })
    replaceToken(ws.id)
    const errors = await rejectedPool({ WORKSPACE_ID: ws.id, MOLECULE_WORKSPACE_TOKEN: ws.token ?? '' })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/token rejected/)
    expect(errors[0]).not.toMatch(/others/)
    expect(errors[0]).toMatch(/no workspace is served/)
  })

  it('in multi mode names the workspace and says the others keep running', async () => {
    const bad = await platform.createWorkspace({ name: 'Bad', external: true, mint_token: true })
    const good = await platform.createWorkspace({ name: 'Good', external: true, mint_token: true })
    replaceToken(bad.id)
    const errors = await rejectedPool({
      MOLECULE_WORKSPACES: JSON.stringify([
        { id: bad.id, token: bad.token },
        { id: good.id, token: good.token },
      ]),
    })
    await until(() => errors.length === 1)
    expect(errors[0]).toMatch(new RegExp(`workspace ${bad.id}: token rejected.*the other 1 keep running`))
  })
})
