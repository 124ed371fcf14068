/**
 * `onAbort(signal, fn)`: run `fn` when `signal` aborts, until the returned function is called. The loops of a served
 * workspace keep one signal for their whole life and pass it to every sleep and request; adding and removing an
 * EventTarget listener each time costs more than the request's own JavaScript. Here each signal gets one listener,
 * ever, and the callbacks of the moment are a linked list: adding or removing one allocates one short-lived node and
 * moves two pointers. (A Set was used before: one that empties has its table reallocated by V8 at once, and the
 * table of a signal's long-lived Set is in old space — an old-space allocation per sleep and per request.)
 */
interface Waiting {
  readonly fn: () => void
  prev: Waiting | undefined
  next: Waiting | undefined
}

interface Waiters {
  first: Waiting | undefined
  last: Waiting | undefined
}

const WATCHERS = new WeakMap<AbortSignal, Waiters>()

export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  const list = WATCHERS.get(signal) ?? watch(signal)
  const node: Waiting = { fn, prev: list.last, next: undefined }
  if (list.last === undefined) list.first = node
  else list.last.next = node
  list.last = node
  return () => unlink(list, node)
}

/**
 * The signal's list and its one listener. A function of its own so the listener's closure holds the list only: made
 * inside `onAbort`, it would share that call's scope, and with it the first callback — and whatever that callback
 * holds — for as long as the signal lives.
 */
function watch(signal: AbortSignal): Waiters {
  const list: Waiters = { first: undefined, last: undefined }
  WATCHERS.set(signal, list)
  signal.addEventListener('abort', () => fireAll(list), { once: true })
  return list
}

/** Takes every callback off the list, then runs them in the order they were added. */
function fireAll(list: Waiters): void {
  const due: (() => void)[] = []
  for (let node = list.first; node !== undefined; ) {
    const next: Waiting | undefined = node.next
    due.push(node.fn)
    node.prev = node.next = undefined // off the list: its unwatch is now a no-op
    node = next
  }
  list.first = list.last = undefined
  for (const callback of due) callback()
}

/** Removes `node` if it is still on the list (a no-op once fired or already removed). */
function unlink(list: Waiters, node: Waiting): void {
  const onList = node.prev !== undefined || list.first === node
  if (!onList) return
  if (node.prev === undefined) list.first = node.next
  else node.prev.next = node.next
  if (node.next === undefined) list.last = node.prev
  else node.next.prev = node.prev
  node.prev = node.next = undefined
}
