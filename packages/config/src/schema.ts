import { z } from 'zod'

/**
 * The config.yaml schema. Every field carries the upstream default; the `error` strings are the
 * "expected …" half of a problem line (see configProblems.ts), so they read as a noun phrase.
 */

/** YAML `key:` with no value is null; upstream treats an explicit null like an absent key. */
function nullAsDefault<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema)
}

export const STRING = 'a string'

function text(fallback: string) {
  return nullAsDefault(z.string({ error: STRING }).default(fallback))
}

function optionalText() {
  return nullAsDefault(z.string({ error: STRING }).optional())
}

function flag(fallback: boolean) {
  return nullAsDefault(z.boolean({ error: 'true or false' }).default(fallback))
}

interface WholeOptions {
  min: number
  /** Overrides the generated "a whole number …" wording. */
  expected?: string
  max?: number
  /** Upstream ran `int(v)` on this field, so a quoted number like "600" is accepted. */
  digitStrings?: boolean
}

function wholeNumber(fallback: number, options: WholeOptions) {
  const { min, max, digitStrings = false } = options
  const expected =
    options.expected ??
    (max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`)
  let schema = z.number({ error: expected }).int({ error: expected }).min(min, { error: expected })
  if (max !== undefined) schema = schema.max(max, { error: expected })
  const unquoted = (value: unknown) =>
    digitStrings && typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value
  return z.preprocess((value) => (value === null ? undefined : unquoted(value)), schema.default(fallback))
}

/**
 * Longest delay a Node timer can wait (2^31-1 ms). Larger values make setTimeout fire at once, so a
 * "huge timeout" would silently become no timeout: reject it instead.
 */
export const MAX_TIMER_SECONDS = 2_147_483

/** `digitStrings`: upstream parsed the field with `float()`, which accepts numeric strings. */
function seconds(fallback: number, { digitStrings = false } = {}) {
  const expected = `a number of seconds from 0 to ${MAX_TIMER_SECONDS}`
  const unquoted = (value: unknown) =>
    digitStrings && typeof value === 'string' && /^\s*\d+(\.\d*)?\s*$/.test(value) ? Number(value) : value
  return z.preprocess(
    (value) => (value === null ? undefined : unquoted(value)),
    z
      .number({ error: expected })
      .min(0, { error: expected })
      .max(MAX_TIMER_SECONDS, { error: expected })
      .default(fallback),
  )
}

function stringList(fallback: readonly string[] = []) {
  return nullAsDefault(
    z.array(z.string({ error: STRING }), { error: 'a list of strings' }).default(() => [...fallback]),
  )
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  const expected = `one of ${values.map((v) => (v === '' ? '""' : v)).join(', ')}`
  return nullAsDefault(z.enum(values, { error: expected }).default(fallback))
}

/** A nested block: absent or null ⇒ every field at its default (prefault runs the defaults). */
function block<T extends z.ZodType>(schema: T) {
  return nullAsDefault(schema.prefault({} as z.input<T>))
}

const MAPPING = 'a mapping of settings (key: value lines)'

export const runtimeConfigSchema = z.looseObject(
  {
    command: text(''),
    args: stringList(),
    required_env: stringList(),
    timeout: wholeNumber(0, { min: 0, max: MAX_TIMER_SECONDS }),
    model: text(''),
    /** Deprecated upstream; kept for the preflight "Auth token" check. */
    auth_token_env: text(''),
    /** Deprecated upstream; relative to the config directory. */
    auth_token_file: text(''),
  },
  { error: MAPPING },
)

export const a2aConfigSchema = z.object(
  {
    // Range is checked by preflight ("A2A port"), so port 0 loads and then fails there with a clear report.
    port: wholeNumber(8000, { min: Number.MIN_SAFE_INTEGER, expected: 'a port number (1-65535)' }),
    streaming: flag(true),
    push_notifications: flag(true),
    /**
     * What a completed `message/send` / `SendMessage` answers with: the agent's reply `message` (what the platform
     * and Molecule clients read), or the whole `task` (status, artifacts, history), as generic A2A clients expect.
     */
    result: oneOf(['message', 'task'], 'message'),
    /** `ListTasks` (A2A v1.0) answers at all; then only with the caller's own tasks. */
    list_tasks: flag(false),
    /** `bearer`: every route but the agent card needs the workspace token or the platform's inbound secret. */
    auth: oneOf(['none', 'bearer'], 'none'),
    /** Browser origins allowed to call the server (none by default: a foreign `Origin` is refused). */
    allowed_origins: stringList(),
    /** Host names accepted in `Host` besides IP literals, `localhost` and the advertised host (DNS rebinding guard). */
    allowed_hosts: stringList(),
    /** Tasks whose executor runs at once; more wait in a queue. */
    max_concurrent_tasks: wholeNumber(64, { min: 1, max: 100_000 }),
    /** Tasks waiting for a slot; beyond it a request is answered busy (HTTP 503, Retry-After). */
    max_queued_tasks: wholeNumber(256, { min: 0, max: 1_000_000 }),
    /** The largest single message part accepted, in bytes. */
    max_part_bytes: wholeNumber(262_144, { min: 1_024, max: 1_073_741_824 }),
    /** Byte budget of the stored tasks (history and artifacts included); the oldest finished go first. */
    max_store_bytes: wholeNumber(67_108_864, { min: 1_048_576, max: 17_179_869_184 }),
  },
  { error: MAPPING },
)

export const delegationConfigSchema = z.object(
  {
    retry_attempts: wholeNumber(3, { min: 1, max: 100 }),
    retry_delay: seconds(5),
    timeout: seconds(120),
    escalate: flag(true),
  },
  { error: MAPPING },
)

export const sandboxConfigSchema = z.object(
  {
    backend: oneOf(['subprocess', 'docker', 'e2b'], 'subprocess'),
    memory_limit: text('256m'),
    timeout: seconds(30),
  },
  { error: MAPPING },
)

export const rbacConfigSchema = z.object(
  {
    roles: stringList(['operator']),
    allowed_actions: nullAsDefault(
      z
        .record(z.string(), z.array(z.string({ error: STRING }), { error: 'a list of action names' }), {
          error: 'a mapping of role name to a list of actions',
        })
        .default(() => ({})),
    ),
  },
  { error: MAPPING },
)

const dashboardChannel = z.looseObject({ type: z.literal('dashboard') })
const slackChannel = z.looseObject({ type: z.literal('slack'), webhook_url: text('') })
const emailChannel = z.looseObject({
  type: z.literal('email'),
  smtp_host: text(''),
  smtp_port: wholeNumber(587, { min: 1, max: 65535 }),
  from: text(''),
  to: text(''),
  username: optionalText(),
  /** Falls back to SMTP_PASSWORD at send time. */
  password: optionalText(),
})

export const hitlChannelSchema = z.discriminatedUnion(
  'type',
  [dashboardChannel, slackChannel, emailChannel],
  {
    // Unknown or missing `type` is reported at `.type`; anything else at the channel itself.
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'dashboard, slack or email'
        : 'a channel mapping such as {type: dashboard}',
  },
)

export const hitlConfigSchema = z.object(
  {
    channels: nullAsDefault(
      z
        .array(hitlChannelSchema, { error: 'a list of channel mappings' })
        .default(() => [{ type: 'dashboard' as const }]),
    ),
    default_timeout: seconds(300, { digitStrings: true }),
    bypass_roles: stringList(),
  },
  { error: MAPPING },
)

export const governanceConfigSchema = z.object(
  {
    enabled: flag(false),
    toolkit: text('microsoft'),
    policy_endpoint: text(''),
    policy_mode: oneOf(['strict', 'permissive', 'audit'], 'audit'),
    policy_file: text(''),
    blocked_patterns: stringList(),
    max_tool_calls_per_task: wholeNumber(50, { min: 1 }),
  },
  { error: MAPPING },
)

/** YAML 1.1 reads a bare `off` as false; map it back so `security_scan: off` means what it says. */
function scanMode(value: unknown): unknown {
  return value === false ? 'off' : value
}

export const securityScanConfigSchema = z.preprocess(
  (value) => {
    if (value === null || value === undefined) return {}
    // Scalar shorthand: `security_scan: block` ≡ `security_scan: {mode: block}`.
    if (typeof value !== 'object') return { mode: scanMode(value) }
    if (Array.isArray(value)) return value
    const map = value as Record<string, unknown>
    return 'mode' in map ? { ...map, mode: scanMode(map.mode) } : map
  },
  z.object(
    {
      mode: oneOf(['block', 'warn', 'off'], 'warn'),
      fail_open_if_no_scanner: flag(true),
    },
    { error: 'a mode (block, warn, off) or a mapping with mode and fail_open_if_no_scanner' },
  ),
)

/** How skills reach the system prompt: the catalog (bodies through `activate_skill`) or every body inline. */
export const promptConfigSchema = z.object(
  {
    skills: oneOf(['catalog', 'full'], 'catalog'),
    skills_catalog_max_chars: wholeNumber(8000, { min: 200, digitStrings: true }),
  },
  { error: MAPPING },
)

export const complianceConfigSchema = z.object(
  {
    // Explicit null is an opt-out like "" (upstream: a falsy mode disables compliance).
    mode: z.preprocess(
      (value) => (value === null ? '' : value),
      z
        .enum(['owasp_agentic', ''], { error: 'owasp_agentic, or "" to turn compliance off' })
        .default('owasp_agentic'),
    ),
    prompt_injection: oneOf(['detect', 'block'], 'detect'),
    max_tool_calls_per_task: wholeNumber(50, { min: 1 }),
    max_task_duration_seconds: wholeNumber(300, { min: 1, max: MAX_TIMER_SECONDS }),
  },
  { error: MAPPING },
)

export const workspaceConfigSchema = z.object(
  {
    name: text('Workspace'),
    description: text(''),
    role: text(''),
    version: text('1.0.0'),
    // Upstream: int only when the value is all digits; we keep that and reject anything else.
    tier: wholeNumber(1, { min: 0, digitStrings: true }),
    model: text('anthropic:claude-opus-4-7'),
    runtime: text('langgraph'),
    runtime_config: block(runtimeConfigSchema),
    initial_prompt: text(''),
    initial_prompt_file: optionalText(),
    idle_prompt: text(''),
    idle_prompt_file: optionalText(),
    idle_interval_seconds: wholeNumber(600, { min: 1, max: MAX_TIMER_SECONDS, digitStrings: true }),
    skills: stringList(),
    plugins: stringList(),
    tools: stringList(),
    prompt_files: stringList(),
    prompt: block(promptConfigSchema),
    shared_context: stringList(),
    a2a: block(a2aConfigSchema),
    delegation: block(delegationConfigSchema),
    sandbox: block(sandboxConfigSchema),
    rbac: block(rbacConfigSchema),
    hitl: block(hitlConfigSchema),
    governance: block(governanceConfigSchema),
    security_scan: securityScanConfigSchema,
    compliance: block(complianceConfigSchema),
    sub_workspaces: nullAsDefault(
      z
        .array(z.record(z.string(), z.unknown(), { error: 'a mapping' }), {
          error: 'a list of mappings',
        })
        .default(() => []),
    ),
    effort: text(''),
    task_budget: wholeNumber(0, { min: 0, digitStrings: true }),
  },
  { error: 'a mapping of config keys (name: …, model: …)' },
)

/** A fully-defaulted config.yaml. Field names are the YAML keys (snake_case), as upstream. */
export type WorkspaceConfig = z.output<typeof workspaceConfigSchema>
export type RuntimeConfig = WorkspaceConfig['runtime_config']
export type A2AConfig = WorkspaceConfig['a2a']
export type DelegationConfig = WorkspaceConfig['delegation']
export type SandboxConfig = WorkspaceConfig['sandbox']
export type RBACConfig = WorkspaceConfig['rbac']
export type HITLConfig = WorkspaceConfig['hitl']
export type HITLChannel = HITLConfig['channels'][number]
export type GovernanceConfig = WorkspaceConfig['governance']
export type SecurityScanConfig = WorkspaceConfig['security_scan']
export type ComplianceConfig = WorkspaceConfig['compliance']

/** Blocks whose unknown keys are reported as warnings (runtime_config keeps them instead). */
export const closedBlocks = {
  a2a: a2aConfigSchema,
  delegation: delegationConfigSchema,
  sandbox: sandboxConfigSchema,
  rbac: rbacConfigSchema,
  hitl: hitlConfigSchema,
  governance: governanceConfigSchema,
  compliance: complianceConfigSchema,
} as const
