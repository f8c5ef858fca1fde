import { Majority, Weighting, type VotingRules } from './voting-rules.js';

/** An exact non-negative fraction: weights are compared without rounding (exactly two-thirds is two-thirds). */
export class Fraction {
  readonly n: bigint;
  readonly d: bigint;

  constructor(n: bigint, d: bigint = 1n) {
    if (d === 0n) throw new Error('fraction with a zero denominator');
    const g = gcd(n < 0n ? -n : n, d);
    this.n = n / g;
    this.d = d / g;
  }

  static readonly ZERO = new Fraction(0n);

  add(other: Fraction): Fraction {
    return new Fraction(this.n * other.d + other.n * this.d, this.d * other.d);
  }

  mul(other: Fraction): Fraction {
    return new Fraction(this.n * other.n, this.d * other.d);
  }

  /** −1, 0 or 1. */
  compare(other: Fraction): number {
    const left = this.n * other.d;
    const right = other.n * this.d;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  toString(): string {
    return this.d === 1n ? `${this.n}` : `${this.n}/${this.d}`;
  }

  /** Approximate percentage, for display only. */
  percent(): number {
    return Number((this.n * 1_000_000n) / this.d) / 10_000;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/** One collège's (or the collège-less voters') counts, as SQL aggregates them at close. */
export interface CollegeCount {
  collegeId: string | null;
  electorate: number;
  for: number;
  against: number;
  abstain: number;
}

export enum TallyReason {
  ADOPTED = 'ADOPTED',
  QUORUM_NOT_REACHED = 'QUORUM_NOT_REACHED',
  NO_VOTES_EXPRESSED = 'NO_VOTES_EXPRESSED',
  MAJORITY_NOT_REACHED = 'MAJORITY_NOT_REACHED',
  DOUBLE_MAJORITY_NOT_REACHED = 'DOUBLE_MAJORITY_NOT_REACHED',
}

export interface CollegeResult extends CollegeCount {
  ballots: number;
  /** Fixed share from the rules (basis points), COLLEGE_WEIGHTED only. */
  weightBasisPoints: number | null;
  /** Share of the result after renormalisation (0 when it dropped out). */
  effectiveShare: Fraction;
  /** Whether the majority is reached inside this collège (one voter one vote). */
  majorityReached: boolean;
}

export interface Tally {
  electorate: number;
  ballots: number;
  quorumReached: boolean;
  for: number;
  against: number;
  abstain: number;
  /** Shares of the result; for PER_VOTER, the raw counts over all ballots. */
  weightedFor: Fraction;
  weightedAgainst: Fraction;
  weightedAbstain: Fraction;
  majorityReached: boolean;
  collegesWithMajority: number;
  doubleMajorityReached: boolean | null;
  adopted: boolean;
  reason: TallyReason;
  colleges: CollegeResult[];
}

/** Whether `majority` is reached by these votes (counts or weights alike). */
export function majorityReached(
  majority: Majority,
  abstentionsCount: boolean,
  votesFor: Fraction,
  against: Fraction,
  abstain: Fraction,
): boolean {
  const all = votesFor.add(against).add(abstain);
  switch (majority) {
    case Majority.SIMPLE:
      return votesFor.compare(against) > 0;
    case Majority.ABSOLUTE:
      return votesFor.mul(new Fraction(2n)).compare(all) > 0;
    case Majority.TWO_THIRDS:
    case Majority.THREE_QUARTERS: {
      const base = abstentionsCount ? all : votesFor.add(against);
      if (base.n === 0n) return false;
      const [num, den] = majority === Majority.TWO_THIRDS ? [2n, 3n] : [3n, 4n];
      return votesFor.mul(new Fraction(den)).compare(base.mul(new Fraction(num))) >= 0;
    }
  }
}

const count = (n: number) => new Fraction(BigInt(n));

/**
 * The result of a vote from the per-collège counts and the rules. Quorum: ballots × 10 000 ≥
 * quorum (basis points) × electorate. Majority: on the weighted shares (COLLEGE_WEIGHTED) or the
 * raw counts (PER_VOTER). Double majority: the same majority, one voter one vote, inside at
 * least K collèges. A vote where nothing is expressed is not adopted.
 */
export function tally(rules: VotingRules, counts: readonly CollegeCount[]): Tally {
  const weights = new Map(rules.collegeWeights.map((w) => [w.collegeId, w.weightBasisPoints]));
  const weighted = rules.weighting === Weighting.COLLEGE_WEIGHTED;
  const withBallots = counts.filter((c) => c.for + c.against + c.abstain > 0);
  const totalWeight = withBallots.reduce((sum, c) => sum + (weights.get(c.collegeId ?? '') ?? 0), 0);

  const colleges: CollegeResult[] = counts.map((c) => {
    const ballots = c.for + c.against + c.abstain;
    const weight = weighted ? (weights.get(c.collegeId ?? '') ?? 0) : null;
    const effectiveShare =
      weighted && ballots > 0 && weight && totalWeight > 0 ? new Fraction(BigInt(weight), BigInt(totalWeight)) : Fraction.ZERO;
    return {
      ...c,
      ballots,
      weightBasisPoints: weight,
      effectiveShare,
      majorityReached:
        ballots > 0 && majorityReached(rules.majority, rules.abstentionsCount, count(c.for), count(c.against), count(c.abstain)),
    };
  });

  const electorate = counts.reduce((sum, c) => sum + c.electorate, 0);
  const ballots = colleges.reduce((sum, c) => sum + c.ballots, 0);
  const votesFor = colleges.reduce((sum, c) => sum + c.for, 0);
  const against = colleges.reduce((sum, c) => sum + c.against, 0);
  const abstain = colleges.reduce((sum, c) => sum + c.abstain, 0);

  let weightedFor = Fraction.ZERO;
  let weightedAgainst = Fraction.ZERO;
  let weightedAbstain = Fraction.ZERO;
  if (weighted) {
    for (const c of colleges) {
      if (c.ballots === 0 || c.effectiveShare.n === 0n) continue;
      const per = c.effectiveShare.mul(new Fraction(1n, BigInt(c.ballots)));
      weightedFor = weightedFor.add(per.mul(count(c.for)));
      weightedAgainst = weightedAgainst.add(per.mul(count(c.against)));
      weightedAbstain = weightedAbstain.add(per.mul(count(c.abstain)));
    }
  } else if (ballots > 0) {
    weightedFor = new Fraction(BigInt(votesFor), BigInt(ballots));
    weightedAgainst = new Fraction(BigInt(against), BigInt(ballots));
    weightedAbstain = new Fraction(BigInt(abstain), BigInt(ballots));
  }

  const quorumReached = BigInt(ballots) * 10_000n >= BigInt(rules.quorumBasisPoints) * BigInt(electorate);
  // Abstentions are in the base of ABSOLUTE always, of qualified majorities when the rules say so, of SIMPLE never.
  const abstentionsInBase =
    rules.majority === Majority.ABSOLUTE ||
    (rules.abstentionsCount && (rules.majority === Majority.TWO_THIRDS || rules.majority === Majority.THREE_QUARTERS));
  const expressed = weightedFor.add(weightedAgainst).add(abstentionsInBase ? weightedAbstain : Fraction.ZERO);
  const majority =
    expressed.n > 0n && majorityReached(rules.majority, rules.abstentionsCount, weightedFor, weightedAgainst, weightedAbstain);
  // Voters attached to no collège are not a collège: they never count towards a double majority.
  const collegesWithMajority = colleges.filter((c) => c.collegeId !== null && c.majorityReached).length;
  const doubleMajorityReached = rules.doubleMajorityColleges ? collegesWithMajority >= rules.doubleMajorityColleges : null;

  let reason: TallyReason;
  if (!quorumReached) reason = TallyReason.QUORUM_NOT_REACHED;
  else if (expressed.n === 0n) reason = TallyReason.NO_VOTES_EXPRESSED;
  else if (!majority) reason = TallyReason.MAJORITY_NOT_REACHED;
  else if (doubleMajorityReached === false) reason = TallyReason.DOUBLE_MAJORITY_NOT_REACHED;
  else reason = TallyReason.ADOPTED;

  return {
    electorate,
    ballots,
    quorumReached,
    for: votesFor,
    against,
    abstain,
    weightedFor,
    weightedAgainst,
    weightedAbstain,
    majorityReached: majority,
    collegesWithMajority,
    doubleMajorityReached,
    adopted: reason === TallyReason.ADOPTED,
    reason,
    colleges,
  };
}
