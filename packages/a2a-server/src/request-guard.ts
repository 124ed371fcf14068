import { createHash, timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'

// The checks a request passes before any route answers it. Browsers are the threat: any web page can
// POST to a port on 127.0.0.1, and with DNS rebinding (its own name resolving to 127.0.0.1) read the
// answers. A foreign `Host` (rebinding), a foreign `Origin` (a page's fetch) and — on the JSON-RPC
// routes — a body that is not declared JSON (the `text/plain` POST a page may send without asking)
// are refused. Optionally every route but the card and /health also needs a bearer token.

export interface RequestGuardOptions {
  /** Origins (`scheme://host[:port]`) whose requests are served; any other `Origin` header is refused. */
  allowedOrigins: readonly string[]
  /** Host names served besides IP literals, `localhost` and the card's host. */
  allowedHosts: readonly string[]
  /** The bearer tokens accepted; undefined: no bearer needed. */
  bearer: (() => readonly string[]) | undefined
}

/** Why a request is refused, as an HTTP status and a message naming the fix. */
export interface Refusal {
  status: 401 | 403 | 415
  message: string
}

const MAX_CACHED_HOSTS = 64
const MAX_CACHED_DIGESTS = 32

/** An origin or host name as compared: lower case, no trailing `/` or `.`. */
function normalise(value: string, trailing: '/' | '.'): string {
  const lower = value.trim().toLowerCase()
  return lower.endsWith(trailing) ? lower.slice(0, -1) : lower
}

/** The name part of a `Host` header (`name`, `name:port`, `[v6]`, `[v6]:port`), normalised. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']')
    return end < 0 ? host : host.slice(0, end + 1).toLowerCase()
  }
  const colon = host.indexOf(':')
  return normalise(colon < 0 ? host : host.slice(0, colon), '.')
}

function isIpLiteral(name: string): boolean {
  if (name.startsWith('[')) return name.endsWith(']') && isIP(name.slice(1, -1)) === 6
  return isIP(name) === 4
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** True when the Content-Type is JSON: `application/json` or `application/*+json`, parameters allowed. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false
  if (value === 'application/json') return true
  const semi = value.indexOf(';')
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase()
  return type === 'application/json' || /^application\/[a-z0-9!#$&^_.-]+\+json$/.test(type)
}

export const CONTENT_TYPE_REFUSAL: Refusal = {
  status: 415,
  message:
    'Content-Type must be application/json (or application/*+json): send the JSON-RPC request with Content-Type: application/json',
}

export class RequestGuard {
  readonly #origins: ReadonlySet<string>
  readonly #extraHosts: readonly string[]
  #hosts: ReadonlySet<string> = new Set()
  /** `Host` header values already accepted: the usual request costs one lookup. */
  readonly #acceptedHosts = new Set<string>()
  readonly #bearer: (() => readonly string[]) | undefined
  readonly #digests = new Map<string, Buffer>()

  constructor(options: RequestGuardOptions, cardUrl: string) {
    this.#origins = new Set(options.allowedOrigins.map((o) => normalise(o, '/')))
    this.#extraHosts = options.allowedHosts.map((h) => normalise(h, '.'))
    this.#bearer = options.bearer
    this.setCardUrl(cardUrl)
  }

  /** The card's host is served too; called again when the card changes. */
  setCardUrl(cardUrl: string): void {
    const names = new Set(['localhost', ...this.#extraHosts])
    try {
      names.add(hostName(new URL(cardUrl).host))
    } catch {
      // A card without a parseable URL adds no name.
    }
    this.#hosts = names
    this.#acceptedHosts.clear()
  }

  /**
   * The Host and Origin checks every route makes: a Host that is not an IP literal, `localhost`, the
   * card's host or an allowed host is refused (DNS rebinding); so is an `Origin` not allowed. A request
   * without Host (HTTP/1.0) or without Origin (not from a browser page) passes.
   */
  browserRefusal(host: string | undefined, origin: string | undefined): Refusal | undefined {
    if (host !== undefined && !this.#hostAllowed(host))
      return {
        status: 403,
        message: `Host ${JSON.stringify(host.slice(0, 100))} is not served by this agent; if it is reached by that name, add it to a2a.allowed_hosts (createA2AServer option allowedHosts)`,
      }
    if (origin !== undefined && !this.#origins.has(normalise(origin, '/')))
      return {
        status: 403,
        message: `Origin ${JSON.stringify(origin.slice(0, 100))} is not allowed: requests from web pages are refused unless their origin is listed in allowedOrigins`,
      }
    return undefined
  }

  #hostAllowed(host: string): boolean {
    if (this.#acceptedHosts.has(host)) return true
    const name = hostName(host)
    const allowed = this.#hosts.has(name) || isIpLiteral(name)
    if (allowed && this.#acceptedHosts.size < MAX_CACHED_HOSTS) this.#acceptedHosts.add(host)
    return allowed
  }

  /** Whether a bearer token is needed at all. */
  get requiresBearer(): boolean {
    return this.#bearer !== undefined
  }

  /**
   * True when no bearer is needed, or `Authorization` is exactly `Bearer <one of the tokens>`
   * (compared in constant time: hashed to equal lengths, every token compared). Empty tokens never match.
   */
  authorized(authorization: string | undefined): boolean {
    if (this.#bearer === undefined) return true
    if (authorization === undefined) return false
    const presented = digest(authorization)
    let matched = false
    for (const token of this.#bearer()) {
      if (token === '') continue
      if (timingSafeEqual(presented, this.#digestOf(token))) matched = true
    }
    return matched
  }

  #digestOf(token: string): Buffer {
    let known = this.#digests.get(token)
    if (known === undefined) {
      if (this.#digests.size >= MAX_CACHED_DIGESTS) this.#digests.clear()
      known = digest(`Bearer ${token}`)
      this.#digests.set(token, known)
    }
    return known
  }
}
