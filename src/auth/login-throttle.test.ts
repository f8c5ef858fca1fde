import fc from 'fast-check';
import { ACCOUNT_POLICY, ADDRESS_POLICY, loginKeys, PAIR_POLICY, REGISTRATION_POLICY } from './login-throttle.js';
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

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The throttle's rule, as pure functions of one key's state (the database keeps the state and
 * each change runs in one transaction: tests/auth/throttle.test.ts covers that over HTTP).
 */
class Key {
  state: ThrottleState = EMPTY_STATE;
  now = Date.UTC(2026, 0, 5, 9, 0, 0);

  constructor(private readonly policy: ThrottlePolicy) {}

  fail(times = 1): void {
    for (let i = 0; i < times; i += 1) this.state = withFailure(pruned(this.state, this.policy, this.now), this.policy, this.now);
  }

  succeed(): void {
    this.state = withSuccess(this.state);
  }

  wait(): number {
    return retryAfterMs(this.state, this.now);
  }

  advance(ms: number): void {
    this.now += ms;
  }
}

describe('one key under the email-from-an-address policy (5 failures in 15 min, 30 s doubling to 1 h)', () => {
  let key: Key;
  beforeEach(() => {
    key = new Key(PAIR_POLICY);
  });

  it('lets a key that never failed try now', () => {
    expect(key.wait()).toBe(0);
    expect(admission(key.state, PAIR_POLICY, key.now)).toBe('free');
  });

  it('does not lock after 4 failures', () => {
    key.fail(4);
    expect(key.wait()).toBe(0);
  });

  it('locks for exactly 30 s at the 5th failure', () => {
    key.fail(5);
    expect(key.wait()).toBe(30 * SECOND);
    expect(admission(key.state, PAIR_POLICY, key.now)).toBe('locked');
    key.advance(30 * SECOND - 1);
    expect(key.wait()).toBe(1);
    key.advance(1);
    expect(key.wait()).toBe(0);
  });

  it('counts 5 failures spread over less than 15 minutes', () => {
    for (let i = 0; i < 4; i += 1) {
      key.fail();
      key.advance(3 * MINUTE + 30 * SECOND);
    }
    // The first failure was 14 min ago: still inside the window.
    key.fail();
    expect(key.wait()).toBe(30 * SECOND);
  });

  it('keeps doubling for an attacker who fails again each time the lock expires, up to 1 h', () => {
    key.fail(5);
    const delays: number[] = [key.wait()];
    for (let i = 0; i < 9; i += 1) {
      key.advance(key.wait());
      key.fail();
      delays.push(key.wait());
    }
    expect(delays.map((ms) => ms / SECOND)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('never locks for more than 1 h, however many failures pile up', () => {
    key.fail(5 + 12);
    expect(key.wait()).toBe(HOUR);
  });

  it('forgets failures older than 15 minutes', () => {
    key.fail(4);
    key.advance(15 * MINUTE);
    key.fail();
    expect(key.wait()).toBe(0);
    key.fail(3);
    expect(key.wait()).toBe(0);
    key.fail();
    expect(key.wait()).toBe(30 * SECOND);
  });

  it('is cleared by a success: the next lock needs 5 new failures and starts again at 30 s', () => {
    key.fail(6);
    key.advance(key.wait());
    key.succeed();
    expect(key.wait()).toBe(0);
    key.fail(4);
    expect(key.wait()).toBe(0);
    key.fail();
    expect(key.wait()).toBe(30 * SECOND);
  });
});

describe('attempts in flight', () => {
  it('7 attempts at once: 5 go ahead, the 6th and 7th wait (were all 5 to fail, the key would lock)', () => {
    let state = EMPTY_STATE;
    const now = Date.UTC(2026, 0, 5, 9);
    const verdicts: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const verdict = admission(state, PAIR_POLICY, now);
      verdicts.push(verdict);
      if (verdict === 'free') state = { ...state, inFlight: [...state.inFlight, now] };
    }
    expect(verdicts).toEqual(['free', 'free', 'free', 'free', 'free', 'busy', 'busy']);
    // The five fail: the key locks, and the two waiting are refused.
    for (let i = 0; i < 5; i += 1) state = withFailure(released(state, now), PAIR_POLICY, now);
    expect(state.inFlight).toEqual([]);
    expect(admission(state, PAIR_POLICY, now)).toBe('locked');
  });

  it('after a lock ends, one attempt goes ahead at a time (a failure would lock again)', () => {
    let state = EMPTY_STATE;
    const now = Date.UTC(2026, 0, 5, 9);
    for (let i = 0; i < 5; i += 1) state = withFailure(state, PAIR_POLICY, now);
    const later = now + 30 * SECOND;
    expect(admission(state, PAIR_POLICY, later)).toBe('free');
    state = { ...state, inFlight: [later] };
    expect(admission(state, PAIR_POLICY, later)).toBe('busy');
  });

  it('an address with no recent failure lets 20 attempts through at once', () => {
    const now = Date.UTC(2026, 0, 5, 9);
    const state: ThrottleState = { ...EMPTY_STATE, inFlight: Array.from({ length: 19 }, () => now) };
    expect(admission(state, ADDRESS_POLICY, now)).toBe('free');
    expect(admission({ ...state, inFlight: [...state.inFlight, now] }, ADDRESS_POLICY, now)).toBe('busy');
  });

  it('a success releases its own attempt and leaves the others in flight', () => {
    const state: ThrottleState = { ...EMPTY_STATE, failures: [1, 2], inFlight: [10, 20, 20] };
    expect(withSuccess(released(state, 20))).toEqual({ ...EMPTY_STATE, inFlight: [10, 20] });
  });

  it('forgets an attempt in flight for longer than 30 s (its process died)', () => {
    const state: ThrottleState = { ...EMPTY_STATE, inFlight: [0] };
    expect(pruned(state, PAIR_POLICY, IN_FLIGHT_TTL_MS - 1).inFlight).toEqual([0]);
    expect(pruned(state, PAIR_POLICY, IN_FLIGHT_TTL_MS).inFlight).toEqual([]);
  });
});

describe('the three keys of a login attempt', () => {
  it('are the email from this address, the email from anywhere, and the address, locked in that order', () => {
    const [pair, account, address] = loginKeys('ada@example.test', '203.0.113.7');
    expect([pair.policy, account.policy, address.policy]).toEqual([PAIR_POLICY, ACCOUNT_POLICY, ADDRESS_POLICY]);
    expect([pair.clearedBySuccess, account.clearedBySuccess, address.clearedBySuccess]).toEqual([true, true, false]);
    // Neither the email nor the address is stored: only a digest.
    for (const key of [pair, account, address]) {
      expect(key.key).toMatch(/^(pair|account|address):[0-9a-f]{64}$/);
    }
    expect(loginKeys('ada@example.test', '198.51.100.1')[1].key).toBe(account.key);
    expect(loginKeys('ada@example.test', '198.51.100.1')[0].key).not.toBe(pair.key);
  });

  it('the email from anywhere: 50 failures in an hour lock it for 15 min, doubling to 1 h', () => {
    const key = new Key(ACCOUNT_POLICY);
    key.fail(49);
    expect(key.wait()).toBe(0);
    key.fail();
    expect(key.wait()).toBe(15 * MINUTE);
    key.advance(15 * MINUTE);
    key.fail();
    expect(key.wait()).toBe(30 * MINUTE);
  });

  it('refusals carry RATE_LIMITED, the key’s reason and retryAfterSeconds', () => {
    const reasons = loginKeys('ada@example.test', '203.0.113.7').map((key) => {
      const refusal = key.refusal(12);
      return [refusal.code, refusal.reason, refusal.details.retryAfterSeconds];
    });
    expect(reasons).toEqual([
      ['RATE_LIMITED', 'SIGN_IN_LOCKED', 12],
      ['RATE_LIMITED', 'SIGN_IN_ACCOUNT_CEILING', 12],
      ['RATE_LIMITED', 'SIGN_IN_ADDRESS_CEILING', 12],
    ]);
  });
});

describe('stored state', () => {
  it('reads a row written before a field existed with that field empty', () => {
    expect(stateOf({ failures: [5] })).toEqual({ ...EMPTY_STATE, failures: [5] });
    expect(stateOf(null)).toEqual(EMPTY_STATE);
  });

  it('may be forgotten once neither a lock, a failure in the window nor an attempt in flight matters', () => {
    const state: ThrottleState = { failures: [1_000], lockedUntil: 2_000, delayMs: 1_000, inFlight: [1_500] };
    expect(forgettableAt(state, PAIR_POLICY)).toBe(2_000 + PAIR_POLICY.windowMs);
  });
});

/**
 * How many attempts a key may have in flight: the database marks an attempt in flight only while
 * fewer than this are (login-throttle.ts), so it must say exactly what `admission` says.
 */
describe('headroom: the attempts a key may have in flight at once', () => {
  const now = Date.UTC(2026, 0, 5, 9);
  const withInFlight = (state: ThrottleState, n: number): ThrottleState => ({ ...state, inFlight: Array<number>(n).fill(now) });

  it('is the threshold for a key that never failed: 5 on the email from an address, 50 on the email, 20 on the address', () => {
    expect(headroom(EMPTY_STATE, PAIR_POLICY, now)).toBe(5);
    expect(headroom(EMPTY_STATE, ACCOUNT_POLICY, now)).toBe(50);
    expect(headroom(EMPTY_STATE, ADDRESS_POLICY, now)).toBe(20);
  });

  it('shrinks with each failure in the window, is 1 after a lock has ended, and 0 while locked', () => {
    let state = EMPTY_STATE;
    for (let i = 0; i < 3; i += 1) state = withFailure(state, PAIR_POLICY, now);
    expect(headroom(state, PAIR_POLICY, now)).toBe(2);
    for (let i = 0; i < 2; i += 1) state = withFailure(state, PAIR_POLICY, now);
    expect(headroom(state, PAIR_POLICY, now)).toBe(0);
    // The lock over, a failure would lock again at once: one attempt at a time.
    expect(headroom(state, PAIR_POLICY, now + 30 * SECOND)).toBe(1);
  });

  it('agrees with admission for any failures, lock and number of attempts in flight, under every policy', () => {
    const policies = [PAIR_POLICY, ACCOUNT_POLICY, ADDRESS_POLICY, REGISTRATION_POLICY];
    fc.assert(
      fc.property(
        fc.constantFrom(...policies),
        fc.array(fc.integer({ min: 0, max: 2 * HOUR }), { maxLength: 60 }),
        fc.integer({ min: -2 * HOUR, max: 2 * HOUR }),
        fc.constantFrom(0, 30 * SECOND, 15 * MINUTE, HOUR),
        (policy, ages, lockedFromNow, delayMs) => {
          const state = pruned(
            { failures: ages.map((age) => now - age), lockedUntil: now + lockedFromNow, delayMs, inFlight: [] },
            policy,
            now,
          );
          const room = headroom(state, policy, now);
          if (admission(state, policy, now) === 'locked') return room === 0;
          for (let n = 0; n <= policy.threshold + 2; n += 1) {
            if ((admission(withInFlight(state, n), policy, now) === 'free') !== n < room) return false;
          }
          return room >= 1;
        },
      ),
      { numRuns: 500 },
    );
  });
});
