import { rpc } from './jsonrpc.js'

const TOKEN_PREFIX = 'after:'

/** An opaque page cursor: the id of the last item on the page. */
export function pageToken(lastId: string): string {
  return Buffer.from(TOKEN_PREFIX + lastId).toString('base64url')
}

/** The id a `params.pageToken` names, or undefined when absent or empty (first page). */
export function readPageToken(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined
  const decoded = typeof raw === 'string' ? Buffer.from(raw, 'base64url').toString() : ''
  if (!decoded.startsWith(TOKEN_PREFIX) || decoded.length === TOKEN_PREFIX.length)
    throw rpc.invalidParams('params.pageToken is not a token this server issued')
  return decoded.slice(TOKEN_PREFIX.length)
}

export interface Page<T> {
  page: T[]
  /** Token for the page after this one; '' on the last page. */
  nextPageToken: string
}

/**
 * The page of `items` that follows the cursor (the id `readPageToken` decoded), at most `size` long,
 * with the token for the next page ('' on the last). A cursor naming no item is refused with `stale`.
 */
export function pageAfter<T>(
  items: T[],
  idOf: (item: T) => string,
  size: number,
  cursor: string | undefined,
  stale: string,
): Page<T> {
  let from = 0
  if (cursor !== undefined) {
    from = items.findIndex((item) => idOf(item) === cursor) + 1
    if (from === 0) throw rpc.invalidParams(stale)
  }
  const page = items.slice(from, from + size)
  const last = page.at(-1)
  const nextPageToken = last !== undefined && from + page.length < items.length ? pageToken(idOf(last)) : ''
  return { page, nextPageToken }
}
