import { leakedPiece, workspaceTokens } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { readRuntimeSettings } from './runtime-settings.js'

describe('readRuntimeSettings', () => {
  it('has container defaults', () => {
    const s = readRuntimeSettings({})
    expect(s).toMatchObject({
      shutdownGraceMs: 8000,
      a2aHost: '0.0.0.0',
      a2aPortOverride: undefined,
      selfMessageCooldownMs: 60_000,
      registerRetryBaseMs: 500,
      registerRetryMaxMs: 30_000,
      heartbeatPulseWindowMs: 1000,
      logLevel: 'info',
      pushAllowPrivateTargets: false,
      workspaceDir: '/workspace',
      skillsDebounceMs: 150,
    })
  })

  it('reads overrides', () => {
    const s = readRuntimeSettings({
      MOLECULE_SHUTDOWN_GRACE_MS: '250',
      MOLECULE_A2A_PORT: '0',
      MOLECULE_PUSH_ALLOW_PRIVATE_TARGETS: 'yes',
      MOLECULE_LOG_LEVEL: 'debug',
      MOLECULE_HEARTBEAT_PULSE_WINDOW_MS: '0',
    })
    expect(s.shutdownGraceMs).toBe(250)
    expect(s.heartbeatPulseWindowMs).toBe(0)
    expect(s.a2aPortOverride).toBe(0)
    expect(s.pushAllowPrivateTargets).toBe(true)
    expect(s.logLevel).toBe('debug')
  })

  it('masks a token pasted into a variable before echoing the value', () => {
    const [token] = workspaceTokens(1, 9) as [string]
    for (const name of ['MOLECULE_SHUTDOWN_GRACE_MS', 'MOLECULE_LOG_LEVEL']) {
      let message = ''
      try {
        readRuntimeSettings({ [name]: token })
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).toContain(`${name}: got "[REDACTED]"`)
      expect(leakedPiece(message, token)).toBeUndefined()
    }
  })

  it.each([
    ['MOLECULE_SHUTDOWN_GRACE_MS', '-1'],
    ['MOLECULE_A2A_PORT', '70000'],
    ['MOLECULE_DELEGATION_POLL_MS', '1.5'],
    ['MOLECULE_HEARTBEAT_PULSE_WINDOW_MS', '-5'],
    ['MOLECULE_LOG_LEVEL', 'loud'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    expect(() => readRuntimeSettings({ [name]: value })).toThrow(name)
  })
})
