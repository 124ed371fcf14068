/**
 * The chunks of `body`, or undefined once they pass `limit` bytes: the stream is then cancelled, so a huge body is
 * refused without being buffered. Each caller joins and decodes the chunks its own way.
 */
export async function readWithin(
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array[] | undefined> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
}
