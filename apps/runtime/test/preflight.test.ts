import { existsSync } from 'node:fs'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnRuntime, workspaceDirs } from './support/runtime-process.js'

// Nothing listens here: every case must fail before any platform call.
const NO_PLATFORM = 'http://127.0.0.1:9'
const STACK_LINE = /\n\s+at .+\(?.*:\d+:\d+\)?/

async function bootFails(
  configYaml: string,
  env: Record<string, string> = {},
  workspaceId: string = crypto.randomUUID(),
) {
  const dirs = await workspaceDirs(configYaml)
  const rt = spawnRuntime(workspaceId, NO_PLATFORM, dirs, env)
  const exit = await rt.exited
  return { exit, stderr: rt.stderr, dirs }
}

describe('bad configuration: clear report on stderr, exit 1, no stack trace', () => {
  it('prints the preflight report for a bad port and a missing required env var, after writing AGENTS.md', async () => {
    const { exit, stderr, dirs } = await bootFails(
      'name: Broken\nruntime: echo\nruntime_config:\n  required_env: [MOLECULE_TEST_MISSING_KEY]\na2a:\n  port: 0\n',
    )
    expect(exit).toEqual({ code: 1, signal: null })
    expect(stderr).toContain('Preflight checks:')
    expect(stderr).toMatch(/\[FAIL\] A2A port: .*a2a\.port/)
    expect(stderr).toMatch(/\[FAIL\] Required env: .*MOLECULE_TEST_MISSING_KEY/)
    expect(stderr).toContain('Fix:')
    expect(stderr).not.toMatch(STACK_LINE)
    expect(existsSync(join(dirs.workspace, 'AGENTS.md'))).toBe(true)
  })

  it('reports an adapter module that does not exist as a Runtime failure', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: echo\n', {
      ADAPTER_MODULE: './no/such/adapter.js',
    })
    expect(exit.code).toBe(1)
    expect(stderr).toMatch(/\[FAIL\] Runtime: .*no\/such\/adapter\.js/)
    expect(stderr).not.toMatch(STACK_LINE)
  })

  it('a WORKSPACE_ID that is not a UUID stops the boot with one line, before any platform call', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: echo\n', {}, 'my-agent')
    expect(exit.code).toBe(1)
    expect(stderr).toContain('WORKSPACE_ID "my-agent" is not a UUID.')
    expect(stderr).not.toMatch(STACK_LINE)
    expect(stderr).not.toContain('registration')
  })

  it('an empty config.yaml is not blamed for a runtime the user never wrote', async () => {
    const { exit, stderr } = await bootFails('')
    expect(exit.code).toBe(1)
    // The default runtime (langgraph) applies; nothing says config.yaml named it.
    expect(stderr).not.toMatch(/config\.yaml says runtime/)
    expect(stderr).not.toMatch(/\[FAIL\] Runtime/)
    expect(stderr).toContain('is empty: every setting takes its default')
    expect(stderr).not.toContain('remove it from prompt_files')
  })

  it('reports an unknown built-in runtime, listing the built-ins', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: crewai\n')
    expect(exit.code).toBe(1)
    expect(stderr).toMatch(/\[FAIL\] Runtime: .*built-ins: echo, cli, langgraph/)
  })

  it('an empty config.yaml is runtime langgraph with anthropic:claude-opus-4-7: without ANTHROPIC_API_KEY it fails preflight on one line naming it', async () => {
    const { exit, stderr } = await bootFails('')
    expect(exit.code).toBe(1)
    const failures = stderr.split('\n').filter((line) => line.includes('[FAIL]'))
    expect(failures).toEqual([
      '  [FAIL] Model: ANTHROPIC_API_KEY is not set; model "anthropic:claude-opus-4-7" needs it.',
    ])
    expect(stderr).not.toMatch(STACK_LINE)
  })

  it('an unknown model provider fails preflight naming `model`', async () => {
    const { exit, stderr } = await bootFails('model: mystery:m1\n')
    expect(exit.code).toBe(1)
    expect(stderr).toMatch(/\[FAIL\] Model: model "mystery:m1": provider "mystery" is not supported/)
  })

  it('names the line of a YAML syntax error', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: echo\na2a:\n  port: [8000\n')
    expect(exit.code).toBe(1)
    expect(stderr).toMatch(/config\.yaml/)
    expect(stderr).toMatch(/line \d+/)
    expect(stderr).not.toMatch(STACK_LINE)
  })

  it('rejects a wrongly typed field, naming it', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: echo\na2a:\n  port: eighty\n')
    expect(exit.code).toBe(1)
    expect(stderr).toContain('a2a.port')
    expect(stderr).not.toMatch(STACK_LINE)
  })

  it('refuses to start without WORKSPACE_ID', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: echo\n', {}, '')
    expect(exit.code).toBe(1)
    expect(stderr).toContain('WORKSPACE_ID')
    expect(stderr).toContain("Fix: Set WORKSPACE_ID to this workspace's UUID.")
    expect(stderr).not.toMatch(STACK_LINE)
  })

  it('rejects an invalid timer variable, naming it', async () => {
    const { exit, stderr } = await bootFails('name: X\nruntime: echo\n', {
      MOLECULE_SHUTDOWN_GRACE_MS: 'soon',
    })
    expect(exit.code).toBe(1)
    expect(stderr).toContain('MOLECULE_SHUTDOWN_GRACE_MS')
  })

  it('names the address and the fix when the A2A port is taken', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    try {
      const port = (taken.address() as AddressInfo).port
      const { exit, stderr } = await bootFails('name: X\nruntime: echo\n', {
        MOLECULE_A2A_PORT: String(port),
      })
      expect(exit.code).toBe(1)
      expect(stderr).toContain(`A2A server could not listen on 127.0.0.1:${port}`)
      expect(stderr).toContain('Fix: Free the port or change a2a.port in config.yaml.')
      expect(stderr).not.toMatch(STACK_LINE)
    } finally {
      await new Promise((resolve) => taken.close(resolve))
    }
  })
})
