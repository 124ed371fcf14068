// `@molecule/adapter-core/runtime`: what a program hosting adapters needs — finding and loading one, driving its
// executor to an outcome, and the ids and wire names the servers use. Template authors never need this entry.
export type { RuntimeCapabilitiesWire } from '../adapter.js'
export { capabilitiesToWire } from '../adapter.js'
export { uuidV4 } from '../ids.js'
export { AdapterLoadError, type AdapterLoadErrorCode } from './adapter-load-error.js'
export {
  type AdapterCheckIssue,
  type BuiltinAdapter,
  checkAdapterForPreflight,
  type LoadAdapterOptions,
  type LoadedAdapter,
  loadAdapter,
  toAdapter,
} from './discovery.js'
export { replyMessage, runExecutor, type TaskEventSink, type TaskOutcome } from './run-executor.js'
