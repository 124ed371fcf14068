import {
  type AdapterConfig,
  type RequestContext,
  type SetupResult,
  textMessage,
} from '@molecule/adapter-core'
import { runExecutor } from '@molecule/adapter-core/runtime'
import { describe, expect, it } from 'vitest'
import { Adapter, findPeerId, parseAsk, unwrapPeerResult } from './index.js'

const PEER = '5c1d2e3f-0000-4000-8000-000000000002'

const silent = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silent
  },
}

function context(text: string): RequestContext {
  return {
    taskId: 't1',
    contextId: 'c1',
    message: textMessage('user', text),
    text,
    history: [],
    metadata: undefined,
    signal: new AbortController().signal,
    logger: silent,
  }
}

async function reply(text: string, tools: SetupResult['tools']): Promise<string | undefined> {
  const config: AdapterConfig = {
    model: 'none',
    tools: [],
    runtimeConfig: {},
    configPath: '/tmp',
    workspaceId: 'w',
    promptFiles: [],
    a2aPort: 8000,
    setup: { systemPrompt: '', loadedSkills: [], tools, isCoordinator: false, children: [] },
  }
  const executor = await Adapter.createExecutor(config)
  const run = typeof executor === 'function' ? { execute: executor } : executor
  const outcome = await runExecutor(run, context(text), { status() {}, artifact() {} }, 'a1')
  return outcome.state === 'completed' ? outcome.text : `[${outcome.state}]`
}

describe('example relay adapter', () => {
  it('parses ask commands', () => {
    expect(parseAsk('ask beta: what is 2+2?')).toEqual({ peer: 'beta', task: 'what is 2+2?' })
    expect(parseAsk('hello')).toBeUndefined()
  })

  it('finds peers by name in structured or text listings', () => {
    expect(findPeerId('beta', { text: '', data: [{ id: PEER, name: 'Beta' }] })).toBe(PEER)
    expect(findPeerId('beta', { text: `- Beta (${PEER}) online` })).toBe(PEER)
    expect(findPeerId('gamma', { text: `- Beta (${PEER})` })).toBeUndefined()
    expect(findPeerId(PEER, { text: '' })).toBe(PEER)
  })

  it('drops the peer-result markers for display', () => {
    expect(unwrapPeerResult('[A2A_RESULT_FROM_PEER]\nfour\n[/A2A_RESULT_FROM_PEER]')).toBe('four')
    expect(unwrapPeerResult('plain')).toBe('plain')
  })

  it('echoes plain messages', async () => {
    expect(await reply('hi there', [])).toBe('You said: hi there')
  })

  it('delegates through the delegate_task tool', async () => {
    const calls: unknown[] = []
    const tools = [
      {
        name: 'list_peers',
        description: '',
        input: {} as never,
        run: async () => ({ text: `- Beta (${PEER})` }),
      },
      {
        name: 'delegate_task',
        description: '',
        input: {} as never,
        run: async (_ctx: unknown, input: unknown) => {
          calls.push(input)
          return 'four'
        },
      },
    ] as unknown as SetupResult['tools']
    expect(await reply('ask beta: what is 2+2?', tools)).toBe('beta says: four')
    expect(calls).toEqual([{ workspace_id: PEER, task: 'what is 2+2?' }])
  })

  it('explains a missing tool or peer', async () => {
    expect(await reply('ask beta: x', [])).toBe('Error: this runtime provides no delegate_task tool.')
  })
})
