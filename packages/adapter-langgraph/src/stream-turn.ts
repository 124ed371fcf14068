import { randomUUID } from 'node:crypto'
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages'
import type { TaskEvents } from '@molecule/adapter-core'
import type { AgentGraph } from './graph.js'
import { ToolTrace, type ToolTraceEntry } from './tool-trace.js'

/** Token counts of the last completed model call of the turn (the provider's own numbers). */
export interface TokenUsage {
  input_tokens: number
  output_tokens: number
}

export interface TurnResult {
  /** Every streamed text chunk of every model call, joined. */
  text: string
  toolTrace: ToolTraceEntry[]
  usage: TokenUsage | undefined
  modelCalls: number
}

export interface TurnOptions {
  events: Pick<TaskEvents, 'artifact'>
  signal: AbortSignal
  recursionLimit: number
  contextId: string
}

/** The text of a streamed chunk: a string, or the `text` blocks of a content list (tool_use blocks never). */
export function chunkText(content: AIMessageChunk['content'] | undefined): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  let out = ''
  for (const block of content) {
    if (typeof block === 'string') out += block
    else if (block && block.type === 'text' && typeof block.text === 'string') out += block.text
  }
  return out
}

function usageOf(output: unknown): TokenUsage | undefined {
  const usage = (
    output as { usage_metadata?: { input_tokens?: unknown; output_tokens?: unknown } } | undefined
  )?.usage_metadata
  if (typeof usage?.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') return undefined
  return { input_tokens: usage.input_tokens, output_tokens: usage.output_tokens }
}

interface NodeUpdate {
  messages?: Array<{
    tool_calls?: Array<{ id?: string; name: string; args: unknown }>
    tool_call_id?: string
    content?: unknown
  }>
}

/**
 * Runs the graph once over `messages` and streams it: each model call's text goes out as chunks of its own
 * artifact (a new artifact per model call, so a ReAct cycle's thoughts before a tool call stay apart from the
 * answer); tool calls and tool results are recorded in the trace and never streamed. LangGraph's `messages` and
 * `updates` stream modes carry all of it (the token chunks, each node's finished messages), for a fraction of the
 * cost of the callback event stream.
 */
export async function streamTurn(
  graph: AgentGraph,
  messages: BaseMessage[],
  options: TurnOptions,
): Promise<TurnResult> {
  const trace = new ToolTrace()
  let text = ''
  let usage: TokenUsage | undefined
  let modelCalls = 0
  const artifactOf = new Map<string, string>()
  const stream = await graph.stream(
    { messages },
    {
      streamMode: ['messages', 'updates'],
      signal: options.signal,
      recursionLimit: options.recursionLimit,
      configurable: { thread_id: options.contextId },
      runName: `a2a-${options.contextId.slice(0, 8)}`,
    },
  )
  for await (const [mode, payload] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === 'messages') {
      const [chunk, meta] = payload as [AIMessageChunk, Record<string, unknown>]
      if (chunk.getType?.() !== 'ai') continue
      const piece = chunkText(chunk.content)
      if (!piece) continue
      // One graph step is one model call (provider message ids are not reliably unique).
      const key = String(meta.langgraph_checkpoint_ns ?? meta.langgraph_step ?? chunk.id)
      let artifactId = artifactOf.get(key)
      if (artifactId === undefined) {
        artifactId = randomUUID()
        artifactOf.set(key, artifactId)
      }
      text += piece
      options.events.artifact({ artifactId, text: piece })
      continue
    }
    const update = payload as Record<string, NodeUpdate | undefined>
    for (const message of update.agent?.messages ?? []) {
      modelCalls += 1
      usage = usageOf(message) ?? usage
      for (const call of message.tool_calls ?? []) trace.start(call.id ?? '', call.name, call.args)
    }
    for (const message of update.tools?.messages ?? []) trace.end(message.tool_call_id ?? '', message.content)
  }
  return { text, toolTrace: trace.entries, usage, modelCalls }
}
