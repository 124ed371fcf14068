// Seeded generators of hostile input: JSON values, JSON-RPC bodies, tool arguments, config.yaml texts.

export function rng(seed) {
  let state = seed >>> 0 || 1
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
  const int = (n) => Math.floor(next() * n)
  const pick = (list) => list[int(list.length)]
  return { next, int, pick }
}

const STRINGS = [
  '',
  ' ',
  'hello',
  '\u0000',
  '\ud800',
  '😀'.repeat(3),
  '<script>',
  '../../etc/passwd',
  '%s%n',
  '{{x}}',
  'null',
  '-1',
  '1e309',
  'a'.repeat(5000),
]

export function jsonValue(r, depth = 0, secrets = []) {
  const kind = depth > 4 ? r.int(4) : r.int(8)
  switch (kind) {
    case 0:
      return null
    case 1:
      return r.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, Number.MIN_VALUE])
    case 2:
      return r.next() < 0.5
    case 3:
      return r.next() < 0.1 && secrets.length > 0 ? `key ${r.pick(secrets)} here` : r.pick(STRINGS)
    case 4:
    case 5:
      return Array.from({ length: r.int(4) }, () => jsonValue(r, depth + 1, secrets))
    default: {
      const out = {}
      for (let i = r.int(5); i > 0; i--)
        out[r.pick(['kind', 'type', 'text', 'parts', 'role', 'id', 'x', '__proto__', 'constructor'])] =
          jsonValue(r, depth + 1, secrets)
      return out
    }
  }
}

const METHODS = [
  'message/send',
  'message/stream',
  'tasks/get',
  'tasks/cancel',
  'tasks/resubscribe',
  'tasks/pushNotificationConfig/set',
  'SendMessage',
  'GetTask',
  'nope',
  '',
  null,
  42,
]

/** A request body: mostly JSON-RPC shaped with wrong pieces, sometimes not JSON at all. */
export function rpcBody(r, secrets) {
  const roll = r.int(10)
  if (roll === 0)
    return r.pick([
      '',
      '{',
      '[]',
      'null',
      '{"jsonrpc":"2.0",',
      '\u0000\u0001',
      'x'.repeat(2000),
      '[{"jsonrpc":"2.0","method":"message/send"}]',
    ])
  if (roll === 1) return JSON.stringify(jsonValue(r, 0, secrets))
  const message =
    r.next() < 0.6
      ? {
          role: r.pick(['user', 'agent', 'x', 1]),
          messageId: r.pick(['m1', '', 5, undefined]),
          parts:
            r.next() < 0.7
              ? [{ kind: r.pick(['text', 'file', 'data', 'x']), text: jsonValue(r, 3, secrets) }]
              : jsonValue(r, 2, secrets),
        }
      : jsonValue(r, 1, secrets)
  const params =
    r.next() < 0.8
      ? { message, id: jsonValue(r, 3), configuration: jsonValue(r, 3) }
      : jsonValue(r, 1, secrets)
  const body = {
    jsonrpc: r.pick(['2.0', '2.0', '1.0', undefined]),
    id: r.pick([1, 'a', null, undefined, {}, []]),
    method: r.pick(METHODS),
    params,
  }
  return JSON.stringify(body)
}

/** Arguments for a tool: the right names with wrong values, or anything at all. */
export function toolArgs(r, argNames, secrets) {
  if (r.int(6) === 0) return jsonValue(r, 0, secrets)
  const out = {}
  for (const name of argNames) if (r.next() < 0.7) out[name] = jsonValue(r, 2, secrets)
  if (r.next() < 0.2) out[r.pick(['extra', 'source_workspace_id', 'workspace_id'])] = jsonValue(r, 2, secrets)
  return out
}

const CONFIG_KEYS = [
  'name',
  'role',
  'runtime',
  'tier',
  'model',
  'a2a',
  'skills',
  'prompt_files',
  'runtime_config',
  'security_scan',
  'delegation',
  'sandbox',
  'initial_prompt',
  'idle_interval_seconds',
  'nmae',
  'rutime',
]
const YAML_SCALARS = [
  'x',
  '1',
  '-1',
  'yes',
  'off',
  '~',
  '[',
  '{a: 1',
  '"unclosed',
  "'",
  '*alias',
  '&a [*a]',
  '!!binary AAAA',
  '0x1F',
  '1.0.0',
  '2026-01-01',
  '|',
  '>-',
  '? x',
]

/** A config.yaml text: valid keys with wrong values, broken indentation, YAML oddities, planted secrets. */
export function configText(r, secrets) {
  const lines = []
  for (let i = r.int(8); i >= 0; i--) {
    const key = r.pick(CONFIG_KEYS)
    const indent = r.next() < 0.1 ? '   ' : ''
    const roll = r.int(5)
    if (roll === 0)
      lines.push(
        `${indent}${key}:\n  ${r.pick(['port', 'streaming', 'auth_token', 'mode', 'x'])}: ${r.pick(YAML_SCALARS)}`,
      )
    else if (roll === 1) lines.push(`${indent}${key}: ${JSON.stringify(jsonValue(r, 2))}`)
    else if (roll === 2) lines.push(`${indent}runtime_config:\n  auth_token: ${r.pick(secrets)}`)
    else lines.push(`${indent}${key}: ${r.pick(YAML_SCALARS)}`)
  }
  return lines.join(r.next() < 0.05 ? '\r\n' : '\n')
}

/** A MOLECULE_WORKSPACES value: valid entries with wrong pieces, truncated JSON, planted tokens. */
export function workspacesValue(r, secrets) {
  const entry = () => {
    const out = {}
    if (r.next() < 0.8)
      out[r.pick(['id', 'id', 'workspace_id', 'idd'])] = r.pick([
        '4f0c9d7e-4a5b-4c1d-9e2f-0a1b2c3d4e5f',
        'bad id',
        '',
        7,
        null,
      ])
    if (r.next() < 0.8)
      out[r.pick(['token', 'token', 'workspace_token', 'tokn'])] = r.pick([
        ...secrets,
        '',
        123,
        null,
        { nested: r.pick(secrets) },
      ])
    if (r.next() < 0.4)
      out[r.pick(['platform_url', 'platformUrl', 'platfrom_url'])] = r.pick([
        'http://127.0.0.1:1',
        'ftp://x',
        'not a url',
        5,
        '',
      ])
    return out
  }
  const list = Array.from({ length: r.int(4) }, entry)
  const text = r.next() < 0.15 ? JSON.stringify(jsonValue(r, 0, secrets)) : JSON.stringify(list)
  return r.next() < 0.15 ? text.slice(0, r.int(text.length + 1)) : text
}
