import { randomUUID } from 'node:crypto'
import { Role } from '@a2a-js/sdk'

/** The official `@a2a-js/sdk` v1 send request for one text message, with every field the SDK's types require. */
export function sdkTextRequest(text: string, options: { taskId?: string; role?: 'user' | 'agent' } = {}) {
  const role = options.role ?? 'user'
  return {
    tenant: '',
    message: {
      messageId: randomUUID(),
      contextId: '',
      taskId: options.taskId ?? '',
      role: role === 'user' ? Role.ROLE_USER : Role.ROLE_AGENT,
      parts: [
        {
          content: { $case: 'text' as const, value: text },
          metadata: undefined,
          filename: '',
          mediaType: '',
        },
      ],
      metadata: undefined,
      extensions: [],
      referenceTaskIds: [],
    },
    configuration: undefined,
    metadata: undefined,
  }
}
