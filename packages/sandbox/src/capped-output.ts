/**
 * Keeps the first bytes of a stream and counts the rest. The producer is untrusted: it may write gigabytes, so
 * nothing beyond the cap is held in memory, but the pipe is still drained so the process never blocks on it.
 */
export class CappedOutput {
  readonly #chunks: Buffer[] = []
  #kept = 0
  #total = 0

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    this.#total += chunk.length
    const room = this.maxBytes - this.#kept
    if (room <= 0) return
    const piece = chunk.length > room ? chunk.subarray(0, room) : chunk
    this.#chunks.push(piece)
    this.#kept += piece.length
  }

  /** Bytes the process wrote in all. */
  get totalBytes(): number {
    return this.#total
  }

  /** The kept bytes as UTF-8 (invalid sequences replaced), at most `maxChars` characters. */
  text(maxChars: number): string {
    const decoded = Buffer.concat(this.#chunks).toString('utf8')
    return decoded.length > maxChars ? decoded.slice(0, maxChars) : decoded
  }
}
