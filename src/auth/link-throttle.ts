import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthReason, refuse } from './auth.reasons.js';
import { forgettableAt, pruned, retryAfterMs, stateOf, withFailure, withSuccess, type ThrottlePolicy } from './throttle-policy.js';

/**
 * How often single-use links may be asked for, kept with the login throttle's counters
 * (`login_throttle`, shared by every instance, SHA-256 digests only) and by its rule
 * (throttle-policy.ts): within a window, `threshold` requests go through, the last of them locks
 * the key for `baseDelayMs`, doubling while requests go on (at most `maxDelayMs`). A refused
 * request writes nothing.
 *
 * A reset is counted on the email as typed (normalised), before anyone looks for an account: the
 * count, and so the refusal, are the same for an email that has an account and one that has not.
 */
export const RESET_EMAIL_POLICY: ThrottlePolicy = {
  threshold: 3,
  windowMs: 60 * 60_000,
  baseDelayMs: 15 * 60_000,
  maxDelayMs: 60 * 60_000,
};
/** An office behind one NAT shares an address. */
export const RESET_ADDRESS_POLICY: ThrottlePolicy = {
  threshold: 10,
  windowMs: 15 * 60_000,
  baseDelayMs: 15 * 60_000,
  maxDelayMs: 60 * 60_000,
};
export const VERIFICATION_RESEND_POLICY: ThrottlePolicy = {
  threshold: 3,
  windowMs: 60 * 60_000,
  baseDelayMs: 15 * 60_000,
  maxDelayMs: 60 * 60_000,
};

interface CountedKey {
  key: string;
  policy: ThrottlePolicy;
}

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex');
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Counts a password-reset request; refuses it (RATE_LIMITED, PASSWORD_RESETS_LIMITED) past either limit. */
export async function countResetRequest(em: EntityManager, now: number, email: string, address: string): Promise<void> {
  const keys = [
    { key: `reset-email:${digest('reset', email)}`, policy: RESET_EMAIL_POLICY },
    { key: `reset-address:${digest('reset', address)}`, policy: RESET_ADDRESS_POLICY },
  ];
  const wait = await count(em, now, keys);
  if (wait > 0) {
    throw refuse(AuthReason.PASSWORD_RESETS_LIMITED, `Too many password reset requests. Try again in ${seconds(wait)} s.`, {
      retryAfterSeconds: seconds(wait),
    });
  }
}

/** Counts a new verification link for `accountId`; refuses it (RATE_LIMITED, VERIFICATION_EMAILS_LIMITED) past the limit. */
export async function countVerificationResend(em: EntityManager, now: number, accountId: string): Promise<void> {
  const wait = await count(em, now, [{ key: `verify-resend:${digest('verify', accountId)}`, policy: VERIFICATION_RESEND_POLICY }]);
  if (wait > 0) {
    throw refuse(AuthReason.VERIFICATION_EMAILS_LIMITED, `Too many verification links asked for. Try again in ${seconds(wait)} s.`, {
      retryAfterSeconds: seconds(wait),
    });
  }
}

/**
 * Clears the failures and locks of login throttle keys (a password just reset by its owner: their
 * sign-in must not stay locked by the guesses that came before). Rows are locked one by one in the
 * order given — the login throttle's own order (LoginThrottle.keysOf), so that a sign-in counting
 * on the same keys at that moment cannot deadlock with this. Keys without a row are left so.
 */
export async function clearThrottleKeys(em: EntityManager, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await em.transactional(async (tx) => {
    for (const key of keys) {
      const [row] = await tx.execute<{ state: Record<string, unknown> }[]>('select state from login_throttle where key = ? for update', [
        key,
      ]);
      if (row)
        await tx.execute('update login_throttle set state = ?::jsonb where key = ?', [
          JSON.stringify(withSuccess(stateOf(row.state))),
          key,
        ]);
    }
  });
}

/**
 * In one short transaction, locks the keys' rows (creating them) in a fixed order; when one of
 * them is locked, answers how long to wait and writes nothing; otherwise counts the request on
 * every key and answers 0.
 */
async function count(em: EntityManager, now: number, keys: readonly CountedKey[]): Promise<number> {
  const ordered = [...keys].sort((a, b) => a.key.localeCompare(b.key));
  return em.transactional(async (tx) => {
    const rows = await tx.execute<{ key: string; state: Record<string, unknown> }[]>(
      `insert into login_throttle (key, state, expires_at) values ${ordered.map(() => `(?, '{}'::jsonb, ?)`).join(', ')}
       on conflict (key) do update set key = excluded.key
       returning key, state`,
      ordered.flatMap((key) => [key.key, new Date(now)]),
    );
    const byKey = new Map(rows.map((row) => [row.key, row.state]));
    const states = ordered.map((key) => pruned(stateOf(byKey.get(key.key)), key.policy, now));
    const wait = Math.max(...states.map((state) => retryAfterMs(state, now)));
    if (wait > 0) return wait;
    const counted = states.map((state, i) => withFailure(state, ordered[i].policy, now));
    await tx.execute(
      `update login_throttle t set state = v.state::jsonb, expires_at = v.expires_at::timestamptz
         from (values ${ordered.map(() => '(?, ?, ?)').join(', ')}) as v(key, state, expires_at)
        where t.key = v.key`,
      ordered.flatMap((key, i) => [key.key, JSON.stringify(counted[i]), new Date(forgettableAt(counted[i], key.policy))]),
    );
    return 0;
  });
}
