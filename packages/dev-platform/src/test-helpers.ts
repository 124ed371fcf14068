import { randomUUID } from 'node:crypto'
import type { DevPlatformOptions } from './options.js'
import { type RunningDevPlatform, startDevPlatform } from './start-dev-platform.js'

/** Test-only helpers: a started platform plus small fetch wrappers (real HTTP on 127.0.0.1). */
export interface TestPlatform extends RunningDevPlatform {
  call(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>
  register(
    id?: string,
    extra?: Record<string, unknown>,
    token?: string,
  ): Promise<{ id: string; token: string }>
}

export async function startTestPlatform(options: DevPlatformOptions = {}): Promise<TestPlatform> {
  const running = await startDevPlatform({ logLevel: 'silent', ...options })
  const call: TestPlatform['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) }
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json'
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined
        ? { body: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
        : {}),
    })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // plain text body
    }
    return { status: response.status, body, headers: response.headers }
  }
  const register: TestPlatform['register'] = async (id = randomUUID(), extra = {}, token) => {
    const res = await call('POST', '/registry/register', {
      body: { id, url: 'http://127.0.0.1:9', agent_card: { name: `ws-${id.slice(0, 4)}` }, ...extra },
      ...(token ? { token } : {}),
    })
    if (res.status !== 200) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`)
    return { id, token: (res.body as { auth_token: string }).auth_token }
  }
  return { ...running, call, register }
}
