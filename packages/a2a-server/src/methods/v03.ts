import type { RevisionRules } from './core.js'
import type { ProtocolRevision } from './handler.js'
import { v03Json } from './message-json.js'
import {
  optionalCount,
  optionalString,
  paramsObject,
  parsePushConfig,
  parseTaskPushConfig,
  readSendParams,
  requiredString,
  type SendDialect,
} from './params.js'

// A2A v0.3 (what the Molecule platform speaks): slash-separated method names, `id` for the task in
// `tasks/*` params, v0.3 shapes as stored, so answers are the core's values as they are.

const RULES: RevisionRules = {
  // The engine refuses a message to a finished task (-32600); a subscription streams its snapshot, as
  // @a2a-js/sdk 0.3 servers do.
  refuseFinishedTasks: false,
  sendResult: v03Json,
  streamEvent: v03Json,
  sendPushUrlField: 'params.configuration.pushNotificationConfig.url',
}

const SEND: SendDialect = {
  returnImmediately: (configuration) => configuration?.blocking === false,
  pushConfig: (configuration) => {
    const raw = configuration?.pushNotificationConfig
    return raw === undefined || raw === null
      ? undefined
      : parsePushConfig(raw, 'params.configuration.pushNotificationConfig')
  },
}

export const v03: ProtocolRevision = {
  version: '0.3',
  acceptsVersion: /^0\.3(\.\d+)?$/,
  methods: (core) => ({
    // The hot path: no async wrapper of its own (see RpcHandler).
    'message/send': (call) => core.send(readSendParams(call, SEND, core.outputModes), RULES),

    'message/stream': async (call) => {
      core.requireStreaming()
      return core.stream(call.id, readSendParams(call, SEND, core.outputModes), RULES)
    },

    'tasks/get': async (call) => {
      const p = paramsObject(call.params)
      const id = requiredString(p, 'id')
      const historyLength = optionalCount(p, 'historyLength', 'params.historyLength')
      return JSON.stringify(await core.get(call.caller, id, historyLength))
    },

    'tasks/cancel': async (call) =>
      JSON.stringify(await core.cancel(call.caller, requiredString(paramsObject(call.params), 'id'))),

    'tasks/resubscribe': async (call) => {
      core.requireStreaming()
      return core.resubscribe(call.id, call.caller, requiredString(paramsObject(call.params), 'id'), RULES)
    },

    'tasks/pushNotificationConfig/set': async (call) => {
      core.requirePush()
      const config = parseTaskPushConfig(call.params)
      return JSON.stringify(await core.pushSet(call.caller, config, 'params.pushNotificationConfig.url'))
    },

    'tasks/pushNotificationConfig/get': async (call) => {
      core.requirePush()
      const p = paramsObject(call.params)
      const taskId = requiredString(p, 'id')
      const configId = optionalString(p, 'pushNotificationConfigId')
      return JSON.stringify(await core.pushGet(call.caller, taskId, configId))
    },

    // Every config at once: v0.3 does not page them.
    'tasks/pushNotificationConfig/list': async (call) => {
      core.requirePush()
      return JSON.stringify(await core.pushList(call.caller, requiredString(paramsObject(call.params), 'id')))
    },

    'tasks/pushNotificationConfig/delete': async (call) => {
      core.requirePush()
      const p = paramsObject(call.params)
      const taskId = requiredString(p, 'id')
      await core.pushDelete(call.caller, taskId, requiredString(p, 'pushNotificationConfigId'))
      return 'null'
    },

    'agent/getAuthenticatedExtendedCard': async () => JSON.stringify(core.extendedCard()),
  }),
}
