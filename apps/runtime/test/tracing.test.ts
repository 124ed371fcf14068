/**
 * One trace across two workspaces: a user message to A, which delegates to B through the dev platform's A2A proxy;
 * B runs a tool. Both runtimes export OTLP/HTTP JSON to a receiver in this test.
 */

import { writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import type { RunningDevPlatform } from '@molecule/dev-platform'
import { until } from '@molecule/test-support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usePlatformAndRuntimes } from './support/fixtures.js'
import { sendBody, spawnRuntime, workspaceDirs } from './support/runtime-process.js'

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string | number } }>
  resource: Record<string, string>
}

const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 }

// A delegates every message to the peer named in it; B runs the message as a shell program through run_code.
const DELEGATOR = `
export const Adapter = {
  name: 'delegator',
  createExecutor(config) {
    return async (ctx) => {
      const [peer, ...rest] = ctx.text.split(' ')
      const tool = config.setup.tools.find((t) => t.name === 'delegate_task')
      const result = await tool.run({ signal: ctx.signal }, { workspace_id: peer, task: rest.join(' ') })
      return typeof result === 'string' ? result : result.text
    }
  },
}
`
const CODER = `
export const Adapter = {
  name: 'coder',
  createExecutor(config) {
    return async (ctx) => {
      const tool = config.setup.tools.find((t) => t.name === 'run_code')
      const result = await tool.run({ signal: ctx.signal }, { code: ctx.text, language: 'shell' })
      return result.data.stdout ?? result.data.error
    }
  },
}
`

const spans: OtlpSpan[] = []
/** Every export request: its path, its Authorization header and the spans it carried. */
const exportRequests: Array<{ path: string; authorization: string | undefined; spans: OtlpSpan[] }> = []
let receiver: Server
let receiverUrl = ''
let platform: RunningDevPlatform
const running = usePlatformAndRuntimes((started) => {
  platform = started
})

function flatten(body: {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpSpan['attributes'] }
    scopeSpans?: Array<{ spans?: Omit<OtlpSpan, 'resource'>[] }>
  }>
}): OtlpSpan[] {
  const out: OtlpSpan[] = []
  for (const rs of body.resourceSpans ?? []) {
    const resource = Object.fromEntries(
      (rs.resource?.attributes ?? []).map((a) => [a.key, String(a.value.stringValue ?? a.value.intValue)]),
    )
    for (const ss of rs.scopeSpans ?? []) for (const span of ss.spans ?? []) out.push({ ...span, resource })
  }
  return out
}

