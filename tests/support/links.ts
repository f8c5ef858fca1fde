import type { TestSmtpServer, ReceivedMail } from './smtp.js';
import type { TestApp } from './test-app.js';

/** The token of the newest link to `page` mailed to `email` (what a browser reads after `#token=`). */
export function linkToken(smtp: TestSmtpServer, email: string, page: 'reset-password' | 'verify-email'): string {
  const mails = smtp.to(email).filter((mail) => mail.text.includes(`/${page}#token=`));
  const newest = mails.at(-1);
  if (!newest) throw new Error(`no ${page} mail to ${email}`);
  return tokenIn(newest, page);
}

export function tokenIn(mail: ReceivedMail, page: string): string {
  const match = new RegExp(`/${page}#token=([^\\s"<>]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${page} link in the mail`);
  return decodeURIComponent(match[1]);
}

/** Delivers what the outbox holds now, through the real SMTP server. */
export async function deliver(app: TestApp): Promise<void> {
  await app.collegia.notifications.worker.drain();
}

/**
 * Everything a link refusal must leave as it was: accounts (password hash, verification, state),
 * links, sessions, the outbox and the audit trail.
 */
export async function writtenState(app: TestApp): Promise<string> {
  const [accounts, tokens, sessions, outbox, audit] = await Promise.all([
    app.sql('select id, password_hash, email_verified_at, disabled, updated_at from account order by id'),
    app.sql('select id, used_at, superseded_at, updated_at from account_token order by id'),
    app.sql('select id, revoked_at from session order by id'),
    app.sql('select count(*)::int as n from notification'),
    app.sql('select coalesce(max(seq), 0)::int as seq from audit_entry'),
  ]);
  return JSON.stringify({ accounts, tokens, sessions, outbox, audit });
}
