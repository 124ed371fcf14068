import net from 'node:net'
import { hostname } from 'node:os'
import tls from 'node:tls'
import { MoleculeError } from '@molecule/core'

export interface MailMessage {
  host: string
  /** Default 587. */
  port?: number
  from: string
  /** One address or several, comma-separated. */
  to: string
  subject: string
  text: string
  username?: string | undefined
  password?: string | undefined
  /** Extra options of the TLS upgrade (a private CA, test ciphers). */
  tls?: tls.ConnectionOptions
  /** Bound on the whole exchange. Default 30 000 ms. */
  timeoutMs?: number
}

/** An SMTP exchange that failed: the server's reply or the connection problem, never the password. */
export class SmtpError extends MoleculeError {}

/** Reads SMTP replies (`250-…` continuation lines up to `250 …`) from whichever socket is current. */
class ReplyReader {
  #buffer = ''
  #lines: string[] = []
  #waiter: (() => void) | undefined
  #failure: Error | undefined

  attach(socket: net.Socket | tls.TLSSocket): void {
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      this.#buffer += chunk
      let end = this.#buffer.indexOf('\n')
      while (end >= 0) {
        this.#lines.push(this.#buffer.slice(0, end).replace(/\r$/, ''))
        this.#buffer = this.#buffer.slice(end + 1)
        end = this.#buffer.indexOf('\n')
      }
      this.#wake()
    })
  }

  fail(err: Error): void {
    this.#failure ??= err
    this.#wake()
  }

  #wake(): void {
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.()
  }

  async reply(): Promise<{ code: number; text: string }> {
    const lines: string[] = []
    for (;;) {
      const line = this.#lines.shift()
      if (line === undefined) {
        if (this.#failure) throw this.#failure
        await new Promise<void>((resolve) => {
          this.#waiter = resolve
        })
        continue
      }
      lines.push(line.slice(4))
      if (line[3] !== '-') return { code: Number(line.slice(0, 3)), text: lines.join('\n') }
    }
  }
}

/** Header values on one line: a CR or LF in a subject or address must not start a new header. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ')
}

/**
 * Sends one plain-text message over SMTP: STARTTLS whenever the server offers it, then `AUTH PLAIN` when a user name
 * is set. Credentials are never sent over a connection that is not encrypted: without STARTTLS a message with a
 * user name is refused, one without is delivered in the clear (an internal relay).
 */
export async function sendMail(message: MailMessage): Promise<void> {
  const port = message.port ?? 587
  const recipients = message.to
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
  const reader = new ReplyReader()
  let socket: net.Socket | tls.TLSSocket = net.createConnection({ host: message.host, port })
  const timer = setTimeout(
    () => reader.fail(new SmtpError('SMTP_TIMEOUT', `SMTP ${message.host}:${port} did not finish in time`)),
    message.timeoutMs ?? 30_000,
  )
  const onError = (err: Error) =>
    reader.fail(
      new SmtpError('SMTP_CONNECTION', `SMTP ${message.host}:${port}: ${err.message}`, { cause: err }),
    )
  socket.on('error', onError)
  reader.attach(socket)
  const expect = async (codes: number[], what: string) => {
    const reply = await reader.reply()
    if (!codes.includes(reply.code)) {
      throw new SmtpError(
        'SMTP_REJECTED',
        `SMTP ${message.host}:${port} refused ${what}: ${reply.code} ${reply.text}`,
      )
    }
    return reply
  }
  const send = (line: string) => socket.write(`${line}\r\n`)
  try {
    await expect([220], 'the connection')
    send(`EHLO ${hostname() || 'localhost'}`)
    let features = (await expect([250], 'EHLO')).text
    let encrypted = false
    if (/^STARTTLS\b/im.test(features)) {
      send('STARTTLS')
      await expect([220], 'STARTTLS')
      const plain = socket
      socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
        const secure = tls.connect({ socket: plain, servername: message.host, ...message.tls }, () =>
          resolve(secure),
        )
        secure.once('error', reject)
      })
      socket.on('error', onError)
      reader.attach(socket)
      encrypted = true
      send(`EHLO ${hostname() || 'localhost'}`)
      features = (await expect([250], 'EHLO after STARTTLS')).text
    }
    if (message.username) {
      if (!encrypted) {
        throw new SmtpError(
          'SMTP_NO_TLS',
          `SMTP ${message.host}:${port} offers no STARTTLS; credentials are never sent unencrypted`,
          { fix: 'Use a server that supports STARTTLS, or drop username/password for an internal relay.' },
        )
      }
      const credentials = Buffer.from(`\0${message.username}\0${message.password ?? ''}`).toString('base64')
      send(`AUTH PLAIN ${credentials}`)
      await expect([235], 'the login')
    }
    send(`MAIL FROM:<${oneLine(message.from)}>`)
    await expect([250], 'the sender')
    for (const to of recipients) {
      send(`RCPT TO:<${oneLine(to)}>`)
      await expect([250, 251], `recipient ${to}`)
    }
    send('DATA')
    await expect([354], 'DATA')
    const body = message.text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')
    const headers = [
      `From: ${oneLine(message.from)}`,
      `To: ${recipients.map(oneLine).join(', ')}`,
      `Subject: ${oneLine(message.subject)}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    ]
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body}\r\n.\r\n`)
    await expect([250], 'the message')
    send('QUIT')
    await reader.reply().catch(() => undefined)
  } finally {
    clearTimeout(timer)
    socket.destroy()
  }
}
