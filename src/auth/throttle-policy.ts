/**
 * The rule of a throttle key, as pure functions of its state (the state itself is kept in
 * PostgreSQL, see login-throttle.ts).
 *
 * Within a window, the first `threshold` failures are free. After that, each failure locks the
 * key for a delay that doubles with every new failure (e.g. 30 s, 1 min, 2 min… capped). While
 * locked, attempts are refused without checking the password, even a right one, and do not count
 * as failures. A failure within a window of a lock's end doubles the delay again, whatever the
 * window holds, so the delay keeps growing for a patient guesser.
 *
 * Attempts are counted before their outcome is known: an attempt is let through only if it
 * would be let through even if every attempt still in flight on the key failed. So concurrent
 * requests (and aliased logins in one request) are counted one by one, without any lock held
 * while a password is hashed: successes never wait for each other until a key is within reach
 * of its threshold.
 */
export interface ThrottlePolicy {
  threshold: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** One key's state. Times are milliseconds since the epoch, on the throttle's clock. */
export interface ThrottleState {
  /** Failures within the window. */
  failures: number[];
  lockedUntil: number;
  /** The last lock's length: a failure soon after it ends doubles it. */
  delayMs: number;
  /** When each attempt now in flight (let through, outcome not yet known) started. */
  inFlight: number[];
}

export const EMPTY_STATE: ThrottleState = { failures: [], lockedUntil: 0, delayMs: 0, inFlight: [] };

/** An attempt in flight for longer than this is forgotten (its process died before settling it). */
export const IN_FLIGHT_TTL_MS = 30_000;

/** The state as stored (any missing field takes its empty value). */
export function stateOf(stored: Partial<ThrottleState> | null | undefined): ThrottleState {
  return { ...EMPTY_STATE, ...(stored ?? {}) };
}

/** Drops failures older than the window and attempts in flight for too long. */
export function pruned(state: ThrottleState, policy: ThrottlePolicy, now: number): ThrottleState {
  return {
    ...state,
    failures: state.failures.filter((t) => now - t < policy.windowMs),
    inFlight: state.inFlight.filter((t) => now - t < IN_FLIGHT_TTL_MS),
  };
}

/** Milliseconds until the key may try again; 0 when it may try now. */
export function retryAfterMs(state: ThrottleState, now: number): number {
  return Math.max(0, state.lockedUntil - now);
}

export function withFailure(state: ThrottleState, policy: ThrottlePolicy, now: number): ThrottleState {
  const { windowMs, threshold, baseDelayMs, maxDelayMs } = policy;
  const failures = [...state.failures.filter((t) => now - t < windowMs), now];
  // A failure within a window of the last lock's end continues the escalation, even when the
  // failures that caused it have left the window: otherwise a patient guesser would see the
  // delay fall back to its base every window.
  const escalated = state.delayMs > 0 && now - state.lockedUntil < windowMs ? state.delayMs * 2 : 0;
  const excess = failures.length - threshold;
  const fromCount = excess >= 0 ? baseDelayMs * 2 ** excess : 0;
  const delay = Math.min(Math.max(escalated, fromCount), maxDelayMs);
  return delay > 0 ? { ...state, failures, lockedUntil: now + delay, delayMs: delay } : { ...state, failures };
}

/** A success after the delay clears the key's failures and lock (attempts in flight stay). */
export function withSuccess(state: ThrottleState): ThrottleState {
  return { ...EMPTY_STATE, inFlight: state.inFlight };
}

/** The attempt that started at `startedAt` is no longer in flight. */
export function released(state: ThrottleState, startedAt: number): ThrottleState {
  const at = state.inFlight.indexOf(startedAt);
  return at < 0 ? state : { ...state, inFlight: state.inFlight.filter((_, i) => i !== at) };
}

/**
 * Whether a new attempt may go ahead now: `locked` (refuse it), `busy` (the attempts in flight
 * could still lock the key: wait for them) or `free`.
 */
export function admission(state: ThrottleState, policy: ThrottlePolicy, now: number): 'locked' | 'busy' | 'free' {
  if (retryAfterMs(state, now) > 0) return 'locked';
  let worst = state;
  for (let i = 0; i < state.inFlight.length; i += 1) worst = withFailure(worst, policy, now);
  return retryAfterMs(worst, now) > 0 ? 'busy' : 'free';
}

/**
 * How many attempts may be in flight on the key at once, given its failures and lock (its own
 * attempts in flight aside): a new attempt is `free` while fewer than this are in flight, `busy`
 * from then on (`admission` says the same for any number in flight). 0 while the key is locked.
 * It lets the database check and mark an attempt in one conditional statement (login-throttle.ts),
 * the rule staying here.
 */
export function headroom(state: ThrottleState, policy: ThrottlePolicy, now: number): number {
  if (retryAfterMs(state, now) > 0) return 0;
  // As `admission` does for `room` attempts in flight: were they all to fail, would the key lock?
  // At most `threshold` more failures lock a key (a lock's delay is never 0): the search ends there.
  let worst = state;
  let room = 1;
  for (; room <= policy.threshold; room += 1) {
    worst = withFailure(worst, policy, now);
    if (retryAfterMs(worst, now) > 0) break;
  }
  return room;
}

/** When the stored state can be forgotten: nothing in it matters any more. */
export function forgettableAt(state: ThrottleState, policy: ThrottlePolicy): number {
  const lastFailure = Math.max(0, ...state.failures);
  const lastInFlight = Math.max(0, ...state.inFlight);
  // Escalation looks back one window from a lock's end.
  return Math.max(state.lockedUntil + policy.windowMs, lastFailure + policy.windowMs, lastInFlight + IN_FLIGHT_TTL_MS);
}
