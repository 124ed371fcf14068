import { isMoleculeError, type MoleculeError } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import type { ConfigProblem } from './config-problems.ts'
import { parseConfig } from './load-config.ts'
import { loadEnv } from './load-env.ts'

const env = loadEnv({}, { inDocker: false })
const parse = (text: string) => parseConfig(text, { env })
const defaults = parse('').config

function invalid(text: string): MoleculeError {
  try {
    parse(text)
  } catch (err) {
    if (isMoleculeError(err)) return err
    throw err
  }
  throw new Error('expected parseConfig to throw')
}

describe('top-level defaults', () => {
  it.each([
    ['name', 'Workspace'],
    ['description', ''],
    ['role', ''],
    ['version', '1.0.0'],
    ['tier', 1],
    ['model', 'anthropic:claude-opus-4-7'],
    ['runtime', 'langgraph'],
    ['initial_prompt', ''],
    ['idle_prompt', ''],
    ['idle_interval_seconds', 600],
    ['skills', []],
    ['plugins', []],
    ['tools', []],
    ['prompt_files', []],
    ['shared_context', []],
    ['sub_workspaces', []],
    ['effort', ''],
    ['task_budget', 0],
  ] as const)('%s defaults to %j', (key, value) => {
    expect(defaults[key]).toEqual(value)
  })

  it('an empty document, a comment-only document and explicit nulls all give the defaults', () => {
    expect(parse('# nothing here\n').config).toEqual(defaults)
    expect(parse('name:\ntier: ~\na2a:\nskills:\n').config).toEqual(defaults)
  })

  it('does not share default lists between loads', () => {
    const first = parse('').config
    first.skills.push('mutated')
    expect(parse('').config.skills).toEqual([])
  })
})

describe('nested defaults', () => {
  it.each([
    ['runtime_config.command', ''],
    ['runtime_config.args', []],
    ['runtime_config.required_env', []],
    ['runtime_config.timeout', 0],
    ['runtime_config.model', ''],
    ['runtime_config.auth_token_env', ''],
    ['runtime_config.auth_token_file', ''],
    ['a2a.port', 8000],
    ['a2a.streaming', true],
    ['a2a.push_notifications', true],
    ['a2a.result', 'message'],
    ['delegation.retry_attempts', 3],
    ['delegation.retry_delay', 5],
    ['delegation.timeout', 120],
    ['delegation.escalate', true],
    ['sandbox.backend', 'auto'],
    ['sandbox.memory_limit', '256m'],
    ['sandbox.timeout', 30],
    ['rbac.roles', ['operator']],
    ['rbac.allowed_actions', {}],
    ['hitl.channels', [{ type: 'dashboard' }]],
    ['hitl.default_timeout', 300],
    ['hitl.bypass_roles', []],
    ['governance.enabled', false],
    ['governance.toolkit', 'microsoft'],
    ['governance.policy_endpoint', ''],
    ['governance.policy_mode', 'audit'],
    ['governance.policy_file', ''],
    ['governance.blocked_patterns', []],
    ['governance.max_tool_calls_per_task', 50],
    ['security_scan.mode', 'warn'],
    ['security_scan.fail_open_if_no_scanner', true],
    ['compliance.mode', 'owasp_agentic'],
    ['compliance.prompt_injection', 'detect'],
    ['compliance.max_tool_calls_per_task', 50],
    ['compliance.max_task_duration_seconds', 300],
    ['prompt.skills', 'catalog'],
    ['prompt.skills_catalog_max_chars', 8000],
  ] as const)('%s defaults to %j', (path, value) => {
    const [block, key] = path.split('.') as [keyof typeof defaults, string]
    expect((defaults[block] as Record<string, unknown>)[key]).toEqual(value)
  })

  it('a partially written block keeps defaults for the keys it omits', () => {
    const { config } = parse('a2a:\n  port: 9000\ndelegation:\n  timeout: 30\n')
    expect(config.a2a).toEqual({
      port: 9000,
      streaming: true,
      push_notifications: true,
      result: 'message',
      list_tasks: false,
      auth: 'none',
      allowed_origins: [],
      allowed_hosts: [],
      max_concurrent_tasks: 64,
      max_queued_tasks: 256,
      max_part_bytes: 262_144,
      max_store_bytes: 67_108_864,
    })
    expect(config.delegation).toEqual({ retry_attempts: 3, retry_delay: 5, timeout: 30, escalate: true })
  })

  it('a2a security settings are read and checked', () => {
    const { config } = parse(
      'a2a:\n  auth: bearer\n  list_tasks: true\n  allowed_hosts: [agent.internal]\n  max_concurrent_tasks: 4\n',
    )
    expect(config.a2a).toMatchObject({
      auth: 'bearer',
      list_tasks: true,
      allowed_hosts: ['agent.internal'],
      max_concurrent_tasks: 4,
    })
    expect(() => parse('a2a:\n  auth: basic\n')).toThrow(/a2a\.auth/)
    expect(parse('a2a:\n  result: task\n').config.a2a.result).toBe('task')
    expect(() => parse('a2a:\n  result: tasks\n')).toThrow(
      /a2a\.result: got "tasks", expected one of message, task/,
    )
    expect(() => parse('a2a:\n  max_concurrent_tasks: 0\n')).toThrow(/a2a\.max_concurrent_tasks/)
  })

  it('email channels default smtp_port to 587', () => {
    const { config } = parse('hitl:\n  channels:\n    - {type: email, smtp_host: mail, from: a@x, to: b@x}\n')
    expect(config.hitl.channels[0]).toMatchObject({ type: 'email', smtp_port: 587, smtp_host: 'mail' })
  })
})

