import { silentLogger } from '@molecule/core'
import { PlatformClient } from '@molecule/platform-client'
import { credentialSamples, leakedPiece, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { memoryTools } from './memory-tools.js'
import { ToolRegistry } from './registry.js'

/** The registry over a client whose requests are recorded and answered as the platform would. */
function recordingWorkspace() {
  const bodies: string[] = []
  const platform = new PlatformClient({
    platformUrl: 'http://platform.test',
    workspaceId: 'ws-1',
    token: 'workspace-token-for-the-test',
    retry: { attempts: 1 },
    fetch: async (_url, init) => {
      bodies.push(String(init?.body ?? ''))
      return new Response(JSON.stringify({ id: 'm-1', scope: 'LOCAL', namespace: 'general' }), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      })
    },
  })
  const registry = new ToolRegistry(memoryTools())
  const ctx = { workspaceId: 'ws-1', platform, logger: silentLogger, signal: new AbortController().signal }
  return { bodies, commit: (content: string) => registry.call('commit_memory', ctx, { content }) }
}

describe('commit_memory redaction', () => {
  it('sends no workspace token of 10,000 generated ones to the platform', async () => {
    const workspace = recordingWorkspace()
    const tokens = workspaceTokens()
    // One memory per 100 tokens keeps the run short; every token is in some memory.
    for (let i = 0; i < tokens.length; i += 100) {
      await workspace.commit(`tokens seen: ${tokens.slice(i, i + 100).join(' and ')}`)
    }
    const sent = workspace.bodies.join('\n')
    expect(workspace.bodies).toHaveLength(100)
    expect(tokens.filter((token) => sent.includes(token))).toEqual([])
  })

  it('sends no piece of a JWT, private key, Slack token, password or bearer value', async () => {
    const workspace = recordingWorkspace()
    for (const sample of credentialSamples()) {
      await workspace.commit(sample.text)
      const sent = JSON.parse(workspace.bodies.at(-1) ?? '{}').content as string
      expect({ kind: sample.kind, leaked: leakedPiece(sent, sample.secret) }).toEqual({
        kind: sample.kind,
        leaked: undefined,
      })
    }
  })
})
