import { defineExecutor, type ExecuteFn, type Message } from '@molecule/adapter-core'
import type { AgentCard, StreamEvent, Task } from '@molecule/adapter-core/a2a'
import { silentLogger } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { rpcError } from '../../test/rpc-error.js'
import { readPageToken } from '../paging.js'
import { PushNotifier } from '../push-notifier.js'
import { TaskEngine } from '../task-engine.js'
import { TaskSlots } from '../task-slots.js'
import { InMemoryTaskStore, type TaskStore } from '../task-store.js'
import { type ListQuery, type RevisionRules, type SendRequest, TaskMethods } from './core.js'

/** Rules that answer the core's v0.3 values as JSON, leaving the finished-task check to the engine. */
const AS_IS: RevisionRules = {
  refuseFinishedTasks: false,
  sendPushUrlField: 'params.configuration.pushNotificationConfig.url',
  sendResult: (result) => JSON.stringify(result),
  streamEvent: (event) => JSON.stringify(event),
}
const REFUSING: RevisionRules = { ...AS_IS, refuseFinishedTasks: true }
/** The caller of these tests: none (as through the platform's proxy). */
const ME = ''
const URL_FIELD = 'params.pushNotificationConfig.url'

const greeter: ExecuteFn = async (ctx, events) => {
  if (ctx.text === 'greet me') events.inputRequired('Who is asking?')
  else if (ctx.text === 'wait') await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))
  else return ctx.history.length > 0 ? `hello ${ctx.text}` : `echo: ${ctx.text}`
}

interface Setup {
  push?: boolean
  streaming?: boolean
  store?: TaskStore
  extendedCard?: AgentCard
  sendResult?: 'message' | 'task'
}

function methods({ push = true, streaming = true, store, extendedCard, sendResult = 'message' }: Setup = {}) {
  const taskStore = store ?? new InMemoryTaskStore({ sweepIntervalMs: 0 })
  const notifier = push ? new PushNotifier({ allowPrivateTargets: true }, silentLogger) : undefined
  const engine = new TaskEngine({
    executor: defineExecutor(greeter),
    store: taskStore,
    logger: silentLogger,
    push: notifier,
    slots: new TaskSlots(64, 256),
    maxHistory: 50,
    onTaskStart: () => {},
    onTaskEnd: () => {},
    wantsActivity: () => false,
  })
  return new TaskMethods({
    engine,
    store: taskStore,
    push: notifier,
    extendedCard: () => extendedCard,
    outputModes: () => ['text/plain'],
    streaming: () => streaming,
    sseKeepAliveMs: 0,
    listTasks: true,
    sendResult,
    maxPartBytes: 256 * 1024,
  })
}

let seq = 0
function sendRequest(
  text: string,
  message: Partial<Message> = {},
  extra: Partial<SendRequest> = {},
): SendRequest {
  seq += 1
  return {
    message: {
      kind: 'message',
      messageId: `m-${seq}`,
      role: 'user',
      parts: [{ kind: 'text', text }],
      ...message,
    },
    historyLength: undefined,
    returnImmediately: false,
    metadata: undefined,
    pushConfig: undefined,
    traceparent: undefined,
    caller: ME,
    ...extra,
  }
}

async function send(core: TaskMethods, text: string, message: Partial<Message> = {}, rules = AS_IS) {
  return JSON.parse(await core.send(sendRequest(text, message), rules)) as Message | Task
}

/** Sends and returns the task the answer is about (a reply carries its taskId). */
async function taskOf(core: TaskMethods, text: string): Promise<Task> {
  const answer = await send(core, text)
  return core.get(ME, answer.kind === 'task' ? answer.id : (answer.taskId as string), undefined)
}

const LIST_ALL: ListQuery = {
  pageSize: 50,
  historyLength: undefined,
  contextId: undefined,
  status: undefined,
  statusTimestampAfter: undefined,
  cursor: undefined,
  includeArtifacts: false,
}

