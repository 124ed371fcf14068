/**
 * No container engine runs here, so the docker backend is exercised against a stand-in `docker` client that
 * records its arguments: the flags that make the container a sandbox, and the removal of a container that timed out.
 */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { until } from '@molecule/test-support'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, DockerBackend } from '../src/index.js'

function fakeDocker(behaviour: string): { path: string; calls: () => string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-docker-'))
  const log = join(dir, 'calls.log')
  const path = join(dir, 'docker')
  writeFileSync(
    path,
    `#!/bin/sh\nprintf '%s\\037' "$@" >> ${log}\necho >> ${log}\nif [ "$1" = run ]; then\n${behaviour}\nfi\n`,
  )
  chmodSync(path, 0o755)
  const calls = () => {
    try {
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\x1f').filter(Boolean))
    } catch {
      return []
    }
  }
  return { path, calls }
}

describe('docker backend (stand-in client)', () => {
  it('runs one locked-down throwaway container per call and reports its output with the image', async () => {
    const docker = fakeDocker('echo from-container; exit 0')
    const result = await new DockerBackend(docker.path).run('print(1)', 'python', DEFAULT_LIMITS)
    expect(result).toEqual({
      exit_code: 0,
      stdout: 'from-container\n',
      stderr: '',
      language: 'python',
      backend: 'docker',
      image: 'python:3.11-slim',
    })
    const [args] = docker.calls()
    const after = (flag: string) => args?.[args.indexOf(flag) + 1]
    expect(args?.[0]).toBe('run')
    expect(args).toContain('--rm')
    expect(args).toContain('--read-only')
    expect(after('--network')).toBe('none')
    expect(after('--memory')).toBe(String(DEFAULT_LIMITS.memoryBytes))
    expect(after('--pids-limit')).toBe(String(DEFAULT_LIMITS.maxProcesses))
    expect(after('--user')).toBe('65534:65534')
    expect(after('-v')).toMatch(/:\/sandbox\/main\.py:ro$/)
    expect(args?.slice(-3)).toEqual(['python:3.11-slim', 'python3', '/sandbox/main.py'])
  })

  it('removes the container itself at the timeout (killing the client alone would leave it running)', async () => {
    const docker = fakeDocker('sleep 5')
    const limits = { ...DEFAULT_LIMITS, timeoutSeconds: 0.5 }
    const result = await new DockerBackend(docker.path).run('sleep 5', 'shell', limits)
    expect(result).toEqual({ error: 'Timeout after 0.5s', exit_code: -1 })
    const name = docker.calls()[0]?.[docker.calls()[0]!.indexOf('--name') + 1]
    expect(name).toMatch(/^molecule-sandbox-/)
    await until(
      () => docker.calls().some((call) => call[0] === 'rm' && call.includes(name!)),
      3000,
      'docker rm -f',
    )
  })
})
