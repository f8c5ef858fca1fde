/**
 * Slows down password guessing, per account and per client address.
 *
 * Within a 15-minute window, the first `threshold` failures are free. After that, each failure
 * locks the key for a delay that doubles with every new failure (30 s, 1 min, 2 min… capped at
 * 1 h). While locked, attempts are refused without checking the password, even a right one, and
 * do not count as failures. Once the delay has passed, a success clears the key.
 *
 * A failure within 15 minutes of a lock's end doubles the delay again, whatever the window
 * holds, so the delay keeps growing for a patient guesser.
 *
 * State lives in this process's memory: Collegia runs as one process; a restart forgets it.
 * Attempts on one key are serialised (see `run`), so concurrent requests — and aliased logins
 * in one request — are counted one by one.
 */
export interface ThrottlePolicy {
  threshold: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  threshold: 5,
  windowMs: 15 * 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
};

/** An office behind one NAT shares an address: allow more failures before locking it. */
export const ADDRESS_POLICY: ThrottlePolicy = { ...ACCOUNT_POLICY, threshold: 20 };

interface KeyState {
  failures: number[];
  lockedUntil: number;
  /** The last lock's length: a failure soon after it ends doubles it. */
  delayMs: number;
}

export class Throttle {
  private readonly states = new Map<string, KeyState>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly policy: ThrottlePolicy,
    private readonly now: () => number,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may try now. */
  retryAfterMs(key: string): number {
    const state = this.states.get(key);
    return state ? Math.max(0, state.lockedUntil - this.now()) : 0;
  }

  recordFailure(key: string): void {
    const now = this.now();
    const { windowMs, threshold, baseDelayMs, maxDelayMs } = this.policy;
    const state = this.states.get(key) ?? { failures: [], lockedUntil: 0, delayMs: 0 };
    state.failures = state.failures.filter((t) => now - t < windowMs);
    state.failures.push(now);
    // A failure within a window of the last lock's end continues the escalation, even when the
    // failures that caused it have left the window: otherwise a patient guesser would see the
    // delay fall back to 30 s every 15 minutes.
    const escalated = state.delayMs > 0 && now - state.lockedUntil < windowMs ? state.delayMs * 2 : 0;
    const excess = state.failures.length - threshold;
    const fromCount = excess >= 0 ? baseDelayMs * 2 ** excess : 0;
    const delay = Math.min(Math.max(escalated, fromCount), maxDelayMs);
    if (delay > 0) {
      state.lockedUntil = now + delay;
      state.delayMs = delay;
    }
    this.states.set(key, state);
  }

  /** Clears `key`: used for accounts. Addresses are not cleared, so that an attacker with an
   * account of their own cannot reset their address's count by signing in to it. */
  recordSuccess(key: string): void {
    this.states.delete(key);
  }

  /** Runs `task` after every earlier task on `key` has finished. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(task);
    this.queues.set(key, current);
    try {
      return await current;
    } finally {
      if (this.queues.get(key) === current) this.queues.delete(key);
    }
  }
}

/** The two throttles login consults. */
export class LoginThrottle {
  readonly byAccount: Throttle;
  readonly byAddress: Throttle;

  constructor(now: () => number = Date.now, account = ACCOUNT_POLICY, address = ADDRESS_POLICY) {
    this.byAccount = new Throttle(account, now);
    this.byAddress = new Throttle(address, now);
  }
}
