import { join, type Line, type LineNode, leave, takeAll } from './linked-line.js'

/**
 * `onAbort(signal, fn)`: run `fn` when `signal` aborts, until the returned function is called. The loops of a served
 * workspace keep one signal for their whole life and pass it to every sleep and request; adding and removing an
 * EventTarget listener each time costs more than the request's own JavaScript. Here each signal gets one listener,
 * ever, and the callbacks of the moment are a `Line`: adding or removing one allocates one short-lived node and
 * moves a few pointers. (A Set was used before: one that empties has its table reallocated by V8 at once, and the
 * table of a signal's long-lived Set is in old space — an old-space allocation per sleep and per request.)
 */
interface Waiting extends LineNode<Waiting> {
  readonly fn: () => void
}

const WATCHERS = new WeakMap<AbortSignal, Line<Waiting>>()

export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  const line = WATCHERS.get(signal) ?? watch(signal)
  const node: Waiting = { fn, prev: undefined, next: undefined }
  join(line, node)
  return () => leave(line, node)
}

/**
 * The signal's line and its one listener, which runs what is on the line in the order it joined. A function of its
 * own so the listener's closure holds the line only: made inside `onAbort`, it would share that call's scope, and
 * with it the first callback — and whatever that callback holds — for as long as the signal lives.
 */
function watch(signal: AbortSignal): Line<Waiting> {
  const line: Line<Waiting> = { first: undefined, last: undefined }
  WATCHERS.set(signal, line)
  signal.addEventListener('abort', () => takeAll(line, run), { once: true })
  return line
}

function run(node: Waiting): void {
  node.fn()
}
