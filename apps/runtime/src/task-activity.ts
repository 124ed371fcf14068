/** First `limit` characters of a task's text, for `current_task` on the canvas. */
export function briefTask(text: string, limit = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > limit ? `${flat.slice(0, limit)}...` : flat
}

const NOT_BLANK = /\S/

/**
 * The `active_tasks` / `current_task` pair of the heartbeat. Start adds one and shows the new task;
 * end subtracts one (never below zero) and clears `current_task` only when nothing is running, so a finished
 * task cannot leave the workspace looking busy and overlapping tasks count correctly.
 * `onChange` fires only when the workspace turns busy (0 → 1 task) or idle (→ 0): the runtime sends an immediate
 * heartbeat from it. Changes while busy wait for the next beat; pulsing on each of them kept a heartbeat in flight
 * at all times on a busy workspace.
 */
export class TaskActivity {
  #active = 0
  /** The latest task's text, shortened only when read (once per heartbeat, not once per task). */
  #current = ''
  #brief = ''
  #briefOf = ''
  #requests = 0
  #errors = 0
  readonly #onChange: () => void

  constructor(onChange: () => void = () => {}) {
    this.#onChange = onChange
  }

  get activeTasks(): number {
    return this.#active
  }

  get currentTask(): string {
    if (this.#briefOf !== this.#current) {
      this.#briefOf = this.#current
      this.#brief = briefTask(this.#current)
    }
    return this.#brief
  }

  /** The `HeartbeatHandle` of adapter-core: non-empty starts a task, empty ends one. */
  setCurrentTask(task: string): void {
    if (task) this.start(task)
    else this.end()
  }

  start(summary: string): void {
    this.#active += 1
    if (NOT_BLANK.test(summary)) this.#current = summary
    if (this.#active === 1) this.#onChange()
  }

  end(): void {
    if (this.#active === 0) return
    this.#active -= 1
    if (this.#active > 0) return
    this.#current = ''
    this.#onChange()
  }

  /** Counts a finished task for the heartbeat's `error_rate` (only `failed` counts as an error). */
  recordOutcome(state: string | undefined): void {
    this.#requests += 1
    if (state === 'failed') this.#errors += 1
  }

  /** Outcomes not yet reported to the platform. */
  get outcomes(): { requests: number; errors: number } {
    return { requests: this.#requests, errors: this.#errors }
  }

  /**
   * The platform accepted a heartbeat that reported `window`: drop exactly those, so tasks that finished
   * while the beat was in flight are reported next time.
   */
  acknowledge(window: { requests: number; errors: number }): void {
    this.#requests = Math.max(0, this.#requests - window.requests)
    this.#errors = Math.max(0, this.#errors - window.errors)
  }
}

/**
 * Wedge state: a non-recoverable per-process state an adapter reports (e.g. an SDK stuck initialising).
 * The first reason wins until cleared; while wedged every heartbeat carries `runtime_state: "wedged"`.
 */
export class WedgeState {
  #reason = ''

  get wedged(): boolean {
    return this.#reason !== ''
  }

  get reason(): string {
    return this.#reason
  }

  /** Returns true when this call changed the state. */
  mark(reason: string): boolean {
    if (this.#reason) return false
    this.#reason = reason.trim().slice(0, 200) || 'wedged'
    return true
  }

  clear(): boolean {
    if (!this.#reason) return false
    this.#reason = ''
    return true
  }
}
