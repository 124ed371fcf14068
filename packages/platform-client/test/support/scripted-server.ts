import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Field names and values as they came on the wire, repeats included. */
  rawHeaders: string[]
  body: string
}

export type ScriptedReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'hang'
  | 'destroy'

/**
 * A tiny loopback HTTP server whose answers a test scripts (500s, hangs, dropped connections). Used only for
 * fault injection; contract tests run against the real dev platform.
 */
export async function startScriptedServer(
  reply: (req: RecordedRequest, index: number) => ScriptedReply,
  port = 0,
): Promise<{ url: string; port: number; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = []
  const hanging = new Set<ServerResponse>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(recorded)
      const answer = reply(recorded, requests.length - 1)
      if (answer === 'hang') {
        hanging.add(res)
        return
      }
      if (answer === 'destroy') {
        req.socket.destroy()
        return
      }
      const body =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body)
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const actualPort = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export { freePort } from '@molecule/test-support'
