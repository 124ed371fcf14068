import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import {
  CallToolRequestParamsSchema,
  CallToolRequestSchema,
  ListToolsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'
import { type Logger, maskKnownSecrets } from '@molecule/core'
import {
  ApprovalService,
  createPlatformTools,
  inputJsonSchema,
  JsonlAuditLog,
  type Tool,
  type ToolContext,
  ToolRegistry,
} from '@molecule/tools'
import { z } from 'zod'
import { CHANNEL_METHOD, channelParams } from './channel-push.js'
import { inboxTools } from './inbox-tools.js'
import { buildInstructions } from './instructions.js'
import type { WorkspacePool } from './workspace-pool.js'

export const SERVER_NAME = 'molecule'

export interface BridgeServerOptions {
  pool: WorkspacePool
  logger: Logger
  version: string
  push: boolean
  /** The bridge's own variables (TIER, MOLECULE_RBAC_ROLES); core ones come from `pool.config.runtimeEnv`. */
  env: Record<string, string | undefined>
  /** Overrides for tests (e.g. a short delegation budget). */
  tools?: Tool[]
}

/**
 * The longest an approval tool call waits for a human: MCP clients give up on a call after about 60 s, so an
 * undecided request answers `pending` with its id before that, and `check_approval` picks the decision up later.
 */
export const APPROVAL_WAIT_BUDGET_MS = 50_000

function parseTier(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const tier = Number(raw)
  return Number.isInteger(tier) && tier >= 0 ? tier : undefined
}

/**
 * The SDK's `tools/call` request with `arguments` of any type. Parsed with the SDK's own schema, a non-object
 * `arguments` fails before any handler and is answered as an internal error (-32603); this way it reaches the SDK
 * server's own request check, which answers invalid params (-32602), and our handler never sees it.
 */
const LENIENT_CALL_TOOL = CallToolRequestSchema.extend({
  params: CallToolRequestParamsSchema.extend({ arguments: z.unknown().optional() }),
})

/**
 * The MCP server: a static tool set (platform tools + inbox tools), instructions, and optional channel push.
 * Every call runs as a workspace chosen by the tools' routing rules through the pool.
 */
export function createBridgeServer(options: BridgeServerOptions): Server {
  const { pool, logger, env } = options
  const config = pool.config
  const approvals = new ApprovalService({ env, waitBudgetMs: APPROVAL_WAIT_BUDGET_MS })
  // The JSONL audit log only where the operator asked for one: the default path is a container's, not a laptop's.
  const audit = env.AUDIT_LOG_PATH?.trim()
    ? new JsonlAuditLog({ path: env.AUDIT_LOG_PATH.trim(), workspaceId: pool.primary.id, logger })
    : undefined
  const registry = new ToolRegistry([
    ...(options.tools ??
      createPlatformTools({
        env: config.runtimeEnv,
        syncViaDelegations: config.delegationSyncViaInbox,
        delegationTimeoutMs: config.delegationTimeoutMs,
        approvals,
      })),
    ...inboxTools(pool),
  ])
  // Built on the first tools/list, not at start: JSON-schema conversion is not on the cold-start path.
  let listed:
    | Array<{ name: string; description: string; inputSchema: { type: 'object'; [key: string]: unknown } }>
    | undefined
  const listTools = () =>
    (listed ??= registry.list().map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: inputJsonSchema(tool) as { type: 'object'; [key: string]: unknown },
    })))

  const server = new Server(
    { name: SERVER_NAME, version: options.version },
    {
      capabilities: { tools: { listChanged: false }, experimental: { 'claude/channel': {} } },
      instructions: buildInstructions({
        pollTimeoutSecs: config.pollTimeoutSecs,
        multi: pool.multi,
        push: options.push,
      }),
    },
  )

  // TIER is the bridge's own variable; WORKSPACE_TIER is a core one, so it comes from loadEnv (when set at all).
  const core = config.runtimeEnv
  const tier = parseTier(env.TIER) ?? (core.get('WORKSPACE_TIER')?.trim() ? core.workspaceTier : undefined)
  const roles = env.MOLECULE_RBAC_ROLES?.split(',')
    .map((r) => r.trim())
    .filter(Boolean)

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: listTools() }))
  server.setRequestHandler(LENIENT_CALL_TOOL, async (request, extra) => {
    const args = request.params.arguments ?? {}
    const primary = pool.primary
    const ctx: ToolContext = {
      workspaceId: primary.id,
      platform: primary.client,
      logger: logger.child({ tool: request.params.name }),
      signal: extra.signal,
      workspaces: pool,
      ...(tier !== undefined ? { tier } : {}),
      ...(roles && roles.length > 0 ? { roles } : {}),
      ...(audit ? { audit } : {}),
    }
    const result = await registry.call(request.params.name, ctx, args)
    // The one way out to the host: a token or key of this process that a tool's text echoes (an error quoting its
    // input) is masked here. Only known secrets: shape-based masking would also eat file ids in upload paths.
    const text = maskKnownSecrets(result.text)
    return { content: [{ type: 'text', text }], ...(result.isError ? { isError: true } : {}) }
  })

  if (options.push) {
    pool.onMessage((message) => {
      server
        .notification({ method: CHANNEL_METHOD, params: channelParams(message) })
        .catch((err: unknown) => {
          logger.debug({ err: (err as Error)?.message }, 'channel push failed (host gone?)')
        })
    })
  }
  return server
}
