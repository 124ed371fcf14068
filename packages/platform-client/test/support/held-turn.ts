import type { Turns } from '../../src/turns.js'

/** Takes one slot of `turns` and keeps it until `free()`; `freed` settles once the slot is given back. */
export function holdTurn(turns: Turns): { free: () => void; freed: Promise<void> } {
  let free: () => void = () => {}
  const freed = turns.run(() => new Promise<void>((resolve) => (free = resolve)))
  return { free: () => free(), freed }
}
