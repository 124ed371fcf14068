import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'

/** Debian's browser; `.ci/run` installs the `chromium` package when it is missing. Never a downloaded one. */
export const SYSTEM_CHROMIUM = process.env.MOLECULE_TEST_CHROMIUM ?? '/usr/bin/chromium'

/** Flags that keep a headless browser quiet: no GPU, no QUIC, no background traffic, nothing beyond the test. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface TestBrowser {
  context: BrowserContext
  close(): Promise<void>
}

/**
 * The system's headless Chromium, driven by playwright-core, with a fresh profile in a temp dir (removed on close).
 * playwright-core is loaded only here, so tests that never open a browser never load it.
 */
export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(SYSTEM_CHROMIUM)) {
    throw new Error(`${SYSTEM_CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`)
  }
  const { chromium } = await import('playwright-core')
  const profile = await mkdtemp(join(tmpdir(), 'molecule-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: SYSTEM_CHROMIUM,
    headless: true,
    args: FLAGS,
  })
  return {
    context,
    async close() {
      await context.close().catch(() => {})
      await rm(profile, { recursive: true, force: true })
    },
  }
}
