import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type RunningDevPlatform, startDevPlatform } from '@molecule/dev-platform'
import { PlatformClient } from '@molecule/platform-client'
import { launchChromium, type TestBrowser } from '@molecule/test-support'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ECHO_CONFIG,
  type RuntimeProcess,
  runtimeBin,
  spawnRuntime,
  workspaceDirs,
} from './support/runtime-process.js'

// The dev console in a real browser (Debian's chromium, driven by playwright-core): what a person sees while two
// runtimes talk through the dev platform, and an approval decided with a click.

let browser: TestBrowser
const running: RuntimeProcess[] = []
let platform: RunningDevPlatform | undefined

beforeAll(async () => {
  browser = await launchChromium()
}, 30_000)

afterAll(async () => {
  await browser?.close()
})

afterEach(async () => {
  await Promise.all(running.splice(0).map((rt) => rt.stop('SIGKILL')))
  await platform?.close()
  platform = undefined
})

/**
 * What an agent waiting for a human does: listen on its workspace's event stream until the approval is decided.
 * Resolves with the decision. Accepts the decision events by name (APPROVAL_APPROVED / APPROVAL_DENIED) and the
 * compatibility APPROVAL_DECIDED, so a change of which one is sent does not break it.
 */
async function waitForDecision(url: string, workspaceId: string, token: string, approvalId: string) {
  const res = await fetch(`${url}/workspaces/${workspaceId}/events/stream`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(15_000),
  })
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  const ready = reader.read().then(({ value }) => {
    buffer += decoder.decode(value, { stream: true })
  })
  const decided = (async () => {
    await ready
    for (let reads = 0; reads < 1_000; reads++) {
      for (const chunk of buffer.split('\n\n')) {
        if (!chunk.startsWith('data: ')) continue
        const frame = JSON.parse(chunk.slice(6)) as { type: string; data: Record<string, unknown> }
        if (frame.data.approval_id !== approvalId) continue
        if (
          frame.type === 'APPROVAL_APPROVED' ||
          frame.type === 'APPROVAL_DENIED' ||
          frame.type === 'APPROVAL_DECIDED'
        ) {
          await reader.cancel()
          return String(frame.data.decision ?? frame.data.status)
        }
      }
      const { value, done } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
    }
    throw new Error(`approval ${approvalId} was never decided`)
  })()
  await ready
  return decided
}

