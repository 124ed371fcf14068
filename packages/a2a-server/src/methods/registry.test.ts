import { describe, expect, it } from 'vitest'
import type { TaskMethods } from './core.js'
import type { ProtocolRevision } from './handler.js'
import { buildMethodTable, servedVersions, versionProblem } from './registry.js'

// The table only calls `methods(core)`, which builds closures over core without calling it.
const core = {} as TaskMethods

describe('method registry', () => {
  it('binds every v0.3 and v1.0 method name once', () => {
    expect([...buildMethodTable(core).keys()].sort()).toEqual(
      [
        'message/send',
        'message/stream',
        'tasks/get',
        'tasks/cancel',
        'tasks/resubscribe',
        'tasks/pushNotificationConfig/set',
        'tasks/pushNotificationConfig/get',
        'tasks/pushNotificationConfig/list',
        'tasks/pushNotificationConfig/delete',
        'agent/getAuthenticatedExtendedCard',
        'SendMessage',
        'SendStreamingMessage',
        'GetTask',
        'ListTasks',
        'CancelTask',
        'SubscribeToTask',
        'CreateTaskPushNotificationConfig',
        'GetTaskPushNotificationConfig',
        'ListTaskPushNotificationConfigs',
        'DeleteTaskPushNotificationConfig',
        'GetExtendedAgentCard',
      ].sort(),
    )
  })

  it('lets the A2A-Version pick between revisions binding the same name, the oldest answering by default', async () => {
    const revision = (version: string, acceptsVersion: RegExp): ProtocolRevision => ({
      version,
      acceptsVersion,
      methods: () => ({
        GetTask: async () => JSON.stringify(version),
        [`Only${version}`]: async () => 'only',
      }),
    })
    const table = buildMethodTable(core, [
      revision('0.3', /^0\.3$/),
      revision('1.0', /^1(\.0)?$/),
      revision('1.1', /^1\.1$/),
    ])
    const call = (version: string | undefined) =>
      table.get('GetTask')?.({ id: 1, params: {}, traceparent: undefined, version, caller: '' })
    expect(await call('1.1')).toBe('"1.1"')
    expect(await call(' 1.0 ')).toBe('"1.0"')
    expect(await call(undefined)).toBe('"0.3"')
    expect(await call('')).toBe('"0.3"')
    expect([...table.keys()].sort()).toEqual(['GetTask', 'Only0.3', 'Only1.0', 'Only1.1'])
  })

  it('accepts the A2A-Version values of the registered revisions, absent or empty meaning 0.3', () => {
    for (const accepted of [undefined, null, '', ' ', '0.3', '0.3.0', '1', '1.0', '1.0.2', ' 1.0 '])
      expect(versionProblem(accepted)).toBeUndefined()
    expect(versionProblem('1.1')).toBe('A2A-Version "1.1" is not supported; use 0.3 or 1.0')
    expect(versionProblem('0.2.5')).toBe('A2A-Version "0.2.5" is not supported; use 0.3 or 1.0')
  })

  it('lists the served versions newest first for the card', () => {
    expect(servedVersions()).toEqual(['1.0', '0.3'])
  })
})
