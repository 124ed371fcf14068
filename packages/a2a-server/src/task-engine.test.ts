import {
  defineExecutor,
  type ExecuteFn,
  type Executor,
  type Message,
  type RequestContext,
} from '@molecule/adapter-core'
import type { StreamEvent } from '@molecule/adapter-core/a2a'
import { type Logger, silentLogger } from '@molecule/core'
import { type LogLine, recordingLogger } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { rpcError } from '../test/rpc-error.js'
import { TaskEngine, type TaskEngineOptions } from './task-engine.js'
import { TaskSlots } from './task-slots.js'
import { InMemoryTaskStore } from './task-store.js'

function userMessage(text: string, extra: Partial<Message> = {}): Message {
  return { kind: 'message', messageId: `m-${text}`, role: 'user', parts: [{ kind: 'text', text }], ...extra }
}

function engineWith(executor: Executor | ExecuteFn, options: Partial<TaskEngineOptions> = {}) {
  const store = new InMemoryTaskStore({ sweepIntervalMs: 0 })
  const engine = new TaskEngine({
    executor: defineExecutor(executor),
    store,
    logger: silentLogger,
    push: undefined,
    slots: new TaskSlots(64, 256),
    maxHistory: 50,
    onTaskStart: () => {},
    onTaskEnd: () => {},
    wantsActivity: () => false,
    ...options,
  })
  const start = (text: string, extra: Partial<Message> = {}, metadata?: Record<string, unknown>) =>
    engine.start({ message: userMessage(text, extra), metadata, traceparent: undefined, caller: '' })
  return { engine, store, start }
}

/** An executor that runs until canceled, handing out the context `execute` got. */
function untilCanceled(onCancel?: (ctx: RequestContext) => void) {
  let executeCtx: RequestContext | undefined
  let started!: () => void
  const running = new Promise<void>((resolve) => {
    started = resolve
  })
  const executor: Executor = {
    execute: (ctx) => {
      executeCtx = ctx
      started()
      return new Promise<string>(() => {})
    },
    ...(onCancel ? { cancel: onCancel } : {}),
  }
  return { executor, running, executeCtx: () => executeCtx }
}

