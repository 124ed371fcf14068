import type { Task } from '@molecule/adapter-core/a2a'

/**
 * The task as readers get it. `tasks/get` readers (a2a_cli status, delegation polling) look for the
 * result in artifacts, so a completed task that only replied shows the reply's parts as its artifact.
 * Added when read, not stored: every object kept per task costs garbage-collector time.
 */
export function withReplyArtifact(task: Task): Task {
  const reply = task.status.message
  if (task.status.state !== 'completed' || reply === undefined || task.artifacts?.length) return task
  return { ...task, artifacts: [{ artifactId: `${task.id}-output`, parts: reply.parts }] }
}

/**
 * The task as returned to readers: the reply mirrored as artifact (see withReplyArtifact) and at most
 * `historyLength` most recent messages (0 = none).
 */
export function withHistory(stored: Task, historyLength: number | undefined): Task {
  const task = withReplyArtifact(stored)
  if (historyLength === undefined || task.history === undefined) return task
  const { history, ...rest } = task
  return historyLength === 0 ? rest : { ...rest, history: history.slice(-historyLength) }
}
