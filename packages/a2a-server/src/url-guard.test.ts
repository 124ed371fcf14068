import { describe, expect, it } from 'vitest'
import { isPrivateAddress, pushTargetProblem, vetPushTarget } from './url-guard.js'

// No test here sends a packet: the guard is checked on literals and on names an injected resolver
// answers. Nothing is connected to.

/** A resolver that knows a few names; any other name does not resolve. */
function resolverOf(names: Record<string, string[]>) {
  const asked: string[] = []
  const resolve = async (host: string) => {
    asked.push(host)
    const found = names[host]
    if (found === undefined) throw new Error(`ENOTFOUND ${host}`)
    return found
  }
  return { resolve, asked }
}

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
    ['::ffff:7f00:1', true],
    ['::ffff:a9fe:a9fe', true],
    ['::7f00:1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['0x7f.1', true],
    ['2130706433', true],
    ['0177.0.0.1', true],
    ['not an address', true],
    ['2001:4860:4860::8888', false],
  ])('%s private=%s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected)
  })

  it('refuses loopback/private targets, including by DNS, unless allowed', async () => {
    const { resolve } = resolverOf({ 'internal.example': ['10.0.0.5'], 'hooks.example': ['93.184.215.14'] })
    expect(await pushTargetProblem('http://127.0.0.1:8080/x', false, resolve)).toMatch(/private/)
    expect(await pushTargetProblem('http://localhost/x', false, resolve)).toMatch(/loopback/)
    expect(await pushTargetProblem('http://[::1]/x', false, resolve)).toMatch(/private/)
    expect(await pushTargetProblem('http://internal.example/x', false, resolve)).toMatch(/10\.0\.0\.5/)
    expect(await pushTargetProblem('https://hooks.example/x', false, resolve)).toBeUndefined()
    expect(await pushTargetProblem('ftp://hooks.example/x', false, resolve)).toMatch(/http/)
    expect(await pushTargetProblem('http://127.0.0.1:8080/x', true, resolve)).toBeUndefined()
  })

  it.each([
    'http://[::ffff:127.0.0.1]:8000/hook',
    'http://[::ffff:7f00:1]:8000/hook',
    'http://[0:0:0:0:0:ffff:127.0.0.1]/hook',
    'http://[::ffff:a9fe:a9fe]/latest/meta-data',
    'http://[::7f00:1]/hook',
    'http://[::127.0.0.1]/hook',
    'http://[64:ff9b::a9fe:a9fe]/latest',
    'http://[64:ff9b:1::7f00:1]/hook',
    'http://[2002:7f00:1::]/hook',
    'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook',
    'http://[fd00:ec2::254]/latest',
    'http://[fe80::1]/hook',
    'http://[::1]/hook',
    'http://[::]/hook',
    'http://0x7f.1/hook',
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
    'http://127.1/hook',
    'http://0/hook',
    'http://169.254.169.254/latest',
    'http://100.100.100.200/latest',
    'http://LOCALHOST/hook',
    'http://localhost./hook',
    'http://api.localhost/hook',
    'http://[fe80::1%25eth0]/hook',
  ])('refuses %s', async (url) => {
    const { resolve, asked } = resolverOf({})
    const problem = await pushTargetProblem(url, false, resolve)
    expect(problem).toBeDefined()
    expect(asked).toEqual([])
  })

  it.each([
    'http://93.184.216.34/hook',
    'https://[2606:4700::1111]/hook',
    'http://[::ffff:93.184.216.34]/hook',
  ])('accepts the public literal %s without resolving anything', async (url) => {
    const { resolve, asked } = resolverOf({})
    expect(await pushTargetProblem(url, false, resolve)).toBeUndefined()
    expect(asked).toEqual([])
  })

  it('refuses a name when any address it resolves to is not public, naming the address', async () => {
    const { resolve } = resolverOf({
      'rebind.example': ['93.184.216.34', '127.0.0.1'],
      'mapped.example': ['::ffff:7f00:1'],
      'short.example': ['0x7f.1'],
      'junk.example': ['not-an-ip'],
    })
    expect(await pushTargetProblem('http://rebind.example/x', false, resolve)).toMatch(
      /127\.0\.0\.1, loopback 127\.0\.0\.0\/8/,
    )
    expect(await pushTargetProblem('http://mapped.example/x', false, resolve)).toMatch(
      /IPv4-mapped .* 127\.0\.0\.1/,
    )
    expect(await pushTargetProblem('http://short.example/x', false, resolve)).toMatch(/127\.0\.0\.1/)
    expect(await pushTargetProblem('http://junk.example/x', false, resolve)).toMatch(/not an IP address/)
    expect(await pushTargetProblem('http://nowhere.example/x', false, resolve)).toMatch(/does not resolve/)
  })

  it('resolves a name once and pins the target to the first vetted address', async () => {
    const { resolve, asked } = resolverOf({ 'hooks.example': ['2606:4700::1111', '93.184.216.34'] })
    const vetted = await vetPushTarget('https://hooks.example:8443/x?y=1', false, resolve)
    expect(vetted).toMatchObject({ address: '2606:4700:0:0:0:0:0:1111', family: 6 })
    expect(typeof vetted === 'string' ? vetted : vetted.url.href).toBe('https://hooks.example:8443/x?y=1')
    expect(asked).toEqual(['hooks.example'])
  })

  it('pins a name that resolves to loopback only when private targets are allowed', async () => {
    const { resolve } = resolverOf({ 'hook.test': ['127.0.0.1'] })
    expect(await vetPushTarget('http://hook.test:9/x', false, resolve)).toMatch(/loopback/)
    expect(await vetPushTarget('http://hook.test:9/x', true, resolve)).toMatchObject({
      address: '127.0.0.1',
      family: 4,
    })
  })
})
