import type { SetupResult } from '@molecule/adapter-core'
import { enterTask, runInTask, type TaskScope } from '@molecule/tools'

/**
 * Runs each task in its task scope (the AsyncLocalStorage the bound tools read to count a call against the task's
 * agency limits and to tie approvals and ledger events to it), but only once the adapter can call a tool at all:
 * on Node 20 one scope switches on promise hooks for every promise and async resource of the process, which cost an
 * adapter that never calls tools (echo, cli) about a third of its CPU per request.
 *
 * An adapter can call a tool only after reading `setup.tools`, so that read turns scoping on for good. Adapters
 * usually read them in `setup` or `createExecutor`, before any task. A read while a task's executor is running
 * synchronously (the first lines of an async `execute`, a generator's first step) puts the rest of that run in the
 * task's scope on the spot. Only a first read after an `await` inside a task leaves that task, and any other already
 * running, without scope: their tool calls are then not counted against their limits, and `onLateRead` is told.
 */
export class ToolUptake {
  #taken = false
  /** The task whose executor is running synchronously right now, while scoping is still off. */
  #running: TaskScope | undefined
  /** The task `#running` was when the tools were first read, so `run` knows to leave its scope afterwards. */
  #enteredFor: TaskScope | undefined
  #tasksStarted = false

  /** `onLateRead`: called once if the first read comes after tasks started, outside any task's synchronous step. */
  constructor(private readonly onLateRead: () => void = () => {}) {}

  get taken(): boolean {
    return this.#taken
  }

  /** `setup` as the adapter gets it: the same fields, with `tools` behind a getter that records the first read. */
  watch(setup: SetupResult): SetupResult {
    const { tools, ...rest } = setup
    const take = () => {
      if (!this.#taken) this.#take()
      return tools
    }
    return Object.defineProperty(rest, 'tools', { get: take, enumerable: true }) as SetupResult
  }

  /** Runs one synchronous step of a task's executor (the call of `execute`, or one `next()` of its stream). */
  run<T>(scope: TaskScope, step: () => T): T {
    if (this.#taken) return runInTask(scope, step)
    this.#tasksStarted = true
    const outer = this.#running
    this.#running = scope
    try {
      return step()
    } finally {
      this.#running = outer
      if (this.#enteredFor === scope) {
        // The step's own async work keeps the scope it was given; the code that called the step does not get it.
        this.#enteredFor = undefined
        enterTask(outer)
      }
    }
  }

  #take(): void {
    this.#taken = true
    if (this.#running !== undefined) {
      this.#enteredFor = this.#running
      enterTask(this.#running)
    } else if (this.#tasksStarted) this.onLateRead()
  }
}
