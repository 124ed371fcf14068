import {
  buildSystemPrompt,
  type PromptFile,
  type PromptPeer,
  readPromptFiles,
  type SkillSummary,
} from '@molecule/adapter-core'
import type { Logger } from '@molecule/core'
import type { PlatformClient } from '@molecule/platform-client'

export type SystemPromptPlatform = Pick<
  PlatformClient,
  'resolveInstructions' | 'listPeers' | 'getSharedContext'
>

export interface SystemPromptOptions {
  configDir: string
  /** config.yaml `prompt_files`; empty = `system-prompt.md`. */
  promptFiles: readonly string[]
  /**
   * Where the platform parts come from (instructions, peers, the parent's context). Undefined: they are left out
   * without asking: the platform answers those calls only with the workspace's token, so before the first register
   * they could only be refused.
   */
  platform: SystemPromptPlatform | undefined
  /** Plugin rules (`## Platform Rules`) and prompt fragments (`## Platform Guidelines`). */
  pluginRules?: readonly string[]
  pluginPrompts?: readonly string[]
  /** The skills section's entries (the catalog, or whole skills with `prompt.skills: full`). */
  skills?: readonly SkillSummary[]
  /** The line under `## Your Skills` (how to load a skill's instructions). */
  skillsNote?: string
  /** `PARENT_ID`: when set, the parent's shared context is included. */
  parentId?: string
  /** Per platform call; the calls run in parallel, once, without retries. Default 3000 ms. */
  timeoutMs?: number
  /** Cancels the platform calls (the runtime is stopping); they then count as unavailable. */
  signal?: AbortSignal
  log: Logger
}

/** Memory snapshot files: added right after the prompt files when present and not listed among them already. */
const MEMORY_FILES = ['MEMORY.md', 'USER.md']

/**
 * The system prompt handed to adapters in `SetupResult`, assembled by adapter-core's `buildSystemPrompt` in this
 * order: platform instructions, prompt files, memory files, the parent's shared context, plugin rules and guidelines,
 * skills, peers and the
 * delegation-failure guidance. Every platform part fails open to "nothing" (a boot never
 * waits longer than `timeoutMs` for them), and without `platform` they are left out; missing prompt files were
 * already reported by preflight.
 */
export async function assembleSystemPrompt(opts: SystemPromptOptions): Promise<string> {
  const names = opts.promptFiles.length > 0 ? opts.promptFiles : ['system-prompt.md']
  const call = {
    timeoutMs: opts.timeoutMs ?? 3000,
    retry: false,
    ...(opts.signal ? { signal: opts.signal } : {}),
  }
  const { platform } = opts
  const failOpen =
    <T>(what: string, fallback: T) =>
    (err: unknown): T => {
      opts.log.debug({ err: (err as Error).message }, `${what} unavailable; system prompt without it`)
      return fallback
    }
  const [prompt, memory, instructions, peers, parentContext] = await Promise.all([
    readPromptFiles(opts.configDir, names),
    readPromptFiles(
      opts.configDir,
      MEMORY_FILES.filter((file) => !names.includes(file)),
    ),
    platform
      ? platform.resolveInstructions(call).then((r) => r.instructions, failOpen('platform instructions', ''))
      : '',
    platform
      ? platform.listPeers({}, call).then(
          (list): PromptPeer[] =>
            list.map((p) => ({
              id: p.id,
              ...(p.name ? { name: p.name } : {}),
              ...(p.status ? { status: p.status } : {}),
              agentCard: (p.agent_card ?? null) as PromptPeer['agentCard'],
            })),
          failOpen('peers', [] as PromptPeer[]),
        )
      : ([] as PromptPeer[]),
    platform && opts.parentId
      ? platform
          .getSharedContext(opts.parentId, call)
          .then(
            (files): PromptFile[] => files.map((f) => ({ name: f.path, content: f.content })),
            failOpen('parent context', [] as PromptFile[]),
          )
      : Promise.resolve([] as PromptFile[]),
  ])
  for (const file of prompt.missing) opts.log.debug({ file }, 'prompt file not readable; skipped')
  return buildSystemPrompt({
    platformInstructions: instructions,
    promptFiles: prompt.files,
    memoryFiles: memory.files,
    parentContext,
    pluginRules: opts.pluginRules ?? [],
    pluginPrompts: opts.pluginPrompts ?? [],
    skills: opts.skills ?? [],
    ...(opts.skillsNote ? { skillsNote: opts.skillsNote } : {}),
    peers,
  })
}
