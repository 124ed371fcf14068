import type { Tool } from '@molecule/tools'
import { context, SpanKind, type Tracer } from '@opentelemetry/api'
import { ATTR } from './gen-ai.js'
import { type AgentIdentity, endSpan } from './traced-executor.js'

/** Each tool call inside an `execute_tool <name>` span, a child of whatever is active (the task's span). */
export function tracedTools(tools: readonly Tool[], tracer: Tracer, agent: AgentIdentity): Tool[] {
  return tools.map(
    (tool): Tool => ({
      ...tool,
      run(ctx, input) {
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
              const failed = typeof result === 'object' && result.isError === true
              endSpan(span, undefined, failed ? 'tool_error' : undefined)
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
