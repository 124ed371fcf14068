import { recordingLogger } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { createDevPlatform, type DevPlatform } from './dev-platform.js'

let platform: DevPlatform | undefined
afterEach(async () => platform?.shutdown())

describe('request log', () => {
  it('goes to the Logger it is given: method, path and status at debug, never the credentials', async () => {
    const logger = recordingLogger()
    platform = createDevPlatform({ logger })
    const ws = await platform.createWorkspace({ name: 'logged', mint_token: true })
    const res = await platform.app.request(`/workspaces/${ws.id}/budget`, {
      headers: { Authorization: `Bearer ${ws.token}` },
    })
    expect(res.status).toBe(200)
    const [line] = logger.at('debug').filter((l) => l.msg === 'request')
    expect(line?.obj).toMatchObject({ method: 'GET', path: `/workspaces/${ws.id}/budget`, status: 200 })
    expect(JSON.stringify(logger.lines)).not.toContain(ws.token as string)
  })
})
