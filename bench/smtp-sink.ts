/**
 * The SMTP server of `npm run bench:notifications`, run as its child process (never on its own):
 * a real SMTP server (the `smtp-server` package) on a free 127.0.0.1 port that accepts every
 * message once it has read it whole, and counts what it received — messages, distinct Message-IDs,
 * distinct recipients, notification kinds. A process of its own, as a mail server is: its parsing
 * is not counted against the app's delivery. It reports its port over IPC, answers `stats`
 * requests, and exits when its parent goes away.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type SinkRequest = { type: 'stats' } | { type: 'reset' };

export type SinkMessage =
  | { type: 'ready'; port: number }
  | {
      type: 'stats';
      messages: number;
      distinctMessageIds: number;
      distinctRecipients: number;
      kinds: Record<string, number>;
      /** The first message received, raw (RFC 5322), for the parent to parse and check. */
      first: string | null;
    };

let messages = 0;
let messageIds = new Set<string>();
let recipients = new Set<string>();
let kinds: Record<string, number> = {};
let first: string | null = null;

/** A header's value from the raw header block (unfolded), or null. */
function header(head: string, name: string): string | null {
  const match = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
  return match ? match[1].replace(/\r?\n[ \t]+/g, ' ').trim() : null;
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const head = raw.slice(0, Math.max(0, raw.search(/\r?\n\r?\n/)));
      messages += 1;
      first ??= raw;
      const id = header(head, 'Message-ID');
      if (id) messageIds.add(id);
      for (const rcpt of session.envelope.rcptTo) recipients.add(rcpt.address.toLowerCase());
      const kind = header(head, 'X-Collegia-Notification') ?? '(none)';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      callback();
    });
  },
});

function send(message: SinkMessage): void {
  process.send?.(message);
}

process.on('message', (request: SinkRequest) => {
  if (request.type === 'reset') {
    messages = 0;
    messageIds = new Set();
    recipients = new Set();
    kinds = {};
    first = null;
  }
  send({
    type: 'stats',
    messages,
    distinctMessageIds: messageIds.size,
    distinctRecipients: recipients.size,
    kinds,
    first,
  });
});
process.on('disconnect', () => process.exit(0));

if (!process.send) throw new Error('bench/smtp-sink.ts runs as a child of bench/notifications.ts (it needs an IPC channel)');
server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.server.address() as AddressInfo).port }));