function attr(span: OtlpSpan, key: string): string | undefined {
  const found = span.attributes.find((a) => a.key === key)
  return found === undefined ? undefined : String(found.value.stringValue ?? found.value.intValue)
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8')
    })
    req.on('end', () => {
      if (String(req.headers['content-type']).includes('json')) {
        const received = flatten(JSON.parse(raw))
        exportRequests.push({
          path: req.url ?? '',
          authorization: req.headers.authorization,
          spans: received,
        })
        if (req.url === '/v1/traces') spans.push(...received)
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))

async function start(name: string, adapterSource: string, env: Record<string, string>) {
  const ws = await platform.createWorkspace({ name })
  const dirs = await workspaceDirs(`name: ${name}\nruntime: custom\na2a:\n  push_notifications: false\n`)
  const adapterFile = join(dirs.root, 'adapter.mjs')
  await writeFile(adapterFile, adapterSource)
  const rt = spawnRuntime(ws.id, platform.url, dirs, { ADAPTER_MODULE: adapterFile, ...env })
  running.push(rt)
  await rt.waitForMsg('registered', 15_000)
  return { id: ws.id, rt }
}

describe('OpenTelemetry across workspaces', () => {
  it('a message to A that A delegates to B through the platform is one trace: A invoke_agent → A client call → B invoke_agent → B execute_tool', async () => {
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl, OTEL_BSP_SCHEDULE_DELAY: '100' }
    const a = await start('Alpha', DELEGATOR, tracing)
    const b = await start('Beta', CODER, tracing)
    await a.rt.waitForMsg('tracing on')

    const res = await fetch(`${platform.url}/workspaces/${a.id}/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody(`${b.id} echo traced-hello`)),
    })
    const reply = (await res.json()) as { result: { parts: Array<{ text: string }> } }
    expect(reply.result.parts[0]?.text).toContain('traced-hello')

    const find = (predicate: (span: OtlpSpan) => boolean) => spans.find(predicate)
    const chain = await until(
      () => {
        const aServer = find((s) => s.name === 'invoke_agent Alpha' && s.kind === SPAN_KIND.SERVER)
        const aTool = find((s) => s.name === 'execute_tool delegate_task')
        const aClient = find((s) => s.name === `invoke_agent ${b.id}` && s.kind === SPAN_KIND.CLIENT)
        const bServer = find((s) => s.name === 'invoke_agent Beta' && s.kind === SPAN_KIND.SERVER)
        const bTool = find((s) => s.name === 'execute_tool run_code')
        return aServer && aTool && aClient && bServer && bTool
          ? { aServer, aTool, aClient, bServer, bTool }
          : undefined
      },
      10_000,
      'the five spans of the delegation exported',
    )
    const { aServer, aTool, aClient, bServer, bTool } = chain
    // One trace id across both workspaces, and each span the child of the one before it.
    expect(new Set(Object.values(chain).map((s) => s.traceId)).size).toBe(1)
    expect(aTool.parentSpanId).toBe(aServer.spanId)
    expect(aClient.parentSpanId).toBe(aTool.spanId)
    expect(bServer.parentSpanId).toBe(aClient.spanId)
    expect(bTool.parentSpanId).toBe(bServer.spanId)

    expect(aServer.resource['workspace.id']).toBe(a.id)
    expect(bServer.resource['workspace.id']).toBe(b.id)
    expect(attr(aServer, 'gen_ai.operation.name')).toBe('invoke_agent')
    expect(attr(aServer, 'gen_ai.agent.name')).toBe('Alpha')
    expect(attr(aServer, 'gen_ai.agent.id')).toBe(a.id)
    expect(attr(aServer, 'workspace.id')).toBe(a.id)
    expect(attr(aServer, 'a2a.task_id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(attr(aServer, 'gen_ai.conversation.id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(attr(aClient, 'a2a.target_workspace_id')).toBe(b.id)
    expect(attr(aClient, 'http.response.status_code')).toBe('200')
    expect(attr(bTool, 'gen_ai.operation.name')).toBe('execute_tool')
    expect(attr(bTool, 'gen_ai.tool.name')).toBe('run_code')
    expect(attr(bServer, 'gen_ai.agent.id')).toBe(b.id)
  })

  it('with no tracing variable set, tracing never starts and nothing is exported', async () => {
    const before = spans.length
    const quiet = await start('Quiet', CODER, {})
    const res = await fetch(`${platform.url}/workspaces/${quiet.id}/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody('echo untraced')),
    })
    expect(((await res.json()) as { result: { parts: Array<{ text: string }> } }).result.parts[0]?.text).toBe(
      'untraced\n',
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(spans.slice(before).filter((s) => s.resource['workspace.id'] === quiet.id)).toEqual([])
    expect(quiet.rt.stderr).not.toContain('tracing on')
  })
  it("Langfuse's OTLP endpoint works by configuration alone: LANGFUSE_HOST and the two keys, HTTP Basic", async () => {
    const keys = { LANGFUSE_PUBLIC_KEY: 'pk-lf-test', LANGFUSE_SECRET_KEY: 'sk-lf-test-value' }
    const lf = await start('Langfused', CODER, {
      LANGFUSE_HOST: receiverUrl,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      ...keys,
    })
    await fetch(`${platform.url}/workspaces/${lf.id}/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody('echo to-langfuse')),
    })
    const toLangfuse = () => exportRequests.filter((e) => e.path === '/api/public/otel/v1/traces')
    const task = await until(
      () =>
        toLangfuse()
          .flatMap((e) => e.spans)
          .find((s) => s.name === 'invoke_agent Langfused' && s.resource['workspace.id'] === lf.id),
      10_000,
      "the task's span exported to the Langfuse path",
    )
    expect(task.kind).toBe(SPAN_KIND.SERVER)
    const basic = `Basic ${Buffer.from(`${keys.LANGFUSE_PUBLIC_KEY}:${keys.LANGFUSE_SECRET_KEY}`).toString('base64')}`
    expect(new Set(toLangfuse().map((e) => e.authorization))).toEqual(new Set([basic]))
    expect(lf.rt.stderr).not.toContain(keys.LANGFUSE_SECRET_KEY)
  })
})
