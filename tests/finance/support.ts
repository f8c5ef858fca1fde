import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { LedgerKind } from '../../src/finance/ledger-entry.entity.js';
import { SubsidyState } from '../../src/finance/subsidy-state.js';
import { InstalmentKind } from '../../src/finance/subsidy.entity.js';
import type { Services } from '../../src/services.js';
import { ErrorCode } from '../../src/shared/errors.js';

/**
 * A model of the finance ledger for property-based tests: what each operation on a cluster's
 * subsidies should do (succeed, or be refused with which code) and what it should write, written
 * from the issue and the API descriptions, not from the service's code. The property runs the same
 * operations against the real services and compares.
 *
 * Where the descriptions leave a choice, the model takes the one that keeps the money coherent:
 *  - a release (by hand, by a fusion, or by a receipt after the freeze's end date) returns the
 *    subsidy to its state before the freeze brought up to date with the receipts recorded while
 *    frozen (a subsidy fully paid while frozen comes back RECEIVED);
 *  - reversing a receipt whose money was since clawed back (received would go below zero) is
 *    refused, with CONFLICT or BAD_USER_INPUT (`REFUSED`);
 *  - a clawback beyond what is still awarded (clawing back an overpayment) is refused likewise,
 *    rather than leaving a negative award.
 */

// ---------------------------------------------------------------------------------------------
// Operations: intentions, resolved against the model when they run (amounts "the rest of what is
// due", "a bank reference already used"…), so that shrinking keeps them meaningful.
// ---------------------------------------------------------------------------------------------

export type ReceiptSize = 'part' | 'rest' | 'beyond' | 'raw';
export type RefChoice = 'fresh' | 'replay' | 'clash' | 'foreign';
export type ClawbackChoice = 'part' | 'all' | 'beyond' | 'none' | 'zero';

export type Op =
  | { kind: 'record'; amount: bigint; cuts: number[]; requested: boolean; withDecision: boolean; broken: boolean }
  | {
      kind: 'receipt';
      s: number;
      size: ReceiptSize;
      permille: number;
      raw: bigint;
      overpaymentReason: boolean;
      frozenException: boolean;
      ref: RefChoice;
      pick: number;
      daysAgo: number;
      padded: boolean;
    }
  | { kind: 'reverse'; target: 'receipt' | 'clawback' | 'award' | 'missing'; pick: number }
  | { kind: 'freeze'; s: number; mode: 'manual' | 'until' | 'proposal' | 'unknownProposal'; days: number }
  | { kind: 'release'; s: number }
  | { kind: 'releaseProposal' }
  | {
      kind: 'transition';
      s: number;
      /** 'next': one of the states the subsidy may move to now (so that sequences get somewhere). */
      to: SubsidyState | 'next';
      pick: number;
      reason: boolean;
      withDate: boolean;
      clawback: ClawbackChoice;
      permille: number;
    }
  | { kind: 'advance'; days: number };

/** Amounts in cents: tiny ones (edge cases), ordinary ones, and ones beyond 2^32 (GraphQL Int is 32-bit). */
export const amountArb = fc.oneof(
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: 10n }) },
  { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 10_000_000n }) },
  { weight: 3, arbitrary: fc.bigInt({ min: 2n ** 32n, max: 2n ** 46n }) },
);

const permille = fc.integer({ min: 1, max: 999 });
const subsidyIndex = fc.nat({ max: 5 });

export const recordArb = (broken: fc.Arbitrary<boolean> = fc.boolean()) =>
  fc.record({
    kind: fc.constant('record' as const),
    amount: amountArb,
    cuts: fc.array(permille, { maxLength: 2 }),
    requested: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 3, arbitrary: fc.constant(false) }),
    withDecision: fc.boolean(),
    broken,
  });

export const receiptArb = fc.record({
  kind: fc.constant('receipt' as const),
  s: subsidyIndex,
  size: fc.constantFrom<ReceiptSize>('part', 'part', 'rest', 'beyond', 'raw'),
  permille,
  raw: amountArb,
  overpaymentReason: fc.boolean(),
  frozenException: fc.boolean(),
  ref: fc.constantFrom<RefChoice>('fresh', 'fresh', 'fresh', 'replay', 'clash', 'foreign'),
  pick: fc.nat({ max: 20 }),
  daysAgo: fc.nat({ max: 5 }),
  padded: fc.boolean(),
});

