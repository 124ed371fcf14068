import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages'
import { rememberSecret } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { EMPTY_INPUT_REPLY, LangGraphAdapter, NO_RESPONSE_REPLY } from '../src/index.js'
import { ScriptedChatModel } from '../src/testing/index.js'
import { adapterConfig, agentTool, drive, reply } from './helpers.js'

describe('the LangGraph executor', () => {
  it('answers an empty message with the documented error and never calls the model', async () => {
    const model = new ScriptedChatModel({ turns: [] })
    const executor = await new LangGraphAdapter({ chatModel: model }).createExecutor(adapterConfig())
    const run = await drive(executor, '   ')
    expect(reply(run.outcome).text).toBe(EMPTY_INPUT_REPLY)
    expect(model.calls).toHaveLength(0)
  })

  it('streams each model call as its own artifact, keeps tool calls out of the stream, traces tools', async () => {
    const lookup = agentTool('lookup', ({ query }) => `found ${String(query)}`)
    const model = new ScriptedChatModel({
      usage: { input_tokens: 120, output_tokens: 30 },
      turns: [
        { text: 'Let me look that up.', toolCalls: [{ name: 'lookup', args: { query: 'the weather' } }] },
        (messages) => {
          const result = messages.at(-1)
          return `The tool said: ${String(result?.content)}.`
        },
      ],
    })
    const executor = await new LangGraphAdapter({ chatModel: model }).createExecutor(
      adapterConfig({ agentTools: [lookup] }),
    )
    const run = await drive(executor, 'what is the weather?')

    expect(lookup.calls).toEqual([{ query: 'the weather' }])
    expect(model.boundTools).toEqual(['lookup'])
    // The system prompt first, then the user's message; the second call also sees the tool call and its result.
    expect(model.calls[0]?.map((m) => m.constructor)).toEqual([SystemMessage, HumanMessage])
    expect(model.calls[1]?.map((m) => m.constructor)).toEqual([
      SystemMessage,
      HumanMessage,
      AIMessage,
      ToolMessage,
    ])

    const ids = [...new Set(run.artifacts.map((a) => a.artifactId))]
    expect(ids).toHaveLength(2)
    const streamed = (id: string | undefined) =>
      run.artifacts
        .filter((a) => a.artifactId === id)
        .map((a) => a.text)
        .join('')
    expect(streamed(ids[0])).toBe('Let me look that up.')
    expect(streamed(ids[1])).toBe('The tool said: found the weather.')
    expect(run.artifacts.filter((a) => !a.append).map((a) => a.artifactId)).toEqual(ids)
    expect(JSON.stringify(run.artifacts)).not.toMatch(/lookup|tool_call|query/)

    const { text, metadata } = reply(run.outcome)
    expect(text).toBe('Let me look that up.The tool said: found the weather.')
    expect(metadata?.tool_trace).toEqual([
      { tool: 'lookup', input: expect.stringContaining('the weather'), output_preview: 'found the weather' },
    ])
    expect(metadata?.usage).toEqual({ input_tokens: 120, output_tokens: 30 })
    expect(run.logs.lines.some((l) => l.msg === 'model usage')).toBe(true)
  })

  it('puts the history of the request metadata before the new message (user → human, others → ai)', async () => {
    const model = new ScriptedChatModel({ turns: ['ok'] })
    const executor = await new LangGraphAdapter({ chatModel: model }).createExecutor(adapterConfig())
    const history = [
      { role: 'user', parts: [{ kind: 'text', text: 'hi' }] },
      { role: 'agent', parts: [{ type: 'text', text: 'hello' }] },
      { role: 'user', parts: [] },
      'not an entry',
    ]
    const run = await drive(executor, 'and now?', { metadata: { history } })
    expect(reply(run.outcome)).toEqual({ text: 'ok', metadata: undefined })
    const seen = model.calls[0]?.map((m) => [m.constructor.name, m.content])
    expect(seen).toEqual([
      ['SystemMessage', 'You are a test agent.'],
      ['HumanMessage', 'hi'],
      ['AIMessage', 'hello'],
      ['HumanMessage', 'and now?'],
    ])
  })

  it('runs the graph with thread_id = the A2A context id', async () => {
    const threads: unknown[] = []
    class Recording extends ScriptedChatModel {
      override invoke(...args: Parameters<ScriptedChatModel['invoke']>) {
        threads.push(
          (args[1] as { configurable?: { thread_id?: unknown } } | undefined)?.configurable?.thread_id,
        )
        return super.invoke(...args)
      }
    }
    const executor = await new LangGraphAdapter({
      chatModel: new Recording({ turns: ['hi'] }),
    }).createExecutor(adapterConfig())
    await drive(executor, 'hello', { contextId: 'ctx-thread-42' })
    expect(threads).toEqual(['ctx-thread-42'])
  })

  it('replies "(no response generated)" when the model says nothing', async () => {
    const executor = await new LangGraphAdapter({
      chatModel: new ScriptedChatModel({ turns: [''] }),
    }).createExecutor(adapterConfig())
    expect(reply((await drive(executor, 'hello')).outcome).text).toBe(NO_RESPONSE_REPLY)
  })

  it('redacts only the final reply: credentials always, then the compliance redactor', async () => {
    // Assembled at run time: a fake key, not a literal for the secret scan to flag.
    const secret = ['sk', 'test', '0123456789abcdefghijklmnop'].join('-')
    rememberSecret(secret)
    const model = new ScriptedChatModel({ turns: [`key ${secret}, mail me at a@example.com`] })
    const adapter = new LangGraphAdapter({
      chatModel: model,
      redactReply: (text) => ({ text: text.replace('a@example.com', '[REDACTED:email]'), types: ['email'] }),
    })
    const run = await drive(await adapter.createExecutor(adapterConfig()), 'tell me')
    const { text } = reply(run.outcome)
    expect(text).not.toContain(secret)
    expect(text).toContain('[REDACTED:email]')
    expect(run.logs.lines.find((l) => l.msg === 'redacted the final reply')?.obj).toEqual({
      piiTypes: ['email'],
    })
  })

  it("uses the runtime's compliance redactor from AdapterConfig.redactReply", async () => {
    const model = new ScriptedChatModel({ turns: ['call 555-12-3456'] })
    const redactReply = (text: string) => ({
      text: text.replace(/\d{3}-\d{2}-\d{4}/, '[REDACTED:ssn]'),
      types: ['ssn'],
    })
    const executor = await new LangGraphAdapter({ chatModel: model }).createExecutor(
      adapterConfig({ redactReply }),
    )
    expect(reply((await drive(executor, 'number?')).outcome).text).toBe('call [REDACTED:ssn]')
  })

  it('hot-reloaded skills: the next task binds the new tools and prompt, no new executor', async () => {
    const model = new ScriptedChatModel({
      turns: ['first', { toolCalls: [{ name: 'weather', args: { query: 'Oslo' } }] }, 'second'],
    })
    const adapter = new LangGraphAdapter({ chatModel: model })
    const executor = await adapter.createExecutor(
      adapterConfig({ agentTools: [agentTool('lookup', () => 'x')] }),
    )
    await drive(executor, 'one')
    expect(model.boundTools).toEqual(['lookup'])
    const weather = agentTool('weather', () => 'sunny')
    adapter.onSkillsChanged({
      systemPrompt: 'You now know the weather.',
      loadedSkills: [],
      tools: [weather],
      isCoordinator: false,
      children: [],
    })
    const run = await drive(executor, 'two')
    expect(model.boundTools).toEqual(['weather'])
    expect(weather.calls).toEqual([{ query: 'Oslo' }])
    expect(model.calls[1]?.[0]?.content).toBe('You now know the weather.')
    expect(reply(run.outcome).text).toBe('second')
  })

  it('cancel aborts the model call mid-stream', async () => {
    const model = new ScriptedChatModel({
      turns: ['a long answer that streams slowly'],
      chunkChars: 1,
      delayMs: 20,
    })
    const executor = await new LangGraphAdapter({ chatModel: model }).createExecutor(adapterConfig())
    const abort = new AbortController()
    const running = drive(executor, 'go', { signal: abort.signal })
    setTimeout(() => abort.abort(), 120)
    const started = Date.now()
    const run = await running
    expect(run.outcome).toEqual({ state: 'canceled' })
    expect(Date.now() - started).toBeLessThan(600)
    const streamed = run.artifacts.map((a) => a.text).join('')
    expect(streamed.length).toBeGreaterThan(0)
    expect(streamed.length).toBeLessThan('a long answer that streams slowly'.length)
  })

  it('a tool that fails is an error the model reads, and the run still completes', async () => {
    const broken = agentTool('broken', () => {
      throw new Error('disk on fire')
    })
    const model = new ScriptedChatModel({
      turns: [
        { toolCalls: [{ name: 'broken', args: { query: 'x' } }] },
        (m) => `saw: ${String(m.at(-1)?.content)}`,
      ],
    })
    const executor = await new LangGraphAdapter({ chatModel: model }).createExecutor(
      adapterConfig({ agentTools: [broken] }),
    )
    const { text, metadata } = reply((await drive(executor, 'try it')).outcome)
    expect(text).toMatch(/^saw: Error/)
    expect(metadata?.tool_trace).toEqual([expect.objectContaining({ tool: 'broken' })])
  })
})
