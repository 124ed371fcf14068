import {
  currentTask,
  describeInputIssues,
  normaliseResult,
  type Tool,
  type ToolContext,
} from '@molecule/tools'

/** Records one built-in tool call in the audit ledger (hashes of its input and output). */
export interface ToolCallRecorder {
  onToolCall(sessionId: string, toolName: string, input: unknown, output: unknown): void
}

/**
 * Tools handed to the adapter are bound to this workspace: whatever context the adapter passes (often just
 * `{ signal }`) is completed with the runtime's platform client, identity and logger. Input is validated with the
 * tool's schema first; a bad argument is answered as a tool error, never thrown. Inside a task, the task's agency
 * limits are checked before the call (a refused call is answered as a tool error and audited) and the call is
 * recorded in the ledger when one is on.
 */
export function bindTools(tools: readonly Tool[], base: ToolContext, ledger?: ToolCallRecorder): Tool[] {
  return tools.map(
    (tool): Tool => ({
      ...tool,
      async run(ctx: Partial<ToolContext> | undefined, raw: unknown) {
        const parsed = tool.input.safeParse(raw ?? {})
        if (!parsed.success) {
          return {
            text: `Error: invalid arguments for ${tool.name}: ${describeInputIssues(parsed.error)}`,
            isError: true,
          }
        }
        const task = currentTask()
        const refusal = task?.gate?.beforeToolCall(tool.name)
        if (refusal) return { text: refusal, isError: true }
        const merged: ToolContext = { ...base }
        for (const [key, value] of Object.entries(ctx ?? {})) {
          if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
        }
        const result = await tool.run(merged, parsed.data)
        ledger?.onToolCall(task?.taskId ?? 'no-task', tool.name, parsed.data, normaliseResult(result).text)
        return result
      },
    }),
  )
}
