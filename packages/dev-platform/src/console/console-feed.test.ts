import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from '../test-helpers.js'
import { ConsoleFeed } from './console-feed.js'
import { InboxCounter } from './inbox-counter.js'

let p: TestPlatform | undefined
afterEach(async () => {
  await p?.close()
  p = undefined
})

describe('ConsoleFeed', () => {
  it('a plain heartbeat sends only its time (once per second); a new active-task count resends the row', async () => {
    p = await startTestPlatform()
    const platform = p
    const a = await platform.register(randomUUID())
    const feed = new ConsoleFeed(platform.state, new InboxCounter(platform.state))
    feed.snapshot()
    const off = platform.state.events.subscribe((event) => feed.onEvent(event))
    const beat = (body: Record<string, unknown>) =>
      platform.call('POST', '/registry/heartbeat', { token: a.token, body: { workspace_id: a.id, ...body } })

    await beat({ current_task: 'build', active_tasks: 1 })
    const first = feed.flush()
    expect(first?.beats?.[a.id]).toBeTypeOf('number')
    expect(first?.workspaces).toEqual([
      expect.objectContaining({ id: a.id, currentTask: 'build', activeTasks: 1 }),
    ])

    // Nothing the row shows changed, and the age on the page cannot have moved by a second yet.
    await beat({ current_task: 'build', active_tasks: 1 })
    expect(feed.flush()).toBeUndefined()

    // Same task, one more task running: no event says so, the heartbeat path notices.
    await beat({ current_task: 'build', active_tasks: 2 })
    expect(feed.flush()?.workspaces).toEqual([expect.objectContaining({ id: a.id, activeTasks: 2 })])
    off()
  })
})
