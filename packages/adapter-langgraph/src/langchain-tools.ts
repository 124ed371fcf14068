import { DynamicStructuredTool } from '@langchain/core/tools'
import type { AgentTool } from '@molecule/adapter-core'

/**
 * An `AgentTool` (built-in, skill or plugin tool, already bound to the workspace by the runtime) as a LangChain tool:
 * the same name, description and zod schema, so the model sees the schema the tool validates against. The call's
 * abort signal (the task's cancel) reaches the tool. Tool errors come back as text for the model, never as throws.
 */
export function toLangChainTool(tool: AgentTool): DynamicStructuredTool {
  return new DynamicStructuredTool({
    name: tool.name,
    description: tool.description,
    schema: tool.input as never,
    func: async (input: unknown, _runManager, config) => {
      const signal = config?.signal
      const result = await tool.run(signal ? { signal } : undefined, input)
      return typeof result === 'string' ? result : result.text
    },
  })
}
