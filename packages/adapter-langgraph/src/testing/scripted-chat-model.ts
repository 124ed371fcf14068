import { randomUUID } from 'node:crypto'
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager'
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base'
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models'
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages'
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs'
import type { Runnable } from '@langchain/core/runnables'

/** One model reply: text to stream, tool calls to make (after the text), or both. */
export interface ScriptedReply {
  text?: string
  toolCalls?: ReadonlyArray<{ name: string; args: Record<string, unknown>; id?: string }>
}

/** A reply, or a function of the messages the model was called with (to read tool results, for instance). */
export type ScriptedTurn = string | ScriptedReply | ((messages: BaseMessage[]) => string | ScriptedReply)

export interface ScriptedChatModelFields extends BaseChatModelParams {
  /** Replies in call order; a call past the end throws. Ignored when `respond` is given. */
  turns?: ScriptedTurn[]
  /** Stateless replies: called with every request's messages (safe under concurrent tasks). */
  respond?: (messages: BaseMessage[]) => string | ScriptedReply
  /** Characters per streamed text chunk. Default 8. */
  chunkChars?: number
  /** Pause before each chunk, in ms (lets tests cancel mid-stream). Default 0. */
  delayMs?: number
  /** Reported on the last chunk of every reply as the provider's token usage. */
  usage?: { input_tokens: number; output_tokens: number }
}

/**
 * A scripted LangChain chat model for tests and benchmarks: a real `BaseChatModel` that streams the replies it is
 * given, as text chunks and tool-call chunks, and records the messages of every call. `bindTools` keeps the same
 * script (and the same cursor), like a provider model bound to tools.
 */
export class ScriptedChatModel extends BaseChatModel {
  /** The messages of each call, in order. */
  readonly calls: BaseMessage[][] = []
  /** Tool names bound by the last `bindTools`. */
  boundTools: string[] = []
  private cursor = 0
  private readonly turns: ScriptedTurn[]
  private readonly respond: ((messages: BaseMessage[]) => string | ScriptedReply) | undefined
  private readonly chunkChars: number
  private readonly delayMs: number
  private readonly usage: ScriptedChatModelFields['usage']

  constructor(fields: ScriptedChatModelFields) {
    super(fields)
    this.turns = fields.turns ?? []
    this.respond = fields.respond
    this.chunkChars = Math.max(1, fields.chunkChars ?? 8)
    this.delayMs = fields.delayMs ?? 0
    this.usage = fields.usage
  }

  _llmType(): string {
    return 'scripted'
  }

  override bindTools(
    tools: BindToolsInput[],
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions> {
    this.boundTools = tools.map((tool) => (tool as { name?: string }).name ?? '?')
    return this as unknown as Runnable<BaseLanguageModelInput, AIMessageChunk, BaseChatModelCallOptions>
  }

  private next(messages: BaseMessage[]): ScriptedReply {
    this.calls.push(messages)
    let turn: ScriptedTurn | undefined = this.respond
    if (!turn) {
      turn = this.turns[this.cursor]
      if (turn === undefined) throw new Error(`ScriptedChatModel: no turn ${this.cursor + 1} in the script`)
      this.cursor += 1
    }
    const value = typeof turn === 'function' ? turn(messages) : turn
    return typeof value === 'string' ? { text: value } : value
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const reply = this.next(messages)
    const message = new AIMessage({
      content: reply.text ?? '',
      tool_calls: (reply.toolCalls ?? []).map((call) => ({
        ...call,
        id: call.id ?? randomUUID(),
        type: 'tool_call' as const,
      })),
      ...(this.usage
        ? {
            usage_metadata: {
              ...this.usage,
              total_tokens: this.usage.input_tokens + this.usage.output_tokens,
            },
          }
        : {}),
    })
    return { generations: [{ text: reply.text ?? '', message }] }
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.next(messages)
    const text = reply.text ?? ''
    const pieces: AIMessageChunk[] = []
    for (let i = 0; i < text.length; i += this.chunkChars)
      pieces.push(new AIMessageChunk({ content: text.slice(i, i + this.chunkChars) }))
    ;(reply.toolCalls ?? []).forEach((call, index) => {
      pieces.push(
        new AIMessageChunk({
          content: '',
          tool_call_chunks: [
            {
              name: call.name,
              args: JSON.stringify(call.args),
              id: call.id ?? randomUUID(),
              index,
              type: 'tool_call_chunk',
            },
          ],
        }),
      )
    })
    // A provider streams at least one (maybe empty) chunk even for an empty reply.
    if (pieces.length === 0 || this.usage)
      pieces.push(
        new AIMessageChunk({
          content: '',
          ...(this.usage
            ? {
                usage_metadata: {
                  ...this.usage,
                  total_tokens: this.usage.input_tokens + this.usage.output_tokens,
                },
              }
            : {}),
        }),
      )
    for (const message of pieces) {
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs))
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted')
      const piece = typeof message.content === 'string' ? message.content : ''
      const chunk = new ChatGenerationChunk({ message, text: piece })
      yield chunk
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, { chunk })
    }
  }
}
