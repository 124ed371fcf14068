/**
 * `onAbort(signal, fn)`: run `fn` when `signal` aborts, until the returned function is called. The loops of a served
 * workspace keep one signal for their whole life and pass it to every sleep and request; adding and removing an
 * EventTarget listener each time costs more than the request's own JavaScript. Here each signal gets one listener,
 * ever, and the callbacks of the moment live in a Set.
 */
const WATCHERS = new WeakMap<AbortSignal, Set<() => void>>()

export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let callbacks = WATCHERS.get(signal)
  if (callbacks === undefined) {
    const set = new Set<() => void>()
    callbacks = set
    WATCHERS.set(signal, set)
    signal.addEventListener(
      'abort',
      () => {
        const due = [...set]
        set.clear()
        for (const callback of due) callback()
      },
      { once: true },
    )
  }
  const set = callbacks
  set.add(fn)
  return () => {
    set.delete(fn)
  }
}
