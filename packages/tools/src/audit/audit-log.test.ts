import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordingLogger } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineTool, ToolRegistry } from '../registry.js'
import { contextFor } from '../test-support.js'
import { JsonlAuditLog } from './audit-log.js'
import { withAudit } from './audited-tools.js'

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

describe('JsonlAuditLog', () => {
  it('appends one JSON line per event with the built-in keys, extras after them, never overridden', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-')), 'deep', 'audit.jsonl')
    writeFileSync(join(path, '..', '..', 'keep'), '')
    const log = new JsonlAuditLog({
      path,
      workspaceId: 'ws-1',
      now: () => new Date('2026-12-07T07:00:00.000Z'),
    })
    const trace = log.log('memory', 'memory.write', 'LOCAL', 'allowed', {
      content_length: 12,
      workspace_id: 'forged',
      event_type: 'forged',
      note: 'héllo ✓',
      big: 10n,
    })
    log.log('rbac', 'rbac.deny', 'delegate_task', 'denied', { actor: 'agent-x', trace_id: 'fixed-trace' })
    await log.flush()
    const [first, second] = lines(path)
    expect(first).toEqual({
      timestamp: '2026-12-07T07:00:00.000+00:00',
      event_type: 'memory',
      workspace_id: 'ws-1',
      actor: 'ws-1',
      action: 'memory.write',
      resource: 'LOCAL',
      outcome: 'allowed',
      trace_id: trace,
      content_length: 12,
      note: 'héllo ✓',
      big: '10',
    })
    expect(trace).toMatch(/^[0-9a-f-]{36}$/)
    expect(second).toMatchObject({ actor: 'agent-x', trace_id: 'fixed-trace' })
  })

  it('masks credentials and never throws when the file cannot be written (one warning)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-ro-'))
    const logger = recordingLogger()
    const blocked = join(dir, 'file-not-dir')
    writeFileSync(blocked, '')
    const log = new JsonlAuditLog({ path: join(blocked, 'audit.jsonl'), workspaceId: 'w', logger })
    expect(() => log.log('a', 'b', 'c', 'd')).not.toThrow()
    log.log('a', 'b', 'c', 'd')
    await log.flush()
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1)
    const ok = join(dir, 'ok.jsonl')
    const masked = new JsonlAuditLog({ path: ok, workspaceId: 'w' })
    masked.log('delegation', 'delegate', 'peer', 'dispatched', {
      task_preview: 'use token ghp_0123456789abcdefghijABCDEFGHIJ012345 now', // secret-scan: allow
    })
    await masked.flush()
    expect(readFileSync(ok, 'utf8')).not.toContain('ghp_0123456789abcdefghijABCDEFGHIJ012345') // secret-scan: allow
    chmodSync(dir, 0o755)
  })
})

describe('withAudit (the built-in tools’ audit vocabulary)', () => {
  it('records the decision before and the outcome after a memory or delegation call', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'audit-tools-')), 'audit.jsonl')
    const audit = new JsonlAuditLog({ path, workspaceId: 'ws-a' })
    const commit = defineTool({
      name: 'commit_memory',
      description: 'x',
      input: z.object({ content: z.string(), scope: z.string().optional() }),
      run: async () => JSON.stringify({ success: true, id: 'm1' }),
    })
    const delegate = defineTool({
      name: 'delegate_task',
      description: 'x',
      input: z.object({ workspace_id: z.string(), task: z.string() }),
      run: async () => 'Error: workspace 1 is offline',
    })
    const registry = new ToolRegistry([withAudit(commit), withAudit(delegate)])
    const ctx = contextFor('http://127.0.0.1:9', 'ws-a', undefined, { audit })
    await registry.call('commit_memory', ctx, { content: 'remember this', scope: 'team' })
    await registry.call('delegate_task', ctx, { workspace_id: 'peer-1', task: 'do it' })
    await audit.flush()
    expect(lines(path).map((l) => [l.event_type, l.action, l.resource, l.outcome])).toEqual([
      ['memory', 'memory.write', 'TEAM', 'allowed'],
      ['memory', 'memory.write', 'TEAM', 'success'],
      ['delegation', 'delegate', 'peer-1', 'dispatched'],
      ['delegation', 'delegate', 'peer-1', 'failure'],
    ])
    const [allowed, success] = lines(path)
    expect(allowed).toMatchObject({ content_length: 13 })
    expect(success?.trace_id).toBe(allowed?.trace_id)
  })
})
