/**
 * The one fixture every redaction test shares (core's `maskSecrets`, the memory redaction of the tools, the
 * runtime's snapshot scrubber): generated workspace tokens and the credential shapes that must never get through,
 * plus the identifiers that must stay readable. Every fake is assembled at run time from a seeded PRNG, so the
 * secret scan of the source stays clean and a failing case replays with the same seed.
 */
import { prng } from './prng.js'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** A credential in a sentence: `text` must come out without `secret` or any 6-character piece of it. */
export interface SecretSample {
  kind: string
  text: string
  secret: string
}

function randomString(next: () => number, alphabet: string, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)]
  return out
}

/** `count` workspace-format tokens: 43 characters of base64url, the text form of 32 random bytes. */
export function workspaceTokens(count = 10_000, seed = 0x70ce5): string[] {
  const next = prng(seed)
  return Array.from({ length: count }, () => randomString(next, BASE64URL, 43))
}

function pem(next: () => number, label: string): string {
  const lines = Array.from({ length: 6 }, () => randomString(next, BASE64, 64))
  const kind = `${label}${label ? ' ' : ''}PRIVATE KEY`
  return [
    `-----BEGIN ${kind}-----`,
    ...lines,
    `${randomString(next, BASE64, 20)}==`,
    `-----END ${kind}-----`,
  ].join('\n')
}

function jwt(next: () => number): string {
  const part = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url')
  const header = part({ alg: 'HS256', typ: 'JWT' })
  const payload = part({ sub: randomString(next, BASE64URL, 12), iat: 1_700_000_000, scope: 'workspace' })
  return `${header}.${payload}.${randomString(next, BASE64URL, 43)}`
}

/** Every credential shape other than workspace tokens, each in a line of text. */
export function credentialSamples(seed = 0x5ec2e7): SecretSample[] {
  const next = prng(seed)
  const digits = (n: number) => randomString(next, '0123456789', n)
  const alnum = (n: number) => randomString(next, BASE64URL.slice(0, 62), n)
  const samples: SecretSample[] = []
  const add = (kind: string, secret: string, text = `the value ${secret} was found`) =>
    samples.push({ kind, text, secret })

  for (let i = 0; i < 3; i++) {
    const token = jwt(next)
    add('jwt', token, `session ${token} expired`)
  }
  for (const label of ['RSA', 'EC', 'OPENSSH', '']) {
    const block = pem(next, label)
    // The armour lines are not secret (and a typed marker may name them); the body is.
    const body = block.split('\n').slice(1, -1).join('\n')
    add(`pem ${label || 'pkcs8'}`, body, `key file:\n${block}\nend of file`)
  }
  add('slack bot', `xox${'b'}-${digits(11)}-${digits(12)}-${alnum(24)}`)
  add('slack user', `xox${'p'}-${digits(11)}-${digits(12)}-${digits(12)}-${alnum(32)}`)
  add('slack app', `xapp-1-A${digits(10)}-${digits(13)}-${alnum(64).toLowerCase()}`)
  const password = `${alnum(6)} ${alnum(5)}!${digits(3)}`
  add('password colon', password, `password: ${password}`)
  add('password equals', password, `db_password=${password}`)
  add('password json', password, `{"user":"ops","password":"${password}"}`)
  add('password yaml', password, `  admin_passwd:   ${password}\n  user: ops`)
  const bearer = alnum(40)
  add('bearer', bearer, `Authorization: Bearer ${bearer}`)
  add('bearer lower', bearer, `curl -H "authorization: bearer ${bearer}" http://x`)
  return samples
}

/** Identifiers that must come out unchanged. */
export function readableSamples(seed = 0x1d5): string[] {
  const next = prng(seed)
  const hex = (n: number) => randomString(next, '0123456789abcdef', n)
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
  const samples: string[] = []
  for (let i = 0; i < 20; i++) {
    const id = uuid()
    samples.push(id, `workspace ${id} not found`, `inbox-cursor-${id}.json`, `${id}-${uuid()}`)
  }
  samples.push(`GET /workspaces/${uuid()}/activity?since_id=${uuid()}`, `idempotency key ${hex(32)}`)
  return samples
}

/** The first piece of `secret` of `length` characters or more (spaces excluded) that `output` still contains. */
export function leakedPiece(output: string, secret: string, length = 6): string | undefined {
  for (const word of secret.split(/\s+/)) {
    for (let i = 0; i + length <= word.length; i++) {
      const piece = word.slice(i, i + length)
      if (output.includes(piece)) return piece
    }
  }
  return undefined
}