describe('parsing rules', () => {
  it('keeps unknown runtime_config keys (adapter-specific settings)', () => {
    const { config, warnings } = parse(
      'runtime_config:\n  agent_name: helper\n  temperature: 0.2\n  provider_url: http://x\n',
    )
    expect(config.runtime_config).toMatchObject({
      agent_name: 'helper',
      temperature: 0.2,
      provider_url: 'http://x',
    })
    expect(config.runtime_config.timeout).toBe(0)
    expect(warnings).toEqual([])
  })

  it('warns about unknown top-level and block keys without failing', () => {
    const { config, warnings } = parse('nmae: x\nmemory: {backend: x}\na2a:\n  prot: 1\n')
    expect(config).toEqual(defaults)
    expect('nmae' in config).toBe(false)
    expect(warnings).toHaveLength(3)
    expect(warnings[0]).toContain('unknown key "nmae"')
    expect(warnings[1]).toContain('"memory" is not used')
    expect(warnings[2]).toContain('"a2a.prot"')
  })

  it('an unknown key close to a known one gets a "did you mean"', () => {
    const { warnings } = parse(
      'nmae: x\nrutime: echo\nsystem_prompt: hi\na2a:\n  prot: 1\n  streming: true\nsecurity_scan:\n  mdoe: block\n',
    )
    expect(warnings).toEqual([
      expect.stringMatching(/unknown key "nmae" ignored\. Did you mean "name"\?$/),
      expect.stringMatching(/unknown key "rutime" ignored\. Did you mean "runtime"\?$/),
      expect.stringMatching(/unknown key "system_prompt" ignored\.$/),
      expect.stringMatching(/unknown key "a2a\.prot" ignored \(known: .*\)\. Did you mean "port"\?$/),
      expect.stringMatching(
        /unknown key "a2a\.streming" ignored \(known: .*\)\. Did you mean "streaming"\?$/,
      ),
      expect.stringMatching(/unknown key "security_scan\.mdoe" ignored .*Did you mean "mode"\?$/),
    ])
  })

  it('security_scan scalar shorthand means {mode: value}', () => {
    expect(parse('security_scan: block').config.security_scan).toEqual({
      mode: 'block',
      fail_open_if_no_scanner: true,
    })
    // YAML 1.1 reads a bare off as false; it still means off.
    expect(parse('security_scan: off').config.security_scan.mode).toBe('off')
    expect(parse('security_scan: {mode: off, fail_open_if_no_scanner: no}').config.security_scan).toEqual({
      mode: 'off',
      fail_open_if_no_scanner: false,
    })
    expect(invalid('security_scan: loud').path).toBe('security_scan.mode')
  })

  it('compliance: omitted and {} are owasp_agentic; "" and null opt out; prompt_injection stays detect', () => {
    expect(parse('compliance: {}').config.compliance.mode).toBe('owasp_agentic')
    expect(parse('compliance: {mode: ""}').config.compliance).toMatchObject({
      mode: '',
      prompt_injection: 'detect',
    })
    expect(parse('compliance:\n  mode:\n').config.compliance.mode).toBe('')
  })

  it('tier, idle_interval_seconds and task_budget accept digit strings as upstream int() did', () => {
    const { config } = parse('tier: "2"\nidle_interval_seconds: "90"\ntask_budget: "20000"\n')
    expect(config).toMatchObject({ tier: 2, idle_interval_seconds: 90, task_budget: 20000 })
  })

  it('hitl.default_timeout accepts a numeric string (upstream float())', () => {
    expect(parse('hitl: {default_timeout: "12.5"}').config.hitl.default_timeout).toBe(12.5)
  })

  it('reads YAML 1.1 booleans like the upstream loader', () => {
    const { config } = parse('a2a:\n  streaming: no\n  push_notifications: off\ngovernance: {enabled: yes}\n')
    expect(config.a2a.streaming).toBe(false)
    expect(config.a2a.push_notifications).toBe(false)
    expect(config.governance.enabled).toBe(true)
  })

  it('names the accepted channel types when a channel type is unknown', () => {
    expect(invalid('hitl: {channels: [{type: pigeon}]}').message).toContain(
      'hitl.channels[0].type: got "pigeon", expected dashboard, slack or email.',
    )
  })

  it('reports YAML warnings (unresolved tags) with their position instead of failing', () => {
    const { config, warnings } = parse('name: !custom Agent\n')
    expect(config.name).toBe('Agent')
    expect(warnings).toEqual(['config.yaml:1:7: Unresolved tag: !custom'])
  })

  it('keeps sub_workspaces maps as written', () => {
    const { config } = parse('sub_workspaces:\n  - {name: child, tier: 2}\n')
    expect(config.sub_workspaces).toEqual([{ name: 'child', tier: 2 }])
  })
})

