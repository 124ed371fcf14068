import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { HumanMessage } from '@langchain/core/messages'
import {
  attachedFiles,
  attachmentManifest,
  defineExecutor,
  type Executor,
  type RequestContext,
  sanitizedAgentError,
  textMessage,
} from '@molecule/adapter-core'
import { maskSecrets } from '@molecule/core'
import type { AgentSnapshot, AgentState } from './agent-state.js'
import { type AgentGraph, buildAgentGraph } from './graph.js'
import { priorMessages } from './history.js'
import type { Env, ModelSpec } from './model-spec.js'
import { AGENT_ERROR_PREFIX, providerErrorReply } from './provider-errors.js'
import { recursionLimit } from './settings.js'
import { streamTurn, type TurnResult } from './stream-turn.js'

/** Upstream's reply to a message without text; the model is not called. */
export const EMPTY_INPUT_REPLY = 'Error: message contained no text content.'
/** The reply when the model produced no text at all. */
export const NO_RESPONSE_REPLY = '(no response generated)'

/** Redacts the final reply before it leaves (compliance); returns the text and the kinds of data it removed. */
export type ReplyRedactor = (text: string) => { text: string; types: readonly string[] }

export interface LangGraphExecutorOptions {
  model: BaseChatModel
  spec: Pick<ModelSpec, 'provider' | 'model' | 'keyVar'>
  state: AgentState
  env: Env
  workspaceDir?: string | undefined
  /** Runs on the final text only (already streamed chunks are out); default: none. */
  redactReply?: ReplyRedactor | undefined
}

/**
 * The A2A executor of the LangGraph agent. Per task: the input text (plus a manifest of attached files), the prior
 * conversation from the request's metadata, one streamed graph run with the prompt and tools current at the start,
 * then the final reply with `tool_trace` and `usage` in its metadata. Provider failures become clear replies.
 * Cancel aborts the model call through the task's signal.
 */
export function createLangGraphExecutor(options: LangGraphExecutorOptions): Executor {
  let cached: { version: number; graph: AgentGraph } | undefined
  const graphFor = (snapshot: AgentSnapshot): AgentGraph => {
    if (cached?.version !== snapshot.version)
      cached = { version: snapshot.version, graph: buildAgentGraph(options.model, snapshot) }
    return cached.graph
  }

  return defineExecutor(async (ctx, events) => {
    const files = await attachedFiles(ctx.message, options.workspaceDir)
    const input = `${ctx.text}${attachmentManifest(files)}`.trim()
    if (!input) return textMessage('agent', EMPTY_INPUT_REPLY)
    const limit = recursionLimit(options.env, (raw) =>
      ctx.logger.warn(
        { value: raw },
        'LANGGRAPH_RECURSION_LIMIT is not a positive whole number; using the default',
      ),
    )
    let turn: TurnResult
    try {
      const graph = graphFor(options.state.snapshot())
      turn = await streamTurn(graph, [...priorMessages(ctx), new HumanMessage(input)], {
        events,
        signal: ctx.signal,
        recursionLimit: limit,
        contextId: ctx.contextId,
      })
    } catch (err) {
      if (ctx.signal.aborted) throw err
      return textMessage('agent', failureReply(err, options, ctx, limit))
    }
    if (turn.usage) ctx.logger.info({ ...turn.usage, modelCalls: turn.modelCalls }, 'model usage')
    const { text, types } = redact(turn.text.trim() || NO_RESPONSE_REPLY, options.redactReply)
    if (types.length > 0) ctx.logger.info({ piiTypes: types }, 'redacted the final reply')
    const metadata: Record<string, unknown> = {}
    if (turn.toolTrace.length > 0) metadata.tool_trace = turn.toolTrace
    if (turn.usage) metadata.usage = turn.usage
    return textMessage('agent', text, Object.keys(metadata).length > 0 ? { metadata } : {})
  })
}

/** Credentials the model echoed are masked always; the compliance redactor, when given, runs after. */
function redact(
  text: string,
  redactor: ReplyRedactor | undefined,
): { text: string; types: readonly string[] } {
  const masked = maskSecrets(text)
  return redactor ? redactor(masked) : { text: masked, types: [] }
}

function failureReply(
  err: unknown,
  options: LangGraphExecutorOptions,
  ctx: RequestContext,
  limit: number,
): string {
  ctx.logger.error({ err }, 'agent run failed')
  const reply = providerErrorReply(err, options.spec)
  if (reply) return reply
  if ((err as { name?: unknown }).name === 'GraphRecursionError')
    return `${AGENT_ERROR_PREFIX} the agent used all ${limit} steps of LANGGRAPH_RECURSION_LIMIT without finishing. Ask for less per message or raise the limit.`
  return sanitizedAgentError(err)
}
