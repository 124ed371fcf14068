import { readdirSync } from 'node:fs'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { describe, expect, it } from 'vitest'
import {
  externalWorkspace,
  nextMessage,
  sendPeerText,
  singleEnv,
  startBridge,
  tempDir,
  until,
  useDevPlatform,
} from './harness.js'

let platform: RunningDevPlatform

useDevPlatform((started) => {
  platform = started
})

describe('at-least-once inbox', () => {
  it('a message peeked but not popped comes back after a crash; once popped it does not', async () => {
    const me = await externalWorkspace(platform, 'Crashy')
    const peer = await externalWorkspace(platform, 'Writer')
    const configs = tempDir('mcp-redeliver-')
    const env = singleEnv(platform.url, configs, me)
    const send = (text: string) => sendPeerText(platform, peer, me.id, text)

    const first = await startBridge(env)
    await until('registered', () => platform.state.get(me.id)?.delivery_mode === 'poll')
    await send('do not lose me')
    const seen = await nextMessage(first)
    const peeked = JSON.parse((await first.call('inbox_peek')).text) as Array<{ activity_id: string }>
    expect(peeked.map((m) => m.activity_id)).toEqual([seen.activity_id])
    first.kill()
    await first.close().catch(() => {})

    const second = await startBridge(env)
    const again = await nextMessage(second)
    expect(again).toMatchObject({ activity_id: seen.activity_id, text: 'do not lose me' })
    // Duplicates are filtered: the same row is queued once even though it was fetched again.
    expect(JSON.parse((await second.call('inbox_peek')).text)).toHaveLength(1)
    expect(JSON.parse((await second.call('inbox_pop', { activity_id: again.activity_id })).text)).toEqual({
      removed: true,
      activity_id: again.activity_id,
    })
    expect(
      JSON.parse((await second.call('inbox_pop', { activity_id: again.activity_id })).text),
    ).toMatchObject({
      removed: false,
    })
    await second.close()
    // The cursor file carries the full workspace id.
    expect(readdirSync(configs).some((f) => f.includes(me.id))).toBe(true)

    const third = await startBridge(env)
    expect(JSON.parse((await third.call('wait_for_message', { timeout_secs: 0.5 })).text)).toEqual({
      timeout: true,
      timeout_secs: 0.5,
    })
    await send('a new one')
    expect(await nextMessage(third)).toMatchObject({ text: 'a new one' })
    await third.close()
  })
})
