import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@molecule/core'
import { PlatformClient } from '@molecule/platform-client'
import { describe, expect, it } from 'vitest'
import { runInitialPrompt } from './self-prompts.js'

const logger = silentLogger
// Nothing listens on port 9 of loopback: the readiness probe and any send fail fast.
const unreachable = new PlatformClient({
  platformUrl: 'http://127.0.0.1:9',
  workspaceId: crypto.randomUUID(),
})

describe('runInitialPrompt', () => {
  it('writes the marker before anything else and skips when the server never becomes ready', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'initial-'))
    const marker = join(dir, '.initial_prompt_done')
    const outcome = await runInitialPrompt({
      prompt: 'hello',
      platform: unreachable,
      markerPaths: [marker],
      readinessUrl: 'http://127.0.0.1:9/.well-known/agent-card.json',
      readinessAttempts: 2,
      readinessIntervalMs: 10,
      signal: new AbortController().signal,
      logger,
    })
    expect(outcome).toBe('not-ready')
    expect(await readFile(marker, 'utf8')).toBe('attempted')
  })

  it('falls back to the second marker location when the first is not writable, and honours either', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'initial-'))
    await writeFile(join(dir, 'not-a-dir'), 'x')
    const blocked = join(dir, 'not-a-dir', '.initial_prompt_done')
    const fallback = join(dir, 'workspace', '.initial_prompt_done')
    const options = {
      prompt: 'hello',
      platform: unreachable,
      markerPaths: [blocked, fallback],
      readinessUrl: 'http://127.0.0.1:9/',
      readinessAttempts: 1,
      readinessIntervalMs: 1,
      signal: new AbortController().signal,
      logger,
    }
    expect(await runInitialPrompt(options)).toBe('not-ready')
    expect(await readFile(fallback, 'utf8')).toBe('attempted')
    expect(await runInitialPrompt(options)).toBe('already-done')
  })

  it('stops when aborted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'initial-'))
    const controller = new AbortController()
    controller.abort()
    const outcome = await runInitialPrompt({
      prompt: 'hello',
      platform: unreachable,
      markerPaths: [join(dir, 'm')],
      readinessUrl: 'http://127.0.0.1:9/',
      signal: controller.signal,
      logger,
    })
    expect(outcome).toBe('aborted')
  })
})
