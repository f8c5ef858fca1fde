import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';

/** A message ready to go. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<notification-id@collegia>`: a message delivered twice (a worker died after sending) can be recognised. */
  messageId: string;
  /** The notification kind, as a header (`X-Collegia-Notification`), for filters. */
  kind: string;
}

/** Where mail goes: an SMTP server, or the local mailbox. */
export interface MailTransport {
  /** For logs: "smtp://host:port" or the mailbox directory (never a password). */
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Thrown by `send` when the server refused for good (5xx): retrying would not help. */
export class PermanentDeliveryError extends Error {}

/** What nodemailer sends: the message, its Message-ID, and headers saying it is automatic and of which kind. */
function message(mail: OutgoingMail) {
  return {
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Collegia-Notification': mail.kind },
  };
}

/**
 * SMTP through nodemailer with a small connection pool (`SMTP_URL`, e.g.
 * `smtp://user:pass@mail.example.org:587` or `smtps://…:465`; STARTTLS is used when offered).
 */
function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  if (!url.searchParams.has('maxConnections')) url.searchParams.set('maxConnections', '5');
  const transporter = createTransport(url.toString(), { from });
  return {
    description: `${url.protocol}//${url.hostname}:${url.port || (url.protocol === 'smtps:' ? 465 : 587)}`,
    async send(mail) {
      try {
        await transporter.sendMail(message(mail));
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500 && code < 600) throw new PermanentDeliveryError((error as Error).message);
        throw error;
      }
    },
    close() {
      transporter.close();
    },
  };
}

/**
 * Without `SMTP_URL` (development, the demo, tests that do not read mail): each message is written
 * as a `.eml` file to the local mailbox directory, readable with any mail client or a text editor.
 */
function mailboxTransport(directory: string, from: string): MailTransport {
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from });
  let ready: Promise<unknown> | null = null;
  return {
    description: directory,
    async send(mail) {
      ready ??= mkdir(directory, { recursive: true });
      await ready;
      const info = await transporter.sendMail(message(mail));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const id = mail.messageId.replace(/^<|@.*$/g, '');
      await writeFile(path.join(directory, `${stamp}-${mail.kind.toLowerCase()}-${id}.eml`), info.message as Buffer);
    },
    close() {
      transporter.close();
    },
  };
}

export function createMailTransport(options: { smtpUrl: string | null; from: string; mailDir: string }): MailTransport {
  return options.smtpUrl ? smtpTransport(options.smtpUrl, options.from) : mailboxTransport(options.mailDir, options.from);
}
