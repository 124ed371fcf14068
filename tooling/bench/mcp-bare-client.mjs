// The floor of an idle bridge: a bare node:http keep-alive client making the same requests molecule-mcp makes for N
// workspaces — a heartbeat per workspace every HEARTBEAT_MS, an inbox poll per workspace every POLL_MS, each with its
// bearer — parsing every JSON answer and doing nothing else. Spawned by mcp-100-workspaces.mjs; reads its
// workspaces from BARE_WORKSPACES.
import http from 'node:http'

const platform = new URL(process.env.PLATFORM_URL)
const entries = JSON.parse(process.env.BARE_WORKSPACES)
const heartbeatMs = Number(process.env.HEARTBEAT_MS)
const pollMs = Number(process.env.POLL_MS)
const agent = new http.Agent({ keepAlive: true })
const started = Date.now()

function call(method, path, token, workspaceId, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const headers = {
    accept: 'application/json',
    authorization: `Bearer ${token}`,
    'x-workspace-id': workspaceId,
  }
  if (payload !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = Buffer.byteLength(payload)
  }
  const req = http.request(
    { host: platform.hostname, port: platform.port, method, path, headers, agent },
    (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => JSON.parse(text || 'null'))
    },
  )
  req.on('error', () => {})
  req.end(payload)
}

for (const { id, token } of entries) {
  const beat = () =>
    call('POST', '/registry/heartbeat', token, id, {
      workspace_id: id,
      error_rate: 0,
      sample_error: '',
      active_tasks: 0,
      current_task: '',
      uptime_seconds: Math.floor((Date.now() - started) / 1000),
    })
  const poll = () =>
    call('GET', `/workspaces/${id}/activity?type=a2a_receive&limit=100&include=peer_info`, token, id)
  beat()
  poll()
  setInterval(beat, heartbeatMs)
  setInterval(poll, pollMs)
}
process.send?.('ready')
// A normal exit on SIGINT, so --cpu-prof writes its profile.
process.on('SIGINT', () => process.exit(0))
