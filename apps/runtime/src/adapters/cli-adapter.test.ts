import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type AdapterConfig,
  defineExecutor,
  extractText,
  type Message,
  type Part,
  type RequestContext,
  textMessage,
} from '@molecule/adapter-core'
import { runExecutor } from '@molecule/adapter-core/runtime'
import { silentLogger } from '@molecule/core'
import { startDevPlatform } from '@molecule/dev-platform'
import { PlatformClient } from '@molecule/platform-client'
import { until } from '@molecule/test-support'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { waitGone } from '../../test/support/processes.js'
import { platformMemory } from '../memory-handle.js'
import { createCliAdapter, parseCliRuntimeConfig } from './cli-adapter.js'
import { echoAdapter } from './echo-adapter.js'

const logger = silentLogger

function config(runtimeConfig: Record<string, unknown>): AdapterConfig {
  return {
    model: 'none',
    tools: [],
    runtimeConfig,
    configPath: process.cwd(),
    workspaceId: 'w',
    promptFiles: [],
    a2aPort: 8000,
  }
}

function context(text: string, signal = new AbortController().signal, contextId = 'c'): RequestContext {
  return {
    taskId: 't',
    contextId,
    message: textMessage('user', text),
    text,
    history: [],
    metadata: undefined,
    signal,
    logger,
  }
}

async function run(runtimeConfig: Record<string, unknown>, text: string, signal?: AbortSignal) {
  const pids: number[] = []
  const adapter = createCliAdapter((pid) => pids.push(pid))
  const cfg = config(runtimeConfig)
  await adapter.setup?.(cfg)
  const executor = defineExecutor(await adapter.createExecutor(cfg))
  const statuses: string[] = []
  const outcome = await runExecutor(
    executor,
    context(text, signal),
    { status: (t) => statuses.push(t), artifact() {} },
    'a',
  )
  return { outcome, statuses, pids }
}

/** Runs the cli adapter on a message with these parts, in a workspace directory. */
async function runWith(
  runtimeConfig: Record<string, unknown>,
  workspaceDir: string,
  parts: Part[],
  extra: Partial<AdapterConfig> = {},
  contextId = 'c',
) {
  const adapter = createCliAdapter()
  const cfg = { ...config(runtimeConfig), workspaceDir, ...extra }
  await adapter.setup?.(cfg)
  const executor = defineExecutor(await adapter.createExecutor(cfg))
  const message: Message = { kind: 'message', messageId: 'm', role: 'user', parts }
  const ctx = { ...context(extractText(message), undefined, contextId), message }
  return runExecutor(executor, ctx, { status() {}, artifact() {} }, 'a')
}

