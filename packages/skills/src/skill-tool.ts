import { maskSecrets } from '@molecule/core'
import { z } from 'zod'

/** What a skill tool returns: text for the model, or text with an error flag and structured data. */
export type SkillToolResult = string | { text: string; isError?: boolean; data?: unknown }

/** The context a tool is called with: at least an abort signal; the runtime adds its `ToolContext` fields. */
export type SkillToolContext = { signal?: AbortSignal } & Record<string, unknown>

/** Where a tool came from. */
export interface SkillToolOrigin {
  skill: string
  /** Relative to the skill folder, e.g. `scripts/word_count.py`. */
  file: string
  /** `module`: exported by a JS module and run in this process; `script`: a program run per call. */
  kind: 'module' | 'script'
}

/**
 * A tool from a skill, in the shape adapters receive tools (`AgentTool` of `@molecule/adapter-core`): `run`
 * validates the input against `input` and answers a bad argument or a throw as an `isError` result.
 */
export interface SkillTool {
  readonly name: string
  readonly description: string
  readonly input: z.ZodType
  readonly origin: SkillToolOrigin
  run(ctx: SkillToolContext | undefined, input: unknown): Promise<SkillToolResult>
}

/** Model APIs accept tool names of letters, digits, `_` and `-`, at most 64 of them. */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/

/** True for a zod schema from any copy of zod 4 (recognised by its internals, not by `instanceof`). */
export function isZodSchema(value: unknown): value is z.ZodType {
  return (
    typeof value === 'object' &&
    value !== null &&
    '_zod' in value &&
    typeof (value as { safeParse?: unknown }).safeParse === 'function'
  )
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The zod schema of a tool's input: a zod schema as it is, a JSON schema through `z.fromJSONSchema` (its unsupported
 * features, such as `if`/`then` or a `$ref` it cannot resolve, are refused with zod's reason), none as an empty
 * object. The root must describe an object: model APIs take tool arguments as one.
 */
export function toolInputSchema(input: unknown): z.ZodType {
  if (input === undefined || input === null) return z.object({})
  if (isZodSchema(input)) {
    const json = z.toJSONSchema(input, { io: 'input', unrepresentable: 'any' }) as { type?: unknown }
    if (json.type !== 'object') throw new TypeError('the input schema must describe an object (z.object(…))')
    return input
  }
  if (!isMap(input)) throw new TypeError('the input schema must be a zod schema or a JSON schema object')
  const schema = input.type === undefined && isMap(input.properties) ? { type: 'object', ...input } : input
  if (schema.type !== 'object') throw new TypeError('the input schema must describe an object (type: object)')
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])
}

/** The JSON schema a model sees for a tool's input (what adapters send in their tool lists). */
export function toolInputJsonSchema(tool: { input: z.ZodType }): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  delete schema.$schema
  return schema
}

function inputIssues(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) => `argument '${issue.path.length > 0 ? issue.path.join('.') : 'arguments'}': ${issue.message}`,
    )
    .join('; ')
}

/** Whatever a tool's code returned, as a tool result (a non-text value is sent as JSON). */
export function asToolResult(value: unknown): SkillToolResult {
  if (typeof value === 'string') return value
  if (isMap(value) && typeof value.text === 'string') {
    return {
      text: value.text,
      ...(value.isError === true ? { isError: true } : {}),
      ...(value.data !== undefined ? { data: value.data } : {}),
    }
  }
  if (value === undefined) return ''
  return { text: JSON.stringify(value) ?? String(value), data: value }
}

/** Wraps `call` as a tool: input validated first, a throw answered as an error result (its message masked). */
export function skillTool(
  spec: { name: string; description: string; input: z.ZodType; origin: SkillToolOrigin },
  call: (ctx: SkillToolContext, input: unknown) => Promise<SkillToolResult> | SkillToolResult,
): SkillTool {
  const { name, input } = spec
  return {
    ...spec,
    async run(ctx, raw) {
      const parsed = input.safeParse(raw ?? {})
      if (!parsed.success) {
        return { text: `Error: invalid arguments for ${name}: ${inputIssues(parsed.error)}`, isError: true }
      }
      try {
        return asToolResult(await call(ctx ?? {}, parsed.data))
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        return { text: `Error: ${name} failed: ${maskSecrets(reason)}`, isError: true }
      }
    },
  }
}