export const reverseArb = fc.record({
  kind: fc.constant('reverse' as const),
  target: fc.constantFrom(
    'receipt' as const,
    'receipt' as const,
    'receipt' as const,
    'clawback' as const,
    'award' as const,
    'missing' as const,
  ),
  pick: fc.nat({ max: 20 }),
});

export const freezeArb = fc.record({
  kind: fc.constant('freeze' as const),
  s: subsidyIndex,
  mode: fc.constantFrom(
    'manual' as const,
    'until' as const,
    'until' as const,
    'proposal' as const,
    'proposal' as const,
    'unknownProposal' as const,
  ),
  days: fc.nat({ max: 30 }),
});

export const releaseArb = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), s: subsidyIndex }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('releaseProposal' as const) }) },
);

export const transitionArb = (targets: SubsidyState[], next = true) =>
  fc.record({
    kind: fc.constant('transition' as const),
    s: subsidyIndex,
    to: next ? fc.oneof(fc.constant('next' as const), fc.constantFrom(...targets)) : fc.constantFrom(...targets),
    pick: fc.nat({ max: 5 }),
    reason: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    withDate: fc.boolean(),
    clawback: fc.constantFrom<ClawbackChoice>('part', 'part', 'all', 'beyond', 'none', 'zero'),
    permille,
  });

export const ALL_TARGETS = [
  SubsidyState.AWARDED,
  SubsidyState.REFUSED,
  SubsidyState.ACTIVE,
  SubsidyState.ACTIVE,
  SubsidyState.JUSTIFIED,
  SubsidyState.JUSTIFIED,
  SubsidyState.JUSTIFIED,
  SubsidyState.CLOSED,
  SubsidyState.CLOSED,
  SubsidyState.CANCELLED,
  SubsidyState.CLAWED_BACK,
  SubsidyState.CLAWED_BACK,
  SubsidyState.RECEIVED,
  SubsidyState.FROZEN,
];

export const advanceArb = fc.record({ kind: fc.constant('advance' as const), days: fc.integer({ min: 1, max: 40 }) });

/** Every operation, weighted towards receipts. */
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: receiptArb },
  { weight: 4, arbitrary: transitionArb(ALL_TARGETS) },
  { weight: 3, arbitrary: reverseArb },
  { weight: 2, arbitrary: freezeArb },
  { weight: 2, arbitrary: releaseArb },
  { weight: 1, arbitrary: advanceArb },
  { weight: 1, arbitrary: recordArb() },
);

/** A sequence: an award first (so there is something to work on), then up to `max` operations. */
export const sequenceArb = (ops: fc.Arbitrary<Op> = opArb, max = 11) =>
  fc.tuple(recordArb(fc.constant(false)), fc.array(ops, { maxLength: max })).map(([first, rest]): Op[] => [first, ...rest]);

// ---------------------------------------------------------------------------------------------
// The model.
// ---------------------------------------------------------------------------------------------

/** What an operation answers: done, done before (same bank transfer), or refused with a code. */
export type Outcome = 'OK' | 'ALREADY_RECORDED' | ErrorCode;
/** What the model expects: an outcome, or REFUSED where either CONFLICT or BAD_USER_INPUT would do. */
export type Expected = Outcome | 'REFUSED';

export function matches(outcome: Outcome, expected: Expected): boolean {
  return expected === 'REFUSED' ? outcome === ErrorCode.CONFLICT || outcome === ErrorCode.BAD_USER_INPUT : outcome === expected;
}

export interface SubsidyModel {
  index: number;
  id: string;
  funderId: string;
  amountAwarded: bigint;
  decisionDate: string | null;
  instalments: { amount: bigint; dueOn: string }[];
  state: SubsidyState;
  awarded: bigint;
  received: bigint;
  freeze: { until: string | null; proposalId: string | null; stateBefore: SubsidyState } | null;
}

