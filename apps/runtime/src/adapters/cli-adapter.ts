import { readdir } from 'node:fs/promises'
import {
  type Adapter,
  type AdapterConfig,
  attachedFiles,
  attachmentManifest,
  classifySubprocessError,
  type RequestContext,
  readDelegationResults,
  sanitizedAgentError,
  type TaskEvents,
} from '@molecule/adapter-core'
import { z } from 'zod'
import { CONVERSATION_MEMORY_PREFIX, isConversationMemory } from '../memory-handle.js'
import { RuntimeError } from '../runtime-error.js'
import { scrubContent } from '../snapshot/scrub-secrets.js'
import { runCommand } from './run-command.js'

/** `runtime_config` keys the `cli` adapter reads; everything else in the block is ignored. */
export const cliRuntimeConfigSchema = z.object({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  /** `stdin`: the message is piped in; `arg`: it is appended as the last argument. */
  input: z.enum(['stdin', 'arg']).default('stdin'),
  /**
   * With `input: arg`, the argument put before the message so a message starting with `-` is never read as an
   * option (`--output=…`). Default `--`; `""` for a CLI that does not understand it.
   */
  prompt_separator: z.string().default('--'),
  /** Seconds per message; 0 = no limit. */
  timeout: z.number().int().nonnegative().default(300),
  /** Milliseconds per message; when set it wins over `timeout` (sub-second limits, tests). */
  timeout_ms: z.number().int().nonnegative().optional(),
  /** Working directory; default: the workspace directory when it has files, else the config directory. */
  cwd: z.string().min(1).optional(),
  /** Milliseconds between SIGTERM and SIGKILL of the process group. */
  kill_grace_ms: z.number().int().nonnegative().default(2000),
  /** Runs per message when the reply is empty or the failure is rate_limited / auth_failed / session_error. */
  attempts: z.number().int().min(1).max(10).default(3),
  /** Milliseconds before the first retry; doubles for each further one (by default 5 s, then 10 s, 20 s, …). */
  retry_backoff_ms: z.number().int().nonnegative().default(5000),
})

/** Failure categories worth another run (a transient limit, a login or session hiccup); any other failure is final. */
const RETRIED = new Set(['rate_limited', 'auth_failed', 'session_error'])

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

export type CliRuntimeConfig = z.output<typeof cliRuntimeConfigSchema>

export function parseCliRuntimeConfig(runtimeConfig: Readonly<Record<string, unknown>>): CliRuntimeConfig {
  const parsed = cliRuntimeConfigSchema.safeParse(runtimeConfig)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = `runtime_config.${issue?.path.join('.') || 'command'}`
  throw new RuntimeError(
    'CLI_CONFIG_INVALID',
    `${field}: ${issue?.message ?? 'invalid'}. Fix: set runtime_config.command (and optionally args: [..], input: stdin|arg, prompt_separator: "--"|"", timeout: <seconds>) in config.yaml.`,
  )
}

/** Called with each started child's pid; lets process-level tests look for orphans. */
export type PidObserver = (pid: number) => void

/**
 * Runs a command-line agent (`claude -p`, `codex exec`, `ollama run llama3`, …) once per message. stdout is
 * streamed back as status updates and becomes the reply; a failure is reported as a failed task with a
 * category-only message — stderr stays in the workspace log, never in the reply.
 */
