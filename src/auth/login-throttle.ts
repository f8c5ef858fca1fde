import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Refusal } from '../shared/errors.js';
import { queryPrepared, type PositionalStatement } from '../shared/sql-script.js';
import { AuthReason, refuse } from './auth.reasons.js';
import {
  admission,
  EMPTY_STATE,
  forgettableAt,
  headroom,
  IN_FLIGHT_TTL_MS,
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
 * Each attempt is admitted before its password is checked and settled after; nothing is locked
 * while the password hashes (see throttle-policy.ts for how attempts in flight are counted). Nor
 * is anything locked while this process is busy elsewhere: every change is **one statement**,
 * whose row locks last only as long as PostgreSQL takes to run it, so that the sign-ins of one
 * address (an office behind a proxy) never queue behind each other's round trips:
 *
 * - admitting reads the keys' states (no lock), decides in TypeScript — refused, wait, or how
 *   many attempts each key may have in flight (`headroom`) — then marks the attempt in flight on
 *   every key in one conditional statement: on each row, only if its failures and lock are still
 *   those that were read and fewer attempts than its headroom are in flight. A key that changed
 *   meanwhile (a failure counted, a success clearing it) or filled up is looked at again;
 * - a success (or an abandoned attempt) releases its marks, and clears the keys a success clears,
 *   in one unconditional statement: it reads nothing, so it never waits or retries;
 * - a failure is counted on each key by the same read, then one statement writing each key's new
 *   failures and lock only if they are still those read (else that key is read again).
 *
 * So attempts in flight are counted exactly as a lock would count them, failures one by one, and
 * successes from one address run side by side.
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
/** How many times a failure is written conditionally before it is written under its rows' locks. */
const MAX_FAILURE_TRIES = 20;
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

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A key's row as read: its state as stored (null: no row), and the part of it that is not attempts in flight. */
interface StoredKey {
  state: ThrottleState;
  /** The stored state without `inFlight`, in PostgreSQL's own text (exact, whatever it holds): what a conditional write compares. */
  rest: string;
}

/** A row as read (none: the empty state, which a row created meanwhile starts from). */
function stored(row: { state: Partial<ThrottleState>; rest: string } | undefined): StoredKey {
  return { state: stateOf(row?.state), rest: row?.rest ?? '{}' };
}

/** The state without `inFlight`, as written. */
function restOf(state: ThrottleState): string {
  const { inFlight: _inFlight, ...rest } = state;
  return JSON.stringify(rest);
}

/** The SQL of a row's attempts in flight (jsonb array of start times) still alive after `cutoff` (a parameter). */
const LIVE_IN_FLIGHT = `(select e from jsonb_array_elements(coalesce(t.state->'inFlight', '[]'::jsonb)) as e where e::numeric > ?::numeric)`;

/** The SQL of a row's attempts in flight without the first that started at the parameter (released). */
const RELEASED_IN_FLIGHT = `coalesce(t.state->'inFlight', '[]'::jsonb) - coalesce(
  (select (i - 1)::int from jsonb_array_elements(coalesce(t.state->'inFlight', '[]'::jsonb)) with ordinality as f(e, i)
    where e = to_jsonb(?::numeric) order by i limit 1), 2147483647)`;

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
    if (++this.admissions % PURGE_EVERY === 0)
      await this.run(em, { sql: 'delete from login_throttle where expires_at < ?', params: [new Date(this.now())] });
    for (let pause = 5; ;) {
      const now = this.now();
      const read = await this.read(em, keys);
      const states = read.map((row, i) => pruned(row.state, keys[i].policy, now));
      let refused: { key: ThrottleKey; ms: number } | null = null;
      let busy = false;
      for (const [i, key] of keys.entries()) {
        const verdict = admission(states[i], key.policy, now);
        const ms = retryAfterMs(states[i], now);
        if (verdict === 'locked' && (!refused || ms > refused.ms)) refused = { key, ms };
        if (verdict === 'busy') busy = true;
      }
      if (refused) throw refused.key.refusal(seconds(refused.ms));
      if (!busy) {
        const marked = await this.mark(em, keys, read, states, now);
        if (marked.size === keys.length) return { keys, startedAt: now };
        // A key changed since it was read, or filled up: undo the other marks, and look again.
        if (marked.size > 0) await this.release(em, { keys: keys.filter((key) => marked.has(key.key)), startedAt: now }, 'abandoned');
      }
      if (Date.now() - started >= MAX_WAIT_MS) {
        throw refuse(AuthReason.SIGN_IN_CONGESTED, 'Too many sign-in attempts at once on this email. Try again in a second.', {
          retryAfterSeconds: 1,
        });
      }
      if (busy) {
        await sleep(pause + Math.random() * pause);
        pause = Math.min(pause * 2, 50);
      }
    }
  }

  /** Settles an admitted attempt: a failure counts on every key, a success clears the keys it clears. */
  async settle(em: EntityManager, admitted: Admission, outcome: 'failure' | 'success' | 'abandoned'): Promise<void> {
    if (outcome === 'failure') await this.countFailure(em, admitted);
    else await this.release(em, admitted, outcome);
  }

  /** The keys' rows as stored, in the keys' order (no row: the empty state). One statement, no lock. */
  private async read(em: EntityManager, keys: readonly ThrottleKey[]): Promise<StoredKey[]> {
    const rows = await this.run<{ key: string; state: Partial<ThrottleState>; rest: string }>(em, {
      sql: `select key, state, (state - 'inFlight')::text as rest from login_throttle where key in (${keys.map(() => '?').join(', ')})`,
      params: keys.map((key) => key.key),
    });
    const byKey = new Map(rows.map((row) => [row.key, row]));
    return keys.map((key) => stored(byKey.get(key.key)));
  }

  /**
   * Marks an attempt starting at `now` in flight on every key whose failures and lock are still
   * those read and that has fewer live attempts in flight than its headroom (rows are created as
   * needed, and locked in the keys' order: the same for everyone). Answers the keys marked.
   */
  private async mark(
    em: EntityManager,
    keys: readonly ThrottleKey[],
    read: readonly StoredKey[],
    states: readonly ThrottleState[],
    now: number,
  ): Promise<Set<string>> {
    const cutoff = now - IN_FLIGHT_TTL_MS;
    const rows = await this.run<{ key: string }>(em, {
      sql: `with x(ord, key, rest, room) as (values ${keys.map(() => '(?::int, ?::text, ?::jsonb, ?::int)').join(', ')})
        insert into login_throttle as t (key, state, expires_at)
        select x.key, jsonb_build_object('inFlight', jsonb_build_array(?::numeric)), ?::timestamptz from x order by x.ord
        on conflict (key) do update
          set state = jsonb_set(t.state, '{inFlight}', coalesce((select jsonb_agg(e) from ${LIVE_IN_FLIGHT} as live(e)), '[]'::jsonb) || (excluded.state->'inFlight')),
              expires_at = greatest(t.expires_at, excluded.expires_at)
          where (t.state - 'inFlight') = (select x.rest from x where x.key = t.key)
            and (select count(*) from ${LIVE_IN_FLIGHT} as live(e)) < (select x.room from x where x.key = t.key)
        returning t.key`,
      params: [
        ...keys.flatMap((key, i) => [i, key.key, read[i].rest, headroom(states[i], key.policy, now)]),
        now,
        new Date(now + IN_FLIGHT_TTL_MS),
        cutoff,
        cutoff,
      ],
    });
    return new Set(rows.map((row) => row.key));
  }

  /** Releases an attempt's marks and, for a success, clears the keys it clears: one statement, whatever the rows hold. */
  private async release(em: EntityManager, admitted: Admission, outcome: 'success' | 'abandoned'): Promise<void> {
    const cleared = restOf(withSuccess(EMPTY_STATE));
    await this.run(em, {
      sql: `with x(ord, key, cleared) as (values ${admitted.keys.map(() => '(?::int, ?::text, ?::jsonb)').join(', ')})
        insert into login_throttle as t (key, state, expires_at)
        select x.key, coalesce(x.cleared, '{}'::jsonb) || '{"inFlight": []}'::jsonb, ?::timestamptz from x order by x.ord
        on conflict (key) do update
          set state = coalesce((select x.cleared from x where x.key = t.key), t.state - 'inFlight') || jsonb_build_object('inFlight', ${RELEASED_IN_FLIGHT})`,
      params: [
        ...admitted.keys.flatMap((key, i) => [i, key.key, outcome === 'success' && key.clearedBySuccess ? cleared : null]),
        new Date(this.now()),
        admitted.startedAt,
      ],
    });
  }

  /**
   * Counts a failure on every key and releases the attempt: each key's new failures and lock are
   * decided from its state as read and written only if it has not changed meanwhile (its attempts
   * in flight apart); a key that changed is read again. Should keys keep changing (they cannot
   * for long: each change is another attempt counted), the rest is counted under their rows' locks.
   */
  private async countFailure(em: EntityManager, admitted: Admission): Promise<void> {
    let pending = admitted.keys;
    for (let tries = 1; pending.length > 0; tries += 1) {
      if (tries > MAX_FAILURE_TRIES) {
        const keys = pending;
        await this.change(em, keys, (states, now) => ({
          states: states.map((state, i) => withFailure(released(state, admitted.startedAt), keys[i].policy, now)),
          result: undefined,
        }));
        return;
      }
      const now = this.now();
      const read = await this.read(em, pending);
      const failed = pending.map((key, i) => withFailure(pruned(read[i].state, key.policy, now), key.policy, now));
      const rows = await this.run<{ key: string }>(em, {
        sql: `with x(ord, key, rest, failed, expires_at) as (values ${pending.map(() => '(?::int, ?::text, ?::jsonb, ?::jsonb, ?::timestamptz)').join(', ')})
          insert into login_throttle as t (key, state, expires_at)
          select x.key, x.failed || '{"inFlight": []}'::jsonb, x.expires_at from x order by x.ord
          on conflict (key) do update
            set state = (select x.failed from x where x.key = t.key) || jsonb_build_object('inFlight', ${RELEASED_IN_FLIGHT}),
                expires_at = greatest(t.expires_at, excluded.expires_at)
            where (t.state - 'inFlight') = (select x.rest from x where x.key = t.key)
          returning t.key`,
        params: [
          ...pending.flatMap((key, i) => [
            i,
            key.key,
            read[i].rest,
            restOf(failed[i]),
            new Date(forgettableAt({ ...failed[i], inFlight: [] }, key.policy)),
          ]),
          admitted.startedAt,
        ],
      });
      const counted = new Set(rows.map((row) => row.key));
      pending = pending.filter((key) => !counted.has(key.key));
    }
  }

  /** One statement, prepared, on a connection of its own (or in the caller's transaction, if one is open). */
  private async run<T = Record<string, unknown>>(em: EntityManager, statement: PositionalStatement): Promise<T[]> {
    return em.isInTransaction() ? em.execute<T[]>(statement.sql, [...statement.params]) : queryPrepared<T>(em, statement);
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
