import { AsyncLocalStorage } from 'node:async_hooks'

/** Counts a task's tool calls and time; throws (or answers a refusal) when a limit is passed. */
export interface ToolCallGate {
  /** Called before every tool call of the task; returns a refusal text when the call must not run. */
  beforeToolCall(toolName: string): string | undefined
}

/** The A2A task a piece of work runs for: set by the runtime around each executor run. */
export interface TaskScope {
  readonly taskId: string
  readonly contextId: string
  /** The calling workspace as the platform asserts it; `''` for a platform user; undefined when unknown. */
  readonly callerId?: string | undefined
  /** Agency limits of this task (compliance); absent when compliance is off. */
  readonly gate?: ToolCallGate | undefined
}

const storage = new AsyncLocalStorage<TaskScope>()

/** Runs `fn` (and everything it starts, awaited or not) as part of `scope`. */
export function runInTask<T>(scope: TaskScope, fn: () => T): T {
  return storage.run(scope, fn)
}

/**
 * Puts the rest of the current synchronous run, and the async work it starts from here on, in `scope`; `undefined`
 * takes it out again. For a run that started outside any scope and learns its task while running.
 */
export function enterTask(scope: TaskScope | undefined): void {
  storage.enterWith(scope as TaskScope)
}

/** The task the current async call chain belongs to, if the runtime started it inside one. */
export function currentTask(): TaskScope | undefined {
  return storage.getStore()
}
