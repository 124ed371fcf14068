// IP addresses as bytes, and which of them are not public. Decisions are made on the bytes, never on
// the text: the same address has many spellings (`127.1`, `0x7f.1`, `2130706433`, `::ffff:7f00:1`,
// `[0:0:0:0:0:ffff:127.0.0.1]`, …) and every one of them must get the same answer.

/** One IPv4 number as inet_aton and the WHATWG URL parser read it: decimal, `0`-prefixed octal, `0x` hex. */
function ipv4Number(text: string): number | undefined {
  let digits = text
  let radix = 10
  if (/^0x/i.test(digits)) {
    radix = 16
    digits = digits.slice(2)
  } else if (digits.length > 1 && digits.startsWith('0')) {
    radix = 8
    digits = digits.slice(1)
  }
  if (digits === '') return radix === 16 ? 0 : undefined
  const valid = radix === 16 ? /^[0-9a-f]+$/i : radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/
  if (!valid.test(digits) || digits.length > 32) return undefined
  const n = Number.parseInt(digits, radix)
  return n <= 0xffffffff ? n : undefined
}

/**
 * IPv4 text in every form the URL parser and inet_aton accept — `a.b.c.d`, the short forms `a.b.c`,
 * `a.b` and `a` (the last number fills the remaining bytes), each number decimal, octal or hex, and a
 * trailing dot — as 4 bytes; undefined when it is not IPv4.
 */
export function parseIPv4(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 64) return undefined
  const parts = text.split('.')
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  if (parts.length > 4) return undefined
  const numbers: number[] = []
  for (const part of parts) {
    const n = ipv4Number(part)
    if (n === undefined) return undefined
    numbers.push(n)
  }
  const last = numbers.pop() as number
  if (numbers.some((n) => n > 255) || last >= 256 ** (4 - numbers.length)) return undefined
  const bytes = new Uint8Array(4)
  numbers.forEach((n, i) => {
    bytes[i] = n
  })
  for (let i = 3, rest = last; i >= numbers.length; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256
  return bytes
}

const DOTTED_QUAD = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const HEX_GROUP = /^[0-9a-f]{1,4}$/i

/** Hex groups of one side of `::` as 16-bit numbers; a dotted IPv4 tail counts as two groups. */
function ipv6Groups(text: string, tailMayBeIPv4: boolean): number[] | undefined {
  if (text === '') return []
  const groups: number[] = []
  const pieces = text.split(':')
  for (const [i, piece] of pieces.entries()) {
    if (tailMayBeIPv4 && i === pieces.length - 1 && piece.includes('.')) {
      if (!DOTTED_QUAD.test(piece)) return undefined
      const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number]
      groups.push(a * 256 + b, c * 256 + d)
    } else if (HEX_GROUP.test(piece)) groups.push(Number.parseInt(piece, 16))
    else return undefined
  }
  return groups
}

/**
 * IPv6 text (brackets and a zone id such as `%eth0` or `%25eth0` allowed, `::` compression, a dotted
 * IPv4 tail) as 16 bytes; undefined when it is not IPv6.
 */
export function parseIPv6(text: string): Uint8Array | undefined {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const zone = s.indexOf('%')
  if (zone >= 0) s = s.slice(0, zone)
  if (!s.includes(':') || s.length > 45) return undefined
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  let groups: number[]
  if (halves.length === 1) {
    const all = ipv6Groups(s, true)
    if (all === undefined || all.length !== 8) return undefined
    groups = all
  } else {
    const head = ipv6Groups(halves[0] as string, false)
    const tail = ipv6Groups(halves[1] as string, true)
    if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail]
  }
  const bytes = new Uint8Array(16)
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8
    bytes[2 * i + 1] = g & 0xff
  })
  return bytes
}

/** Any IPv4 or IPv6 text as bytes (4 or 16); undefined when it is neither. */
export function parseAddress(text: string): Uint8Array | undefined {
  return parseIPv4(text) ?? parseIPv6(text)
}

/** The canonical text of address bytes (dotted IPv4, or eight uncompressed IPv6 groups). */
export function formatAddress(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.')
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2)
    groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16))
  return groups.join(':')
}

interface Range {
  prefix: readonly number[]
  bits: number
  label: string
}

function range(prefix: readonly number[], bits: number, label: string): Range {
  return { prefix, bits, label }
}

function inRange(bytes: Uint8Array, { prefix, bits }: Range): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff
    if ((((bytes[bit / 8] as number) ^ (prefix[bit / 8] ?? 0)) & mask) !== 0) return false
  }
  return true
}

/** IPv4 ranges that are not a public host (first match names it). */
const IPV4_NOT_PUBLIC: readonly Range[] = [
  range([0], 8, 'unspecified 0.0.0.0/8'),
  range([10], 8, 'private 10.0.0.0/8'),
  range([100, 64], 10, 'carrier-grade NAT 100.64.0.0/10'),
  range([127], 8, 'loopback 127.0.0.0/8'),
  range([169, 254, 169, 254], 32, 'cloud metadata 169.254.169.254'),
  range([169, 254], 16, 'link-local 169.254.0.0/16'),
  range([172, 16], 12, 'private 172.16.0.0/12'),
  range([192, 0, 0], 24, 'IETF protocol assignments 192.0.0.0/24'),
  range([192, 0, 2], 24, 'documentation 192.0.2.0/24'),
  range([192, 88, 99], 24, '6to4 relay anycast 192.88.99.0/24'),
  range([192, 168], 16, 'private 192.168.0.0/16'),
  range([198, 18], 15, 'benchmarking 198.18.0.0/15'),
  range([198, 51, 100], 24, 'documentation 198.51.100.0/24'),
  range([203, 0, 113], 24, 'documentation 203.0.113.0/24'),
  range([224], 4, 'multicast 224.0.0.0/4'),
  range([255, 255, 255, 255], 32, 'broadcast 255.255.255.255'),
  range([240], 4, 'reserved 240.0.0.0/4'),
]

