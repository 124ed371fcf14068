import { normaliseResult, type Tool } from '../registry.js'

type Input = Record<string, unknown>

interface AuditRule {
  eventType: string
  action: string
  resource(input: Input): string
  /** Outcome recorded before the call runs. */
  before: string
  extra?(input: Input): Record<string, unknown>
  /** Outcome of a call that did not fail; default `success`. */
  after?(text: string): string
}

const text = (value: unknown) => (typeof value === 'string' ? value : '')
const scopeOf = (input: Input, fallback: string) => text(input.scope).trim().toUpperCase() || fallback

/** The audit vocabulary of the built-in tools: event type, action, resource and the outcomes around the call. */
const RULES: Readonly<Record<string, AuditRule>> = {
  delegate_task: {
    eventType: 'delegation',
    action: 'delegate',
    resource: (input) => text(input.workspace_id).trim(),
    before: 'dispatched',
    extra: (input) => ({ task_preview: text(input.task).slice(0, 200) }),
    after: (reply) => (/\bqueued\b/i.test(reply.slice(0, 200)) ? 'queued' : 'success'),
  },
  delegate_task_async: {
    eventType: 'delegation',
    action: 'delegate',
    resource: (input) => text(input.workspace_id).trim(),
    before: 'dispatched',
    extra: (input) => ({ task_preview: text(input.task).slice(0, 200), mode: 'async' }),
  },
  commit_memory: {
    eventType: 'memory',
    action: 'memory.write',
    resource: (input) => scopeOf(input, 'LOCAL'),
    before: 'allowed',
    extra: (input) => ({ content_length: text(input.content).length }),
  },
  recall_memory: {
    eventType: 'memory',
    action: 'memory.read',
    resource: (input) => scopeOf(input, 'all'),
    before: 'allowed',
  },
}

/**
 * Wraps the built-in tools that act on other workspaces or on memory so every call is written to the audit log:
 * the decision before the call (`dispatched`, `allowed`) and its outcome after (`success`, `failure`, `queued`).
 * Tools without a rule are returned as they are.
 */
export function withAudit(tool: Tool): Tool {
  const rule = RULES[tool.name]
  if (!rule) return tool
  return {
    ...tool,
    async run(ctx, input) {
      const args = (input ?? {}) as Input
      const resource = rule.resource(args)
      const audit = ctx.audit
      const traceId = audit?.log(rule.eventType, rule.action, resource, rule.before, rule.extra?.(args) ?? {})
      const result = normaliseResult(await tool.run(ctx, input))
      audit?.log(
        rule.eventType,
        rule.action,
        resource,
        result.isError ? 'failure' : (rule.after?.(result.text) ?? 'success'),
        {
          trace_id: traceId,
          ...(result.isError ? { error: result.text.slice(0, 200) } : {}),
        },
      )
      return result
    },
  }
}
