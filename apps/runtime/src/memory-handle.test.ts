import { silentLogger } from '@molecule/core'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { PlatformClient } from '@molecule/platform-client'
import { afterEach, describe, expect, it } from 'vitest'
import { conversationNamespace, MEMORY_RECALL_LIMIT, platformMemory } from './memory-handle.js'

const logger = silentLogger
const FAKE_KEY = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789' // secret-scan: allow (a fake, to be redacted)
let platform: RunningDevPlatform | undefined

afterEach(async () => {
  await platform?.close()
  platform = undefined
})

async function workspaceMemory() {
  platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
  const ws = await platform.createWorkspace({ name: 'rememberer', mint_token: true })
  const client = new PlatformClient({ platformUrl: platform.url, workspaceId: ws.id, token: ws.token ?? '' })
  return { memory: platformMemory(client, logger), client }
}

describe('platformMemory', () => {
  it('commits LOCAL memories with secrets redacted and recalls the newest ten, one line each', async () => {
    const { memory, client } = await workspaceMemory()
    expect(await memory.recall()).toBe('')
    await memory.commit(`deploy key is ${FAKE_KEY} for staging`)
    const [saved] = await client.searchMemories()
    expect(saved?.scope).toBe('LOCAL')
    expect(saved?.content).toContain('for staging')
    expect(saved?.content).not.toContain(FAKE_KEY)

    for (let i = 1; i <= MEMORY_RECALL_LIMIT + 2; i++) await memory.commit(`fact ${i}`)
    const lines = (await memory.recall()).split('\n')
    expect(lines).toHaveLength(MEMORY_RECALL_LIMIT)
    expect(lines[0]).toBe(`- [LOCAL] fact ${MEMORY_RECALL_LIMIT + 2}`)
    expect(lines).not.toContain('- [LOCAL] fact 2')
  })

  it('never throws: an unreachable platform recalls nothing and loses only the commit', async () => {
    const client = new PlatformClient({ platformUrl: 'http://127.0.0.1:9', workspaceId: 'w', token: 't' })
    const memory = platformMemory(client, logger)
    await expect(memory.recall()).resolves.toBe('')
    await expect(memory.commit('anything')).resolves.toBeUndefined()
  })

  it('skips an empty commit', async () => {
    const { memory, client } = await workspaceMemory()
    await memory.commit('   ')
    expect(await client.searchMemories()).toEqual([])
  })

  it("a conversation's view recalls the workspace's notes and its own turns, never another conversation's", async () => {
    const { memory, client } = await workspaceMemory()
    await client.commitMemory({ content: 'the customer prefers Mondays', scope: 'LOCAL' })
    // Written before conversations were kept apart: nobody knows whose it was.
    await client.commitMemory({ content: 'Conversation: an old turn of some caller', scope: 'LOCAL' })
    const a = memory.conversation('context-a')
    const b = memory.conversation('context-b')
    await a.commit(`Conversation: a's plan, key ${FAKE_KEY}`)
    await b.commit("Conversation: b's plan")

    expect(await a.recall()).toBe(
      "- [LOCAL] Conversation: a's plan, key [REDACTED]\n- [LOCAL] the customer prefers Mondays",
    )
    expect(await b.recall()).toBe("- [LOCAL] Conversation: b's plan\n- [LOCAL] the customer prefers Mondays")
    const [saved] = await client.searchMemories({ namespace: conversationNamespace('context-a') })
    expect(saved?.content).toContain("a's plan")
    expect(conversationNamespace('x'.repeat(500))).toMatch(/^conversation-[0-9a-f]{32}$/)
    // The same context id from another caller is another conversation; no caller is the platform user's.
    expect(conversationNamespace('context-a', 'ws-b')).not.toBe(conversationNamespace('context-a'))
    expect(conversationNamespace('context-a', '')).toBe(conversationNamespace('context-a'))
    expect(conversationNamespace('a\0b', 'c')).not.toBe(conversationNamespace('b', 'a\0c'))
  })
})
