import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { examplesDir, LocalCluster, replyText } from './local-cluster.js'

function say(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/**
 * `pnpm demo`: two workspaces on an embedded dev platform. The user talks to alpha; alpha (the example relay
 * adapter) delegates one question to beta with the delegate_task tool. Returns the exit code.
 */
export async function runDemo(_argv: string[]): Promise<number> {
  const relay = join(examplesDir(), 'adapter-template', 'dist', 'index.js')
  if (!existsSync(relay)) {
    process.stderr.write(
      `demo: ${relay} is missing. Fix: run \`pnpm build\` (or \`pnpm demo\`, which builds first).\n`,
    )
    return 1
  }
  const cluster = await LocalCluster.start({ port: 0, logLevel: process.env.MOLECULE_LOG_LEVEL ?? 'silent' })
  try {
    say(`Molecule demo — an embedded dev platform at ${cluster.platform.url} and two workspaces:`)
    const beta = await cluster.add({ name: 'beta', example: 'relay', adapterModule: relay })
    const alpha = await cluster.add({ name: 'alpha', example: 'relay', adapterModule: relay })
    say(`  alpha  ${alpha.id}  example relay adapter (examples/adapter-template), A2A ${alpha.runtime.url}`)
    say(`  beta   ${beta.id}  the same adapter, A2A ${beta.runtime.url}`)
    say(
      'Both registered with the platform and are heartbeating. Messages go through POST /workspaces/:id/a2a.',
    )
    say()

    const turns: Array<[string, string]> = [
      ['hello alpha, are you there?', 'a plain message: alpha answers itself'],
      ['ask beta: please confirm you received the release checklist', 'alpha hands this one to beta'],
    ]
    for (const [text, note] of turns) {
      say(`# ${note}`)
      say(`user  → alpha : ${text}`)
      const reply = await cluster.send(alpha, text)
      if (text.startsWith('ask beta:')) {
        // What the platform saw: alpha's delegate_task call arriving at beta through the proxy.
        const hops = cluster.platform.state.activity.rows.filter(
          (row) =>
            row.workspace_id === beta.id && row.source_id === alpha.id && row.activity_type === 'a2a_receive',
        )
        for (const hop of hops) {
          const asked = replyText((hop.request_body as { params?: { message?: unknown } })?.params?.message)
          const answered = replyText((hop.response_body as { result?: unknown })?.result)
          say(`alpha → beta  : ${asked}   (delegate_task, through the platform proxy)`)
          say(`beta  → alpha : ${answered}   (${hop.duration_ms ?? '?'} ms)`)
        }
      }
      say(`alpha → user  : ${reply}`)
      say()
      if (reply.startsWith('[error]') || reply.startsWith('[failed]')) return 1
    }
    say(
      'Done: the platform proxied every message, and alpha reached beta with the built-in delegate_task tool.',
    )
    return 0
  } finally {
    await cluster.stop()
  }
}
