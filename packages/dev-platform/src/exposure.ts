import { isIPv4, isIPv6 } from 'node:net'
import { DevPlatformError } from './errors.js'

/** The listen settings that decide who can reach the platform and what they may do there. */
export interface ListenSettings {
  host: string
  adminToken: string | undefined
  lenient: boolean
}

/** IPv4-mapped 127.0.0.0/8, as the URL parser writes it (`::ffff:7f00:1`). */
const MAPPED_LOOPBACK_V4 = /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/

/**
 * Whether listening on `host` keeps the platform on this machine: `localhost`, 127.0.0.0/8 and `::1` (bracketed or
 * not, IPv4-mapped too). An empty host listens on every interface, so it is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
  if (name === 'localhost') return true
  if (isIPv4(name)) return name.startsWith('127.')
  if (!isIPv6(name)) return false
  const canonical = new URL(`http://[${name}]`).hostname.slice(1, -1)
  return canonical === '::1' || MAPPED_LOOPBACK_V4.test(canonical)
}

/**
 * Why the platform must not start with these settings, or undefined. Beyond loopback the operator routes (workspace
 * creation, token minting, deletion) would be open to the network, so an admin token is required; lenient mode opens
 * them whatever the token, so it is refused there.
 */
export function exposureRefusal({ host, adminToken, lenient }: ListenSettings): DevPlatformError | undefined {
  if (isLoopbackHost(host)) return undefined
  if (lenient) {
    return new DevPlatformError(
      'DEV_PLATFORM_LENIENT_EXPOSED',
      `lenient mode (option lenient, --lenient, MOLECULE_DEV_LENIENT) lets credential-less calls through every gate, so it is refused on host "${host}", which is beyond loopback: drop lenient, or listen on 127.0.0.1`,
      { path: 'lenient' },
    )
  }
  if (adminToken === undefined) {
    return new DevPlatformError(
      'DEV_PLATFORM_ADMIN_TOKEN_REQUIRED',
      `host "${host}" (option host, --host, MOLECULE_DEV_HOST) is beyond loopback, so an admin token is required to guard the operator routes: set MOLECULE_DEV_ADMIN_TOKEN (option adminToken) to a secret, or listen on 127.0.0.1`,
      { path: 'adminToken' },
    )
  }
  return undefined
}

/** The stderr line printed when the platform listens beyond loopback (with an admin token, or it would not start). */
export function exposureWarning(host: string): string {
  return `molecule-dev-platform: warning: listening on ${host}, beyond loopback: anyone who can reach this address can call the platform; operator routes require the admin token\n`
}
