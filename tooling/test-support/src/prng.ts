/** mulberry32: small, fast, seedable — the same seed replays the same sequence, so a failing case is reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Seeded integers in [0, n). */
export function seededInts(seed: number): (n: number) => number {
  const next = prng(seed)
  return (n) => Math.floor(next() * n)
}
