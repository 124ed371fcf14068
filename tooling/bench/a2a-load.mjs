// A lean keep-alive HTTP/1.1 load loop on raw sockets (no per-request client objects), so the
// client costs far less CPU than the servers it measures. One request in flight per connection.
import { fork } from 'node:child_process'
import net from 'node:net'

export function messageSendRequest(text = 'hello') {
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'message/send',
    params: {
      message: { kind: 'message', role: 'user', messageId: 'bench-1', parts: [{ kind: 'text', text }] },
    },
  })
  return Buffer.from(
    `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

const HEADER_END = Buffer.from('\r\n\r\n')
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n')

/** Length of the first complete response in buf, or -1; also reports its status code. */
function responseLength(buf, out) {
  const headerEnd = buf.indexOf(HEADER_END)
  if (headerEnd < 0) return -1
  const head = buf.toString('latin1', 0, headerEnd)
  out.status = Number(head.slice(9, 12))
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(head)
  if (m) {
    const total = headerEnd + 4 + Number(m[1])
    return buf.length >= total ? total : -1
  }
  const end = buf.indexOf(CHUNKED_END, headerEnd)
  return end < 0 ? -1 : end + CHUNKED_END.length
}

function connection(port, request, until, latencies, stats) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1')
    sock.setNoDelay(true)
    let buf = Buffer.alloc(0)
    let started = 0n
    const out = { status: 0 }
    const send = () => {
      started = process.hrtime.bigint()
      sock.write(request)
    }
    sock.on('connect', send)
    sock.on('data', (chunk) => {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
      for (;;) {
        const len = responseLength(buf, out)
        if (len < 0) return
        buf = buf.subarray(len)
        const ns = process.hrtime.bigint() - started
        if (out.status === 200) {
          if (stats.n < latencies.length) latencies[stats.n] = Number(ns) / 1e6
          stats.n++
        } else stats.errors++
        if (performance.now() < until) send()
        else {
          sock.end()
          return
        }
      }
    })
    sock.on('close', resolve)
    sock.on('error', () => {
      stats.errors++
      resolve()
    })
  })
}

/** Drives `connections` keep-alive loops for `seconds`; returns req/s and latency percentiles (ms). */
export async function load(port, { connections, seconds, request = messageSendRequest() }) {
  const latencies = new Float64Array(4_000_000)
  const stats = { n: 0, errors: 0 }
  const t0 = performance.now()
  const until = t0 + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, () => connection(port, request, until, latencies, stats)),
  )
  const elapsed = (performance.now() - t0) / 1000
  const sorted = latencies.slice(0, Math.min(stats.n, latencies.length)).sort()
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
  return { rps: stats.n / elapsed, p50: pct(50), p99: pct(99), requests: stats.n, errors: stats.errors }
}

/** Starts a target from a2a-targets.mjs in a child process; resolves with {port, child, memory()}. */
export function spawnTarget(name, entry, execArgv = []) {
  const child = fork(entry, ['--serve', name], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const waitFor = (key) =>
    new Promise((resolve, reject) => {
      // Both listeners go once answered: a2a-ab asks for CPU time every round.
      const onExit = (code) => {
        child.off('message', onMessage)
        reject(new Error(`${name} server exited (${code})`))
      }
      const onMessage = (msg) => {
        if (msg && key in msg) {
          child.off('message', onMessage)
          child.off('exit', onExit)
          resolve(msg[key])
        }
      }
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  return waitFor('ready').then((port) => ({
    port,
    child,
    memory() {
      child.send('memory')
      return waitFor('memory')
    },
    /** The server's `process.cpuUsage()` so far ({ user, system } µs). */
    cpu() {
      child.send('cpu')
      return waitFor('cpu')
    },
    stop() {
      child.kill()
    },
  }))
}

/** One plain request, to check a target really echoes before it is measured (`expected`: the reply text). */
export async function probe(port, expected = 'echo: probe') {
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: messageSendRequest('probe').toString().split('\r\n\r\n')[1],
  })
  const json = await res.json()
  const result = json.result
  const text = result?.parts?.[0]?.text ?? result?.artifacts?.[0]?.parts?.[0]?.text
  if (text !== expected) throw new Error(`target did not echo: ${JSON.stringify(json).slice(0, 300)}`)
}
