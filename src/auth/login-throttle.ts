import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Refusal } from '../shared/errors.js';
import { AuthReason, refuse } from './auth.reasons.js';
import {
  admission,
  forgettableAt,
  pruned,
  released,
  retryAfterMs,
  stateOf,
  withFailure,
  withSuccess,
  type ThrottlePolicy,
  type ThrottleState,
} from './throttle-policy.js';

/**
 * Login and registration throttling, kept in PostgreSQL (`login_throttle`): every instance on
 * the database counts into the same keys, and a restart forgets nothing. A login attempt counts
 * against three keys:
 *
 * - the email from this client address: 5 failures in 15 minutes lock it (30 s, doubling to 1 h).
 *   Failures from one address never lock the owner out on another;
 * - the email from every address together: a slower ceiling, 50 failures in an hour (15 min,
 *   doubling to 1 h), against guessing spread over many addresses;
 * - the client address on every email: 20 failures in 15 minutes (30 s, doubling to 1 h).
 *
 * A success clears the first two (once their delay has passed); an address's failures are left
 * to expire, so that an attacker with an account of their own cannot reset their address's count
 * by signing in to it. Registrations count per address: 10 in 10 minutes.
 *
 * Each attempt is admitted in one short transaction (the keys' rows locked, checked and marked
 * in flight) and settled in another once the password is checked; nothing is locked while the
 * password hashes (see throttle-policy.ts for how attempts in flight are counted).
 */
export const PAIR_POLICY: ThrottlePolicy = { threshold: 5, windowMs: 15 * 60_000, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000 };
export const ACCOUNT_POLICY: ThrottlePolicy = { threshold: 50, windowMs: 60 * 60_000, baseDelayMs: 15 * 60_000, maxDelayMs: 60 * 60_000 };
/** An office behind one NAT shares an address: allow more failures before locking it. */
export const ADDRESS_POLICY: ThrottlePolicy = { threshold: 20, windowMs: 15 * 60_000, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000 };
export const REGISTRATION_POLICY: ThrottlePolicy = {
  threshold: 10,
  windowMs: 10 * 60_000,
  baseDelayMs: 10 * 60_000,
  maxDelayMs: 60 * 60_000,
};

/** How long an attempt waits, at most, for attempts in flight that could lock its keys. */
const MAX_WAIT_MS = 10_000;
/** Rows nothing depends on any more are deleted every so many admissions. */
const PURGE_EVERY = 256;

/** One counter an attempt is held against. */
export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
  /** Whether a successful sign-in clears it. */
  clearedBySuccess: boolean;
  /** The refusal while it is locked. */
  refusal(seconds: number): Refusal;
}

function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

/** The keys of a login attempt, in the order their rows are locked (the same for everyone: no deadlock). */
export function loginKeys(
  email: string,
  address: string,
  policies = { pair: PAIR_POLICY, account: ACCOUNT_POLICY, address: ADDRESS_POLICY },
) {
  return [
    {
      key: `pair:${digest(email, address)}`,
      policy: policies.pair,
      clearedBySuccess: true,
      refusal: (s: number) =>
        refuse(AuthReason.SIGN_IN_LOCKED, `Too many failed sign-ins on this email from your address. Try again in ${s} s.`, {
          retryAfterSeconds: s,
        }),
    },
    {
      key: `account:${digest(email)}`,
      policy: policies.account,
      clearedBySuccess: true,
      refusal: (s: number) =>
        refuse(AuthReason.SIGN_IN_ACCOUNT_CEILING, `Too many failed sign-ins on this email, from several addresses. Try again in ${s} s.`, {
          retryAfterSeconds: s,
        }),
    },
    {
      key: `address:${digest(address)}`,
      policy: policies.address,
      clearedBySuccess: false,
      refusal: (s: number) =>
        refuse(AuthReason.SIGN_IN_ADDRESS_CEILING, `Too many failed sign-ins from your address. Try again in ${s} s.`, {
          retryAfterSeconds: s,
        }),
    },
  ] satisfies ThrottleKey[];
}

function registrationKey(address: string, policy: ThrottlePolicy): ThrottleKey {
  return {
    key: `register:${digest(address)}`,
    policy,
    clearedBySuccess: false,
    refusal: (s) =>
      refuse(AuthReason.REGISTRATIONS_LIMITED, `Too many registrations from your address. Try again in ${s} s.`, { retryAfterSeconds: s }),
  };
}

/** An attempt let through: what to settle once its outcome is known. */
export interface Admission {
  keys: readonly ThrottleKey[];
  startedAt: number;
}

