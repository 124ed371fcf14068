import { describeError, isMoleculeError, MoleculeError } from '@molecule/core'
import { describe, expect, it } from 'vitest'
import { parseCli } from './cli-options.js'
import { DevPlatformError } from './errors.js'

describe('DevPlatformError', () => {
  it('is a MoleculeError with its code, printed as one line without a stack', () => {
    const err = new DevPlatformError(
      'DEV_PLATFORM_BAD_OPTION',
      '--port must be between 0 and 65535, got 70000',
      {
        path: '--port',
      },
    )
    expect(err).toBeInstanceOf(MoleculeError)
    expect(isMoleculeError(err)).toBe(true)
    expect(err).toMatchObject({ name: 'DevPlatformError', code: 'DEV_PLATFORM_BAD_OPTION', path: '--port' })
    expect(describeError(err)).toBe('--port must be between 0 and 65535, got 70000')
  })

  it('is what a bad flag throws', () => {
    expect(() => parseCli(['--port', 'x'], {})).toThrow(DevPlatformError)
  })
})