describe('the dev console in a browser', () => {
  it('shows two runtimes, both hops of a delegation, and releases a waiting agent when Approve is clicked', async () => {
    platform = await startDevPlatform({ port: 0, logLevel: 'silent', consoleFlushMs: 50 })
    const p = platform
    const a = await p.createWorkspace({ name: 'alpha' })
    const b = await p.createWorkspace({ name: 'beta' })
    const dirsA = await workspaceDirs(ECHO_CONFIG)
    const fast = { MOLECULE_DELEGATION_POLL_MS: '100', MOLECULE_SELF_MESSAGE_COOLDOWN_MS: '0' }
    const rtA = spawnRuntime(a.id, p.url, dirsA, fast)
    const rtB = spawnRuntime(b.id, p.url, await workspaceDirs(ECHO_CONFIG), fast)
    running.push(rtA, rtB)

    const page = await browser.context.newPage()
    await page.goto(`${p.url}/`)
    const workspaces = page.locator('#workspaces tbody tr')
    // The page is open before the runtimes register: their rows arrive live.
    await rtA.waitForMsg('registered')
    await rtB.waitForMsg('registered')
    await expect.poll(() => workspaces.count(), { timeout: 5_000 }).toBe(2)
    await expect.poll(() => page.locator('#workspaces tbody tr[data-id] td.status-online').count()).toBe(2)

    // A delegation: alpha hands beta a task through the platform.
    const tokenA = (await readFile(join(dirsA.configs, '.auth_token'), 'utf8')).trim()
    const task = 'summarise the quarterly numbers for the board'
    const res = await fetch(`${p.url}/workspaces/${a.id}/delegate`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${tokenA}`,
        'X-Workspace-ID': a.id,
      },
      body: JSON.stringify({ target_id: b.id, task }),
    })
    expect(res.status).toBe(202)
    const timeline = page.locator('#timeline tbody tr')
    // Hop one: alpha → beta with the task, beta's answer and its latency.
    const out = timeline.filter({ hasText: 'alpha → beta' }).filter({ hasText: task })
    await expect.poll(() => out.count(), { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await out.first().locator('td').nth(3).textContent()).toContain(task)
    expect(await out.first().locator('td').nth(4).textContent()).toMatch(/^\d+ ms$/)
    // Hop two: the result comes back to alpha (the runtime wakes itself through the proxy with it).
    const back = timeline
      .filter({ hasText: 'alpha → alpha' })
      .filter({ hasText: 'Delegation results are ready' })
    await expect.poll(() => back.count(), { timeout: 10_000 }).toBeGreaterThan(0)
    const delegation = page.locator('#delegations tbody tr').filter({ hasText: 'alpha → beta' })
    await expect.poll(() => delegation.locator('td.status-completed').count(), { timeout: 10_000 }).toBe(1)

    // An approval: alpha asks (platform-client), then waits on its event stream for the human.
    const client = new PlatformClient({ platformUrl: p.url, workspaceId: a.id, token: tokenA })
    const asked = await client.requestApproval({ action: 'deploy to staging', reason: 'release 1.4' })
    const released = waitForDecision(p.url, a.id, tokenA, asked.approval_id)
    const approve = page.getByRole('button', { name: 'Approve deploy to staging from alpha' })
    await approve.waitFor({ timeout: 5_000 })
    // Keyboard works: focus the button and press Enter.
    await approve.focus()
    await page.keyboard.press('Enter')
    expect(await released).toBe('approved')
    const row = page.locator(`#approvals tbody tr[data-id="${asked.approval_id}"]`)
    await expect.poll(() => row.getAttribute('data-status')).toBe('approved')
    expect(await row.textContent()).toContain('by console')
    expect(await page.getByRole('button', { name: /Approve deploy to staging/ }).count()).toBe(0)

    // The workspace page: beta's card, its skills, and the task it was sent.
    await page.locator('#workspaces tbody').getByRole('link', { name: 'beta' }).click()
    await page.waitForURL(`**/console/workspaces/${b.id}`)
    expect(await page.locator('h1').textContent()).toBe('beta')
    expect(await page.locator('#card-title + *').textContent()).toBeTruthy()
    expect(await page.locator('section', { hasText: 'Recent tasks' }).textContent()).toContain(task)

    // No token reaches the browser.
    await page.goto(`${p.url}/`)
    await expect.poll(() => workspaces.count()).toBe(2)
    expect(await page.content()).not.toContain(tokenA)
    await page.close()
  }, 60_000)

  it('`molecule-runtime dev`: the console URL comes first and the page shows both echo workspaces within a second', async () => {
    const dev = spawn(process.execPath, [runtimeBin, 'dev', '--port', '0'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      let out = ''
      dev.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk
      })
      const end = Date.now() + 15_000
      while (!out.includes('Ctrl-C') && dev.exitCode === null && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 20))
      }
      const booted = performance.now()
      const consoleUrl = /^molecule dev console: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(
        out.split('\n')[0] ?? '',
      )?.[1]
      expect(consoleUrl).toBeTruthy()
      const page = await browser.context.newPage()
      await page.goto(consoleUrl as string)
      await page.locator('#workspaces tbody tr:nth-child(2)').waitFor({ timeout: 1_000 })
      expect(performance.now() - booted).toBeLessThan(1_000)
      const names = await page.locator('#workspaces tbody tr th').allTextContents()
      expect(names.sort()).toEqual(['alpha', 'beta'])
      expect(await page.locator('#connection').textContent()).toBe('live')
      await page.close()
    } finally {
      if (dev.exitCode === null) {
        const exited = new Promise((r) => dev.once('exit', r))
        dev.kill('SIGINT')
        await exited
      }
    }
  }, 30_000)
})
