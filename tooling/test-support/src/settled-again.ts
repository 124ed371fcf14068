/**
 * Runs `work` and returns the promises resolved or rejected again after they had settled meanwhile, anywhere in the
 * process (node's `multipleResolves` event, one entry per event: 'resolve' or 'reject'). V8 makes a runtime call for
 * each, so a path that runs on every request should cause none.
 */
export async function settledAgainDuring(work: () => Promise<void>): Promise<string[]> {
  const seen: string[] = []
  const onSettledAgain = (type: string) => {
    seen.push(type)
  }
  // Node deprecates listening for this event (DEP0160) and warns once when a listener is added.
  const quiet = process.noDeprecation
  process.noDeprecation = true
  process.on('multipleResolves', onSettledAgain)
  try {
    await work()
  } finally {
    process.off('multipleResolves', onSettledAgain)
    process.noDeprecation = quiet
  }
  return seen
}
