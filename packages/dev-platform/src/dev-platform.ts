import type { Logger } from '@molecule/core'
import { createLogger } from '@molecule/logger'
import type { Hono } from 'hono'
import { A2aProxy } from './a2a-proxy.js'
import { AuthGates } from './auth-gates.js'
import { DelegationRunner } from './delegation-runner.js'
import { createHttpApp } from './http-app.js'
import { LivenessSweep } from './liveness-sweep.js'
import { type DevPlatformOptions, type ResolvedOptions, resolveOptions } from './options.js'
import { PlatformState } from './platform-state.js'
import { type CreateWorkspaceInput, createWorkspaceRecord } from './workspace-factory.js'

/** The platform before it listens: a hono app, its in-memory state, and the background sweep. */
export interface DevPlatform {
  app: Hono
  state: PlatformState
  options: ResolvedOptions
  logger: Logger
  /** Runs the liveness/provisioning/retention checks once (the sweep timer calls this too). */
  sweep(): void
  /** Starts the periodic sweep (startDevPlatform does this). */
  startSweep(): void
  /** Stops the sweep and closes open event streams; waits for background delegations. */
  shutdown(): Promise<void>
  /** Mirrors `POST /workspaces` without HTTP; `mint_token: true` also returns a token. */
  createWorkspace(input: CreateWorkspaceInput): Promise<{ id: string; token?: string }>
}

export function createDevPlatform(options: DevPlatformOptions = {}): DevPlatform {
  const resolved = resolveOptions(options)
  const logger =
    options.logger ?? createLogger({ name: 'molecule-dev-platform', level: options.logLevel ?? 'info' })
  const state = new PlatformState(resolved.now)
  const gates = new AuthGates(state, resolved)
  const proxy = new A2aProxy(state, resolved, logger.child({ component: 'a2a-proxy' }))
  const delegations = new DelegationRunner(state, proxy, resolved, logger.child({ component: 'delegation' }))
  const sweep = new LivenessSweep(state, resolved, logger.child({ component: 'liveness' }))
  const closers = new Set<() => void>()
  const app = createHttpApp({ state, options: resolved, logger, gates, proxy, delegations }, closers)

  return {
    app,
    state,
    options: resolved,
    logger,
    sweep: () => sweep.tick(),
    startSweep: () => sweep.start(),
    async shutdown() {
      sweep.stop()
      for (const close of closers) close()
      await delegations.settled()
    },
    async createWorkspace(input) {
      const { workspace, token } = createWorkspaceRecord(state, input)
      return token === undefined ? { id: workspace.id } : { id: workspace.id, token }
    },
  }
}
