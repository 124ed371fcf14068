import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LocalCluster } from './local-cluster.js'
import { RuntimeError } from './runtime-error.js'

const NAMES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']

function existingPath(path: string, option: string, what: string): string {
  const full = resolve(path)
  if (!existsSync(full))
    throw new RuntimeError('DEV_OPTION_INVALID', `${option}: ${full} does not exist; pass ${what}.`, {
      path: option,
      fix: `Point ${option} at ${what} (build the adapter first).`,
    })
  return full
}

/** `molecule-runtime dev`: dev platform + N echo workspaces in this process, until Ctrl-C. */
export async function runDev(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      workspaces: { type: 'string', default: '2' },
      port: { type: 'string', default: '8080' },
      verbose: { type: 'boolean', default: false },
      adapter: { type: 'string' },
      config: { type: 'string' },
    },
  })
  const count = Number(values.workspaces)
  const port = Number(values.port)
  if (!Number.isInteger(count) || count < 1 || count > 50)
    throw new RuntimeError('DEV_OPTION_INVALID', '--workspaces must be a whole number from 1 to 50', {
      path: '--workspaces',
    })
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RuntimeError('DEV_OPTION_INVALID', '--port must be a port number (0 = any free port)', {
      path: '--port',
    })

  const adapterModule = values.adapter
    ? existingPath(values.adapter, '--adapter', 'the built adapter file')
    : ''
  const configSource = values.config
    ? existingPath(join(values.config, 'config.yaml'), '--config', 'a directory holding config.yaml') &&
      resolve(values.config)
    : undefined

  const cluster = await LocalCluster.start({ port, logLevel: values.verbose ? 'info' : 'warn' })
  let stopping = false
  const stop = (): void => {
    if (stopping) process.exit(1)
    stopping = true
    process.stdout.write('\nstopping…\n')
    cluster.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)

  for (let i = 0; i < count; i++) {
    await cluster.add({
      name: NAMES[i] ?? `ws-${i + 1}`,
      example: 'echo',
      adapterModule,
      ...(configSource ? { configSource } : {}),
    })
  }
  // The console's address comes first: it is what a person opens.
  const kind = adapterModule ? `adapter ${adapterModule}` : 'echo adapter'
  const out = [
    `molecule dev console: ${cluster.platform.url}/`,
    `molecule dev platform listening on ${cluster.platform.url}`,
    '',
    `workspaces (${kind}):`,
  ]
  for (const ws of cluster.workspaces) {
    out.push(`  ${ws.name.padEnd(8)} ${ws.id}  A2A ${ws.runtime.url}`)
  }
  const first = cluster.workspaces[0]
  if (first) {
    const body = JSON.stringify({
      method: 'message/send',
      params: { message: { role: 'user', parts: [{ kind: 'text', text: 'hello' }] } },
    })
    out.push(
      '',
      `send ${first.name} a message through the platform's A2A proxy:`,
      `  curl -s -X POST ${cluster.platform.url}/workspaces/${first.id}/a2a -H 'Content-Type: application/json' -d '${body}'`,
    )
  }
  out.push('', 'Ctrl-C stops everything.')
  process.stdout.write(`${out.join('\n')}\n`)
}