const V6_ZERO_96 = new Array<number>(12).fill(0)
const MAPPED = [...new Array<number>(10).fill(0), 0xff, 0xff]
const TRANSLATED = [...new Array<number>(8).fill(0), 0xff, 0xff, 0, 0]
const NAT64 = [0x00, 0x64, 0xff, 0x9b, ...new Array<number>(8).fill(0)]

/**
 * IPv6 forms that carry an IPv4 address; the embedded address decides. Each returns the embedded
 * addresses (several for Teredo: the client, XORed, and its server).
 */
const IPV4_CARRIERS: readonly { range: Range; embedded: (b: Uint8Array) => Uint8Array[] }[] = [
  { range: range(MAPPED, 96, 'IPv4-mapped ::ffff:0:0/96'), embedded: (b) => [b.slice(12)] },
  { range: range(TRANSLATED, 96, 'IPv4-translated ::ffff:0:0:0/96'), embedded: (b) => [b.slice(12)] },
  { range: range(V6_ZERO_96, 96, 'IPv4-compatible ::/96'), embedded: (b) => [b.slice(12)] },
  { range: range(NAT64, 96, 'NAT64 64:ff9b::/96'), embedded: (b) => [b.slice(12)] },
  { range: range([0x20, 0x02], 16, '6to4 2002::/16'), embedded: (b) => [b.slice(2, 6)] },
  {
    range: range([0x20, 0x01, 0, 0], 32, 'Teredo 2001::/32'),
    embedded: (b) => [b.slice(12).map((x) => x ^ 0xff), b.slice(4, 8)],
  },
]

/** IPv6 ranges that are not a public host, checked before the global-unicast rule. */
const IPV6_NOT_PUBLIC: readonly Range[] = [
  // Local-use NAT64 (RFC 8215): translated inside one network, and the IPv4 address may sit at
  // other positions than in the /96 form, so the whole prefix is refused instead of unwrapped.
  range([0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'local-use NAT64 64:ff9b:1::/48'),
  range(
    [0xfd, 0x00, 0x0e, 0xc2, ...new Array<number>(10).fill(0), 0x02, 0x54],
    128,
    'cloud metadata fd00:ec2::254',
  ),
  range([0xfc], 7, 'unique local fc00::/7'),
  range([0xfe, 0x80], 10, 'link-local fe80::/10'),
  range([0xfe, 0xc0], 10, 'site-local fec0::/10'),
  range([0xff], 8, 'multicast ff00::/8'),
  range([0x20, 0x01, 0x0d, 0xb8], 32, 'documentation 2001:db8::/32'),
  range([0x3f, 0xff], 20, 'documentation 3fff::/20'),
  range([0x20, 0x01, 0x00, 0x02, 0x00, 0x00], 48, 'benchmarking 2001:2::/48'),
  range([0x20, 0x01], 23, 'IETF protocol assignments 2001::/23'),
]

const GLOBAL_UNICAST = range([0x20], 3, 'global unicast 2000::/3')

function ipv4Problem(bytes: Uint8Array): string | undefined {
  return IPV4_NOT_PUBLIC.find((r) => inRange(bytes, r))?.label
}

/**
 * Why the address (4 or 16 bytes) is not a public host — loopback, unspecified, private, link-local,
 * cloud metadata, carrier-grade NAT, unique local, multicast, broadcast, reserved, benchmarking or
 * documentation — or undefined when it is public. IPv6 forms that embed an IPv4 address (mapped,
 * translated, compatible, NAT64, 6to4, Teredo) are judged by the embedded address; IPv6 outside
 * global unicast (2000::/3) is never public.
 */
export function nonPublicReason(bytes: Uint8Array): string | undefined {
  if (bytes.length === 4) return ipv4Problem(bytes)
  if (bytes.length !== 16) return 'not an IP address'
  if (bytes.every((b, i) => b === (i === 15 ? 1 : 0))) return 'loopback ::1'
  if (bytes.every((b) => b === 0)) return 'unspecified ::'
  for (const carrier of IPV4_CARRIERS) {
    if (!inRange(bytes, carrier.range)) continue
    for (const v4 of carrier.embedded(bytes)) {
      const problem = ipv4Problem(v4)
      if (problem) return `${carrier.range.label} of ${formatAddress(v4)}, ${problem}`
    }
    return undefined
  }
  const listed = IPV6_NOT_PUBLIC.find((r) => inRange(bytes, r))
  if (listed) return listed.label
  return inRange(bytes, GLOBAL_UNICAST) ? undefined : 'reserved (outside global unicast 2000::/3)'
}
