import type { HITLChannel } from '@molecule/config'
import type { Logger } from '@molecule/core'
import { type MailMessage, sendMail } from './smtp-client.js'

/** What a notification says about one approval request. */
export interface ApprovalNotice {
  approvalId: string
  workspaceId: string
  workspaceName?: string | undefined
  platformUrl: string
  action: string
  reason: string
}

export interface ChannelOptions {
  logger: Logger
  /** `SMTP_PASSWORD`: the e-mail channel's password when the channel sets none. */
  smtpPassword?: string | undefined
  /** Extra options of the SMTP TLS upgrade (a private CA). */
  smtpTls?: MailMessage['tls']
  /** The fetch used for Slack webhooks; default the global one. */
  fetch?: typeof fetch
}

/** `POST …/approvals/<id>/decide`: the one route that records a decision. */
export function decideUrl(notice: ApprovalNotice): string {
  const workspace = encodeURIComponent(notice.workspaceId)
  return `${notice.platformUrl}/workspaces/${workspace}/approvals/${encodeURIComponent(notice.approvalId)}/decide`
}

const DECIDE_BODY = '{"decision":"approved"|"denied","decided_by":"<your name>"}'

/**
 * The Slack Block Kit message of a request: who asks, for what and why, and Approve/Deny buttons whose `value`
 * carries the decide route and the decision for a Slack app's interactivity handler to post. The route itself is a
 * POST, so the message also spells out the request for anyone deciding without such an app.
 */
export function slackMessage(notice: ApprovalNotice): Record<string, unknown> {
  const who = notice.workspaceName || notice.workspaceId
  const url = decideUrl(notice)
  const button = (decision: 'approved' | 'denied', text: string, style: string) => ({
    type: 'button',
    text: { type: 'plain_text', text },
    style,
    action_id: `molecule_approval_${decision}`,
    value: JSON.stringify({ decide_url: url, decision, approval_id: notice.approvalId }),
  })
  return {
    text: `Approval required from ${who}: ${notice.action}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `Approval required: ${who}` } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Action*\n${notice.action}` },
          { type: 'mrkdwn', text: `*Reason*\n${notice.reason || '(none given)'}` },
          { type: 'mrkdwn', text: `*Approval ID*\n${notice.approvalId}` },
        ],
      },
      {
        type: 'actions',
        block_id: `molecule_approval_${notice.approvalId}`,
        elements: [button('approved', 'Approve', 'primary'), button('denied', 'Deny', 'danger')],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `Decide with \`POST ${url}\` and the body \`${DECIDE_BODY}\`` }],
      },
    ],
  }
}

export function emailText(notice: ApprovalNotice): string {
  return [
    `Workspace ${notice.workspaceName || notice.workspaceId} asks for a human decision.`,
    '',
    `Action:      ${notice.action}`,
    `Reason:      ${notice.reason || '(none given)'}`,
    `Approval ID: ${notice.approvalId}`,
    '',
    'Approve or deny it in the Molecule dashboard, or with the workspace token:',
    `  POST ${decideUrl(notice)}`,
    `  ${DECIDE_BODY}`,
    '',
    'A request nobody decides is denied automatically after 10 minutes.',
  ].join('\n')
}

/**
 * Tells every configured channel about a request. `dashboard` needs nothing (the platform shows pending requests);
 * `slack` posts to its webhook; `email` sends over SMTP. A channel that is misconfigured or fails is logged and
 * skipped: a notification never breaks the approval.
 */
export async function notifyChannels(
  channels: readonly HITLChannel[],
  notice: ApprovalNotice,
  options: ChannelOptions,
): Promise<void> {
  await Promise.all(channels.map((channel) => notifyOne(channel, notice, options)))
}

async function notifyOne(
  channel: HITLChannel,
  notice: ApprovalNotice,
  options: ChannelOptions,
): Promise<void> {
  const { logger } = options
  try {
    if (channel.type === 'slack') {
      if (!channel.webhook_url)
        return logger.warn({ channel: 'slack' }, 'slack channel has no webhook_url; skipped')
      const response = await (options.fetch ?? fetch)(channel.webhook_url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(slackMessage(notice)),
        signal: AbortSignal.timeout(10_000),
      })
      await response.body?.cancel().catch(() => {})
      if (!response.ok) logger.warn({ status: response.status }, 'slack webhook refused the approval message')
    } else if (channel.type === 'email') {
      if (!channel.smtp_host || !channel.from || !channel.to) {
        return logger.warn({ channel: 'email' }, 'email channel needs smtp_host, from and to; skipped')
      }
      await sendMail({
        host: channel.smtp_host,
        port: channel.smtp_port,
        from: channel.from,
        to: channel.to,
        subject: `[Molecule AI] Approval required: ${notice.action}`,
        text: emailText(notice),
        username: channel.username,
        password: channel.password ?? options.smtpPassword,
        ...(options.smtpTls ? { tls: options.smtpTls } : {}),
      })
    }
  } catch (err) {
    logger.warn({ channel: channel.type, err: (err as Error).message }, 'approval notification failed')
  }
}
