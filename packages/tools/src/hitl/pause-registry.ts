/** A task paused by `pause_task`, waiting for `resume_task`. */
interface Paused {
  readonly owner: string
  readonly reason: string
  readonly pausedAt: string
  resumed: boolean
  result?: Record<string, unknown>
  wake: () => void
}

/**
 * The tasks paused in this process. A resume must come from the same process (another tool call or agent turn), and
 * when both sides name an owner the owners must match: one workspace cannot resume another's paused task.
 */
export class PauseRegistry {
  readonly #paused = new Map<string, Paused>()

  /** Registers a pause; resolves when resumed or when `signal` aborts. */
  register(taskId: string, owner: string, reason: string): { resumed: Promise<void>; release: () => void } {
    let wake = () => {}
    const resumed = new Promise<void>((resolve) => {
      wake = resolve
    })
    this.#paused.set(taskId, { owner, reason, pausedAt: new Date().toISOString(), resumed: false, wake })
    return { resumed, release: () => this.#paused.delete(taskId) }
  }

  /** False when the task is unknown, already resumed, or owned by another workspace. */
  resume(taskId: string, result: Record<string, unknown>, owner: string): boolean {
    const paused = this.#paused.get(taskId)
    if (!paused || paused.resumed) return false
    if (paused.owner && owner && paused.owner !== owner) return false
    paused.resumed = true
    paused.result = result
    paused.wake()
    return true
  }

  resultOf(taskId: string): Record<string, unknown> | undefined {
    return this.#paused.get(taskId)?.result
  }

  list(): Array<{ task_id: string; reason: string; paused_at: string }> {
    return [...this.#paused]
      .filter(([, p]) => !p.resumed)
      .map(([taskId, p]) => ({ task_id: taskId, reason: p.reason, paused_at: p.pausedAt }))
  }
}
