import { readFile, stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { isPlatformError, type NotifyAttachment } from '@molecule/platform-client'
import { z } from 'zod'
import { isResolutionError, resolveActing } from './acting-workspace.js'
import { describeFailure } from './platform-failure.js'
import { defineTool, type Tool } from './registry.js'

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

const MIME_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.html': 'text/html',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
}

export function guessMimeType(fileName: string): string {
  return MIME_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream'
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

export function messagingTools(): Tool[] {
  const broadcastMessage = defineTool({
    name: 'broadcast_message',
    description:
      'Send one message to every workspace in your organisation (needs broadcast enabled for the workspace).',
    input: z.object({
      message: z.string().describe('The text to broadcast.'),
      workspace_id: z
        .string()
        .optional()
        .describe('Which of your workspaces sends it (multi-workspace mode).'),
    }),
    async run(ctx, input) {
      if (!input.message.trim()) return 'Error: message is required'
      const acting = resolveActing(ctx, { explicit: input.workspace_id })
      if (isResolutionError(acting)) return acting.error
      try {
        const res = await acting.client.broadcast({ message: input.message }, { signal: ctx.signal })
        return `Broadcast sent to ${typeof res.delivered === 'number' ? res.delivered : 0} workspace(s)`
      } catch (err) {
        if (isPlatformError(err) && err.status === 403) {
          const hint = err.serverHint ? ` (${err.serverHint})` : ''
          return `Error: broadcasting is not enabled for workspace ${acting.id}${hint}`
        }
        if (isPlatformError(err) && err.code === 'PLATFORM_HTTP') {
          return `Error: platform returned ${err.status}: ${err.serverError ?? err.bodyExcerpt ?? ''}`
        }
        return `Error: ${describeFailure(err, acting.client.platformUrl)}`
      }
    },
  })

  const sendMessageToUser = defineTool({
    name: 'send_message_to_user',
    description:
      "Message the human on the canvas (answers a canvas_user message). Files go in attachments as local paths (max 25 MB each), never as URLs in the text. workspace_id should be the inbound message's arrival_workspace_id.",
    input: z.object({
      message: z.string().describe('The text to show the user.'),
      attachments: z.array(z.string()).optional().describe('Absolute paths of local files to attach.'),
      workspace_id: z
        .string()
        .optional()
        .describe(
          "Which workspace's canvas (multi-workspace mode): the arrival_workspace_id of the message you answer.",
        ),
    }),
    async run(ctx, input) {
      if (!input.message.trim()) return 'Error: message is required'
      const acting = resolveActing(ctx, {
        explicit: input.workspace_id,
        fallback: ctx.workspaces?.userReplyWorkspace?.(),
      })
      if (isResolutionError(acting)) return acting.error
      const paths = input.attachments ?? []
      const files: { name: string; data: Uint8Array; mimeType: string }[] = []
      for (const path of paths) {
        if (typeof path !== 'string' || path.trim() === '')
          return 'Error: every attachment must be a non-empty file path'
        let size: number
        try {
          const info = await stat(path)
          if (!info.isFile()) return `Error: attachment ${path} is not a file`
          size = info.size
        } catch {
          return `Error: attachment ${path} does not exist`
        }
        if (size > MAX_ATTACHMENT_BYTES) return `Error: attachment ${path} is larger than 25 MB`
        files.push({ name: basename(path), data: await readFile(path), mimeType: guessMimeType(path) })
      }
      let attachments: NotifyAttachment[] = []
      if (files.length > 0) {
        try {
          const uploaded = await acting.client.uploadChatFiles(files, {
            signal: ctx.signal,
            timeoutMs: 60_000,
          })
          if (uploaded.files.length !== files.length) {
            return `Error: the platform stored ${uploaded.files.length} of ${files.length} attachment(s); nothing was sent`
          }
          attachments = uploaded.files.map((f) => {
            const a: NotifyAttachment = { uri: f.uri, name: f.name }
            if (typeof f.mimeType === 'string') a.mimeType = f.mimeType
            if (typeof f.size === 'number') a.size = f.size
            return a
          })
        } catch (err) {
          return `Error: uploading attachments failed: ${describeFailure(err, acting.client.platformUrl)}`
        }
      }
      try {
        await acting.client.notify({ message: input.message, attachments }, { signal: ctx.signal })
      } catch (err) {
        if (
          isPlatformError(err) &&
          err.status === 403 &&
          /talk_to_user_disabled/.test(err.bodyExcerpt ?? '')
        ) {
          return 'Error: this workspace may not talk to the user directly (talk_to_user_disabled). Delegate the message to your parent workspace with delegate_task instead.'
        }
        if (isPlatformError(err) && err.status !== undefined) return `Error: platform returned ${err.status}`
        return `Error sending message: ${describeFailure(err, acting.client.platformUrl)}`
      }
      return attachments.length > 0
        ? `Message sent to user with ${attachments.length} attachment(s)`
        : 'Message sent to user'
    },
  })

  const chatHistory = defineTool({
    name: 'chat_history',
    description:
      'Earlier messages between you and one peer (oldest first). Use before_ts (RFC3339) to page further back.',
    input: z.object({
      peer_id: z.string().describe('The peer workspace id.'),
      limit: z.number().int().optional().describe('How many rows (default 20, max 500).'),
      before_ts: z.string().optional().describe('Only rows strictly older than this RFC3339 timestamp.'),
      source_workspace_id: z.string().optional().describe('Which of your workspaces (multi-workspace mode).'),
    }),
    async run(ctx, input) {
      const peer = input.peer_id.trim().toLowerCase()
      if (!peer) return 'Error: peer_id is required'
      if (input.before_ts && !RFC3339.test(input.before_ts)) {
        return `Error: before_ts '${input.before_ts}' is not an RFC3339 timestamp (e.g. 2026-05-01T12:00:00Z)`
      }
      const limit = Math.min(Math.max(input.limit ?? 20, 1), 500)
      const acting = resolveActing(ctx, {
        explicit: input.source_workspace_id,
        peerId: peer,
        selectorArg: 'source_workspace_id',
      })
      if (isResolutionError(acting)) return acting.error
      try {
        const rows = await acting.client.listActivity(
          { peerId: peer, limit, ...(input.before_ts ? { beforeTs: input.before_ts } : {}) },
          { signal: ctx.signal },
        )
        return JSON.stringify([...rows].reverse(), null, 2)
      } catch (err) {
        if (isPlatformError(err) && err.code === 'PLATFORM_HTTP') {
          return `Error: ${err.serverError ?? err.bodyExcerpt ?? 'request failed'} (HTTP ${err.status})`
        }
        return `Error: ${describeFailure(err, acting.client.platformUrl)}`
      }
    },
  })

  return [broadcastMessage, sendMessageToUser, chatHistory] as Tool[]
}
