import { context, SpanKind, type Tracer } from '@opentelemetry/api'
import { ATTR } from './gen-ai.js'
import { type AgentIdentity, endSpan } from './traced-executor.js'

/** What tracing needs of a tool: the built-in tools and the skills' tools both have this shape. */
export interface RunnableTool {
  readonly name: string
  // biome-ignore lint/suspicious/noExplicitAny: the wrapper passes the caller's arguments through untouched
  run(ctx: any, input: any): Promise<unknown>
}

function failed(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { isError?: unknown }).isError === true
}

/** Each tool call inside an `execute_tool <name>` span, a child of whatever is active (the task's span). */
export function tracedTools<T extends RunnableTool>(
  tools: readonly T[],
  tracer: Tracer,
  agent: AgentIdentity,
): T[] {
  return tools.map(
    (tool): T => ({
      ...tool,
      run(ctx: unknown, input: unknown) {
        return tracer.startActiveSpan(
          `execute_tool ${tool.name}`,
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              [ATTR.operationName]: 'execute_tool',
              [ATTR.toolName]: tool.name,
              [ATTR.toolType]: 'function',
              [ATTR.agentId]: agent.workspaceId,
              [ATTR.workspaceId]: agent.workspaceId,
            },
          },
          context.active(),
          async (span) => {
            try {
              const result = await tool.run(ctx, input)
              endSpan(span, undefined, failed(result) ? 'tool_error' : undefined)
              return result
            } catch (err) {
              endSpan(span, err)
              throw err
            }
          },
        )
      },
    }),
  )
}
