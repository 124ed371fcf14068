// ADAPTER_MODULE for langgraph-overhead.mjs: the real LangGraph adapter with a scripted chat model, so the runtime
// process does everything it does for a provider model (graph, streaming, tool binding, trace) except the network.
// BENCH_SCRIPT=answer: one model call streaming a 120-character answer. BENCH_SCRIPT=tool: a call that asks for
// get_runtime_identity (answered locally, no platform request), then the same answer.
import { LangGraphAdapter } from '@molecule/adapter-langgraph'
import { ScriptedChatModel } from '@molecule/adapter-langgraph/testing'

const ANSWER = 'probe '.repeat(20).trim()
const withTool = process.env.BENCH_SCRIPT === 'tool'

function respond(messages) {
  const last = messages.at(-1)
  if (withTool && last?.getType() === 'human')
    return { toolCalls: [{ name: 'get_runtime_identity', args: {} }] }
  return ANSWER
}

export class Adapter extends LangGraphAdapter {
  constructor() {
    super({ chatModel: new ScriptedChatModel({ respond, usage: { input_tokens: 100, output_tokens: 20 } }) })
  }
}

export const expectedReply = ANSWER