describe('TaskMethods: send, get, cancel', () => {
  it('answers a completed send with the agent reply, and get with the task holding it as artifact', async () => {
    const core = methods()
    const reply = await send(core, 'hi')
    expect(reply).toMatchObject({
      kind: 'message',
      role: 'agent',
      parts: [{ kind: 'text', text: 'echo: hi' }],
    })
    const task = await core.get(ME, (reply as Message).taskId as string, undefined)
    expect(task.status.state).toBe('completed')
    expect(task.artifacts).toEqual([
      { artifactId: `${task.id}-output`, parts: [{ kind: 'text', text: 'echo: hi' }] },
    ])
  })

  it('answers a completed send with the task (status, reply artifact, history) when set to answer with tasks', async () => {
    const core = methods({ sendResult: 'task' })
    const task = (await send(core, 'hi')) as Task
    expect(task).toMatchObject({
      kind: 'task',
      status: { state: 'completed', message: { role: 'agent', parts: [{ kind: 'text', text: 'echo: hi' }] } },
      artifacts: [{ artifactId: `${task.id}-output`, parts: [{ kind: 'text', text: 'echo: hi' }] }],
    })
    expect(task.history?.map((m) => m.role)).toEqual(['user', 'agent'])
    expect(await core.get(ME, task.id, undefined)).toEqual(task)
    // historyLength shapes the answered task as it does a get.
    const trimmed = JSON.parse(await core.send(sendRequest('again', {}, { historyLength: 0 }), AS_IS)) as Task
    expect(trimmed.kind).toBe('task')
    expect(trimmed.history).toBeUndefined()
  })

  it('answers an input-required send with the task, and continues it with the next message', async () => {
    const core = methods()
    const paused = (await send(core, 'greet me')) as Task
    expect(paused).toMatchObject({ kind: 'task', status: { state: 'input-required' } })
    const reply = await send(core, 'Ada', { taskId: paused.id })
    expect(reply).toMatchObject({ kind: 'message', taskId: paused.id, parts: [{ text: 'hello Ada' }] })
  })

  it('answers at once with the running task when returnImmediately is set', async () => {
    const core = methods()
    const answer = JSON.parse(await core.send(sendRequest('wait', {}, { returnImmediately: true }), AS_IS))
    expect(answer).toMatchObject({ kind: 'task', status: { state: 'working' } })
    const canceled = await core.cancel(ME, answer.id)
    expect(canceled.status.state).toBe('canceled')
    expect((await core.get(ME, answer.id, undefined)).status.state).toBe('canceled')
  })

  it('lets the revision rules decide how a message to a finished task is refused', async () => {
    const core = methods()
    const reply = (await send(core, 'hi')) as Message
    const byEngine = await rpcError(() => send(core, 'again', { taskId: reply.taskId }, AS_IS))
    expect(byEngine.code).toBe(-32600)
    const byRules = await rpcError(() => send(core, 'again', { taskId: reply.taskId }, REFUSING))
    expect(byRules).toMatchObject({
      code: -32004,
      message: `Task ${reply.taskId} is completed, a terminal state, and cannot be continued or subscribed to`,
    })
  })

  it('refuses get, cancel and resubscribe of an unknown task with -32001 naming the id', async () => {
    const core = methods()
    for (const act of [
      () => core.get(ME, 'nope', undefined),
      () => core.cancel(ME, 'nope'),
      () => core.resubscribe(1, ME, 'nope', AS_IS),
    ])
      expect(await rpcError(act)).toMatchObject({ code: -32001, message: 'Task not found: "nope"' })
  })

  it('trims history to historyLength (0 drops it)', async () => {
    const core = methods()
    const task = await taskOf(core, 'hi')
    expect((await core.get(ME, task.id, 1)).history?.map((m) => m.role)).toEqual(['agent'])
    expect(await core.get(ME, task.id, 0)).not.toHaveProperty('history')
    expect((await core.get(ME, task.id, undefined)).history).toHaveLength(2)
  })

  it('streams a send as SSE frames of the rules, ending with the final status', async () => {
    const core = methods()
    const response = await core.stream('s-1', sendRequest('hi'), AS_IS)
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    const frames = (await response.text())
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.replace(/^data: /, '')))
    expect(frames.every((f) => f.jsonrpc === '2.0' && f.id === 's-1')).toBe(true)
    const events = frames.map((f) => f.result as StreamEvent)
    expect(events[0]?.kind).toBe('task')
    expect(events.at(-1)).toMatchObject({
      kind: 'status-update',
      final: true,
      status: { state: 'completed' },
    })
  })

  it('refuses streaming (-32004), push (-32003) and the extended card (-32007) when not offered', async () => {
    const core = methods({ push: false, streaming: false })
    expect((await rpcError(() => core.stream(1, sendRequest('hi'), AS_IS))).code).toBe(-32004)
    expect((await rpcError(() => core.pushList(ME, 'any'))).code).toBe(-32003)
    expect((await rpcError(() => core.extendedCard())).code).toBe(-32007)
  })
})

