import { describeError } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { DevPlatformError } from './errors.js'
import { exposureRefusal, exposureWarning, isLoopbackHost } from './exposure.js'

describe('isLoopbackHost', () => {
  it('is true for localhost, 127.0.0.0/8 and ::1 in its spellings', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      'localhost',
      'LocalHost',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(host), host).toBe(true)
    }
  })

  it('is false for every interface, other addresses, names and the empty host', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '',
      '192.168.1.10',
      '10.0.0.1',
      'my-box.local',
      'localhost.example',
      '::2',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false)
    }
  })
})

describe('exposureRefusal', () => {
  it('lets loopback start without an admin token, lenient or not', () => {
    expect(exposureRefusal({ host: '127.0.0.1', adminToken: undefined, lenient: false })).toBeUndefined()
    expect(exposureRefusal({ host: 'localhost', adminToken: undefined, lenient: true })).toBeUndefined()
  })

  it('refuses beyond loopback without an admin token, naming the option and the fix', () => {
    const refusal = exposureRefusal({ host: '0.0.0.0', adminToken: undefined, lenient: false })
    expect(refusal).toBeInstanceOf(DevPlatformError)
    expect(refusal).toMatchObject({ code: 'DEV_PLATFORM_ADMIN_TOKEN_REQUIRED', path: 'adminToken' })
    const line = describeError(refusal)
    expect(line).toContain('host "0.0.0.0"')
    expect(line).toContain('MOLECULE_DEV_ADMIN_TOKEN')
    expect(line).toContain('adminToken')
    expect(line).toContain('127.0.0.1')
    expect(line).not.toContain('\n')
  })

  it('refuses lenient mode beyond loopback, even with an admin token (it opens the admin routes anyway)', () => {
    expect(exposureRefusal({ host: '0.0.0.0', adminToken: 'op', lenient: true })).toMatchObject({
      code: 'DEV_PLATFORM_LENIENT_EXPOSED',
      path: 'lenient',
    })
  })

  it('lets an admin-token platform start beyond loopback', () => {
    expect(exposureRefusal({ host: '192.168.1.10', adminToken: 'op', lenient: false })).toBeUndefined()
  })
})

describe('exposureWarning', () => {
  it('is one line naming the address', () => {
    expect(exposureWarning('0.0.0.0')).toMatch(
      /^molecule-dev-platform: warning: listening on 0\.0\.0\.0, beyond loopback[^\n]*\n$/,
    )
  })
})
