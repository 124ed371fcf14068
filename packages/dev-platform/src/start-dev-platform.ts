import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createDevPlatform, type DevPlatform } from './dev-platform.js'
import { DevPlatformError } from './errors.js'
import { exposureRefusal, exposureWarning, isLoopbackHost } from './exposure.js'
import { type DevPlatformOptions, resolveOptions } from './options.js'
import type { PlatformState } from './platform-state.js'
import type { CreateWorkspaceInput } from './workspace-factory.js'

export interface RunningDevPlatform {
  /** `http://<host>:<port>` */
  url: string
  port: number
  /** Read access for tests: workspaces, tokens, activity, memories, delegations, approvals, queue, events. */
  state: PlatformState
  platform: DevPlatform
  createWorkspace(input: CreateWorkspaceInput): Promise<{ id: string; token?: string }>
  close(): Promise<void>
}

/**
 * Creates the platform and listens (port 0 = any free port). Beyond loopback it refuses to start without an admin
 * token (or in lenient mode), before anything listens, and otherwise warns on stderr.
 */
export async function startDevPlatform(options: DevPlatformOptions = {}): Promise<RunningDevPlatform> {
  const refusal = exposureRefusal(resolveOptions(options))
  if (refusal) throw refusal
  const platform = createDevPlatform(options)
  const { host, port } = platform.options
  // Straight to stderr, not through the logger: a log level must not be able to hide it.
  if (!isLoopbackHost(host)) process.stderr.write(exposureWarning(host))
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const srv = serve({ fetch: platform.app.fetch, port, hostname: host }, () => resolve(srv))
    srv.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new DevPlatformError(
          'DEV_PLATFORM_LISTEN_FAILED',
          `cannot listen on ${host}:${port} (${err.code ?? err.message}); choose another --port or 0 for a free one`,
          { cause: err },
        ),
      ),
    )
  })
  platform.startSweep()
  const address = server.address() as AddressInfo
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${urlHost}:${address.port}`
  platform.logger.debug({ url }, 'dev platform listening')
  let closing: Promise<void> | undefined
  return {
    url,
    port: address.port,
    state: platform.state,
    platform,
    createWorkspace: (input) => platform.createWorkspace(input),
    close() {
      closing ??= (async () => {
        await platform.shutdown()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          const closeAll = (server as { closeAllConnections?: () => void }).closeAllConnections
          closeAll?.call(server)
        })
      })()
      return closing
    },
  }
}
