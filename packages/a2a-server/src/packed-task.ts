import { type Message, textMessage } from '@molecule/adapter-core'
import { isTerminalState, type Task, type TaskState } from '@molecule/adapter-core/a2a'
import { OWNER_FIELD, type StoredTask } from './task-owner.js'

// The packed form of a finished everyday task (see `pack`), which InMemoryTaskStore keeps off the JS
// heap in a PackedArchive.

function keyCount(o: object): number {
  let n = 0
  for (const _ in o) n++
  return n
}

const REQUEST_KEYS = ['kind', 'messageId', 'role', 'parts', 'contextId', 'taskId'] // normalizeMessage's order
const REPLY_KEYS = ['kind', 'messageId', 'role', 'parts', 'taskId', 'contextId'] // textMessage's order
/** Keys of an everyday task: kind, id, contextId, status, history (the engine's order). */
const TASK_KEY_COUNT = 5

/**
 * The text of a message that has exactly `keys` (in that order, so a rebuild is identical), belongs to
 * the task and holds one plain text part; else undefined.
 */
function soleText(
  m: Message,
  keys: readonly string[],
  taskId: string,
  contextId: string,
): string | undefined {
  if (m.kind !== 'message' || m.taskId !== taskId || m.contextId !== contextId) return
  let i = 0
  for (const key in m) if (key !== keys[i++]) return
  if (i !== keys.length || m.parts.length !== 1) return
  const part = m.parts[0] as Message['parts'][number]
  if (part.kind !== 'text' || keyCount(part) !== 2) return
  return part.text
}

/**
 * A finished task packed by `pack`: timestamp, state, contextId, owner, request id, request text,
 * reply id and reply text, joined by SEP. The timestamp comes first so the TTL check reads it cheaply.
 */
export type Packed = string
const SEP = '\u0000'

/** The `index`th field of a packed task (0 = timestamp, 2 = contextId), without splitting it all. */
export function packedField(packed: Packed, index: number): string {
  let start = 0
  for (let i = 0; i < index; i++) start = packed.indexOf(SEP, start) + 1
  const end = packed.indexOf(SEP, start)
  return packed.slice(start, end < 0 ? undefined : end)
}

/**
 * A finished task of the everyday shape (one user text message answered by one agent text message,
 * no artifacts, no metadata) as a single flat string instead of the nine objects of its `Task` form:
 * a busy server retains thousands of these, and each retained object is copying and marking work for
 * the garbage collector (`Array.prototype.join` builds a flat string, unlike `+`, whose cons strings
 * would keep every piece alive). Anything else — or a field containing SEP — is not packed. `owner`
 * is packed along (the task itself may carry it as its owner field, which is then not counted as one
 * of its keys).
 */
export function pack(task: Task, owner: string | undefined): Packed | undefined {
  const { status, history } = task
  const reply = status.message
  if (
    history?.length !== 2 ||
    reply === undefined ||
    history[1] !== reply ||
    status.timestamp === undefined ||
    !isTerminalState(status.state) ||
    keyCount(task) !== (OWNER_FIELD in task ? TASK_KEY_COUNT + 1 : TASK_KEY_COUNT) ||
    keyCount(status) !== 3
  )
    return undefined
  const request = history[0] as Message
  if (request.role !== 'user' || reply.role !== 'agent') return undefined
  const requestText = soleText(request, REQUEST_KEYS, task.id, task.contextId)
  const replyText = soleText(reply, REPLY_KEYS, task.id, task.contextId)
  if (requestText === undefined || replyText === undefined) return undefined
  const fields = [
    status.timestamp,
    status.state,
    task.contextId,
    // '' for no owner; `=` + owner otherwise, so an owner of '' stays distinct from none.
    owner === undefined ? '' : `=${owner}`,
    request.messageId,
    requestText,
    reply.messageId,
    replyText,
  ]
  for (const field of fields) if (field.includes(SEP)) return undefined
  return fields.join(SEP)
}

/** Rebuilds the identical task (same keys, same order; the owner field last, when it had one) from a packed entry. */
export function unpack(taskId: string, packed: Packed): StoredTask {
  const [timestamp, state, contextId, owner, requestId, requestText, replyId, replyText] = packed.split(
    SEP,
  ) as [string, TaskState, string, string, string, string, string, string]
  const request: Message = {
    kind: 'message',
    messageId: requestId,
    role: 'user',
    parts: [{ kind: 'text', text: requestText }],
    contextId,
    taskId,
  }
  // Built by the function that built the original (REPLY_KEYS is its key order).
  const reply = textMessage('agent', replyText, { messageId: replyId, taskId, contextId })
  const task: StoredTask = {
    kind: 'task',
    id: taskId,
    contextId,
    status: { state, message: reply, timestamp },
    history: [request, reply],
  }
  if (owner !== '') task[OWNER_FIELD] = owner.slice(1)
  return task
}
