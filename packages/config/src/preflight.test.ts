import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from './load-config.ts'
import { loadEnv } from './load-env.ts'
import { type PreflightIssueInput, renderPreflightReport, runPreflight } from './preflight.ts'
import { makeConfigDir } from './test-dirs.ts'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** A config dir with a system prompt (so the prompt check is quiet unless a test wants it loud). */
function workspace(yaml: string, files: Record<string, string> = { 'system-prompt.md': 'You help.' }) {
  const made = makeConfigDir({ 'config.yaml': yaml, ...files })
  cleanups.push(made.cleanup)
  return made.dir
}

async function preflight(
  yaml: string,
  {
    vars = { ADAPTER_MODULE: 'adapter' } as NodeJS.ProcessEnv,
    files,
    checkAdapter,
  }: {
    vars?: NodeJS.ProcessEnv
    files?: Record<string, string>
    checkAdapter?: () => Promise<PreflightIssueInput | PreflightIssueInput[] | undefined>
  } = {},
) {
  const env = loadEnv(vars, { inDocker: false })
  const configDir = workspace(yaml, files)
  const { config } = parseConfig(yaml, { env, configDir })
  return runPreflight(config, { configDir, env, ...(checkAdapter ? { checkAdapter } : {}) })
}

describe('runPreflight: Runtime (adapter discovery)', () => {
  it('a matching adapter passes clean', async () => {
    const report = await preflight('runtime: echo', { checkAdapter: async () => undefined })
    expect(report).toEqual({ ok: true, issues: [], failures: [], warnings: [] })
  })

  it('without checkAdapter, an unset ADAPTER_MODULE fails', async () => {
    const report = await preflight('', { vars: {} })
    expect(report.ok).toBe(false)
    expect(report.failures).toHaveLength(1)
    expect(report.failures[0]).toMatchObject({ level: 'fail', severity: 'fail', title: 'Runtime' })
    expect(report.failures[0]?.detail).toContain('ADAPTER_MODULE')
  })

  it('drift reported by the adapter check is a warning, not a failure', async () => {
    const report = await preflight('runtime: langgraph', {
      checkAdapter: async () => ({
        severity: 'warn',
        title: 'Runtime',
        detail: 'config says langgraph, adapter is echo',
        fix: 'Set runtime: echo.',
      }),
    })
    expect(report.ok).toBe(true)
    expect(report.warnings).toEqual([
      {
        level: 'warn',
        severity: 'warn',
        title: 'Runtime',
        detail: 'config says langgraph, adapter is echo',
        fix: 'Set runtime: echo.',
      },
    ])
  })

  it('each discovery failure mode reported by the check stays a distinct failure', async () => {
    const report = await preflight('', {
      checkAdapter: async () => [
        { level: 'fail', title: 'Runtime', detail: 'import failed: SyntaxError' },
        { level: 'fail', title: 'Runtime', detail: 'module has no Adapter export' },
      ],
    })
    expect(report.failures.map((f) => f.detail)).toEqual([
      'import failed: SyntaxError',
      'module has no Adapter export',
    ])
    expect(report.failures.every((f) => f.fix === '')).toBe(true)
  })

  it('a throwing adapter check becomes a Runtime failure naming the error', async () => {
    const report = await preflight('', {
      checkAdapter: async () => {
        throw new TypeError('name() returned 42')
      },
    })
    expect(report.ok).toBe(false)
    expect(report.failures[0]?.detail).toContain('TypeError: name() returned 42')
  })
})

describe('runPreflight: A2A port', () => {
  it.each([0, -1, 65536])('port %i fails', async (port) => {
    const report = await preflight(`a2a: {port: ${port}}`)
    expect(report.failures).toEqual([expect.objectContaining({ title: 'A2A port' })])
    expect(report.failures[0]?.detail).toContain(String(port))
  })

  it.each([1, 8000, 65535])('port %i passes', async (port) => {
    expect((await preflight(`a2a: {port: ${port}}`)).ok).toBe(true)
  })
})

describe('runPreflight: Required env', () => {
  const yaml = 'runtime_config:\n  required_env: [ANTHROPIC_API_KEY, GITHUB_TOKEN]\n'

  it('passes when every required variable is set', async () => {
    const vars = { ADAPTER_MODULE: 'a', ANTHROPIC_API_KEY: 'k', GITHUB_TOKEN: 't' }
    expect((await preflight(yaml, { vars })).ok).toBe(true)
  })

  it('each missing or blank variable is its own failure naming it', async () => {
    const report = await preflight(yaml, { vars: { ADAPTER_MODULE: 'a', GITHUB_TOKEN: '  ' } })
    expect(report.failures.map((f) => f.title)).toEqual(['Required env', 'Required env'])
    expect(report.failures[0]?.detail).toContain('ANTHROPIC_API_KEY')
    expect(report.failures[1]?.detail).toContain('GITHUB_TOKEN')
    expect(report.failures[0]?.fix).toContain('secrets API')
  })

  it('a single missing variable is one failure', async () => {
    const report = await preflight('runtime_config: {required_env: [ONLY_ONE]}')
    expect(report.failures).toHaveLength(1)
    expect(report.failures[0]?.detail).toContain('ONLY_ONE')
  })
})

