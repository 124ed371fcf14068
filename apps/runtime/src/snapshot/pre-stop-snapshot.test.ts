import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSnapshot, PreStopSnapshot, snapshotSessionId } from './pre-stop-snapshot.js'

async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'snap-'))
  return join(dir, 'nested', '.agent_snapshot.json')
}

describe('PreStopSnapshot', () => {
  it('a failed write returns false and keeps the reason for the shutdown log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snap-'))
    // A file where the parent directory should be: the write cannot create it.
    await writeFile(join(dir, 'blocked'), 'x')
    const store = new PreStopSnapshot(join(dir, 'blocked', '.agent_snapshot.json'))
    const snapshot = buildSnapshot({ workspaceId: 'w', currentTask: '', activeTasks: 0, adapterState: {} })
    expect(await store.write(snapshot)).toBe(false)
    expect(store.lastError).toMatch(/EEXIST|ENOTDIR/)
  })

  it('writes a scrubbed, pretty, 0600 file and reads it back', async () => {
    const store = new PreStopSnapshot(await tempPath())
    const snapshot = buildSnapshot({
      workspaceId: 'ws-1',
      currentTask: 'using Bearer abcdef',
      activeTasks: 1,
      uptimeSeconds: 12,
      adapterState: {
        session_id: 's-1',
        transcript: ['OPENAI_API_KEY=sk-zzzzzzzzzzzzzzzzzzzz', 'tool=run_code x'],
      },
      now: new Date('2026-01-02T03:04:05Z'),
    })
    expect(await store.write(snapshot)).toBe(true)
    const raw = await readFile(store.path, 'utf8')
    expect(raw).toContain('\n  "workspace_id": "ws-1"')
    expect(raw).not.toContain('abcdef')
    expect(raw).not.toContain('sk-zzz')
    expect((await stat(store.path)).mode & 0o777).toBe(0o600)
    const back = await store.read()
    expect(back?.current_task).toBe('using [REDACTED:BEARER_TOKEN]')
    expect(back?.adapter.transcript).toEqual(['OPENAI_API_KEY=[REDACTED:API_KEY]'])
    expect(back?.timestamp).toBe('2026-01-02T03:04:05.000Z')
    expect(back && 'session_id' in back).toBe(false)
  })

  it('falls back to a top-level session id only when the adapter has none', () => {
    const snap = buildSnapshot({
      workspaceId: '',
      currentTask: '',
      activeTasks: 0,
      adapterState: {},
      sessionId: 'top',
    })
    expect(snap.workspace_id).toBe('unknown')
    expect(snapshotSessionId(snap)).toBe('top')
    expect(snapshotSessionId({ ...snap, adapter: { session_id: 'inner' } })).toBe('inner')
  })

  it('treats missing and invalid files as no snapshot, and delete is idempotent', async () => {
    const store = new PreStopSnapshot(await tempPath())
    expect(await store.read()).toBeUndefined()
    await store.delete()
    await store.write(buildSnapshot({ workspaceId: 'w', currentTask: '', activeTasks: 0, adapterState: {} }))
    await writeFile(store.path, '{not json')
    expect(await store.read()).toBeUndefined()
  })

  it('returns false when the path cannot be written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snap-'))
    await writeFile(join(dir, 'file'), 'x')
    const store = new PreStopSnapshot(join(dir, 'file', 'snap.json'))
    expect(
      await store.write(
        buildSnapshot({ workspaceId: 'w', currentTask: '', activeTasks: 0, adapterState: {} }),
      ),
    ).toBe(false)
  })
})
