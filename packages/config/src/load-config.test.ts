import { join } from 'node:path'
import { isMoleculeError, type MoleculeError } from '@molecule/core'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig, parseConfig } from './load-config.ts'
import { loadEnv } from './load-env.ts'
import { makeConfigDir } from './test-dirs.ts'

const env = loadEnv({}, { inDocker: false })
const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function dirWith(files: Record<string, string>): string {
  const made = makeConfigDir(files)
  cleanups.push(made.cleanup)
  return made.dir
}

async function failure(promise: Promise<unknown>): Promise<MoleculeError> {
  try {
    await promise
  } catch (err) {
    if (isMoleculeError(err)) return err
    throw err
  }
  throw new Error('expected a MoleculeError')
}

describe('loadConfig', () => {
  it('reads <dir>/config.yaml and reports its path', async () => {
    const dir = dirWith({ 'config.yaml': 'name: Researcher\nrole: finds things\n' })
    const loaded = await loadConfig(dir, { env })
    expect(loaded.path).toBe(join(dir, 'config.yaml'))
    expect(loaded.config.name).toBe('Researcher')
    expect(loaded.config.role).toBe('finds things')
    expect(loaded.warnings).toEqual([])
  })

  it('finds the directory through WORKSPACE_CONFIG_PATH and keeps shared_context', async () => {
    const dir = dirWith({ 'config.yaml': 'shared_context: [notes.md, plan.md]\n' })
    const fromEnv = loadEnv({ WORKSPACE_CONFIG_PATH: dir }, { inDocker: false })
    const loaded = await loadConfig(fromEnv.configPath, { env: fromEnv })
    expect(loaded.config.shared_context).toEqual(['notes.md', 'plan.md'])
  })

  it('a missing config.yaml is CONFIG_NOT_FOUND naming the file', async () => {
    const dir = dirWith({})
    const err = await failure(loadConfig(dir, { env }))
    expect(err.code).toBe('CONFIG_NOT_FOUND')
    expect(err.path).toBe(join(dir, 'config.yaml'))
    expect(err.message).toContain(`Config file not found: ${join(dir, 'config.yaml')}`)
    expect(err.fix).toContain('WORKSPACE_CONFIG_PATH')
  })

  it('an empty config.yaml loads as all defaults', async () => {
    const loaded = await loadConfig(dirWith({ 'config.yaml': '' }), { env })
    expect(loaded.config.name).toBe('Workspace')
    expect(loaded.config.a2a.port).toBe(8000)
  })

  it('YAML syntax errors carry line and column in the message and the path', async () => {
    const dir = dirWith({ 'config.yaml': 'name: ok\na2a:\n  port: [8000\nskills: []\n' })
    const err = await failure(loadConfig(dir, { env }))
    expect(err.code).toBe('CONFIG_YAML_SYNTAX')
    expect(err.message).toMatch(/\(line \d+, column \d+\)/)
    expect(err.path).toMatch(new RegExp(`^${join(dir, 'config.yaml')}:\\d+:\\d+$`))
    expect(err.message).not.toContain('\n')
  })

  it('reports the exact position of a tab-indented line', () => {
    try {
      parseConfig('name: ok\n\tport: 1\n', { env })
      throw new Error('expected a syntax error')
    } catch (err) {
      if (!isMoleculeError(err)) throw err
      expect(err.code).toBe('CONFIG_YAML_SYNTAX')
      expect(err.path).toBe('config.yaml:2:1')
      expect(err.message).toContain('(line 2, column 1)')
    }
  })

  it('duplicate keys are syntax errors, not silent overrides', () => {
    expect(() => parseConfig('name: a\nname: b\n', { env })).toThrowError(/line 2, column 1/)
  })

  it('an unreadable config.yaml is CONFIG_UNREADABLE', async () => {
    const dir = dirWith({ 'config.yaml/inner': 'x' })
    const err = await failure(loadConfig(dir, { env }))
    expect(err.code).toBe('CONFIG_UNREADABLE')
    expect(err.path).toBe(join(dir, 'config.yaml'))
  })
})

