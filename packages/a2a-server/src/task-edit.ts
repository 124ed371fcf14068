import type { Message, Part } from '@molecule/adapter-core'
import type { Task } from '@molecule/adapter-core/a2a'

// In-place edits of a running task's record, as the engine applies the executor's events.

/** Adds an artifact chunk: a new artifact, or (`append`) more parts of an existing one. */
export function addArtifact(
  task: Task,
  artifactId: string,
  parts: Part[],
  append: boolean,
  name?: string,
): void {
  task.artifacts ??= []
  const existing = append ? task.artifacts.find((a) => a.artifactId === artifactId) : undefined
  if (existing === undefined) {
    const artifact: { artifactId: string; parts: Part[]; name?: string } = {
      artifactId,
      parts: [...parts],
    }
    if (name !== undefined) artifact.name = name
    task.artifacts.push(artifact)
    return
  }
  for (const part of parts) {
    const last = existing.parts[existing.parts.length - 1]
    // Streamed text chunks are merged so a long answer stays one part, not thousands.
    if (last?.kind === 'text' && part.kind === 'text' && part.metadata === undefined)
      existing.parts[existing.parts.length - 1] = { ...last, text: last.text + part.text }
    else existing.parts.push(part)
  }
}

/** Appends a message to the history, keeping the `max` most recent. */
export function appendHistory(task: Task, message: Message, max: number): void {
  const history = task.history ?? []
  history.push(message)
  if (history.length > max) history.splice(0, history.length - max)
  task.history = history
}
