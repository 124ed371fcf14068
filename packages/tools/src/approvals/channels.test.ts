import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { recordingLogger } from '@molecule/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { decideUrl, notifyChannels } from './channels.js'

const NOTICE = {
  approvalId: 'ap-1',
  workspaceId: 'ws-1',
  workspaceName: 'Ops',
  platformUrl: 'http://platform.test',
  action: 'rotate keys',
  reason: 'quarterly',
}
const closers: Array<() => void> = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

function listen(server: {
  listen(port: number, host: string, cb: () => void): unknown
  address(): unknown
  close(): unknown
}) {
  return new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
    closers.push(() => server.close())
  })
}

describe('approval notification channels', () => {
  it('Slack: a Block Kit message whose buttons carry the real decide route', async () => {
    const bodies: Array<Record<string, unknown>> = []
    const port = await listen(
      createHttpServer((req, res) => {
        let raw = ''
        req.on('data', (c) => (raw += c))
        req.on('end', () => {
          bodies.push(JSON.parse(raw) as Record<string, unknown>)
          res.end('ok')
        })
      }),
    )
    const logger = recordingLogger()
    await notifyChannels([{ type: 'slack', webhook_url: `http://127.0.0.1:${port}/hook` }], NOTICE, {
      logger,
    })
    const message = JSON.stringify(bodies[0])
    expect(decideUrl(NOTICE)).toBe('http://platform.test/workspaces/ws-1/approvals/ap-1/decide')
    expect(message).toContain('http://platform.test/workspaces/ws-1/approvals/ap-1/decide')
    expect(message).not.toMatch(/approvals\/ap-1\/(approve|deny)/)
    expect(bodies[0]?.blocks).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'actions' })]))
    expect(logger.at('warn')).toEqual([])
  })

  it('e-mail: delivers over SMTP; a failing or misconfigured channel is logged, never thrown', async () => {
    const received: string[] = []
    const port = await listen(
      createTcpServer((socket) => {
        socket.write('220 test ESMTP\r\n')
        let data = false
        let buffer = ''
        socket.on('data', (chunk) => {
          buffer += chunk.toString()
          let end = buffer.indexOf('\r\n')
          while (end >= 0) {
            const line = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            if (data) {
              if (line === '.') {
                data = false
                socket.write('250 queued\r\n')
              } else received.push(line)
            } else if (line.startsWith('EHLO')) socket.write('250-test\r\n250 8BITMIME\r\n')
            else if (line === 'DATA') {
              data = true
              socket.write('354 go\r\n')
            } else if (line === 'QUIT') socket.end('221 bye\r\n')
            else socket.write('250 ok\r\n')
            end = buffer.indexOf('\r\n')
          }
        })
      }),
    )
    const logger = recordingLogger()
    await notifyChannels(
      [
        {
          type: 'email',
          smtp_host: '127.0.0.1',
          smtp_port: port,
          from: 'bot@example.test',
          to: 'ops@example.test',
        },
        {
          type: 'email',
          smtp_host: '127.0.0.1',
          smtp_port: 1,
          from: 'bot@example.test',
          to: 'ops@example.test',
        },
        { type: 'slack' },
      ] as never,
      NOTICE,
      { logger },
    )
    expect(received).toContain('Subject: [Molecule AI] Approval required: rotate keys')
    expect(received.join('\n')).toContain('POST http://platform.test/workspaces/ws-1/approvals/ap-1/decide')
    expect(logger.at('warn').map((l) => l.msg)).toEqual(
      expect.arrayContaining(['approval notification failed', 'slack channel has no webhook_url; skipped']),
    )
  })
})