type AdmissionVerdict = { kind: 'admitted'; startedAt: number } | { kind: 'refused'; key: ThrottleKey; ms: number } | { kind: 'busy' };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LoginThrottle {
  private admissions = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly policies = { pair: PAIR_POLICY, account: ACCOUNT_POLICY, address: ADDRESS_POLICY, registration: REGISTRATION_POLICY },
  ) {}

  /** The keys of a login attempt under this throttle's policies. */
  keysOf(email: string, address: string): ThrottleKey[] {
    return loginKeys(email, address, this.policies);
  }

  /**
   * Lets a login attempt through, marked in flight on each key; refuses it (RATE_LIMITED, with
   * the reason of the key that locks longest) when a key is locked. While attempts in flight
   * could still lock a key, waits for them (polling, up to 10 s).
   */
  async admit(em: EntityManager, keys: readonly ThrottleKey[]): Promise<Admission> {
    const started = Date.now();
    for (let pause = 5; ; pause = Math.min(pause * 2, 50)) {
      const verdict = await this.change<AdmissionVerdict>(em, keys, (states, now) => {
        let refused: { key: ThrottleKey; ms: number } | null = null;
        let busy = false;
        for (const [i, key] of keys.entries()) {
          const verdict = admission(states[i], key.policy, now);
          const ms = retryAfterMs(states[i], now);
          if (verdict === 'locked' && (!refused || ms > refused.ms)) refused = { key, ms };
          if (verdict === 'busy') busy = true;
        }
        if (refused) return { states: null, result: { kind: 'refused', ...refused } };
        if (busy) return { states: null, result: { kind: 'busy' } };
        return {
          states: states.map((state) => ({ ...state, inFlight: [...state.inFlight, now] })),
          result: { kind: 'admitted', startedAt: now },
        };
      });
      if (verdict.kind === 'admitted') return { keys, startedAt: verdict.startedAt };
      if (verdict.kind === 'refused') throw verdict.key.refusal(seconds(verdict.ms));
      if (Date.now() - started >= MAX_WAIT_MS) {
        throw refuse(AuthReason.SIGN_IN_CONGESTED, 'Too many sign-in attempts at once on this email. Try again in a second.', {
          retryAfterSeconds: 1,
        });
      }
      await sleep(pause + Math.random() * pause);
    }
  }

  /** Settles an admitted attempt: a failure counts on every key, a success clears the keys it clears. */
  async settle(em: EntityManager, admitted: Admission, outcome: 'failure' | 'success' | 'abandoned'): Promise<void> {
    await this.change(em, admitted.keys, (states, now) => ({
      states: states.map((state, i) => {
        const key = admitted.keys[i];
        const done = released(state, admitted.startedAt);
        if (outcome === 'failure') return withFailure(done, key.policy, now);
        if (outcome === 'success' && key.clearedBySuccess) return withSuccess(done);
        return done;
      }),
      result: undefined,
    }));
  }

  /** Counts a registration from `address`; refuses it (RATE_LIMITED) past the address's limit. */
  async countRegistration(em: EntityManager, address: string): Promise<void> {
    const key = registrationKey(address, this.policies.registration);
    const refusedForMs = await this.change(em, [key], ([state], now) => {
      const wait = retryAfterMs(state, now);
      return wait > 0 ? { states: null, result: wait } : { states: [withFailure(state, key.policy, now)], result: 0 };
    });
    if (refusedForMs > 0) throw key.refusal(seconds(refusedForMs));
  }

  /**
   * Locks the keys' rows (creating them), hands their pruned states to `decide`, writes the
   * states it returns (none: nothing to write), in one short transaction.
   */
  private async change<T>(
    em: EntityManager,
    keys: readonly ThrottleKey[],
    decide: (states: ThrottleState[], now: number) => { states: ThrottleState[] | null; result: T },
  ): Promise<T> {
    const now = this.now();
    const purge = ++this.admissions % PURGE_EVERY === 0;
    return em.transactional(async (tx) => {
      const rows = await tx.execute<{ key: string; state: Partial<ThrottleState> }[]>(
        `insert into login_throttle (key, state, expires_at) values ${keys.map(() => `(?, '{}'::jsonb, ?)`).join(', ')}
         on conflict (key) do update set key = excluded.key
         returning key, state`,
        keys.flatMap((key) => [key.key, new Date(now)]),
      );
      const byKey = new Map(rows.map((row) => [row.key, row.state]));
      const states = keys.map((key) => pruned(stateOf(byKey.get(key.key)), key.policy, now));
      const { states: changed, result } = decide(states, now);
      if (changed) {
        await tx.execute(
          `update login_throttle t set state = v.state::jsonb, expires_at = v.expires_at::timestamptz
             from (values ${keys.map(() => '(?, ?, ?)').join(', ')}) as v(key, state, expires_at)
            where t.key = v.key`,
          keys.flatMap((key, i) => [key.key, JSON.stringify(changed[i]), new Date(forgettableAt(changed[i], key.policy))]),
        );
      }
      if (purge) await tx.execute('delete from login_throttle where expires_at < ?', [new Date(now)]);
      return result;
    });
  }
}
