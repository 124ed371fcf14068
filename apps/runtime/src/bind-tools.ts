import { describeInputIssues, type Tool, type ToolContext } from '@molecule/tools'

/**
 * Tools handed to the adapter are bound to this workspace: whatever context the adapter passes (often just
 * `{ signal }`) is completed with the runtime's platform client, identity and logger. Input is validated with the
 * tool's schema first; a bad argument is answered as a tool error, never thrown.
 */
export function bindTools(tools: readonly Tool[], base: ToolContext): Tool[] {
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
        const merged: ToolContext = { ...base }
        for (const [key, value] of Object.entries(ctx ?? {})) {
          if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value
        }
        return tool.run(merged, parsed.data)
      },
    }),
  )
}