describe('cli adapter', () => {
  it('pipes the message to stdin and replies with stdout, streaming it as status', async () => {
    const { outcome, statuses } = await run({ command: 'tr', args: ['a-z', 'A-Z'] }, 'hello cli')
    expect(outcome).toEqual({ state: 'completed', text: 'HELLO CLI' })
    expect(statuses.join('')).toBe('HELLO CLI')
  })

  it('passes the message as the last argument with input: arg (no separator for a CLI like echo)', async () => {
    const { outcome } = await run(
      { command: 'echo', args: ['got:'], input: 'arg', prompt_separator: '' },
      'an argument',
    )
    expect(outcome).toEqual({ state: 'completed', text: 'got: an argument' })
  })

  it('puts -- before the message argument by default, so a message is never read as an option', async () => {
    const printArgs = { command: 'sh', args: ['-c', 'printf "%s|" "$@"', 'sh', '-v'], input: 'arg' }
    const { outcome } = await run(printArgs, '--help me')
    expect(outcome).toEqual({ state: 'completed', text: '-v|--|--help me|' })
    expect(parseCliRuntimeConfig({ command: 'x' }).prompt_separator).toBe('--')
    const custom = await run({ ...printArgs, prompt_separator: '--prompt' }, 'hi')
    expect(custom.outcome).toEqual({ state: 'completed', text: '-v|--prompt|hi|' })
  })

  it('a message that looks like an option cannot make the command write a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-inject-'))
    try {
      const target = join(dir, 'written-by-sort')
      await run({ command: 'sort', input: 'arg', attempts: 1 }, `--output=${target}`)
      await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('fails a non-zero exit with a sanitized error that leaks neither stderr nor secrets', async () => {
    const { outcome } = await run(
      { command: 'sh', args: ['-c', 'echo "boom OPENAI_API_KEY=sk-secretsecretsecret" >&2; exit 7'] },
      'x',
    )
    expect(outcome.state).toBe('failed')
    const text = (outcome as { text: string }).text
    expect(text).toBe('Agent error (exit_7) — see workspace logs for details.')
  })

  it('a non-zero exit that printed a reply still answers with it (exit 0 or non-empty stdout is success)', async () => {
    const { outcome } = await run(
      {
        command: 'sh',
        args: ['-c', 'echo "partial answer"; echo "warning: OPENAI_API_KEY=sk-x" >&2; exit 1'],
      },
      'x',
    )
    expect(outcome).toEqual({ state: 'completed', text: 'partial answer' })
  })

  it('enforces runtime_config.timeout and leaves no process behind', async () => {
    const started = Date.now()
    const { outcome, pids } = await run(
      { command: 'sleep', args: ['30'], timeout_ms: 200, kill_grace_ms: 100 },
      'x',
    )
    expect(outcome).toEqual({
      state: 'failed',
      text: 'Agent error (timeout) — see workspace logs for details.',
    })
    expect(Date.now() - started).toBeLessThan(3000)
    expect(await waitGone(pids[0] ?? 0)).toBe(true)
  })

  it('cancels through the task signal and kills the process group', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 150)
    const { outcome, pids } = await run({ command: 'sleep', args: ['30'] }, 'x', controller.signal)
    expect(outcome.state).toBe('canceled')
    expect(await waitGone(pids[0] ?? 0)).toBe(true)
  })

  describe('retries (up to 3 attempts, backoff 5·2^n s)', () => {
    let dir: string
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cli-retry-'))
    })
    afterEach(() => rm(dir, { recursive: true, force: true }))
    const count = async () => (await readFile(join(dir, 'runs'), 'utf8')).trim().split('\n').length
    // Appends a line per run; fails the first `failures` runs with `stderr` and exit 1, then prints "ok".
    const flaky = (failures: number, stderr: string) =>
      `echo run >> "${dir}/runs"; n=$(wc -l < "${dir}/runs"); if [ $n -le ${failures} ]; then echo "${stderr}" >&2; exit 1; fi; echo ok`

    it('defaults to 3 attempts 5 s apart (doubling)', () => {
      expect(parseCliRuntimeConfig({ command: 'x' })).toMatchObject({ attempts: 3, retry_backoff_ms: 5000 })
    })

    it('an empty reply is retried, and after the last attempt says so', async () => {
      const { outcome } = await run(
        { command: 'sh', args: ['-c', `echo run >> "${dir}/runs"`], retry_backoff_ms: 10 },
        'x',
      )
      expect(outcome).toEqual({ state: 'completed', text: '(no response generated after retries)' })
      expect(await count()).toBe(3)
    })

    it.each([
      ['rate_limited', 'error 429: rate limit reached'],
      ['auth_failed', 'authentication failed'],
      ['session_error', 'no conversation found with session id'],
    ])('%s is retried and a later success is the reply', async (_category, stderr) => {
      const { outcome } = await run(
        { command: 'sh', args: ['-c', flaky(2, stderr)], retry_backoff_ms: 10 },
        'x',
      )
      expect(outcome).toEqual({ state: 'completed', text: 'ok' })
      expect(await count()).toBe(3)
    })

    it('other failures are not retried', async () => {
      const { outcome } = await run(
        { command: 'sh', args: ['-c', flaky(1, 'boom')], retry_backoff_ms: 10 },
        'x',
      )
      expect(outcome).toEqual({
        state: 'failed',
        text: 'Agent error (exit_1) — see workspace logs for details.',
      })
      expect(await count()).toBe(1)
    })

    it('a retryable failure on every attempt fails with its category', async () => {
      const { outcome } = await run(
        { command: 'sh', args: ['-c', flaky(9, 'overloaded')], retry_backoff_ms: 10, attempts: 2 },
        'x',
      )
      expect(outcome).toEqual({
        state: 'failed',
        text: 'Agent error (rate_limited) — see workspace logs for details.',
      })
      expect(await count()).toBe(2)
    })

    it('a cancel during the backoff ends the task at once', async () => {
      const controller = new AbortController()
      const started = Date.now()
      setTimeout(() => controller.abort(), 300)
      const { outcome } = await run(
        { command: 'sh', args: ['-c', flaky(9, 'rate limit')], retry_backoff_ms: 60_000 },
        'x',
        controller.signal,
      )
      expect(outcome.state).toBe('canceled')
      expect(Date.now() - started).toBeLessThan(3000)
      expect(await count()).toBe(1)
    })
  })

  it('appends the attachment manifest for uploaded files and accepts a file-only message', async () => {
    const ws = await realpath(await mkdtemp(join(tmpdir(), 'cli-attach-')))
    try {
      await mkdir(join(ws, '.molecule', 'chat-uploads'), { recursive: true })
      const path = join(ws, '.molecule', 'chat-uploads', 'notes.md')
      await writeFile(path, '# notes')
      const file = {
        kind: 'file' as const,
        file: {
          uri: 'workspace:/workspace/.molecule/chat-uploads/notes.md',
          name: 'notes.md',
          mimeType: 'text/markdown',
        },
      }
      const manifest = `Attached files:\n- notes.md (text/markdown) at ${path}`
      const cat = { command: 'cat' }
      const withText = await runWith(cat, ws, [{ kind: 'text', text: 'summarise this' }, file])
      expect(withText).toEqual({ state: 'completed', text: `summarise this\n\n${manifest}` })
      const fileOnly = await runWith(cat, ws, [file])
      expect(fileOnly).toEqual({ state: 'completed', text: manifest })
    } finally {
      await rm(ws, { recursive: true, force: true })
    }
  })

  it('runs in the workspace directory when it has files, else in the config directory', async () => {
    const ws = await realpath(await mkdtemp(join(tmpdir(), 'cli-cwd-')))
    try {
      const text = [{ kind: 'text' as const, text: 'where' }]
      expect(await runWith({ command: 'pwd' }, ws, text)).toEqual({ state: 'completed', text: process.cwd() })
      await writeFile(join(ws, 'README.md'), 'project')
      expect(await runWith({ command: 'pwd' }, ws, text)).toEqual({ state: 'completed', text: ws })
      expect(await runWith({ command: 'pwd', cwd: '/' }, ws, text)).toEqual({ state: 'completed', text: '/' })
    } finally {
      await rm(ws, { recursive: true, force: true })
    }
  })

  it('prepends delegation results that arrived while idle, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-deleg-'))
    try {
      const delegationResultsFile = join(dir, 'results.jsonl')
      await writeFile(
        delegationResultsFile,
        `${JSON.stringify({ delegation_id: 'd1', status: 'completed', summary: 'report ready', response_preview: 'all good' })}\n`,
      )
      const cfg = { command: 'cat' }
      const first = await runWith(cfg, dir, [{ kind: 'text', text: 'next task' }], { delegationResultsFile })
      expect(first).toEqual({
        state: 'completed',
        text: '[Delegation results received while you were idle]\n- [completed] report ready\n  Response: all good\n\n[New message]\nnext task',
      })
      const second = await runWith(cfg, dir, [{ kind: 'text', text: 'again' }], { delegationResultsFile })
      expect(second).toEqual({ state: 'completed', text: 'again' })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('puts the newest memories in front of every turn and remembers the turn after it', async () => {
    const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
    const dir = await mkdtemp(join(tmpdir(), 'cli-memory-'))
    try {
      const ws = await platform.createWorkspace({ name: 'cli', mint_token: true })
      const client = new PlatformClient({
        platformUrl: platform.url,
        workspaceId: ws.id,
        token: ws.token ?? '',
      })
      const memory = platformMemory(client, logger)
      const delegationResultsFile = join(dir, 'results.jsonl')
      await writeFile(
        delegationResultsFile,
        `${JSON.stringify({ status: 'completed', summary: 'report ready' })}\n`,
      )
      await client.commitMemory({ content: 'the customer prefers Mondays', scope: 'LOCAL' })

      const first = await runWith({ command: 'cat' }, dir, [{ kind: 'text', text: 'plan the week' }], {
        memory,
        delegationResultsFile,
      })
      expect(first).toEqual({
        state: 'completed',
        text:
          '[Prior context from memory]\n- [LOCAL] the customer prefers Mondays\n\n' +
          '[Delegation results received while you were idle]\n- [completed] report ready\n\n[New message]\nplan the week',
      })
      // The commit is not awaited by the turn: wait for it to land.
      const turn = '- [LOCAL] Conversation: plan the week'
      await until(async () => (await memory.recall()).startsWith(turn))

      const second = await runWith({ command: 'cat' }, dir, [{ kind: 'text', text: 'and next week?' }], {
        memory,
      })
      expect(second).toEqual({
        state: 'completed',
        text: `[Prior context from memory]\n${turn}\n- [LOCAL] the customer prefers Mondays\n\nand next week?`,
      })
    } finally {
      await platform.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it("keeps automatic memory per conversation: one caller never sees another caller's words", async () => {
    const platform = await startDevPlatform({ port: 0, logLevel: 'silent' })
    const dir = await mkdtemp(join(tmpdir(), 'cli-memory-ctx-'))
    try {
      const ws = await platform.createWorkspace({ name: 'cli', mint_token: true })
      const client = new PlatformClient({
        platformUrl: platform.url,
        workspaceId: ws.id,
        token: ws.token ?? '',
      })
      const memory = platformMemory(client, logger)
      const say = (contextId: string, text: string) =>
        runWith({ command: 'cat' }, dir, [{ kind: 'text', text }], { memory }, contextId)

      expect(await say('context-a', 'the launch code is 4711')).toEqual({
        state: 'completed',
        text: 'the launch code is 4711',
      })
      // The commit is not awaited by the turn: wait for it to land.
      await until(async () => (await client.searchMemories()).length === 1)

      const other = await say('context-b', 'hello')
      expect(other).toEqual({ state: 'completed', text: 'hello' })
      await until(async () => (await client.searchMemories()).length === 2)

      const again = await say('context-a', 'what was it?')
      expect(again).toEqual({
        state: 'completed',
        text: '[Prior context from memory]\n- [LOCAL] Conversation: the launch code is 4711\n\nwhat was it?',
      })
      const third = await say('context-b', 'and now?')
      expect(third).toEqual({
        state: 'completed',
        text: '[Prior context from memory]\n- [LOCAL] Conversation: hello\n\nand now?',
      })
    } finally {
      await platform.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a memory handle that cannot keep conversations apart is not used for automatic memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-memory-shared-'))
    try {
      const calls: string[] = []
      const memory = {
        recall: async () => {
          calls.push('recall')
          return "- [LOCAL] Conversation: another caller's words"
        },
        commit: async () => {
          calls.push('commit')
        },
      }
      const outcome = await runWith({ command: 'cat' }, dir, [{ kind: 'text', text: 'hi' }], { memory })
      expect(outcome).toEqual({ state: 'completed', text: 'hi' })
      await new Promise((r) => setTimeout(r, 20))
      expect(calls).toEqual([])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it("a memory handle that throws (a template's own) costs the turn its context, not its answer", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-memory-bad-'))
    try {
      const broken = {
        recall: () => Promise.reject(new Error('recall broke')),
        commit: () => Promise.reject(new Error('commit broke')),
      }
      const memory = { ...broken, conversation: () => broken }
      const outcome = await runWith({ command: 'cat' }, dir, [{ kind: 'text', text: 'still here' }], {
        memory,
      })
      expect(outcome).toEqual({ state: 'completed', text: 'still here' })
      // A rejected commit that nobody caught would surface as an unhandled rejection and fail this run.
      await new Promise((r) => setTimeout(r, 20))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reports a missing command as command_not_found', async () => {
    const { outcome } = await run({ command: 'no-such-binary-here' }, 'x')
    expect(outcome).toEqual({
      state: 'failed',
      text: 'Agent error (command_not_found) — see workspace logs for details.',
    })
  })

  it('rejects a config without a command, naming the field', () => {
    expect(() => parseCliRuntimeConfig({})).toThrow(/runtime_config\.command/)
    expect(() => parseCliRuntimeConfig({ command: 'x', input: 'file' })).toThrow(/runtime_config\.input/)
  })
})

describe('echo adapter', () => {
  it('answers with the text it got', async () => {
    const executor = defineExecutor(await echoAdapter.createExecutor(config({})))
    const outcome = await runExecutor(executor, context('ping'), { status() {}, artifact() {} }, 'a')
    expect(outcome).toEqual({ state: 'completed', text: 'ping' })
  })
})
