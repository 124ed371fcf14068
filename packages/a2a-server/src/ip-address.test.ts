import { describe, expect, it } from 'vitest'
import { formatAddress, nonPublicReason, parseAddress, parseIPv4, parseIPv6 } from './ip-address.js'

const bytesOf = (text: string) => {
  const bytes = parseAddress(text)
  if (bytes === undefined) throw new Error(`${text} did not parse`)
  return [...bytes]
}

describe('parsing addresses into bytes', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['127.1', [127, 0, 0, 1]],
    ['127.0.1', [127, 0, 0, 1]],
    ['0x7f.1', [127, 0, 0, 1]],
    ['0x7F000001', [127, 0, 0, 1]],
    ['2130706433', [127, 0, 0, 1]],
    ['0177.0.0.1', [127, 0, 0, 1]],
    ['017700000001', [127, 0, 0, 1]],
    ['127.0.0.1.', [127, 0, 0, 1]],
    ['0', [0, 0, 0, 0]],
    ['0x', [0, 0, 0, 0]],
    ['169.254.43518', [169, 254, 169, 254]],
    ['93.184.216.34', [93, 184, 216, 34]],
  ])('IPv4 %s', (text, bytes) => {
    expect([...(parseIPv4(text) ?? [])]).toEqual(bytes)
  })

  it.each([
    'example.com',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.256',
    '1.16777216',
    '4294967296',
    '08.0.0.1',
    '0x1g.0.0.1',
    '',
    '1..2',
  ])('%s is not IPv4', (text) => {
    expect(parseIPv4(text)).toBeUndefined()
  })

  it.each([
    ['::1', '0:0:0:0:0:0:0:1'],
    ['[::1]', '0:0:0:0:0:0:0:1'],
    ['::', '0:0:0:0:0:0:0:0'],
    ['::ffff:7f00:1', '0:0:0:0:0:ffff:7f00:1'],
    ['::ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1'],
    ['0:0:0:0:0:ffff:127.0.0.1', '0:0:0:0:0:ffff:7f00:1'],
    ['[0:0:0:0:0:ffff:127.0.0.1]', '0:0:0:0:0:ffff:7f00:1'],
    ['fe80::1%eth0', 'fe80:0:0:0:0:0:0:1'],
    ['[fe80::1%25eth0]', 'fe80:0:0:0:0:0:0:1'],
    ['64:FF9B::A9FE:A9FE', '64:ff9b:0:0:0:0:a9fe:a9fe'],
    ['2606:4700::1111', '2606:4700:0:0:0:0:0:1111'],
  ])('IPv6 %s', (text, canonical) => {
    const bytes = parseIPv6(text)
    expect(bytes && formatAddress(bytes)).toBe(canonical)
  })

  it.each([
    ':::1',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '12345::1',
    '::1.2.3',
    '1.2.3.4::',
    'g::1',
    'example.com',
  ])('%s is not IPv6', (text) => {
    expect(parseIPv6(text)).toBeUndefined()
  })
})

describe('which addresses are not public', () => {
  it.each([
    // IPv4, every spelling of loopback and the metadata address
    '127.0.0.1',
    '127.1',
    '0x7f.1',
    '2130706433',
    '0177.0.0.1',
    '127.255.255.254',
    '169.254.169.254',
    '169.254.43518',
    '0.0.0.0',
    '0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '100.100.100.200',
    '169.254.1.1',
    '192.0.0.8',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '198.18.0.1',
    '198.19.255.255',
    '224.0.0.1',
    '239.255.255.250',
    '240.0.0.1',
    '255.255.255.255',
    // IPv6 loopback, unspecified, and IPv4 embedded in every carrier form
    '::1',
    '::',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '0:0:0:0:0:ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '::ffff:0:7f00:1',
    '::7f00:1',
    '::127.0.0.1',
    '::a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::7f00:1',
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::5db8:d822',
    '2002:7f00:1::',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo, client 127.0.0.1 (XORed)
    '2001:0:a00:1::5db8:d822', // Teredo, server 10.0.0.1
    // IPv6 ranges
    'fe80::1',
    'fe80::1%eth0',
    'febf::1',
    'fec0::1',
    'fc00::1',
    'fd00::1',
    'fd00:ec2::254',
    'ff02::1',
    '2001:db8::1',
    '3fff::1',
    '2001:2::1',
    '2001:10::1',
    '100::1',
    '::2:3:4',
    '5f00::1',
  ])('%s is refused', (ip) => {
    expect(nonPublicReason(parseAddress(ip) as Uint8Array)).toBeDefined()
  })

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '198.20.0.1',
    '223.255.255.255',
    '2606:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:93.184.216.34',
    '64:ff9b::5db8:d822',
    '2002:5db8:d822::1',
    '2001:0:5db8:d822:8000:63bf:a247:27dd', // Teredo: server 93.184.216.34, client 93.184.216.34
  ])('%s is public', (ip) => {
    expect(nonPublicReason(parseAddress(ip) as Uint8Array)).toBeUndefined()
  })

  it('names the embedded address and its range', () => {
    expect(nonPublicReason(parseAddress('::ffff:7f00:1') as Uint8Array)).toBe(
      'IPv4-mapped ::ffff:0:0/96 of 127.0.0.1, loopback 127.0.0.0/8',
    )
    expect(nonPublicReason(parseAddress('64:ff9b::a9fe:a9fe') as Uint8Array)).toBe(
      'NAT64 64:ff9b::/96 of 169.254.169.254, cloud metadata 169.254.169.254',
    )
    expect(bytesOf('2001:0:4136:e378:8000:63bf:80ff:fffe').slice(12)).toEqual([0x80, 0xff, 0xff, 0xfe])
  })
})
