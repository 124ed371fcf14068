import { describe, expect, it } from 'vitest'
import { isPrivateAddress, pushTargetProblem } from './url-guard.js'

describe('push target guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['8.8.8.8', false],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['2001:4860:4860::8888', false],
  ])('%s private=%s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected)
  })

  it('refuses loopback/private targets, including by DNS, unless allowed', async () => {
    const resolve = async (host: string) => (host === 'internal.example' ? ['10.0.0.5'] : ['93.184.215.14'])
    expect(await pushTargetProblem('http://127.0.0.1:8080/x', false, resolve)).toMatch(/private/)
    expect(await pushTargetProblem('http://localhost/x', false, resolve)).toMatch(/loopback/)
    expect(await pushTargetProblem('http://[::1]/x', false, resolve)).toMatch(/private/)
    expect(await pushTargetProblem('http://internal.example/x', false, resolve)).toMatch(/10\.0\.0\.5/)
    expect(await pushTargetProblem('https://hooks.example/x', false, resolve)).toBeUndefined()
    expect(await pushTargetProblem('ftp://hooks.example/x', false, resolve)).toMatch(/http/)
    expect(await pushTargetProblem('http://127.0.0.1:8080/x', true, resolve)).toBeUndefined()
  })
})
