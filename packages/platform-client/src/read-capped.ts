import { PlatformError } from './errors.js'
import type { TransportResponse } from './http-transport.js'

/** The body as bytes, at most `maxBytes`: a larger declared length or stream is cancelled and refused. */
export async function readCapped(
  response: TransportResponse,
  maxBytes: number,
  endpoint: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const tooLarge = (size: string) =>
    new PlatformError({
      code: 'PLATFORM_BAD_RESPONSE',
      endpoint,
      status: response.status,
      message: `${endpoint}: the platform sent ${size}, more than the ${maxBytes}-byte limit; refused`,
    })
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw tooLarge(`${declared} bytes`)
  }
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = response.body?.getReader()
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        await reader.cancel().catch(() => {})
        throw tooLarge('a body')
      }
      chunks.push(value)
    }
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
