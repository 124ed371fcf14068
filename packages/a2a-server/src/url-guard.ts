import { lookup } from 'node:dns/promises'
import { formatAddress, nonPublicReason, parseAddress, parseIPv4, parseIPv6 } from './ip-address.js'

/** True for every address that is not a public host (see `nonPublicReason`), and for text that is no address. */
export function isPrivateAddress(ip: string): boolean {
  const bytes = parseAddress(ip)
  return bytes === undefined || nonPublicReason(bytes) !== undefined
}

/** Turns a host name into its addresses (the system resolver by default; tests inject one). */
export type Resolver = (host: string) => Promise<string[]>

const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((r) => r.address)

/** A push target that passed the check, with the one address the connection must go to. */
export interface VettedTarget {
  url: URL
  /** The vetted address (canonical text): the connection is pinned to it, DNS is not asked again. */
  address: string
  family: 4 | 6
}

const PRIVATE_HINT = 'set pushNotifications.allowPrivateTargets to allow it'

/** The address literal of a URL host (`[…]` for IPv6), as bytes; undefined for a name. */
function literalAddress(hostname: string): Uint8Array | undefined {
  if (hostname.startsWith('[')) return parseIPv6(hostname)
  return parseIPv4(hostname)
}

/**
 * Checks a push URL and settles the address to call, resolving its host once: every address the host
 * resolves to must be public (loopback, private, link-local, metadata and the other ranges of
 * `nonPublicReason` are refused, judged on the address bytes) unless `allowPrivate`, and the first one
 * becomes the pinned address, so a DNS answer that changes between the check and the connection
 * (rebinding) cannot redirect it. Answers the target, or the reason it is refused.
 */
export async function vetPushTarget(
  url: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<VettedTarget | string> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return 'is not a valid URL'
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must use http or https'
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '')
  let addresses: Uint8Array[]
  const literal = literalAddress(parsed.hostname)
  if (literal !== undefined) addresses = [literal]
  else {
    if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
      return `points at a private address (${host}, loopback); ${PRIVATE_HINT}`
    let resolved: string[]
    try {
      resolved = await resolve(host)
    } catch {
      return `host ${host} does not resolve`
    }
    if (resolved.length === 0) return `host ${host} does not resolve`
    addresses = []
    for (const text of resolved) {
      const bytes = parseAddress(text)
      if (bytes === undefined)
        return `host ${host} resolves to ${JSON.stringify(text)}, which is not an IP address`
      addresses.push(bytes)
    }
  }
  if (!allowPrivate)
    for (const bytes of addresses) {
      const reason = nonPublicReason(bytes)
      if (reason) return `points at a private address (${formatAddress(bytes)}, ${reason}); ${PRIVATE_HINT}`
    }
  const first = addresses[0] as Uint8Array
  return { url: parsed, address: formatAddress(first), family: first.length === 4 ? 4 : 6 }
}

/**
 * Refuses push targets that point inside the network (SSRF): checks the literal host and every
 * address it resolves to. Returns a reason, or undefined when the URL may be called.
 */
export async function pushTargetProblem(
  url: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
): Promise<string | undefined> {
  const vetted = await vetPushTarget(url, allowPrivate, resolve)
  return typeof vetted === 'string' ? vetted : undefined
}