export interface EntryModel {
  /** Null until the row written for it is found in the ledger. */
  id: string | null;
  subsidyId: string;
  kind: LedgerKind;
  amount: bigint;
  reverses: string | null;
  bankReference: string | null;
  /** For a RECEIPT: how many receipts under the same bank reference came before (all reversed). */
  correction: number;
  valueDate: string;
  reversed: boolean;
}

/** What a service call returned, reduced to what the model needs. */
export interface CallResult {
  subsidyId?: string;
  entryId?: string;
  alreadyRecorded?: boolean;
  released?: string[];
}

export interface Plan {
  label: string;
  expected: Expected;
  /** Makes the call through the real services. */
  run(services: Services): Promise<CallResult>;
  /** Applies a successful (or already recorded) operation to the model. */
  commit(result: CallResult): void;
}

const MANUAL: Partial<Record<SubsidyState, SubsidyState[]>> = {
  [SubsidyState.AWARDED]: [SubsidyState.REQUESTED],
  [SubsidyState.REFUSED]: [SubsidyState.REQUESTED],
  [SubsidyState.ACTIVE]: [SubsidyState.AWARDED],
  [SubsidyState.CANCELLED]: [SubsidyState.REQUESTED, SubsidyState.AWARDED, SubsidyState.ACTIVE],
  [SubsidyState.JUSTIFIED]: [SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED],
  [SubsidyState.CLOSED]: [SubsidyState.JUSTIFIED],
  [SubsidyState.CLAWED_BACK]: [SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED, SubsidyState.JUSTIFIED, SubsidyState.CLOSED],
};
const NEEDS_REASON = [SubsidyState.REFUSED, SubsidyState.CANCELLED, SubsidyState.CLAWED_BACK];
const FREEZABLE = [SubsidyState.AWARDED, SubsidyState.ACTIVE, SubsidyState.PARTLY_RECEIVED, SubsidyState.JUSTIFIED];
export const EXPECTING = [
  SubsidyState.AWARDED,
  SubsidyState.ACTIVE,
  SubsidyState.FROZEN,
  SubsidyState.PARTLY_RECEIVED,
  SubsidyState.JUSTIFIED,
];
const RECEIVABLE = [...EXPECTING, SubsidyState.RECEIVED];
/** The states that follow receipts: PARTLY_RECEIVED and RECEIVED say how much came in. */
export const FOLLOWING = [SubsidyState.AWARDED, SubsidyState.ACTIVE, SubsidyState.PARTLY_RECEIVED, SubsidyState.RECEIVED];

export const addDays = (isoDay: string, days: number): string =>
  new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const max0 = (x: bigint) => (x > 0n ? x : 0n);

/** Where a subsidy stands given its money, for one in a state that follows receipts. */
export function stateForMoney(current: SubsidyState, awarded: bigint, received: bigint): SubsidyState {
  if (!FOLLOWING.includes(current)) return current;
  if (received <= 0n) return current === SubsidyState.AWARDED ? SubsidyState.AWARDED : SubsidyState.ACTIVE;
  return received >= awarded ? SubsidyState.RECEIVED : SubsidyState.PARTLY_RECEIVED;
}

/**
 * The report's figures for one subsidy, from the definitions in the API description. Receipts pay
 * the instalments in order; the unpaid part of an instalment of a subsidy still expecting money
 * and not frozen today is overdue before today, due in the next 90 days from today on.
 */
export function expectedFigures(s: SubsidyModel, today: string) {
  const expecting = EXPECTING.includes(s.state);
  const unpaid = max0(s.awarded - s.received);
  const outstanding = expecting ? unpaid : 0n;
  const frozenNow = s.state === SubsidyState.FROZEN && (s.freeze?.until == null || s.freeze.until > today);
  let overdue = 0n;
  let dueNext90Days = 0n;
  let paid = max0(s.received);
  for (const instalment of expecting && !frozenNow ? s.instalments : []) {
    const covered = paid < instalment.amount ? paid : instalment.amount;
    paid -= covered;
    if (instalment.dueOn < today) overdue += instalment.amount - covered;
    else if (instalment.dueOn < addDays(today, 90)) dueNext90Days += instalment.amount - covered;
  }
  return {
    overdue,
    dueNext90Days,
    awarded: s.awarded,
    received: s.received,
    outstanding,
    forgone: expecting ? 0n : unpaid,
    overpaid: max0(s.received - s.awarded),
    frozen: frozenNow ? outstanding : 0n,
  };
}