describe('initial_prompt / idle_prompt resolution', () => {
  it('inline text is used as written', async () => {
    const dir = dirWith({ 'config.yaml': 'initial_prompt: hello there\nidle_prompt: check backlog\n' })
    const { config } = await loadConfig(dir, { env })
    expect(config.initial_prompt).toBe('hello there')
    expect(config.idle_prompt).toBe('check backlog')
  })

  it('reads the file relative to the config dir and strips it when no inline text is set', async () => {
    const dir = dirWith({
      'config.yaml': 'initial_prompt_file: prompts/first.md\nidle_prompt_file: idle.md\n',
      'prompts/first.md': '\n  Say hi.\n\n',
      'idle.md': 'Look for work.\n',
    })
    const { config } = await loadConfig(dir, { env })
    expect(config.initial_prompt).toBe('Say hi.')
    expect(config.idle_prompt).toBe('Look for work.')
  })

  it('inline text wins over the file (the file is not even read)', async () => {
    const dir = dirWith({ 'config.yaml': 'initial_prompt: inline\ninitial_prompt_file: missing.md\n' })
    expect((await loadConfig(dir, { env })).config.initial_prompt).toBe('inline')
  })

  it('a missing prompt file is CONFIG_PROMPT_FILE with the key as path and the file in the message', async () => {
    const dir = dirWith({ 'config.yaml': 'idle_prompt_file: nope.md\n' })
    const err = await failure(loadConfig(dir, { env }))
    expect(err.code).toBe('CONFIG_PROMPT_FILE')
    expect(err.path).toBe('idle_prompt_file')
    expect(err.message).toContain(join(dir, 'nope.md'))
    expect(err.details).toEqual({ file: join(dir, 'nope.md') })
  })

  it('an unreadable prompt file (a directory) is CONFIG_PROMPT_FILE too', async () => {
    const dir = dirWith({ 'config.yaml': 'initial_prompt_file: prompts\n', 'prompts/x': '' })
    const err = await failure(loadConfig(dir, { env }))
    expect(err.code).toBe('CONFIG_PROMPT_FILE')
    expect(err.message).toContain('cannot read file')
  })
})

describe('env overrides', () => {
  it('MODEL_PROVIDER replaces model, even when empty', () => {
    const text = 'model: anthropic:claude-sonnet-4\n'
    expect(parseConfig(text, { env: loadEnv({ MODEL_PROVIDER: 'openai:gpt-5' }) }).config.model).toBe(
      'openai:gpt-5',
    )
    expect(parseConfig(text, { env: loadEnv({ MODEL_PROVIDER: '' }) }).config.model).toBe('')
    expect(parseConfig(text, { env }).config.model).toBe('anthropic:claude-sonnet-4')
  })

  it('DELEGATION_* and SANDBOX_* override the config blocks; unset variables leave them alone', () => {
    const text = 'delegation: {retry_attempts: 2, timeout: 60}\nsandbox: {backend: docker, timeout: 10}\n'
    const overridden = parseConfig(text, {
      env: loadEnv({
        DELEGATION_TIMEOUT: '300',
        DELEGATION_RETRY_DELAY: '0.5',
        SANDBOX_BACKEND: 'e2b',
        SANDBOX_MEMORY_LIMIT: '1g',
      }),
    }).config
    expect(overridden.delegation).toEqual({
      retry_attempts: 2,
      retry_delay: 0.5,
      timeout: 300,
      escalate: true,
    })
    expect(overridden.sandbox).toEqual({ backend: 'e2b', memory_limit: '1g', timeout: 10 })
    const plain = parseConfig(text, { env }).config
    expect(plain.delegation.timeout).toBe(60)
    expect(plain.sandbox.backend).toBe('docker')
  })

  it('parseConfig labels messages with the given source', () => {
    expect(() => parseConfig('tier: x', { env, source: 'team/config.yaml' })).toThrowError(
      /^team\/config\.yaml has 1 problem:/,
    )
  })
})
