/**
 * A line of waiting objects, as a doubly linked list threaded through the objects themselves: joining or leaving it
 * moves a few pointers and allocates nothing, where an array or a Set would reallocate its storage as it fills and
 * empties (in old space, for a long-lived one). Used by the loops' hot paths: the callbacks watching an abort signal
 * and the waiters of a grid point.
 */
export interface LineNode<T> {
  prev: T | undefined
  next: T | undefined
}

export interface Line<T extends LineNode<T>> {
  first: T | undefined
  last: T | undefined
}

/** Puts `node` at the end of the line. */
export function join<T extends LineNode<T>>(line: Line<T>, node: T): void {
  node.prev = line.last
  node.next = undefined
  if (line.last === undefined) line.first = node
  else line.last.next = node
  line.last = node
}

/** Takes `node` out of the line; a no-op when it is not on it (already left, or taken by `takeAll`). */
export function leave<T extends LineNode<T>>(line: Line<T>, node: T): void {
  if (node.prev === undefined && line.first !== node) return
  if (node.prev === undefined) line.first = node.next
  else node.prev.next = node.next
  if (node.next === undefined) line.last = node.prev
  else node.next.prev = node.prev
  node.prev = node.next = undefined
}

/**
 * Empties the line, then hands each node that was on it to `visit`, in order. All of them are off the line before the
 * first visit, so a `leave` from inside `visit` is a no-op whichever node it names.
 */
export function takeAll<T extends LineNode<T>>(line: Line<T>, visit: (node: T) => void): void {
  const first = line.first
  line.first = line.last = undefined
  for (let node = first; node !== undefined; node = node.next) node.prev = undefined
  for (let node = first; node !== undefined; ) {
    const next: T | undefined = node.next
    node.next = undefined
    visit(node)
    node = next
  }
}
