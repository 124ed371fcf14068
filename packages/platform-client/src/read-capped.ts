import { readWithin } from '@molecule/core'
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
  const chunks = response.body ? await readWithin(response.body, maxBytes) : []
  if (chunks === undefined) throw tooLarge('a body')
  let total = 0
  for (const chunk of chunks) total += chunk.byteLength
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