export function createCliAdapter(observePid?: PidObserver): Adapter {
  let settings: CliRuntimeConfig | undefined
  return {
    name: 'cli',
    displayName: 'Command-line agent',
    description: 'Runs runtime_config.command once per message and replies with its output.',
    configSchema: z.toJSONSchema(cliRuntimeConfigSchema) as Record<string, unknown>,
    setup(config: AdapterConfig) {
      settings = parseCliRuntimeConfig(config.runtimeConfig)
    },
    createExecutor(config: AdapterConfig) {
      const cfg = settings ?? parseCliRuntimeConfig(config.runtimeConfig)
      // The workspace directory when it exists and has files, else the config directory; decided per run.
      const workDir = async (): Promise<string> => {
        if (cfg.cwd !== undefined) return cfg.cwd
        if (config.workspaceDir !== undefined) {
          const entries = await readdir(config.workspaceDir).catch(() => [])
          if (entries.length > 0) return config.workspaceDir
        }
        return config.configPath
      }
      return async (ctx, events) => {
        // Uploaded files are announced by an attachment manifest; only then is the input empty.
        const files = await attachedFiles(ctx.message, config.workspaceDir)
        const input = (ctx.text + attachmentManifest(files)).trim()
        if (input.length === 0) return 'Error: message contained no text content.'
        const cwd = await workDir()
        // Results of async delegations that finished while idle are handed to the agent once, first.
        const results = config.delegationResultsFile
          ? await readDelegationResults(config.delegationResultsFile)
          : ''
        const withResults = results
          ? `[Delegation results received while you were idle]\n${results}\n\n[New message]\n${input}`
          : input
        // The newest memories of this conversation go in front of every turn, and the turn itself is remembered
        // after it, for this conversation only: one caller's words never reach another caller's prompt. A handle
        // that cannot keep conversations apart gets no automatic memory at all.
        const memory = isConversationMemory(config.memory)
          ? config.memory.conversation(ctx.contextId, ctx.callerId)
          : undefined
        // The handle promises not to throw; a template's own handle gets the same tolerance anyway.
        const recalled = (await memory?.recall(ctx.signal).catch(() => '')) ?? ''
        const prompt = recalled ? `[Prior context from memory]\n${recalled}\n\n${withResults}` : withResults
        try {
          return await runTurn({ cfg, prompt, cwd, ctx, events, observePid })
        } finally {
          // Not awaited: the reply should not wait on a platform round trip.
          void memory?.commit(`${CONVERSATION_MEMORY_PREFIX}${input.slice(0, 200)}`).catch(() => {})
        }
      }
    },
  }
}

interface Turn {
  cfg: CliRuntimeConfig
  prompt: string
  cwd: string
  ctx: RequestContext
  events: TaskEvents
  observePid: PidObserver | undefined
}

/** Runs the command for one turn with its retries: the reply text, or undefined after `events.fail`. */
async function runTurn({ cfg, prompt, cwd, ctx, events, observePid }: Turn): Promise<string | undefined> {
  const log = ctx.logger.child({ adapter: 'cli', command: cfg.command })
  let category = ''
  for (let attempt = 0; attempt < cfg.attempts; attempt++) {
    if (attempt > 0) {
      const delayMs = cfg.retry_backoff_ms * 2 ** (attempt - 1)
      log.warn({ attempt: attempt + 1, of: cfg.attempts, delayMs, reason: category }, 'retrying cli command')
      await pause(delayMs, ctx.signal)
      if (ctx.signal.aborted) return undefined
    }
    const result = await runCommand({
      command: cfg.command,
      args:
        cfg.input === 'arg'
          ? [...cfg.args, ...(cfg.prompt_separator ? [cfg.prompt_separator] : []), prompt]
          : cfg.args,
      ...(cfg.input === 'stdin' ? { stdin: prompt } : {}),
      cwd,
      timeoutMs: cfg.timeout_ms ?? cfg.timeout * 1000,
      killGraceMs: cfg.kill_grace_ms,
      signal: ctx.signal,
      onStdout: (chunk) => events.status(chunk),
      ...(observePid ? { onSpawn: observePid } : {}),
    })
    if (result.cancelled) return undefined
    if (result.spawnError) {
      log.error({ code: result.spawnError }, 'cli command could not be started')
      events.fail(
        sanitizedAgentError(undefined, result.spawnError === 'ENOENT' ? 'command_not_found' : 'spawn_failed'),
      )
      return undefined
    }
    if (result.timedOut) {
      log.warn(
        { timeoutMs: cfg.timeout_ms ?? cfg.timeout * 1000 },
        'cli command timed out; process group killed',
      )
      events.fail(sanitizedAgentError(undefined, 'timeout'))
      return undefined
    }
    const output = result.stdout.trim()
    if (output.length > 0) {
      // A command that printed a reply succeeded, whatever its exit code (CLIs often exit 1 on warnings).
      if (result.exitCode !== 0)
        log.warn(
          { exitCode: result.exitCode, stderr: scrubContent(result.stderr.slice(-4096)) },
          'cli command exited non-zero after printing a reply; replying with its output',
        )
      return output
    }
    if (result.exitCode === 0) {
      category = 'empty_reply'
      continue
    }
    category = classifySubprocessError(result.stderr, result.exitCode)
    log.error(
      {
        exitCode: result.exitCode,
        signal: result.signal,
        stderr: scrubContent(result.stderr.slice(-4096)),
        attempt: attempt + 1,
      },
      'cli command failed',
    )
    if (!RETRIED.has(category)) break
  }
  if (category === 'empty_reply')
    return cfg.attempts > 1 ? '(no response generated after retries)' : '(no response generated)'
  events.fail(sanitizedAgentError(undefined, category))
  return undefined
}
