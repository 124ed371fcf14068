import { z } from 'zod'

/**
 * zod schemas for the A2A inputs that are parsed off the hot path (push-notification configs,
 * agent cards supplied by apps). The per-request message path uses `normalizeMessage` instead.
 */

export const pushNotificationConfigSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  id: z.string().min(1).max(256).optional(),
  token: z.string().max(4096).optional(),
  authentication: z.object({ schemes: z.array(z.string()), credentials: z.string().optional() }).optional(),
})

export const taskPushNotificationConfigSchema = z.object({
  taskId: z.string().min(1),
  pushNotificationConfig: pushNotificationConfigSchema,
})

/** v1.0 `TaskPushNotificationConfig` (flat). */
export const taskPushNotificationConfigV1Schema = z.object({
  taskId: z.string().min(1),
  id: z.string().max(256).optional(),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  token: z.string().max(4096).optional(),
  authentication: z.object({ scheme: z.string(), credentials: z.string().optional() }).optional(),
  tenant: z.string().optional(),
})

export const agentSkillSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  examples: z.array(z.string()).optional(),
  inputModes: z.array(z.string()).optional(),
  outputModes: z.array(z.string()).optional(),
})

export const agentCardSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string(),
  version: z.string().min(1),
  url: z.string().min(1),
  protocolVersion: z.string().optional(),
  preferredTransport: z.string().optional(),
  capabilities: z.looseObject({
    streaming: z.boolean().optional(),
    pushNotifications: z.boolean().optional(),
    stateTransitionHistory: z.boolean().optional(),
  }),
  defaultInputModes: z.array(z.string()),
  defaultOutputModes: z.array(z.string()),
  skills: z.array(agentSkillSchema),
})
