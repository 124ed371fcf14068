import { describe, expect, it } from 'vitest'
import { isMoleculeError, MoleculeError } from './errors.ts'

describe('MoleculeError', () => {
  it('carries code, path, fix, details and cause', () => {
    const cause = new Error('root')
    const err = new MoleculeError('CONFIG_INVALID', 'a2a.port is wrong', {
      path: 'a2a.port',
      fix: 'Set a2a.port to 8000.',
      details: [1],
      cause,
    })
    expect(err).toBeInstanceOf(Error)
    expect(err.name).toBe('MoleculeError')
    expect(err.code).toBe('CONFIG_INVALID')
    expect(err.path).toBe('a2a.port')
    expect(err.fix).toBe('Set a2a.port to 8000.')
    expect(err.details).toEqual([1])
    expect(err.cause).toBe(cause)
    expect(err.message).toBe('a2a.port is wrong')
  })

  it('leaves optional fields absent when not given', () => {
    const err = new MoleculeError('X', 'm')
    expect(err.path).toBeUndefined()
    expect(err.fix).toBeUndefined()
    expect(err.cause).toBeUndefined()
  })

  it('isMoleculeError recognises instances and look-alikes from another module copy', () => {
    expect(isMoleculeError(new MoleculeError('X', 'm'))).toBe(true)
    const foreign = Object.assign(new Error('m'), { name: 'MoleculeError', code: 'X' })
    expect(isMoleculeError(foreign)).toBe(true)
    expect(isMoleculeError(new Error('m'))).toBe(false)
    expect(isMoleculeError({ name: 'MoleculeError' })).toBe(false)
    expect(isMoleculeError(null)).toBe(false)
    expect(isMoleculeError('MoleculeError')).toBe(false)
  })
})
