import { describe, expect, it } from 'vitest'
import { DevPlatformError } from './errors.js'
import {
  acceptsContentType,
  allowedHostEntry,
  allowedOriginEntry,
  hostnameOf,
  isHostAllowed,
  isOriginAllowed,
  type RequestPolicy,
} from './request-policy.js'

const policy = (overrides: Partial<RequestPolicy> = {}): RequestPolicy => ({
  allowedOrigins: new Set(),
  allowedHosts: new Set(),
  listenHost: '127.0.0.1',
  ...overrides,
})

describe('acceptsContentType', () => {
  it('accepts no label and JSON labels, with parameters and +json suffixes', () => {
    for (const label of [
      undefined,
      '',
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/merge-patch+json',
    ]) {
      expect(acceptsContentType(label, false), String(label)).toBe(true)
    }
  })

  it('refuses every label a cross-site page can send without a preflight, and other non-JSON types', () => {
    for (const label of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ]) {
      expect(acceptsContentType(label, false), label).toBe(false)
    }
  })

  it('takes multipart/form-data on an upload route only, and still refuses text/plain there', () => {
    expect(acceptsContentType('multipart/form-data; boundary=----x', true)).toBe(true)
    expect(acceptsContentType('text/plain', true)).toBe(false)
    expect(acceptsContentType('application/x-www-form-urlencoded', true)).toBe(false)
  })
})

describe('isHostAllowed', () => {
  it('answers IP literals, localhost and a missing Host whatever the port', () => {
    for (const host of [
      undefined,
      '127.0.0.1:8080',
      '10.1.2.3',
      '[::1]:8080',
      '[fe80::1]',
      'localhost:9',
      'LOCALHOST',
    ]) {
      expect(isHostAllowed(host, policy()), String(host)).toBe(true)
    }
  })

  it('refuses any other name (DNS rebinding) and malformed values', () => {
    for (const host of [
      'evil.example:8080',
      'evil.example',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      '::1',
      '[not-v6]:80',
      'a/b',
      'user@127.0.0.1',
      '',
    ]) {
      expect(isHostAllowed(host, policy()), host).toBe(false)
    }
  })

  it('answers the host the platform was started with and allowedHosts', () => {
    const p = policy({ listenHost: 'My-Box.local', allowedHosts: new Set(['dev.example']) })
    expect(isHostAllowed('my-box.local:8080', p)).toBe(true)
    expect(isHostAllowed('DEV.example:1', p)).toBe(true)
    expect(isHostAllowed('other.example', p)).toBe(false)
  })

  it('reads the name out of name, name:port and bracketed IPv6', () => {
    expect(hostnameOf('Example.COM:80')).toBe('example.com')
    expect(hostnameOf('[::1]:8080')).toBe('[::1]')
    expect(hostnameOf('host:port')).toBeUndefined()
  })
})

describe('isOriginAllowed', () => {
  it('lets a request without Origin through', () => {
    expect(isOriginAllowed(undefined, 'evil.example', policy())).toBe(true)
  })

  it("accepts the platform's own origin, as the request's Host says", () => {
    expect(isOriginAllowed('http://127.0.0.1:8080', '127.0.0.1:8080', policy())).toBe(true)
    expect(isOriginAllowed('http://localhost:8080', 'localhost:8080', policy())).toBe(true)
    expect(isOriginAllowed('http://localhost', 'localhost:80', policy())).toBe(true)
  })

  it('refuses any other origin, null, and an Origin when Host is missing', () => {
    expect(isOriginAllowed('http://evil.example', '127.0.0.1:8080', policy())).toBe(false)
    expect(isOriginAllowed('http://localhost:8080', '127.0.0.1:8080', policy())).toBe(false)
    expect(isOriginAllowed('https://127.0.0.1:8080', '127.0.0.1:8080', policy())).toBe(false)
    expect(isOriginAllowed('null', '127.0.0.1:8080', policy())).toBe(false)
    expect(isOriginAllowed('', '127.0.0.1:8080', policy())).toBe(false)
    expect(isOriginAllowed('http://127.0.0.1:8080', undefined, policy())).toBe(false)
  })

  it('accepts allowedOrigins', () => {
    const p = policy({ allowedOrigins: new Set(['http://localhost:3000']) })
    expect(isOriginAllowed('http://localhost:3000', '127.0.0.1:8080', p)).toBe(true)
    expect(isOriginAllowed('http://localhost:3001', '127.0.0.1:8080', p)).toBe(false)
  })
})

describe('allowed-list entries', () => {
  it('normalises origins and refuses a path, another scheme or garbage, naming the option', () => {
    expect(allowedOriginEntry('http://LocalHost:3000/')).toBe('http://localhost:3000')
    expect(allowedOriginEntry('https://app.example:443')).toBe('https://app.example')
    for (const bad of ['http://localhost:3000/console', 'file:///x', 'localhost:3000', 'null', '*']) {
      expect(() => allowedOriginEntry(bad), bad).toThrow(DevPlatformError)
      expect(() => allowedOriginEntry(bad), bad).toThrow(/allowedOrigins \(--allow-origin\)/)
    }
  })

  it('lowercases host names and refuses a scheme, port or path, naming the option', () => {
    expect(allowedHostEntry(' Dev.Example ')).toBe('dev.example')
    expect(allowedHostEntry('my_service')).toBe('my_service')
    for (const bad of ['http://dev.example', 'dev.example:8080', 'dev.example/x', '', '-x']) {
      expect(() => allowedHostEntry(bad), bad).toThrow(/allowedHosts \(--allow-host\)/)
    }
  })
})
