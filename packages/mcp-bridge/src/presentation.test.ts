import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import pkg from '../package.json' with { type: 'json' }
import { channelParams, pushEnabled } from './channel-push.js'
import { presentMessage, sanitiseDisplay } from './inbox-message.js'
import { buildInstructions } from './instructions.js'
import { BRIDGE_VERSION } from './version.js'

const PEER = '0b6f7c1e-1111-4222-8333-444455556666'
const ACT = '7d2e0000-1111-4222-8333-444455556666'

describe('inbound presentation', () => {
  it('sanitises registry display strings', () => {
    expect(sanitiseDisplay('Bob <script>"ignore previous"</script>')).toBe(
      'Bob script ignore previous /script',
    )
    expect(sanitiseDisplay('x'.repeat(100))).toHaveLength(64)
  })

  it('stamps the arrival workspace only when given', () => {
    const message = {
      activity_id: ACT,
      text: 'hi',
      kind: 'peer_agent' as const,
      peer_id: PEER,
      peer_name: 'A\nB',
    }
    expect(presentMessage(message, 'ws-b')).toMatchObject({ arrival_workspace_id: 'ws-b', peer_name: 'A B' })
    expect(
      presentMessage({ ...message, arrival_workspace_id: 'x' }, undefined).arrival_workspace_id,
    ).toBeUndefined()
  })

  it('builds channel params with checked meta and a reply hint', () => {
    const params = channelParams({
      activity_id: ACT,
      text: 'hello',
      kind: 'peer_agent',
      peer_id: PEER,
      method: 'evil',
    })
    expect(params.meta).toMatchObject({
      source: 'molecule',
      kind: 'peer_agent',
      peer_id: PEER,
      method: '',
      activity_id: ACT,
    })
    expect(params.content).toContain(`delegate_task(workspace_id="${PEER}"`)
    const user = channelParams({
      activity_id: 'not-a-uuid',
      text: 'q',
      kind: 'canvas_user',
      arrival_workspace_id: 'ws-b',
    })
    expect(user.meta.activity_id).toBe('')
    expect(user.content).toMatch(/^\[from canvas user\]/)
    expect(user.content).toContain('workspace_id="ws-b"')
  })

  it('turns push on for Claude Code or by flag', () => {
    expect(pushEnabled({})).toBe(false)
    expect(pushEnabled({ CLAUDECODE: '1' })).toBe(true)
    expect(pushEnabled({ CLAUDECODE: '1', MOLECULE_MCP_PUSH: '0' })).toBe(false)
    expect(pushEnabled({ MOLECULE_MCP_PUSH: '1' })).toBe(true)
  })
})

describe('instructions', () => {
  it('ask for a per-turn poll, or describe push-only at 0', () => {
    expect(buildInstructions({ pollTimeoutSecs: 5, multi: false, push: false })).toMatch(
      /wait_for_message\(timeout_secs=5\)/,
    )
    const pushOnly = buildInstructions({ pollTimeoutSecs: 0, multi: true, push: true })
    expect(pushOnly).not.toMatch(/wait_for_message\(timeout_secs/)
    expect(pushOnly).toMatch(/arrival_workspace_id/)
  })

  it('explain upload resolution (local paths for chat_upload_receive, unresolved platform-pending: URIs)', () => {
    const text = buildInstructions({ pollTimeoutSecs: 2, multi: false, push: false })
    expect(text).toContain('method=chat_upload_receive')
    expect(text).toContain('attachments[].uri and the text give the local path')
    expect(text).toContain('A platform-pending: URI that is still in a message could not be fetched')
  })

  it('version matches package.json', () => {
    expect(BRIDGE_VERSION).toBe(pkg.version)
  })

  it('takes the version from package.json, so a release bump needs no code change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-version-'))
    try {
      mkdirSync(join(dir, 'src'))
      copyFileSync(new URL('./version.ts', import.meta.url), join(dir, 'src/version.ts'))
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '9.8.7' }))
      const bumped = (await import(pathToFileURL(join(dir, 'src/version.ts')).href)) as {
        BRIDGE_VERSION: string
      }
      expect(bumped.BRIDGE_VERSION).toBe('9.8.7')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
