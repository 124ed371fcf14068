import type { z } from 'zod'

/** What a tool call returns: text for the model, or text with an error flag and structured data. */
export type AgentToolResult = string | { text: string; isError?: boolean; data?: unknown }

/**
 * A tool as an adapter receives it in `SetupResult.tools`: already bound to the workspace by the runtime, so `run`
 * needs at most an abort signal. The built-in tools of `@molecule/tools` and tools from skills satisfy this shape;
 * adapter-core declares it itself so templates do not install the tools' dependencies.
 */
export interface AgentTool {
  readonly name: string
  /** What the tool does, written for the model. */
  readonly description: string
  /** The arguments' schema; `z.toJSONSchema(tool.input)` turns it into JSON Schema for a model's tool list. */
  readonly input: z.ZodType
  /** Validates `input` against the schema and runs the tool; an invalid input is an `isError` result, not a throw. */
  run(ctx: { signal?: AbortSignal } | undefined, input: unknown): Promise<AgentToolResult>
}
