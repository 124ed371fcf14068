import { type Logger, MoleculeError } from '@molecule/core'
import type { PlatformClient } from '@molecule/platform-client'
import { z } from 'zod'
import type { AuditSink } from './audit/audit-log.js'

/**
 * Where a peer id is known on one tenant (platform URL): the served workspace there it is reachable from. A
 * workspace id is unique only within its own platform, so the same id on two tenants is two different peers.
 */
export interface PeerRoute {
  /** The served workspace on that tenant the peer last talked to (or was listed by). */
  workspaceId: string
  /** That tenant's platform URL. */
  platformUrl: string
}

/**
 * Lets a tool act as any of the workspaces a process serves (the MCP bridge in multi mode).
 * The runtime serves one workspace and may omit it: tools then act as `ToolContext.workspaceId`.
 */
export interface WorkspaceDirectory {
  /** Every workspace id this process acts as, primary first. */
  ids(): string[]
  /** The client bound to that workspace's own token and platform URL; undefined when not served here. */
  clientFor(workspaceId: string): PlatformClient | undefined
  /**
   * Remember that one of our workspaces talked to a peer (inbound messages, peer listings, delegations), under
   * that workspace's tenant (platform URL): the peer is known on that tenant only.
   */
  rememberPeer(peerId: string, workspaceId: string): void
  /**
   * One route per tenant the peer id is known on (empty when unknown). Several routes mean several tenants hold
   * a workspace with that id, and only the caller can say which one it means.
   */
  peerRoutes(peerId: string): PeerRoute[]
  /** Why a served workspace cannot act right now (bad token, unreachable platform); undefined when healthy. */
  problemWith?(workspaceId: string): string | undefined
  /** Where a reply to the human goes by default: the arrival workspace of the user message being answered. */
  userReplyWorkspace?(): string | undefined
}

/** Values `get_runtime_identity` reports; the runtime fills them from its config, the bridge from env. */
export interface RuntimeIdentity {
  model?: string
  modelProvider?: string
  moleculeModel?: string
  anthropicBaseUrl?: string
  runtime?: string
}

export interface ToolContext {
  /** The workspace the call acts as by default (the primary). */
  workspaceId: string
  /** Client for `workspaceId`. */
  platform: PlatformClient
  logger: Logger
  signal: AbortSignal
  /** Workspace tier; GLOBAL memory needs tier 0. */
  tier?: number
  /** RBAC roles of the acting agent (default `['operator']`). */
  roles?: string[]
  /** Extra role → actions definitions from config (`rbac.allowed_actions`). */
  customRoles?: Record<string, string[]>
  /** Multi-workspace routing; absent for a single workspace. */
  workspaces?: WorkspaceDirectory
  identity?: RuntimeIdentity
  /** Where the tools record their decisions (the JSONL audit log); none when absent. */
  audit?: AuditSink
}

export type ToolResult = string | { text: string; isError?: boolean; data?: unknown }

export interface Tool<I extends z.ZodType = z.ZodType> {
  name: string
  description: string
  input: I
  run(ctx: ToolContext, input: z.infer<I>): Promise<ToolResult>
}

export function defineTool<I extends z.ZodType>(tool: Tool<I>): Tool<I> {
  return tool
}

/** A tool result normalised to its object form. */
export interface NormalisedResult {
  text: string
  isError: boolean
  data?: unknown
}

export function normaliseResult(result: ToolResult): NormalisedResult {
  if (typeof result === 'string')
    return {
      text: result,
      isError: /^(Error:|\[A2A_ERROR\]|DELEGATION FAILED|PERMISSION DENIED:)/.test(result),
    }
  const out: NormalisedResult = { text: result.text, isError: result.isError ?? false }
  if (result.data !== undefined) out.data = result.data
  return out
}

/** Turns zod issues into one line per bad argument, naming it. */
export function describeInputIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.join('.') : 'arguments'
      return `argument '${where}': ${issue.message}`
    })
    .join('; ')
}

export class ToolRegistry {
  readonly #tools = new Map<string, Tool>()

  constructor(tools: Iterable<Tool> = []) {
    for (const tool of tools) this.register(tool)
  }

  register(tool: Tool): this {
    if (this.#tools.has(tool.name)) {
      throw new MoleculeError(
        'TOOL_NAME_TAKEN',
        `tool '${tool.name}' is already registered; tool names must be unique`,
        { path: tool.name, fix: 'Give the new tool a name no registered tool uses, or register it once.' },
      )
    }
    this.#tools.set(tool.name, tool as Tool)
    return this
  }

  get(name: string): Tool | undefined {
    return this.#tools.get(name)
  }

  has(name: string): boolean {
    return this.#tools.has(name)
  }

  list(): Tool[] {
    return [...this.#tools.values()]
  }

  /** Validates raw input with the tool's schema, then runs it. Never throws for bad input or tool failures. */
  async call(name: string, ctx: ToolContext, rawInput: unknown): Promise<NormalisedResult> {
    const tool = this.#tools.get(name)
    if (!tool) return { text: `Unknown tool: ${name}`, isError: true }
    const parsed = tool.input.safeParse(rawInput ?? {})
    if (!parsed.success) {
      return {
        text: `Error: invalid arguments for ${name}: ${describeInputIssues(parsed.error)}`,
        isError: true,
      }
    }
    try {
      return normaliseResult(await tool.run(ctx, parsed.data))
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      ctx.logger.warn({ tool: name, err: message }, 'tool failed')
      return { text: `Error: ${name} failed: ${message}`, isError: true }
    }
  }
}

/** JSON Schema of a tool's input, for MCP `tools/list` and OpenAI-style function tools. */
export function inputJsonSchema(tool: Tool): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  delete schema.$schema
  return schema
}
