import type { Adapter } from '@molecule/adapter-core'

/** Answers every message with the text it received. The adapter for demos, tests and the boot benchmark. */
export const echoAdapter: Adapter = {
  name: 'echo',
  displayName: 'Echo',
  description: 'Replies with the text of the message it received.',
  createExecutor: () => (ctx) =>
    ctx.text.length > 0 ? ctx.text : 'Error: message contained no text content.',
}
