import {
  fromV1PushConfig,
  fromV1State,
  type Message,
  type StreamEvent,
  type Task,
  type TaskPushNotificationConfig,
  taskPushNotificationConfigV1Schema,
  toV1Message,
  toV1PushConfig,
  toV1StreamEvent,
  toV1Task,
} from '@molecule/adapter-core/a2a'
import { rpc } from '../jsonrpc.js'
import { pageAfter, readPageToken } from '../paging.js'
import type { ListQuery, RevisionRules } from './core.js'
import type { ProtocolRevision } from './handler.js'
import {
  optionalCount,
  optionalString,
  optionalTimestamp,
  type Params,
  paramsObject,
  readSendParams,
  requiredString,
  type SendDialect,
  zodProblem,
} from './params.js'

// A2A v1.0: PascalCase method names, `taskId` + `id` for push configs, v1.0 shapes converted from the
// core's v0.3 values by @molecule/adapter-core/a2a.

const RULES: RevisionRules = {
  refuseFinishedTasks: true,
  sendResult: (result: Message | Task) =>
    JSON.stringify(result.kind === 'message' ? { message: toV1Message(result) } : { task: toV1Task(result) }),
  streamEvent: (event: StreamEvent) => JSON.stringify(toV1StreamEvent(event)),
  sendPushUrlField: 'params.configuration.taskPushNotificationConfig.url',
}

/** A v1.0 `TaskPushNotificationConfig` (`params` of Create…, or the one inside a send's configuration). */
function parseTaskPushConfigV1(raw: unknown): TaskPushNotificationConfig {
  const parsed = taskPushNotificationConfigV1Schema.safeParse(raw)
  if (!parsed.success) throw rpc.invalidParams(zodProblem(parsed.error, 'params'))
  return fromV1PushConfig(parsed.data as Parameters<typeof fromV1PushConfig>[0])
}

const SEND: SendDialect = {
  returnImmediately: (configuration) => configuration?.returnImmediately === true,
  pushConfig: (configuration) => {
    const raw = configuration?.taskPushNotificationConfig
    if (raw === undefined || raw === null) return undefined
    // The task does not exist yet: a placeholder id satisfies the schema and is dropped.
    return parseTaskPushConfigV1({ taskId: '-', ...(raw as object) }).pushNotificationConfig
  },
}

/** `ListTasks` params: `pageSize` 1…100 (default 50), filters, `pageToken`, `includeArtifacts`. */
function readListQuery(p: Params): ListQuery {
  const pageSize = optionalCount(p, 'pageSize', 'params.pageSize') ?? 50
  if (pageSize < 1 || pageSize > 100) throw rpc.invalidParams('params.pageSize must be 1…100')
  const historyLength = optionalCount(p, 'historyLength', 'params.historyLength')
  const contextId = optionalString(p, 'contextId')
  const status =
    typeof p.status === 'string' && p.status && p.status !== 'TASK_STATE_UNSPECIFIED'
      ? fromV1State(p.status)
      : undefined
  const statusTimestampAfter = optionalTimestamp(p.statusTimestampAfter)
  const cursor = readPageToken(p.pageToken)
  const includeArtifacts = p.includeArtifacts === true
  return { pageSize, historyLength, contextId, status, statusTimestampAfter, cursor, includeArtifacts }
}

export const v10: ProtocolRevision = {
  version: '1.0',
  acceptsVersion: /^1(\.0(\.\d+)?)?$/,
  methods: (core) => ({
    SendMessage: (call) => core.send(readSendParams(call, SEND, core.outputModes), RULES),

    SendStreamingMessage: async (call) => {
      core.requireStreaming()
      return core.stream(call.id, readSendParams(call, SEND, core.outputModes), RULES)
    },

    GetTask: async (call) => {
      const p = paramsObject(call.params)
      const id = requiredString(p, 'id')
      const historyLength = optionalCount(p, 'historyLength', 'params.historyLength')
      return JSON.stringify(toV1Task(await core.get(call.caller, id, historyLength)))
    },

    ListTasks: async (call) => {
      const p = call.params === undefined ? {} : paramsObject(call.params)
      core.requireListing()
      const { tasks, nextPageToken, pageSize, totalSize } = await core.list(call.caller, readListQuery(p))
      return JSON.stringify({ tasks: tasks.map(toV1Task), nextPageToken, pageSize, totalSize })
    },

    CancelTask: async (call) =>
      JSON.stringify(
        toV1Task(await core.cancel(call.caller, requiredString(paramsObject(call.params), 'id'))),
      ),

    SubscribeToTask: async (call) => {
      core.requireStreaming()
      return core.resubscribe(call.id, call.caller, requiredString(paramsObject(call.params), 'id'), RULES)
    },

    CreateTaskPushNotificationConfig: async (call) => {
      core.requirePush()
      const config = parseTaskPushConfigV1(call.params)
      return JSON.stringify(toV1PushConfig(await core.pushSet(call.caller, config, 'params.url')))
    },

    GetTaskPushNotificationConfig: async (call) => {
      core.requirePush()
      const p = paramsObject(call.params)
      const taskId = requiredString(p, 'taskId')
      return JSON.stringify(toV1PushConfig(await core.pushGet(call.caller, taskId, optionalString(p, 'id'))))
    },

    // Paged: `pageSize` (all when absent or 0) and `pageToken`.
    ListTaskPushNotificationConfigs: async (call) => {
      core.requirePush()
      const p = paramsObject(call.params)
      const configs = await core.pushList(call.caller, requiredString(p, 'taskId'))
      const { page, nextPageToken } = pageAfter(
        configs,
        (c) => c.pushNotificationConfig.id ?? '',
        optionalCount(p, 'pageSize', 'params.pageSize') || configs.length,
        readPageToken(p.pageToken),
        'params.pageToken names a config that no longer exists; list again from the first page',
      )
      return JSON.stringify({ configs: page.map(toV1PushConfig), nextPageToken })
    },

    DeleteTaskPushNotificationConfig: async (call) => {
      core.requirePush()
      const p = paramsObject(call.params)
      const taskId = requiredString(p, 'taskId')
      await core.pushDelete(call.caller, taskId, requiredString(p, 'id'))
      return '{}'
    },

    GetExtendedAgentCard: async () => JSON.stringify(core.extendedCard()),
  }),
}
