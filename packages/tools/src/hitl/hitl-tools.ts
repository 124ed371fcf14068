import { z } from 'zod'
import { noAudit } from '../audit/audit-log.js'
import { defineTool, type Tool } from '../registry.js'
import { PauseRegistry } from './pause-registry.js'

export interface HitlToolsOptions {
  /** config.yaml `hitl.default_timeout`: how long a paused task waits for a resume, in seconds (default 300). */
  defaultTimeoutSeconds?: number
  registry?: PauseRegistry
}

/**
 * `pause_task`, `resume_task` and `list_paused_tasks`: an agent parks a task until another turn (or a human through
 * the agent) resumes it. Only the workspace that paused a task can resume it. Every step is audited.
 */
export function hitlTools(options: HitlToolsOptions = {}): Tool[] {
  const registry = options.registry ?? new PauseRegistry()
  const timeoutSeconds = options.defaultTimeoutSeconds ?? 300

  const pauseTask = defineTool({
    name: 'pause_task',
    description: `Pause a task until resume_task is called for it (waits up to ${timeoutSeconds} s).`,
    input: z.object({
      task_id: z.string().describe('The task to pause.'),
      reason: z.string().optional().describe('Why it waits.'),
    }),
    async run(ctx, input) {
      const audit = ctx.audit ?? noAudit
      const taskId = input.task_id.trim()
      if (!taskId) return 'Error: task_id is required'
      const { resumed, release } = registry.register(taskId, ctx.workspaceId, input.reason ?? '')
      audit.log('hitl', 'pause', taskId, 'paused', { reason: input.reason ?? '' })
      let timer: NodeJS.Timeout | undefined
      try {
        const outcome = await Promise.race([
          resumed.then(() => 'resumed' as const),
          new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000)
            ctx.signal.addEventListener('abort', () => resolve('timeout'), { once: true })
          }),
        ])
        if (outcome === 'resumed') {
          audit.log('hitl', 'resume', taskId, 'resumed')
          return JSON.stringify({ resumed: true, task_id: taskId, ...registry.resultOf(taskId) })
        }
        audit.log('hitl', 'pause', taskId, 'timeout', { timeout_seconds: timeoutSeconds })
        return JSON.stringify({
          resumed: false,
          task_id: taskId,
          error: `Timed out after ${timeoutSeconds}s waiting for resume signal`,
        })
      } finally {
        clearTimeout(timer)
        release()
      }
    },
  })

  const resumeTask = defineTool({
    name: 'resume_task',
    description: 'Resume a task paused with pause_task, handing it a message.',
    input: z.object({
      task_id: z.string().describe('The paused task.'),
      message: z.string().optional().describe('What the paused task receives.'),
    }),
    async run(ctx, input) {
      const taskId = input.task_id.trim()
      const ok = registry.resume(taskId, { message: input.message ?? '' }, ctx.workspaceId)
      if (!ok)
        return JSON.stringify({ success: false, task_id: taskId, error: 'Task not found or already resumed' })
      ;(ctx.audit ?? noAudit).log('hitl', 'resume', taskId, 'success')
      return JSON.stringify({ success: true, task_id: taskId })
    },
  })

  const listPausedTasks = defineTool({
    name: 'list_paused_tasks',
    description: 'List the tasks paused in this workspace that wait for resume_task.',
    input: z.object({}),
    async run() {
      const paused = registry.list()
      return JSON.stringify({ paused_tasks: paused, count: paused.length })
    },
  })

  return [pauseTask, resumeTask, listPausedTasks] as Tool[]
}
