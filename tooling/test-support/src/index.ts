export { sdkTextRequest } from './a2a-sdk.js'
export { runBinShim } from './bin-shim.js'
export { launchChromium, SYSTEM_CHROMIUM, type TestBrowser } from './browser.js'
export { freePort } from './ports.js'
export { PG_URL_VARIABLE, type TestPostgres, testPostgres } from './postgres.js'
export { prng, seededInts } from './prng.js'
export { type LogLine, type RecordingLogger, recordingLogger } from './recording-logger.js'
export {
  credentialSamples,
  leakedPiece,
  readableSamples,
  type SecretSample,
  workspaceTokens,
} from './secret-samples.js'
export { settledAgainDuring } from './settled-again.js'
export { until } from './until.js'
