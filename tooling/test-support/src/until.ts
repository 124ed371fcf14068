/** Polls `check` every 25 ms until it returns a truthy value (which is returned) or `ms` runs out. */
export async function until<T>(
  check: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  ms = 6000,
  what = 'condition',
): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > end) throw new Error(`${what} not met within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}
