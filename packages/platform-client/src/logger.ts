export { type Logger, silentLogger } from '@molecule/core'