describe('runPreflight: Auth token (legacy auth_token_file)', () => {
  it('passes when the file exists', async () => {
    const report = await preflight('runtime_config: {auth_token_file: .token}', {
      files: { 'system-prompt.md': 'x', '.token': 'abc' },
    })
    expect(report.ok).toBe(true)
  })

  it('passes when the file is missing but auth_token_env names a set variable', async () => {
    const report = await preflight('runtime_config: {auth_token_file: .token, auth_token_env: MY_TOKEN}', {
      vars: { ADAPTER_MODULE: 'a', MY_TOKEN: 'x' },
    })
    expect(report.ok).toBe(true)
  })

  it('passes when the file is missing but every required_env variable is set', async () => {
    const report = await preflight('runtime_config: {auth_token_file: .token, required_env: [KEY]}', {
      vars: { ADAPTER_MODULE: 'a', KEY: 'x' },
    })
    expect(report.ok).toBe(true)
  })

  it('fails when the file is missing and no env source provides the token', async () => {
    const report = await preflight('runtime_config: {auth_token_file: .token, auth_token_env: MY_TOKEN}')
    expect(report.failures).toEqual([expect.objectContaining({ title: 'Auth token' })])
    expect(report.failures[0]?.detail).toContain('.token')
  })
})

describe('runPreflight: Prompt file and Skill (warnings only)', () => {
  it('a missing system-prompt.md (empty prompt_files) warns', async () => {
    const report = await preflight('', { files: {} })
    expect(report.ok).toBe(true)
    expect(report.warnings).toEqual([expect.objectContaining({ title: 'Prompt file', level: 'warn' })])
    expect(report.warnings[0]?.detail).toContain('system-prompt.md')
    // The user wrote no prompt_files: the fix must not tell them to remove the file from it.
    expect(report.warnings[0]?.fix).not.toContain('remove it from prompt_files')
    expect(report.warnings[0]?.fix).toContain('Create system-prompt.md')
  })

  it('a missing listed prompt file says it is listed in prompt_files', async () => {
    const report = await preflight('prompt_files: [persona.md]', { files: {} })
    expect(report.warnings[0]?.detail).toMatch(/^persona\.md \(listed in prompt_files\) not found/)
    expect(report.warnings[0]?.fix).toBe('Create persona.md or remove it from prompt_files.')
  })

  it('each missing entry of prompt_files warns; present ones do not', async () => {
    const report = await preflight('prompt_files: [a.md, b.md, c.md]', { files: { 'b.md': 'x' } })
    expect(report.warnings.map((w) => w.detail.split(' ')[0])).toEqual(['a.md', 'c.md'])
  })

  it('a skill without SKILL.md warns; a complete one does not', async () => {
    const report = await preflight('skills: [present, absent]', {
      files: { 'system-prompt.md': 'x', 'skills/present/SKILL.md': '---\nname: present\n---\n' },
    })
    expect(report.ok).toBe(true)
    expect(report.warnings).toEqual([expect.objectContaining({ title: 'Skill' })])
    expect(report.warnings[0]?.detail).toContain('skills/absent/SKILL.md')
  })
})

describe('runPreflight ordering', () => {
  it('lists issues in check order and splits them by level', async () => {
    const report = await preflight('a2a: {port: 0}\nskills: [s]\nruntime_config: {required_env: [K]}', {
      vars: {},
      files: {},
    })
    expect(report.issues.map((i) => i.title)).toEqual([
      'Runtime',
      'A2A port',
      'Required env',
      'Prompt file',
      'Skill',
    ])
    expect(report.failures).toHaveLength(3)
    expect(report.warnings).toHaveLength(2)
    expect(report.ok).toBe(false)
  })
})

describe('renderPreflightReport', () => {
  it('is silent when clean', async () => {
    expect(renderPreflightReport(await preflight('', { checkAdapter: async () => undefined }))).toBe('')
  })

  it('prints failures then warnings with indented Fix lines', async () => {
    const report = await preflight('a2a: {port: 0}', {
      files: {},
      checkAdapter: async () => ({ level: 'warn', title: 'Runtime', detail: 'drift' }),
    })
    expect(renderPreflightReport(report)).toBe(
      [
        'Preflight checks:',
        '  [FAIL] A2A port: a2a.port is 0; it must be between 1 and 65535.',
        '      Fix: Set a2a.port in config.yaml to a free port (default 8000).',
        '  [WARN] Runtime: drift',
        `  [WARN] Prompt file: ${report.warnings[1]?.detail}`,
        "      Fix: Create system-prompt.md with the agent's instructions, or list your own files under prompt_files in config.yaml.",
        '',
      ].join('\n'),
    )
  })
})
