import { classifySubprocessError, sanitizedAgentError } from '@molecule/adapter-core'
import { describe, expect, it } from 'vitest'
import { waitGone } from '../../test/support/processes.js'
import { runCommand } from './run-command.js'

describe('runCommand', () => {
  it('feeds stdin and streams stdout', async () => {
    const chunks: string[] = []
    const result = await runCommand({
      command: 'cat',
      args: [],
      stdin: 'hello there',
      onStdout: (c) => chunks.push(c),
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toBe('hello there')
    expect(chunks.join('')).toBe('hello there')
  })

  it('reports a non-zero exit with stderr kept for logs', async () => {
    const result = await runCommand({ command: 'sh', args: ['-c', 'echo "HTTP 429 slow down" >&2; exit 3'] })
    expect(result.exitCode).toBe(3)
    expect(classifySubprocessError(result.stderr, result.exitCode)).toBe('rate_limited')
  })

  it('kills the whole process group on timeout, grandchildren included', async () => {
    let grandchild = 0
    const started = Date.now()
    const result = await runCommand({
      command: 'sh',
      args: ['-c', 'sleep 30 & echo $!; wait'],
      timeoutMs: 200,
      killGraceMs: 200,
      onStdout: (chunk) => {
        grandchild = Number(chunk.trim())
      },
    })
    expect(result.timedOut).toBe(true)
    expect(Date.now() - started).toBeLessThan(3000)
    expect(grandchild).toBeGreaterThan(0)
    expect(await waitGone(grandchild)).toBe(true)
    expect(await waitGone(result.pid ?? 0)).toBe(true)
  })

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const result = await runCommand({
      command: 'sh',
      args: ['-c', "trap '' TERM; sleep 30 & wait; sleep 30"],
      timeoutMs: 100,
      killGraceMs: 150,
    })
    expect(result.timedOut).toBe(true)
    expect(await waitGone(result.pid ?? 0)).toBe(true)
  })

  it('cancels through the abort signal', async () => {
    const controller = new AbortController()
    let pid = 0
    const run = runCommand({
      command: 'sleep',
      args: ['30'],
      signal: controller.signal,
      onSpawn: (p) => {
        pid = p
      },
    })
    setTimeout(() => controller.abort(), 100)
    const result = await run
    expect(result.cancelled).toBe(true)
    expect(await waitGone(pid)).toBe(true)
  })

  it('reports a missing command without throwing', async () => {
    const result = await runCommand({ command: 'definitely-not-a-command-xyz', args: [] })
    expect(result.spawnError).toBe('ENOENT')
  })
})

describe('failure categories (adapter-core classifySubprocessError)', () => {
  it.each([
    ['Error: rate limit', 1, 'rate_limited'],
    ['invalid api_key', 1, 'auth_failed'],
    ['Authentication required', 1, 'auth_failed'],
    ['session expired', 1, 'session_error'],
    ['No conversation found with id', 1, 'session_error'],
    ['sessionless generate failed', 2, 'exit_2'],
    ['', 0, 'subprocess_error'],
  ])('%s → %s', (stderr, code, expected) => {
    expect(classifySubprocessError(stderr, code)).toBe(expected)
  })

  it('never echoes details', () => {
    expect(sanitizedAgentError(new Error('secret stderr'), 'exit_1')).toBe(
      'Agent error (exit_1) — see workspace logs for details.',
    )
  })
})