export class LedgerModel {
  readonly subsidies: SubsidyModel[] = [];
  readonly entries: EntryModel[] = [];
  private refCounter = 0;
  private recorded = 0;

  constructor(
    readonly clusterId: string,
    private readonly funderIds: string[],
    readonly proposalId: string,
    private readonly today: () => string,
  ) {}

  /** Entries the operation just committed, still to be matched with ledger rows. */
  pending(): EntryModel[] {
    return this.entries.filter((e) => e.id === null);
  }

  private subsidy(s: number): SubsidyModel | undefined {
    return this.subsidies.length ? this.subsidies[s % this.subsidies.length] : undefined;
  }

  private addEntry(s: SubsidyModel, kind: LedgerKind, amount: bigint, extra: Partial<EntryModel> = {}): void {
    this.entries.push({
      id: null,
      subsidyId: s.id,
      kind,
      amount,
      reverses: null,
      bankReference: null,
      correction: 0,
      valueDate: this.today(),
      reversed: false,
      ...extra,
    });
  }

  /** A release returns the subsidy to its state before the freeze, brought up to date with the receipts recorded meanwhile. */
  private release(s: SubsidyModel): void {
    s.state = stateForMoney(s.freeze!.stateBefore, s.awarded, s.received);
    s.freeze = null;
    this.addEntry(s, LedgerKind.RELEASE, 0n);
  }

  /** The call an operation makes and what it should answer; null when it has nothing to work on. */
  plan(op: Op): Plan | null {
    switch (op.kind) {
      case 'record':
        return this.planRecord(op);
      case 'receipt':
        return this.planReceipt(op);
      case 'reverse':
        return this.planReverse(op);
      case 'freeze':
        return this.planFreeze(op);
      case 'release':
        return this.planRelease(op);
      case 'releaseProposal':
        return this.planReleaseProposal();
      case 'transition':
        return this.planTransition(op);
      case 'advance':
        return null; // the caller moves the clock
    }
  }

