import { describeError, type MoleculeErrorOptions } from '@molecule/core'
import { RuntimeError } from '../runtime-error.js'

/** A boot step that cannot go on: the CLI prints it as plain text (no stack) and exits with `exitCode`. */
export class BootFailure extends RuntimeError {
  constructor(
    code: string,
    message: string,
    readonly exitCode = 1,
    options?: MoleculeErrorOptions,
  ) {
    super(code, message, options)
  }
}

/**
 * Turns whatever a boot step threw into a `BootFailure`: the error's own `code` when it has one (config and adapter
 * errors do), else `fallbackCode`; the message is the error's text with its fix, optionally set in context.
 */
export function bootFailure(
  err: unknown,
  fallbackCode: string,
  explain: (detail: string) => string = (detail) => detail,
): BootFailure {
  if (err instanceof BootFailure) return err
  const own = (err as { code?: unknown } | null)?.code
  const code = typeof own === 'string' && own ? own : fallbackCode
  return new BootFailure(code, explain(describeError(err)), 1, { cause: err })
}