describe('TaskEngine', () => {
  it('runs a message to completed: reply, history, stored once the run ends', async () => {
    const { engine, store, start } = engineWith(async (ctx) => `echo: ${ctx.text}`)
    const run = await start('hi')
    expect(engine.runs.get(run.task.id)).toBe(run)
    await run.done
    expect(run.task.status.state).toBe('completed')
    expect(run.reply?.parts).toEqual([{ kind: 'text', text: 'echo: hi' }])
    expect(run.task.history?.map((m) => m.role)).toEqual(['user', 'agent'])
    expect(engine.runs.size).toBe(0)
    expect(store.get(run.task.id)?.status.state).toBe('completed')
    expect(await engine.get(run.task.id, '')).toMatchObject({
      id: run.task.id,
      contextId: run.task.contextId,
    })
  })

  it('streams the snapshot, working, artifacts and a final status to a listener subscribed at start', async () => {
    const { engine } = engineWith(async (_ctx, events) => {
      events.artifact('part one')
      events.complete()
    })
    const seen: StreamEvent[] = []
    const run = await engine.start({
      message: userMessage('go'),
      metadata: undefined,
      traceparent: undefined,
      caller: '',
      listener: (e) => seen.push(e),
    })
    await run.done
    expect(seen.map((e) => (e.kind === 'status-update' ? `${e.kind}:${e.status.state}` : e.kind))).toEqual([
      'task',
      'status-update:working',
      'artifact-update',
      'status-update:completed',
    ])
    expect(seen.at(-1)).toMatchObject({ final: true })
  })

  it('pauses at input-required and continues on the next message with the taskId', async () => {
    const histories: number[] = []
    const { start } = engineWith(async (ctx, events) => {
      histories.push(ctx.history.length)
      if (ctx.history.length === 0) events.inputRequired('Who is asking?')
      else return `hello ${ctx.text}`
    })
    const first = await start('greet me')
    await first.done
    expect(first.task.status).toMatchObject({ state: 'input-required' })
    const second = await start('Ada', { taskId: first.task.id })
    await second.done
    expect(second.task.id).toBe(first.task.id)
    expect(second.task.contextId).toBe(first.task.contextId)
    expect(second.task.status.state).toBe('completed')
    expect(second.reply?.parts).toEqual([{ kind: 'text', text: 'hello Ada' }])
    expect(histories).toEqual([0, 2])
    expect(second.task.history).toHaveLength(4)
  })

  it('refuses to continue a finished task (-32600), an unknown one (-32001) or one in another context', async () => {
    const { start } = engineWith(async (ctx, events) => {
      if (ctx.text === 'ask') events.inputRequired('more?')
      else return 'done'
    })
    const done = await start('hi')
    await done.done
    const finished = await rpcError(() => start('again', { taskId: done.task.id }))
    expect(finished.code).toBe(-32600)
    expect(finished.message).toContain('is completed and cannot be continued')
    const unknown = await rpcError(() => start('again', { taskId: 'no-such-task' }))
    expect(unknown).toMatchObject({ code: -32001, message: 'Task not found: "no-such-task"' })
    const waiting = await start('ask')
    await waiting.done
    const otherContext = await rpcError(() => start('x', { taskId: waiting.task.id, contextId: 'other' }))
    expect(otherContext).toMatchObject({ code: -32602 })
    expect(otherContext.message).toContain('params.message.contextId')
  })

  it('cancels a running task: signal aborted, state canceled, waiters released; a second cancel is -32002', async () => {
    const { executor, running, executeCtx } = untilCanceled()
    const { engine, store, start } = engineWith(executor)
    const run = await start('long job')
    await running
    const task = await engine.cancel(run.task.id, '')
    await run.done
    expect(task.status.state).toBe('canceled')
    expect(executeCtx()?.signal.aborted).toBe(true)
    expect(engine.runs.size).toBe(0)
    expect(store.get(run.task.id)?.status.state).toBe('canceled')
    const again = await rpcError(() => engine.cancel(run.task.id, ''))
    expect(again.code).toBe(-32002)
    expect((await rpcError(() => engine.cancel('nope', ''))).code).toBe(-32001)
  })

  it("gives the executor's cancel hook the same full context execute got", async () => {
    const lines = recordingLogger()
    let cancelCtx: RequestContext | undefined
    const job = untilCanceled((ctx) => {
      cancelCtx = ctx
      ctx.logger.info('cleaning up')
    })
    const { engine } = engineWith(job.executor, { logger: lines })
    const run = await engine.start({
      message: userMessage('long job'),
      metadata: { origin: 'test' },
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      caller: '',
    })
    await job.running
    await engine.cancel(run.task.id, '')
    expect(cancelCtx).toBe(job.executeCtx())
    expect(cancelCtx).toMatchObject({
      taskId: run.task.id,
      contextId: run.task.contextId,
      text: 'long job',
      metadata: { origin: 'test' },
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    })
    expect(cancelCtx?.message.parts).toEqual([{ kind: 'text', text: 'long job' }])
    expect(cancelCtx?.history).toEqual([])
    expect(cancelCtx?.signal.aborted).toBe(true)
    expect(lines.at('info')).toEqual([
      {
        level: 'info',
        obj: undefined,
        msg: 'cleaning up',
        bindings: { taskId: run.task.id, contextId: run.task.contextId },
      },
    ])
  })

  it('cancels a task at rest (input-required) in the store', async () => {
    const { engine, store, start } = engineWith(async (_ctx, events) => events.inputRequired('more?'))
    const run = await start('hi')
    await run.done
    const task = await engine.cancel(run.task.id, '')
    expect(task.status.state).toBe('canceled')
    expect(store.get(run.task.id)?.status.state).toBe('canceled')
  })

  it('drain refuses new tasks with HTTP 503 and cancels what is still running after the grace period', async () => {
    const { executor, running } = untilCanceled()
    const { engine, start } = engineWith(executor)
    const run = await start('long job')
    await running
    expect(await engine.drain(10)).toEqual([run.task.id])
    expect(run.task.status.state).toBe('canceled')
    const refused = await rpcError(() => start('late'))
    expect(refused).toMatchObject({ code: -32603, httpStatus: 503 })
  })

  it("binds taskId and contextId once on the executor's logger, below the server's own bindings", async () => {
    const rebound: string[] = []
    const lines: LogLine[] = []
    /** A recording logger that notes every child binding a key some ancestor already binds. */
    function strictLogger(bound: Record<string, unknown>): Logger {
      return {
        ...recordingLogger(lines, bound),
        child: (more) => {
          for (const key of Object.keys(more)) if (key in bound) rebound.push(key)
          return strictLogger({ ...bound, ...more })
        },
      }
    }
    const { start } = engineWith(
      async (ctx) => {
        ctx.logger.child({ step: 'tool' }).info('working')
        return 'ok'
      },
      { logger: strictLogger({ component: 'a2a' }) },
    )
    const run = await start('hi')
    await run.done
    expect(rebound).toEqual([])
    expect(lines.map((l) => [l.msg, l.bindings])).toEqual([
      ['working', { component: 'a2a', taskId: run.task.id, contextId: run.task.contextId, step: 'tool' }],
    ])
  })
})
