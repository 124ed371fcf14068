export { type CreateLoggerOptions, createLogger, type PinoLogger } from './create-logger.js'
