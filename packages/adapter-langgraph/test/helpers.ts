import type { AdapterConfig, AgentTool, Executor, Message, RequestContext } from '@molecule/adapter-core'
import { runExecutor, type TaskOutcome } from '@molecule/adapter-core/runtime'
import { recordingLogger } from '@molecule/test-support'
import { z } from 'zod'

/** A tool as the runtime hands it over: zod input, validated run, an optional error result. */
export function agentTool(
  name: string,
  run: (input: Record<string, unknown>, signal?: AbortSignal) => string | Promise<string>,
  input: z.ZodType = z.object({ query: z.string().describe('what to look up') }),
): AgentTool & { calls: unknown[] } {
  const calls: unknown[] = []
  return {
    name,
    description: `the ${name} tool`,
    input,
    calls,
    async run(ctx, raw) {
      const parsed = input.safeParse(raw)
      if (!parsed.success) return { text: `Error: invalid arguments for ${name}`, isError: true }
      calls.push(parsed.data)
      return run(parsed.data as Record<string, unknown>, ctx?.signal)
    },
  }
}

export function adapterConfig(
  overrides: Partial<Omit<AdapterConfig, 'tools'>> & { agentTools?: AgentTool[] } = {},
): AdapterConfig {
  const { agentTools: tools = [], ...rest } = overrides
  return {
    model: 'anthropic:claude-opus-4-7',
    tools: [],
    runtimeConfig: {},
    configPath: '/nonexistent-config',
    workspaceId: 'ws-test',
    promptFiles: [],
    a2aPort: 0,
    env: {},
    setup: {
      systemPrompt: 'You are a test agent.',
      loadedSkills: [],
      tools,
      isCoordinator: false,
      children: [],
    },
    ...rest,
  }
}

export interface ArtifactEvent {
  artifactId: string
  text: string
  append: boolean
}

export interface DrivenRun {
  outcome: TaskOutcome
  artifacts: ArtifactEvent[]
  statuses: string[]
  logs: ReturnType<typeof recordingLogger>
}

/** Drives the executor the way the A2A server does (`runExecutor`), recording what it emits. */
export async function drive(
  executor: Executor,
  text: string,
  options: { metadata?: Record<string, unknown>; signal?: AbortSignal; contextId?: string } = {},
): Promise<DrivenRun> {
  const message: Message = {
    kind: 'message',
    messageId: 'm1',
    role: 'user',
    parts: text ? [{ kind: 'text', text }] : [],
  }
  const logs = recordingLogger()
  const ctx: RequestContext = {
    taskId: 't1',
    contextId: options.contextId ?? 'ctx-12345678-abcd',
    message,
    text,
    history: [],
    metadata: options.metadata,
    signal: options.signal ?? new AbortController().signal,
    logger: logs,
  }
  const artifacts: ArtifactEvent[] = []
  const statuses: string[] = []
  const outcome = await runExecutor(
    executor,
    ctx,
    {
      status: (s) => statuses.push(s),
      artifact: (chunk) =>
        artifacts.push({
          artifactId: chunk.artifactId,
          append: chunk.append,
          text: chunk.parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''),
        }),
    },
    'main',
  )
  return { outcome, artifacts, statuses, logs }
}

/** The reply text and metadata of a completed outcome. */
export function reply(outcome: TaskOutcome): { text: string; metadata: Record<string, unknown> | undefined } {
  if (outcome.state !== 'completed' || !outcome.message)
    throw new Error(`not a completed reply: ${JSON.stringify(outcome)}`)
  const part = outcome.message.parts[0]
  return { text: part?.kind === 'text' ? part.text : '', metadata: outcome.message.metadata }
}
