export { knownSecrets, MIN_KNOWN_SECRET_LENGTH, rememberEnvSecrets, rememberSecret } from './known-secrets.js'
export { type LogFn, type Logger, silentLogger } from './logger.js'
export { describeError, isMoleculeError, MoleculeError, type MoleculeErrorOptions } from './molecule-error.js'
export { CENSOR, excerptHead, maskKnownSecrets, maskSecrets, REDACT_KEYS, redactPaths } from './redact.js'
