import { describe, expect, it } from 'vitest'
import { formEncode } from './form-encode.js'

describe('formEncode', () => {
  it('writes what URLSearchParams writes, for plain and awkward values alike', () => {
    const values = [
      '',
      'a2a_receive',
      '6f1c2d3e-0000-4000-8000-000000000000',
      '100',
      'peer info',
      "it's (almost) ~done!",
      'a+b=c&d',
      'é✓ 中文',
      '\ud800 lone surrogate',
      '*.-_',
      '%20',
    ]
    for (let code = 0; code < 256; code++) values.push(String.fromCharCode(code))
    for (const value of values) {
      expect(formEncode(value)).toBe(new URLSearchParams({ v: value }).toString().slice(2))
    }
  })
})
