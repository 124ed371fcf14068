import { describe, expect, it } from 'vitest'
import {
  canonicalJson,
  canonicalRow,
  contentHash,
  deriveLedgerKey,
  ledgerTimestamp,
  rowHmac,
} from '../src/canonical.js'

// Written out by hand from Python's hashlib/hmac/json (json.dumps(sort_keys=True, separators=(',', ':'))), not from
// this implementation: a change that breaks byte compatibility with the platform's verifier fails here.
const SECRET = 'test-salt-0123456789abcdef' // secret-scan: allow
const KEY_HEX = '68aafe5f83fe37d8aa573ea80aa7736da5dd1878302c1f9b9dac19354d7d195f'
const HELLO_SHA256 = '3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179' // sha256("héllo")
const ROW = {
  id: '5f0c2a7e-1b2d-4c3e-9f4a-8b7c6d5e4f30',
  timestampMicros: Date.parse('2026-12-07T06:55:01.734Z') * 1000 + 512,
  agentId: 'ws-1',
  sessionId: 'task-1',
  operation: 'tool_call',
  inputHash: HELLO_SHA256,
  outputHash: null,
  modelUsed: 'delegate_task',
  humanOversightFlag: false,
  riskFlag: true,
  prevHmac: null,
}
const CANONICAL =
  '{"agent_id":"ws-1","human_oversight_flag":false,"id":"5f0c2a7e-1b2d-4c3e-9f4a-8b7c6d5e4f30","input_hash":"3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179","model_used":"delegate_task","operation":"tool_call","output_hash":null,"prev_hmac":null,"risk_flag":true,"session_id":"task-1","timestamp":"2026-12-07T06:55:01Z"}'
const HMAC = '9694cba788b62430a88f4ffff8bc7f2baa6b6d49a12f27798cea8e48853fd325'
const CANONICAL_2 =
  '{"agent_id":"ws-1","human_oversight_flag":false,"id":"5f0c2a7e-1b2d-4c3e-9f4a-8b7c6d5e4f30","input_hash":"3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179","model_used":"mod\\u00e8le","operation":"tool_call","output_hash":null,"prev_hmac":"abababababababababababababababababababababababababababababababab","risk_flag":false,"session_id":"task-1","timestamp":"2026-12-07T06:55:01Z"}'
const HMAC_2 = '95c24e8b785d41691d4df1d1404d5bdadf2b8dd502ba8681121dba7eded710c7'

describe('ledger test vectors (computed independently)', () => {
  const key = deriveLedgerKey(SECRET)

  it('derives the PBKDF2-HMAC-SHA256 key (fixed salt, 210000 iterations, 32 bytes)', () => {
    expect(key.toString('hex')).toBe(KEY_HEX)
  })

  it('formats the timestamp at whole seconds, UTC, with Z', () => {
    expect(ledgerTimestamp(ROW.timestampMicros)).toBe('2026-12-07T06:55:01Z')
  })

  it('builds the canonical JSON: sorted keys, compact, nulls and booleans, non-ASCII escaped', () => {
    expect(canonicalRow(ROW)).toBe(CANONICAL)
    expect(canonicalRow({ ...ROW, modelUsed: 'modèle', prevHmac: 'ab'.repeat(32), riskFlag: false })).toBe(
      CANONICAL_2,
    )
  })

  it('computes the row HMAC', () => {
    expect(rowHmac(key, ROW)).toBe(HMAC)
    expect(rowHmac(key, { ...ROW, modelUsed: 'modèle', prevHmac: 'ab'.repeat(32), riskFlag: false })).toBe(
      HMAC_2,
    )
  })

  it('hashes texts as utf-8 and other data as canonical JSON', () => {
    expect(contentHash('héllo')).toBe(HELLO_SHA256)
    expect(canonicalJson({ b: [1, 'é'], a: null })).toBe('{"a":null,"b":[1,"\\u00e9"]}')
    expect(contentHash({ b: [1, 'é'], a: null })).toBe(
      'a44633ba036df25280e4fd9ef09da6f54dfe6d3611c755e31f993ab16f108f34',
    )
    expect(contentHash(null)).toBeNull()
  })

  it('refuses to run without AUDIT_LEDGER_SALT, naming the variable and the fix', () => {
    expect(() => deriveLedgerKey(undefined)).toThrow(/AUDIT_LEDGER_SALT is not set/)
  })
})
