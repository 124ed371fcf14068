import { afterEach, expect, it } from 'vitest'
import { startTestPlatform, type TestPlatform } from './test-helpers.js'

let p: TestPlatform
afterEach(async () => p?.close())

it('poll round trip', async () => {
  p = await startTestPlatform()
  const { id, token } = await p.register(undefined, { delivery_mode: 'poll', url: '' })
  const send = await p.call('POST', `/workspaces/${id}/a2a`, {
    body: {
      method: 'message/send',
      params: { message: { role: 'user', parts: [{ kind: 'text', text: 'hi' }] } },
    },
  })
  expect(send).toMatchObject({
    status: 200,
    body: { status: 'queued', delivery_mode: 'poll', method: 'message/send' },
  })
  const rows = await p.call('GET', `/workspaces/${id}/activity?type=a2a_receive`, { token })
  expect(rows.status).toBe(200)
  expect(rows.body[0].request_body.params.message.parts[0].text).toBe('hi')
})
