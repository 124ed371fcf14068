// An HTTP proxy in front of the dev platform that injects the platform's failures on demand. Loopback only.
import { createServer, request } from 'node:http'

/**
 * Modes: `pass` forwards; `down` closes the listener and resets every open connection (the platform process
 * killed; `pass` again reopens on the same port, state kept, like a platform restarted on its database);
 * `500`, `503`, `429` answer that status (503 and 429 with `Retry-After: 1`); `stall` holds the response for
 * `stallMs`; `drop` forwards, then cuts the connection halfway through the response body.
 */
export async function startFaultProxy(targetUrl, { stallMs = 30_000 } = {}) {
  const target = new URL(targetUrl)
  let mode = 'pass'
  const sockets = new Set()
  const counts = {}
  const server = createServer((req, res) => {
    counts[mode] = (counts[mode] ?? 0) + 1
    if (mode === '500' || mode === '503' || mode === '429') {
      req.resume()
      const headers = { 'content-type': 'application/json' }
      if (mode !== '500') headers['retry-after'] = '1'
      res.writeHead(Number(mode), headers).end(JSON.stringify({ error: `injected ${mode}` }))
      return
    }
    if (mode === 'stall') {
      req.resume()
      const timer = setTimeout(() => res.destroy(), stallMs)
      res.on('close', () => clearTimeout(timer))
      return
    }
    const cut = mode === 'drop'
    const upstream = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        const length = Number(answer.headers['content-length'] ?? 0)
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        if (!cut) return answer.pipe(res)
        let sent = 0
        answer.on('data', (chunk) => {
          if (sent + chunk.length >= Math.max(1, Math.floor(length / 2))) {
            res.write(chunk.subarray(0, Math.max(0, Math.floor(length / 2) - sent)))
            res.socket?.destroy()
            answer.destroy()
            return
          }
          sent += chunk.length
          res.write(chunk)
        })
        answer.on('end', () => res.socket?.destroy())
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const listen = (port) =>
    new Promise((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject)
        resolve(server.address().port)
      })
    })
  const port = await listen(0)
  let listening = true
  const resetAll = () => {
    for (const socket of sockets) socket.destroy()
  }
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    get mode() {
      return mode
    },
    async set(next) {
      if (next === mode) return
      if (mode === 'stall' || mode === 'drop') resetAll()
      if (next === 'down' && listening) {
        listening = false
        const closed = new Promise((resolve) => server.close(resolve))
        resetAll()
        await closed
      }
      if (next !== 'down' && !listening) {
        // The port was ours a moment ago; another process taking it in between would show as a failed reopen.
        for (let attempt = 0; attempt < 50 && !listening; attempt++) {
          try {
            await listen(port)
            listening = true
          } catch {
            await new Promise((r) => setTimeout(r, 100))
          }
        }
      }
      mode = next
    },
    async close() {
      resetAll()
      if (listening) await new Promise((resolve) => server.close(resolve))
    },
  }
}