  private planRecord(op: Extract<Op, { kind: 'record' }>): Plan {
    const today = this.today();
    const awarded = !op.requested;
    const decisionDate = awarded || op.withDecision ? addDays(today, -30) : null;
    const start = decisionDate ?? today;
    const bounds = [...new Set([0n, ...op.cuts.map((c) => (op.amount * BigInt(c)) / 1000n), op.amount])].sort((a, b) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const parts = op.cuts.length ? bounds.slice(1).map((b, i) => b - bounds[i]) : [];
    if (op.broken && parts.length) parts[parts.length - 1] += 1n;
    const amount = op.broken && !parts.length ? -op.amount : op.amount;
    const instalments = parts.map((part, i) => ({
      kind: i === parts.length - 1 ? InstalmentKind.BALANCE : i === 0 ? InstalmentKind.ADVANCE : InstalmentKind.INTERIM,
      amount: part,
      dueOn: addDays(start, 20 + 60 * i),
    }));
    const funderId = this.funderIds[this.recorded % this.funderIds.length];
    const index = this.recorded;
    const input = {
      clusterId: this.clusterId,
      funderId,
      purpose: `Subsidy ${index}`,
      state: awarded ? SubsidyState.AWARDED : SubsidyState.REQUESTED,
      decisionReference: decisionDate ? `CP/${index}` : undefined,
      decisionDate: decisionDate ?? undefined,
      amountAwarded: amount,
      instalments: instalments.length ? instalments : undefined,
    };
    return {
      label: `record ${input.state} ${amount} in ${parts.length} instalments${decisionDate ? '' : ' (no decision date)'}`,
      expected: op.broken ? ErrorCode.BAD_USER_INPUT : 'OK',
      run: async (services) => ({ subsidyId: (await services.subsidies.recordSubsidy(input)).id }),
      commit: (result) => {
        this.recorded += 1;
        const s: SubsidyModel = {
          index,
          id: result.subsidyId!,
          funderId,
          amountAwarded: amount,
          decisionDate,
          instalments: instalments.map((i) => ({ amount: i.amount, dueOn: i.dueOn })),
          state: input.state,
          awarded: 0n,
          received: 0n,
          freeze: null,
        };
        this.subsidies.push(s);
        if (awarded) {
          s.awarded = amount;
          this.addEntry(s, LedgerKind.AWARD, amount);
        }
      },
    };
  }

  private planReceipt(op: Extract<Op, { kind: 'receipt' }>): Plan | null {
    const s = this.subsidy(op.s);
    if (!s) return null;
    const today = this.today();
    const due = s.awarded - s.received;
    let amount =
      op.size === 'part'
        ? due > 1n
          ? 1n + ((due - 1n) * BigInt(op.permille)) / 1000n
          : BigInt(op.permille)
        : op.size === 'rest'
          ? due > 0n
            ? due
            : 1n
          : op.size === 'beyond'
            ? max0(due) + BigInt(op.permille)
            : op.raw;
    let valueDate = addDays(today, -op.daysAgo);
    let ref = `VIR-${this.refCounter + 1}`;
    const own = this.entries.filter((e) => e.kind === LedgerKind.RECEIPT && e.subsidyId === s.id);
    const foreign = this.entries.filter((e) => e.kind === LedgerKind.RECEIPT && e.subsidyId !== s.id);
    const reuse = op.ref === 'foreign' ? foreign : op.ref === 'fresh' ? [] : own;
    const reused = reuse.length ? reuse[op.pick % reuse.length] : null;
    if (reused) {
      ref = reused.bankReference!;
      if (op.ref === 'replay') {
        amount = reused.amount;
        valueDate = reused.valueDate;
      } else if (op.ref === 'clash') amount = reused.amount + 1n;
    }
    const input = {
      subsidyId: s.id,
      amount,
      valueDate,
      bankReference: op.padded ? `  ${ref} ` : ref,
      frozenException: op.frozenException ? 'paid before the freeze decision' : undefined,
      overpaymentReason: op.overpaymentReason ? 'the funder paid too much' : undefined,
    };
    const label = `receipt ${amount} (${op.size}, ${due} due) ref ${ref} (${op.ref}) on #${s.index} ${s.state}${
      op.frozenException ? ' +exception' : ''
    }${op.overpaymentReason ? ' +overpayment' : ''}`;
    const run = async (services: Services): Promise<CallResult> => {
      const r = await services.subsidies.recordReceipt(input);
      return { entryId: r.entry.id, alreadyRecorded: r.alreadyRecorded };
    };

    // A bank reference counts once per subsidy, unless its receipt was reversed: then it may be
    // recorded again, corrected (its `correction` counts the earlier receipts under that reference).
    const earlier = own.filter((e) => e.bankReference === ref);
    const existing = earlier.find((e) => !e.reversed);
    if (existing) {
      const same = existing.amount === amount && existing.valueDate === valueDate;
      return {
        label,
        expected: same ? 'ALREADY_RECORDED' : ErrorCode.CONFLICT,
        run,
        commit: (result) => {
          if (result.entryId !== existing.id) throw new Error(`the replay answered entry ${result.entryId}, not ${existing.id}`);
        },
      };
    }
    let releases = false;
    let state = s.state;
    let expected: Expected = 'OK';
    if (state === SubsidyState.FROZEN) {
      if (s.freeze!.until !== null && s.freeze!.until <= today) {
        releases = true; // the freeze ended: the receipt releases it first
        state = s.freeze!.stateBefore;
      } else if (!op.frozenException) expected = ErrorCode.CONFLICT;
    }
    if (expected === 'OK' && !RECEIVABLE.includes(state)) expected = ErrorCode.CONFLICT;
    if (expected === 'OK' && amount > due && !op.overpaymentReason) expected = ErrorCode.BAD_USER_INPUT;
    return {
      label,
      expected,
      run,
      commit: () => {
        if (ref === `VIR-${this.refCounter + 1}`) this.refCounter += 1;
        if (releases) this.release(s);
        this.addEntry(s, LedgerKind.RECEIPT, amount, { bankReference: ref, valueDate, correction: earlier.length });
        s.received += amount;
        s.state = stateForMoney(s.state, s.awarded, s.received);
      },
    };
  }

  private planReverse(op: Extract<Op, { kind: 'reverse' }>): Plan | null {
    // The entry of the kind asked for, else any receipt or clawback; a random id for 'missing'.
    const kind = { receipt: LedgerKind.RECEIPT, clawback: LedgerKind.CLAWBACK, award: LedgerKind.AWARD, missing: null }[op.target];
    const ofKind = this.entries.filter((e) => e.kind === kind && e.id !== null);
    const candidates =
      ofKind.length || !kind ? ofKind : this.entries.filter((e) => e.kind === LedgerKind.RECEIPT || e.kind === LedgerKind.CLAWBACK);
    if (kind && !candidates.length) return null; // nothing to reverse yet
    const target = candidates.length ? candidates[op.pick % candidates.length] : null;
    const entryId = target?.id ?? randomUUID();
    const input = { entryId, reason: 'recorded in error' };
    const run = async (services: Services): Promise<CallResult> => ({ entryId: (await services.subsidies.reverseEntry(input)).entry.id });
    if (!target) return { label: `reverse an unknown entry`, expected: ErrorCode.NOT_FOUND, run, commit: () => {} };
    const s = this.subsidies.find((x) => x.id === target.subsidyId)!;
    const label = `reverse ${target.kind} ${target.amount}${target.reversed ? ' (already reversed)' : ''} of #${s.index} ${s.state}`;
    // Reversing a receipt whose money was since clawed back would leave less than nothing received.
    const expected: Expected =
      target.kind !== LedgerKind.RECEIPT && target.kind !== LedgerKind.CLAWBACK
        ? ErrorCode.BAD_USER_INPUT
        : target.reversed
          ? ErrorCode.CONFLICT
          : target.kind === LedgerKind.RECEIPT && s.received < target.amount
            ? 'REFUSED'
            : 'OK';
    return {
      label,
      expected,
      run,
      commit: () => {
        target.reversed = true;
        this.addEntry(s, LedgerKind.REVERSAL, -target.amount, { reverses: target.id });
        if (target.kind === LedgerKind.RECEIPT) {
          s.received -= target.amount;
          s.state = stateForMoney(s.state, s.awarded, s.received);
        } else {
          s.awarded -= target.amount;
          s.received -= target.amount;
        }
      },
    };
  }

  private planFreeze(op: Extract<Op, { kind: 'freeze' }>): Plan | null {
    const s = this.subsidy(op.s);
    if (!s) return null;
    const today = this.today();
    const until = op.mode === 'until' ? addDays(today, op.days) : null;
    const proposalId = op.mode === 'proposal' ? this.proposalId : op.mode === 'unknownProposal' ? randomUUID() : null;
    const input = { subsidyId: s.id, reason: 'until the merger', until: until ?? undefined, untilProposalId: proposalId ?? undefined };
    const expected: Outcome =
      until !== null && until <= today
        ? ErrorCode.BAD_USER_INPUT
        : op.mode === 'unknownProposal'
          ? ErrorCode.NOT_FOUND
          : FREEZABLE.includes(s.state)
            ? 'OK'
            : ErrorCode.CONFLICT;
    return {
      label: `freeze #${s.index} ${s.state} ${op.mode}${until ? ` until ${until}` : ''}`,
      expected,
      run: async (services) => ({ subsidyId: (await services.subsidies.freeze(input)).id }),
      commit: () => {
        s.freeze = { until, proposalId, stateBefore: s.state };
        s.state = SubsidyState.FROZEN;
        this.addEntry(s, LedgerKind.FREEZE, 0n);
      },
    };
  }

  private planRelease(op: Extract<Op, { kind: 'release' }>): Plan | null {
    const s = this.subsidy(op.s);
    if (!s) return null;
    return {
      label: `release #${s.index} ${s.state}`,
      expected: s.state === SubsidyState.FROZEN ? 'OK' : ErrorCode.CONFLICT,
      run: async (services) => ({ subsidyId: (await services.subsidies.release({ subsidyId: s.id, reason: 'conditions met' })).id }),
      commit: () => this.release(s),
    };
  }

  private planReleaseProposal(): Plan {
    const frozen = this.subsidies.filter((s) => s.freeze?.proposalId === this.proposalId);
    return {
      label: `execute the fusion proposal (${frozen.length} frozen until it)`,
      expected: 'OK',
      run: async (services) => ({
        released: (await services.subsidies.releaseFrozenUntilProposal(this.proposalId, 'fusion executed')).map((s) => s.id),
      }),
      commit: (result) => {
        const ids = [...result.released!].sort();
        const want = frozen.map((s) => s.id).sort();
        if (ids.join() !== want.join()) throw new Error(`released ${ids.join()} instead of ${want.join()}`);
        frozen.forEach((s) => this.release(s));
      },
    };
  }

  private planTransition(op: Extract<Op, { kind: 'transition' }>): Plan | null {
    const s = this.subsidy(op.s);
    if (!s) return null;
    const today = this.today();
    const next = (Object.keys(MANUAL) as SubsidyState[]).filter((t) => MANUAL[t]!.includes(s.state));
    const to = op.to !== 'next' ? op.to : next.length ? next[op.pick % next.length] : SubsidyState.CLOSED;
    const clawbackAmount =
      to !== SubsidyState.CLAWED_BACK || op.clawback === 'none'
        ? undefined
        : op.clawback === 'zero'
          ? 0n
          : op.clawback === 'all'
            ? s.received
            : op.clawback === 'beyond'
              ? s.received + 1n
              : (s.received * BigInt(op.permille)) / 1000n;
    const input = {
      subsidyId: s.id,
      to,
      reason: op.reason ? 'as decided' : undefined,
      decisionDate: to === SubsidyState.AWARDED && op.withDate ? today : undefined,
      clawbackAmount,
    };
    const from = MANUAL[to];
    let expected: Expected = 'OK';
    if (!from) expected = ErrorCode.BAD_USER_INPUT;
    else if (NEEDS_REASON.includes(to) && !op.reason) expected = ErrorCode.BAD_USER_INPUT;
    else if (clawbackAmount != null && clawbackAmount <= 0n) expected = ErrorCode.BAD_USER_INPUT;
    else if (!from.includes(s.state)) expected = ErrorCode.CONFLICT;
    else if (to === SubsidyState.AWARDED) {
      const decisionDate = input.decisionDate ?? s.decisionDate;
      if (!decisionDate || s.instalments.some((i) => i.dueOn < decisionDate)) expected = ErrorCode.BAD_USER_INPUT;
    } else if (to === SubsidyState.CANCELLED && s.received !== 0n) expected = ErrorCode.CONFLICT;
    else if (to === SubsidyState.CLAWED_BACK && (clawbackAmount == null || clawbackAmount > s.received))
      expected = ErrorCode.BAD_USER_INPUT;
    // A clawback lowers both awarded and received: beyond what was awarded (an overpayment) it would leave a negative award.
    else if (to === SubsidyState.CLAWED_BACK && clawbackAmount! > s.awarded) expected = 'REFUSED';
    return {
      label: `transition #${s.index} ${s.state} → ${to}${clawbackAmount != null ? ` clawing back ${clawbackAmount} (${s.received} received, ${s.awarded} awarded)` : ''}${
        op.reason ? '' : ' (no reason)'
      }`,
      expected,
      run: async (services) => ({ subsidyId: (await services.subsidies.transition(input)).id }),
      commit: () => {
        if (to === SubsidyState.AWARDED) {
          s.decisionDate = input.decisionDate ?? s.decisionDate;
          s.awarded += s.amountAwarded;
          this.addEntry(s, LedgerKind.AWARD, s.amountAwarded);
        }
        if (to === SubsidyState.CANCELLED) {
          for (const award of this.entries.filter((e) => e.subsidyId === s.id && e.kind === LedgerKind.AWARD && !e.reversed)) {
            award.reversed = true;
            s.awarded -= award.amount;
            this.addEntry(s, LedgerKind.REVERSAL, -award.amount, { reverses: award.id });
          }
        }
        if (to === SubsidyState.CLAWED_BACK) {
          s.awarded -= clawbackAmount!;
          s.received -= clawbackAmount!;
          this.addEntry(s, LedgerKind.CLAWBACK, -clawbackAmount!);
        }
        s.state = to;
      },
    };
  }
}
