import { isIPv4, isIPv6 } from 'node:net'
import { DevPlatformError } from './errors.js'

/**
 * What a web page in the user's browser could do to a dev platform on loopback, and the rules that stop it. A page of
 * another site may POST a "simple request" (`text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`)
 * without any CORS preflight, and with DNS rebinding (its own name resolving to 127.0.0.1) it may even read answers.
 * Browsers always say where such a request comes from (`Origin`) and which name they resolved (`Host`); non-browser
 * clients send JSON, and send either no `Origin` or the platform's own.
 */
export interface RequestPolicy {
  /** Serialized origins (`scheme://host[:port]`) whose pages may call the platform. */
  allowedOrigins: ReadonlySet<string>
  /** Lowercase host names (besides IP literals and `localhost`) that `Host` may name. */
  allowedHosts: ReadonlySet<string>
  /** The host the platform was started with (`host` option); `Host` may name it. */
  listenHost: string
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i
/** `name`, `name:port`, `[v6]` or `[v6]:port`; the name in reg-name characters only (no `/`, `@`, spaces). */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9._~%-]+)(?::\d{1,5})?$/
const HOST_NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/

/** The media type of a `Content-Type` value, lowercased and without parameters; undefined when blank or absent. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined
}

/** `application/json` or any `application/…+json`. */
export function isJsonMediaType(mediaType: string): boolean {
  return JSON_MEDIA_TYPE.test(mediaType)
}

/**
 * Whether a write request may carry this `Content-Type`: none at all, JSON, or (on the upload routes only)
 * `multipart/form-data`. Every label a cross-site page can send without a preflight is thereby refused elsewhere.
 */
export function acceptsContentType(contentType: string | undefined, multipartRoute: boolean): boolean {
  const mediaType = mediaTypeOf(contentType)
  if (mediaType === undefined || isJsonMediaType(mediaType)) return true
  return multipartRoute && mediaType === 'multipart/form-data'
}

/** The lowercase host name of a `Host` value (`[v6]` keeps its brackets); undefined when it is malformed. */
export function hostnameOf(hostHeader: string): string | undefined {
  return HOST_HEADER.exec(hostHeader.trim().toLowerCase())?.[1]
}

/** An IPv4 literal, or a bracketed IPv6 literal as it appears in `Host`. */
function isIpLiteral(hostname: string): boolean {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return isIPv6(hostname.slice(1, -1))
  return isIPv4(hostname)
}

/**
 * The `Host` allow-list: IP literals (a rebinding attack needs a name of its own), `localhost`, the host the platform
 * was started with, and `allowedHosts`. A request without `Host` passes (only a hand-written client omits it).
 */
export function isHostAllowed(hostHeader: string | undefined, policy: RequestPolicy): boolean {
  if (hostHeader === undefined) return true
  const hostname = hostnameOf(hostHeader)
  if (hostname === undefined) return false
  return (
    isIpLiteral(hostname) ||
    hostname === 'localhost' ||
    hostname === policy.listenHost.toLowerCase() ||
    policy.allowedHosts.has(hostname)
  )
}

/** `scheme://host[:port]` of an http(s) URL; undefined for anything else (`null`, `file:`, garbage). */
export function serializedOrigin(value: string): string | undefined {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

/**
 * The `Origin` allow-list: `allowedOrigins`, plus the platform's own origin, `http://` + the request's `Host` (a page
 * the platform serves itself, and clients that send the platform URL as `Origin`). A request without `Origin` passes:
 * browsers send one on every cross-origin write and on every request with DNS rebinding.
 */
export function isOriginAllowed(
  originHeader: string | undefined,
  hostHeader: string | undefined,
  policy: RequestPolicy,
): boolean {
  if (originHeader === undefined) return true
  const origin = serializedOrigin(originHeader.trim())
  if (origin === undefined) return false
  if (policy.allowedOrigins.has(origin)) return true
  return hostHeader !== undefined && origin === serializedOrigin(`http://${hostHeader.trim()}`)
}

/** Nothing beyond `scheme://host[:port]` (a trailing `/` aside): no credentials, path, query or fragment. */
function isBareOrigin(url: URL): boolean {
  return url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password
}

/** An `allowedOrigins` entry as a serialized origin; a URL with a path, or not http(s), is a DevPlatformError. */
export function allowedOriginEntry(entry: string): string {
  const value = entry.trim()
  const url = serializedOrigin(value) === undefined ? undefined : new URL(value)
  if (url === undefined || !isBareOrigin(url)) {
    throw new DevPlatformError(
      'DEV_PLATFORM_BAD_OPTION',
      `allowedOrigins (--allow-origin) entry "${entry}" is not an origin: write scheme://host[:port] such as http://localhost:3000, without a path`,
      { path: 'allowedOrigins' },
    )
  }
  return url.origin
}

/** An `allowedHosts` entry as a lowercase host name; a scheme, port or path is a DevPlatformError. */
export function allowedHostEntry(entry: string): string {
  const hostname = entry.trim().toLowerCase()
  if (!HOST_NAME.test(hostname)) {
    throw new DevPlatformError(
      'DEV_PLATFORM_BAD_OPTION',
      `allowedHosts (--allow-host) entry "${entry}" is not a host name: write the name alone, such as my-box.local, without scheme, port or path`,
      { path: 'allowedHosts' },
    )
  }
  return hostname
}
