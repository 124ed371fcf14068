import type { PlatformClient } from '@molecule/platform-client'
import { PlatformError } from '@molecule/platform-client'

/**
 * For the two endpoints PlatformClient has no method for yet (`/broadcast`, and `/activity` with `before_ts`).
 * Same identity as the client: its bearer, its workspace id, its platform URL.
 */
export async function rawPlatformCall(
  client: PlatformClient,
  method: 'GET' | 'POST',
  path: string,
  options: {
    query?: Record<string, string | undefined>
    json?: unknown
    signal?: AbortSignal
    timeoutMs?: number
  } = {},
): Promise<{ status: number; body: unknown }> {
  const url = new URL(client.platformUrl + path)
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, value)
  }
  const headers: Record<string, string> = {
    accept: 'application/json',
    'X-Workspace-ID': client.workspaceId,
    Origin: client.platformUrl,
  }
  const token = client.getToken()
  if (token) headers.authorization = `Bearer ${token}`
  if (options.json !== undefined) headers['content-type'] = 'application/json'
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000)
  const endpoint = `${method} ${path}`
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    })
  } catch (err) {
    throw new PlatformError({
      code: timeout.aborted ? 'PLATFORM_TIMEOUT' : 'PLATFORM_UNREACHABLE',
      endpoint,
      message: `${endpoint}: cannot reach the platform at ${client.platformUrl}`,
      cause: err,
    })
  }
  const text = await response.text()
  let body: unknown = text
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch {
    // keep the raw text
  }
  return { status: response.status, body }
}

export function serverErrorText(body: unknown): string {
  if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') {
    return (body as { error: string }).error
  }
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body).slice(0, 200)
}
