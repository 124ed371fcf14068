import { describe, expect, it } from 'vitest'
import type { AuditSink } from '../audit/audit-log.js'
import { ToolRegistry } from '../registry.js'
import { contextFor } from '../test-support.js'
import { hitlTools } from './hitl-tools.js'
import { PauseRegistry } from './pause-registry.js'

function recording(): AuditSink & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    log(type, action, resource, outcome) {
      lines.push(`${type}/${action}/${resource}/${outcome}`)
      return 't'
    },
  }
}

describe('pause_task / resume_task / list_paused_tasks', () => {
  it('a paused task is listed, resumed with the message, and audited', async () => {
    const audit = recording()
    const registry = new ToolRegistry(hitlTools({ defaultTimeoutSeconds: 5 }))
    const ctx = contextFor('http://127.0.0.1:9', 'ws-1', undefined, { audit })
    const paused = registry.call('pause_task', ctx, { task_id: 't-1', reason: 'wait for the window' })
    await new Promise((r) => setTimeout(r, 20))
    expect(JSON.parse((await registry.call('list_paused_tasks', ctx, {})).text)).toMatchObject({
      count: 1,
      paused_tasks: [{ task_id: 't-1', reason: 'wait for the window' }],
    })
    expect(
      JSON.parse((await registry.call('resume_task', ctx, { task_id: 't-1', message: 'go' })).text),
    ).toEqual({
      success: true,
      task_id: 't-1',
    })
    expect(JSON.parse((await paused).text)).toEqual({ resumed: true, task_id: 't-1', message: 'go' })
    expect(JSON.parse((await registry.call('resume_task', ctx, { task_id: 't-1' })).text)).toMatchObject({
      success: false,
      error: 'Task not found or already resumed',
    })
    expect(audit.lines).toEqual([
      'hitl/pause/t-1/paused',
      'hitl/resume/t-1/success',
      'hitl/resume/t-1/resumed',
    ])
  })

  it('times out with the documented error, and another workspace cannot resume it', async () => {
    const shared = new PauseRegistry()
    const registry = new ToolRegistry(hitlTools({ defaultTimeoutSeconds: 0.2, registry: shared }))
    const owner = contextFor('http://127.0.0.1:9', 'ws-owner', undefined)
    const stranger = contextFor('http://127.0.0.1:9', 'ws-stranger', undefined)
    const paused = registry.call('pause_task', owner, { task_id: 't-2' })
    await new Promise((r) => setTimeout(r, 20))
    expect(JSON.parse((await registry.call('resume_task', stranger, { task_id: 't-2' })).text)).toMatchObject(
      {
        success: false,
      },
    )
    expect(JSON.parse((await paused).text)).toEqual({
      resumed: false,
      task_id: 't-2',
      error: 'Timed out after 0.2s waiting for resume signal',
    })
    expect(shared.list()).toEqual([])
  })
})
