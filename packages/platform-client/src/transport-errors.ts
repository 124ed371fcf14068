/** The transport gave up waiting: the caller turns it into `PLATFORM_TIMEOUT`. */
export class TransportTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

/** A failure shaped as fetch's (`TypeError` with the system error as `cause`), so callers read one kind of error. */
export function networkError(cause: unknown): TypeError {
  return Object.assign(new TypeError('fetch failed'), { cause })
}

/** What node's own client reports for a connection that closed before the answer was complete. */
export function hangUp(): NodeJS.ErrnoException {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
}