describe('CONFIG_INVALID errors', () => {
  it.each([
    ['tier: gold', 'tier'],
    ['tier: -1', 'tier'],
    ['idle_interval_seconds: soon', 'idle_interval_seconds'],
    ['task_budget: 1.5', 'task_budget'],
    ['a2a: {port: "8000"}', 'a2a.port'],
    ['a2a: {port: 1e400}', 'a2a.port'],
    ['a2a: {streaming: maybe}', 'a2a.streaming'],
    ['a2a: 5', 'a2a'],
    ['delegation: {retry_delay: soon}', 'delegation.retry_delay'],
    // Beyond Node's longest timer a timeout would fire immediately; rejected rather than silently broken.
    ['delegation: {timeout: 1e20}', 'delegation.timeout'],
    ['sandbox: {timeout: 2147484}', 'sandbox.timeout'],
    ['idle_interval_seconds: 99999999', 'idle_interval_seconds'],
    ['sandbox: {backend: vm}', 'sandbox.backend'],
    ['rbac: {allowed_actions: {admin: delete}}', 'rbac.allowed_actions.admin'],
    ['hitl: {channels: [{type: pigeon}]}', 'hitl.channels[0].type'],
    ['hitl: {channels: [dashboard]}', 'hitl.channels[0]'],
    ['skills: notes', 'skills'],
    ['skills: [ok, 7]', 'skills[1]'],
    ['version: 1.0', 'version'],
    ['governance: {policy_mode: lax}', 'governance.policy_mode'],
    ['compliance: {mode: strictest}', 'compliance.mode'],
    ['runtime_config: {timeout: later}', 'runtime_config.timeout'],
    ['runtime_config: [1]', 'runtime_config'],
    ['- a\n- b', '(top level)'],
    ['just text', '(top level)'],
  ])('%j fails at %s', (text, path) => {
    const err = invalid(text)
    expect(err.code).toBe('CONFIG_INVALID')
    expect(err.path).toBe(path)
    const [problem] = err.details as ConfigProblem[]
    expect(problem?.path).toBe(path)
    expect(err.message).toContain(`${path}: got `)
    expect(err.message).toContain('Fix: ')
  })

  it('lists every problem, one per line, in file order', () => {
    const err = invalid('name: 5\na2a:\n  port: high\n  streaming: 3\nskills: x\n')
    const problems = err.details as ConfigProblem[]
    expect(problems.map((p) => p.path)).toEqual(['name', 'a2a.port', 'a2a.streaming', 'skills'])
    const lines = err.message.split('\n')
    expect(lines[0]).toBe('config.yaml has 4 problems:')
    expect(lines[2]).toBe(
      '  a2a.port: got "high", expected a port number (1-65535). Fix: Set a2a.port to a port number (1-65535), or delete it to use the default.',
    )
    expect(err.path).toBe('name')
    for (const p of problems) expect(p.expected && p.fix && p.value).toBeTruthy()
  })

  it('truncates long values to 60 characters', () => {
    // Words, not one long run: a run like `9x9x…` is masked whole as a possible secret before it is cut.
    const err = invalid(`tier: "${'nine '.repeat(80)}"`)
    const [problem] = err.details as ConfigProblem[]
    expect(problem?.value.length).toBeLessThanOrEqual(60)
    expect(problem?.value.endsWith('...')).toBe(true)
  })

  it('masks values under secret-looking keys', () => {
    const err = invalid(
      'hitl:\n  channels:\n    - {type: email, smtp_port: x, password: [hunter2]}\n    - {type: slack, webhook_url: [https://hooks.example/T0/SECRET]}\n',
    )
    expect(err.message).not.toContain('hunter2')
    expect(err.message).not.toContain('SECRET')
    expect(err.message).toContain('hitl.channels[1].webhook_url: got <redacted>')
  })
})
