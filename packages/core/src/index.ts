export { type LogFn, type Logger, silentLogger } from './logger.js'
export { describeError, isMoleculeError, MoleculeError, type MoleculeErrorOptions } from './molecule-error.js'
export { CENSOR, excerptHead, maskSecrets, REDACT_KEYS, redactPaths } from './redact.js'
