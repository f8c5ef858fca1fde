import { ACCOUNT_POLICY, LoginThrottle, Throttle } from './login-throttle.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A hand-moved clock: the throttle reads time only through it. */
function manualClock() {
  let now = Date.UTC(2026, 0, 5, 9, 0, 0);
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function failTimes(throttle: Throttle, key: string, times: number): void {
  for (let i = 0; i < times; i += 1) throttle.recordFailure(key);
}

/** A promise resolved from outside, to hold a task open while others queue behind it. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Throttle (account policy: 5 failures in 15 min, 30 s doubling to 1 h)', () => {
  let clock: ReturnType<typeof manualClock>;
  let throttle: Throttle;
  beforeEach(() => {
    clock = manualClock();
    throttle = new Throttle(ACCOUNT_POLICY, clock.now);
  });

  it('lets a key that never failed try now', () => {
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
  });

  it('does not lock after 4 failures', () => {
    failTimes(throttle, 'ada@example.test', 4);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
  });

  it('locks for exactly 30 s at the 5th failure', () => {
    failTimes(throttle, 'ada@example.test', 5);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
    clock.advance(30 * SECOND - 1);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(1);
    clock.advance(1);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
  });

  it('counts 5 failures spread over less than 15 minutes', () => {
    for (let i = 0; i < 4; i += 1) {
      throttle.recordFailure('ada@example.test');
      clock.advance(3 * MINUTE + 30 * SECOND);
    }
    // The first failure was 14 min ago: still inside the window.
    throttle.recordFailure('ada@example.test');
    expect(throttle.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
  });

  it('doubles the delay with each failure made once the previous delay has passed', () => {
    failTimes(throttle, 'ada@example.test', 5);
    const delays: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      clock.advance(throttle.retryAfterMs('ada@example.test'));
      throttle.recordFailure('ada@example.test');
      delays.push(throttle.retryAfterMs('ada@example.test'));
    }
    expect(delays).toEqual([1 * MINUTE, 2 * MINUTE, 4 * MINUTE]);
  });

  it('never locks for more than 1 h, however many failures pile up', () => {
    failTimes(throttle, 'ada@example.test', 5 + 12);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(HOUR);
  });

  it('keeps doubling for an attacker who fails again each time the lock expires, up to 1 h', () => {
    // What a patient attacker sees: the doubling must not restart because the first
    // failures of the streak have slid out of the 15-minute window.
    failTimes(throttle, 'ada@example.test', 5);
    const delays: number[] = [throttle.retryAfterMs('ada@example.test')];
    for (let i = 0; i < 9; i += 1) {
      clock.advance(throttle.retryAfterMs('ada@example.test'));
      throttle.recordFailure('ada@example.test');
      delays.push(throttle.retryAfterMs('ada@example.test'));
    }
    expect(delays.map((ms) => ms / SECOND)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
  });

  it('forgets failures older than 15 minutes', () => {
    failTimes(throttle, 'ada@example.test', 4);
    clock.advance(15 * MINUTE);
    throttle.recordFailure('ada@example.test');
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
    // Only the recent failure counts: three more are still below the threshold.
    failTimes(throttle, 'ada@example.test', 3);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
    throttle.recordFailure('ada@example.test');
    expect(throttle.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
  });

  it('clears the key on success: the next lock needs 5 new failures and starts again at 30 s', () => {
    failTimes(throttle, 'ada@example.test', 6);
    clock.advance(throttle.retryAfterMs('ada@example.test'));
    throttle.recordSuccess('ada@example.test');
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
    failTimes(throttle, 'ada@example.test', 4);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(0);
    throttle.recordFailure('ada@example.test');
    expect(throttle.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
  });

  it('keeps keys apart: locking one leaves the others free', () => {
    failTimes(throttle, 'ada@example.test', 5);
    failTimes(throttle, 'bob@example.test', 4);
    expect(throttle.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
    expect(throttle.retryAfterMs('bob@example.test')).toBe(0);
    throttle.recordSuccess('bob@example.test');
    expect(throttle.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
  });
});

describe('Throttle.run', () => {
  it('runs tasks on one key one after the other, in the order they were queued', async () => {
    const throttle = new Throttle(ACCOUNT_POLICY, Date.now);
    const events: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, i) =>
      throttle.run('ada@example.test', async () => {
        events.push(`start ${i}`);
        await gate.promise;
        events.push(`end ${i}`);
        return i;
      }),
    );
    await settle();
    expect(events).toEqual(['start 0']);
    // Releasing a later task first must not let it overtake the one still running.
    gates[2].resolve();
    gates[1].resolve();
    await settle();
    expect(events).toEqual(['start 0']);
    gates[0].resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2]);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('runs the next task after one that failed, and gives each caller its own outcome', async () => {
    const throttle = new Throttle(ACCOUNT_POLICY, Date.now);
    const first = throttle.run('ada@example.test', async () => {
      throw new Error('wrong password');
    });
    const second = throttle.run('ada@example.test', async () => 'signed in');
    await expect(first).rejects.toThrow('wrong password');
    await expect(second).resolves.toBe('signed in');
  });

  it('does not make different keys wait for each other', async () => {
    const throttle = new Throttle(ACCOUNT_POLICY, Date.now);
    const gate = deferred();
    const slow = throttle.run('ada@example.test', () => gate.promise.then(() => 'ada'));
    await expect(throttle.run('bob@example.test', async () => 'bob')).resolves.toBe('bob');
    gate.resolve();
    await expect(slow).resolves.toBe('ada');
  });

  it('makes concurrent check-then-fail attempts count one by one: 7 at once give 5 failures and 2 refusals', async () => {
    const clock = manualClock();
    const throttle = new Throttle(ACCOUNT_POLICY, clock.now);
    // Each attempt checks the lock, then awaits (as password hashing does), then records a failure.
    const attempt = () =>
      throttle.run('ada@example.test', async () => {
        if (throttle.retryAfterMs('ada@example.test') > 0) return 'refused';
        await settle();
        throttle.recordFailure('ada@example.test');
        return 'failed';
      });
    const outcomes = await Promise.all(Array.from({ length: 7 }, attempt));
    expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'failed', 'refused', 'refused']);
  });
});

describe('LoginThrottle', () => {
  it('locks an email after 5 failures and an address after 20, on the clock it is given', () => {
    const clock = manualClock();
    const login = new LoginThrottle(clock.now);
    failTimes(login.byAddress, '203.0.113.7', 19);
    expect(login.byAddress.retryAfterMs('203.0.113.7')).toBe(0);
    login.byAddress.recordFailure('203.0.113.7');
    expect(login.byAddress.retryAfterMs('203.0.113.7')).toBe(30 * SECOND);
    expect(login.byAddress.retryAfterMs('198.51.100.1')).toBe(0);

    failTimes(login.byAccount, 'ada@example.test', 5);
    expect(login.byAccount.retryAfterMs('ada@example.test')).toBe(30 * SECOND);
    clock.advance(30 * SECOND);
    expect(login.byAccount.retryAfterMs('ada@example.test')).toBe(0);
  });
});
