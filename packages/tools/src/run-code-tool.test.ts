import { createSandbox } from '@molecule/sandbox'
import { describe, expect, it } from 'vitest'
import { ToolRegistry } from './registry.js'
import { runCodeTool, SANDBOX_OUTPUT_MARKER } from './run-code-tool.js'
import { contextFor } from './test-support.js'

const ctx = contextFor('http://127.0.0.1:9', 'ws-code', undefined)

describe.each(['bwrap', 'subprocess'] as const)('run_code tool on the %s backend', (backend) => {
  const registry = new ToolRegistry([runCodeTool(createSandbox({ backend, limits: { timeoutSeconds: 1 } }))])

  it('answers {exit_code, stdout, stderr, language, backend}, python by default, marked as sandbox output', async () => {
    const result = await registry.call('run_code', ctx, {
      code: 'import sys\nprint("out")\nsys.stderr.write("err")',
    })
    expect(result.isError).toBe(false)
    expect(result.data).toEqual({ exit_code: 0, stdout: 'out\n', stderr: 'err', language: 'python', backend })
    expect(result.text.startsWith(`${SANDBOX_OUTPUT_MARKER} `)).toBe(true)
    expect(JSON.parse(result.text.slice(SANDBOX_OUTPUT_MARKER.length + 1))).toEqual(result.data)
  })

  it('runs javascript, shell and bash; a failing program is a result, not a tool error', async () => {
    const js = await registry.call('run_code', ctx, { code: 'console.log(2 ** 10)', language: 'javascript' })
    expect(js.data).toMatchObject({ exit_code: 0, stdout: '1024\n' })
    const sh = await registry.call('run_code', ctx, { code: 'echo "$((6*7))"; exit 3', language: 'shell' })
    expect(sh.data).toMatchObject({ exit_code: 3, stdout: '42\n' })
    expect(sh.isError).toBe(false)
    const bash = await registry.call('run_code', ctx, { code: '[[ abc == a* ]] && echo 2', language: 'bash' })
    expect(bash.data).toMatchObject({ exit_code: 0, stdout: '2\n' })
  })

  it('refuses an unknown language and reports a timeout as errors in the upstream shape', async () => {
    const ruby = await registry.call('run_code', ctx, { code: 'puts 1', language: 'ruby' })
    expect(ruby.isError).toBe(true)
    expect(ruby.data).toEqual({ error: 'Unsupported language: ruby', exit_code: -1 })
    const slow = await registry.call('run_code', ctx, { code: 'sleep 5', language: 'shell' })
    expect(slow.data).toEqual({ error: 'Timeout after 1s', exit_code: -1 })
  })
})
