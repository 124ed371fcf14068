import { describe, expect, it } from 'vitest'
import { parseCli } from './cli-options.js'
import { DevPlatformError } from './errors.js'

describe('parseCli', () => {
  it('defaults to port 8080 on 127.0.0.1 semantics and strict auth', () => {
    expect(parseCli([], {})).toEqual({ help: false, options: { port: 8080, lenient: false } })
  })

  it('flags win over environment variables', () => {
    const cmd = parseCli(['--port', '0', '--proxy-timeout-ms', '50'], {
      MOLECULE_DEV_PORT: '9000',
      MOLECULE_DEV_PROXY_TIMEOUT_MS: '70',
      MOLECULE_DEV_OFFLINE_AFTER_MS: '120',
      MOLECULE_DEV_LENIENT: '1',
      MOLECULE_DEV_ADMIN_TOKEN: 'op',
      MOLECULE_DEV_HOST: '127.0.0.1',
    })
    expect(cmd).toEqual({
      help: false,
      options: {
        port: 0,
        host: '127.0.0.1',
        proxyTimeoutMs: 50,
        offlineAfterMs: 120,
        lenient: true,
        adminToken: 'op',
      },
    })
  })

  it('--no-console / MOLECULE_DEV_CONSOLE=0 turn the console off; --console-flush-ms sets its batching', () => {
    const options = (argv: string[], env: NodeJS.ProcessEnv) => {
      const cmd = parseCli(argv, env)
      if (cmd.help) throw new Error('unexpected --help')
      return cmd.options
    }
    expect(options(['--no-console'], {}).console).toBe(false)
    expect(options([], { MOLECULE_DEV_CONSOLE: '0' }).console).toBe(false)
    expect(options([], { MOLECULE_DEV_CONSOLE: '1' }).console).toBeUndefined()
    expect(
      options(['--console-flush-ms', '40'], { MOLECULE_DEV_CONSOLE_FLUSH_MS: '70' }).consoleFlushMs,
    ).toBe(40)
    expect(options([], { MOLECULE_DEV_CONSOLE_FLUSH_MS: '70' }).consoleFlushMs).toBe(70)
  })

  it('collects repeated --allow-origin and --allow-host flags', () => {
    const cmd = parseCli(
      [
        '--allow-origin',
        'http://localhost:3000',
        '--allow-origin',
        'http://localhost:3001',
        '--allow-host',
        'dev.example',
      ],
      {},
    )
    expect(cmd).toMatchObject({
      options: {
        allowedOrigins: ['http://localhost:3000', 'http://localhost:3001'],
        allowedHosts: ['dev.example'],
      },
    })
  })

  it('names the bad flag', () => {
    expect(() => parseCli(['--offline-after-ms', '-5'], {})).toThrow(/--offline-after-ms/)
    expect(() => parseCli(['--port', '70000'], {})).toThrow(DevPlatformError)
    expect(() => parseCli([], { MOLECULE_DEV_SWEEP_INTERVAL_MS: 'soon' })).toThrow(
      /MOLECULE_DEV_SWEEP_INTERVAL_MS/,
    )
    expect(() => parseCli(['--nope'], {})).toThrow(/see --help/)
  })

  it('recognises --help and -h', () => {
    expect(parseCli(['-h'], {})).toEqual({ help: true })
  })
})