describe('TaskMethods: push configs', () => {
  const url = 'http://127.0.0.1:9/hook'

  it('sets, gets, lists and deletes a config of a finished task', async () => {
    const core = methods()
    const task = await taskOf(core, 'hi')
    const stored = await core.pushSet(
      ME,
      { taskId: task.id, pushNotificationConfig: { url, token: 't' } },
      URL_FIELD,
    )
    // The token is for the receiver: it is never echoed.
    expect(stored).toEqual({ taskId: task.id, pushNotificationConfig: { url, id: task.id } })
    await core.pushSet(ME, { taskId: task.id, pushNotificationConfig: { id: 'second', url } }, URL_FIELD)
    expect(await core.pushGet(ME, task.id, undefined)).toEqual(stored)
    expect(await core.pushGet(ME, task.id, 'second')).toEqual({
      taskId: task.id,
      pushNotificationConfig: { id: 'second', url },
    })
    expect((await core.pushList(ME, task.id)).map((c) => c.pushNotificationConfig.id)).toEqual([
      task.id,
      'second',
    ])
    await core.pushDelete(ME, task.id, 'second')
    expect((await core.pushList(ME, task.id)).map((c) => c.pushNotificationConfig.id)).toEqual([task.id])
    expect(await rpcError(() => core.pushGet(ME, task.id, 'second'))).toMatchObject({
      code: -32602,
      message: `No push notification config "second" for task ${task.id}`,
    })
    expect((await rpcError(() => core.pushDelete(ME, task.id, 'second'))).code).toBe(-32602)
  })

  it('refuses a config for an unknown task (-32001) or a URL that is not http(s) (-32602)', async () => {
    const core = methods()
    expect(
      (await rpcError(() => core.pushSet(ME, { taskId: 'nope', pushNotificationConfig: { url } }, URL_FIELD)))
        .code,
    ).toBe(-32001)
    const task = await taskOf(core, 'hi')
    const badUrl = await rpcError(() =>
      core.pushSet(ME, { taskId: task.id, pushNotificationConfig: { url: 'file:///etc/passwd' } }, URL_FIELD),
    )
    expect(badUrl).toMatchObject({ code: -32602, message: `${URL_FIELD} must use http or https` })
  })
})

describe('TaskMethods: list', () => {
  async function fiveTasks(core: TaskMethods): Promise<string[]> {
    const ids: string[] = []
    for (const text of ['a', 'b', 'c', 'd', 'e']) ids.push((await taskOf(core, text)).id)
    return ids.reverse() // newest first
  }

  it('pages newest first, following nextPageToken until it is empty', async () => {
    const core = methods()
    const newestFirst = await fiveTasks(core)
    const seen: string[] = []
    let cursor: string | undefined
    const tokens: string[] = []
    for (;;) {
      const page = await core.list(ME, { ...LIST_ALL, pageSize: 2, cursor })
      expect(page).toMatchObject({ pageSize: 2, totalSize: 5 })
      seen.push(...page.tasks.map((t) => t.id))
      tokens.push(page.nextPageToken)
      if (page.nextPageToken === '') break
      cursor = readPageToken(page.nextPageToken)
    }
    expect(seen).toEqual(newestFirst)
    expect(tokens.map((t) => t !== '')).toEqual([true, true, false])
  })

  it('filters by context and state, drops artifacts unless asked, and refuses a stale cursor', async () => {
    const core = methods()
    const [newest] = await fiveTasks(core)
    const paused = (await send(core, 'greet me')) as Task
    const waiting = await core.list(ME, { ...LIST_ALL, status: 'input-required' })
    expect(waiting.tasks.map((t) => t.id)).toEqual([paused.id])
    const inContext = await core.list(ME, { ...LIST_ALL, contextId: paused.contextId })
    expect(inContext.tasks.map((t) => t.id)).toEqual([paused.id])
    const completed = await core.list(ME, { ...LIST_ALL, status: 'completed', pageSize: 1 })
    expect(completed.tasks[0]).toMatchObject({ id: newest, artifacts: [] })
    const withArtifacts = await core.list(ME, {
      ...LIST_ALL,
      status: 'completed',
      pageSize: 1,
      includeArtifacts: true,
    })
    expect(withArtifacts.tasks[0]?.artifacts).toHaveLength(1)
    const stale = await rpcError(() => core.list(ME, { ...LIST_ALL, cursor: 'gone' }))
    expect(stale.code).toBe(-32602)
    expect(stale.message).toContain('params.pageToken no longer matches a listed task')
  })

  it('refuses listing (-32004) when the store cannot list', async () => {
    const inner = new InMemoryTaskStore({ sweepIntervalMs: 0 })
    const store: TaskStore = {
      get: (id) => inner.get(id),
      set: (task) => inner.set(task),
      delete: (id) => inner.delete(id),
    }
    const core = methods({ store })
    expect(await rpcError(() => core.list(ME, LIST_ALL))).toMatchObject({
      code: -32004,
      message: 'This task store cannot list tasks',
    })
  })
})
