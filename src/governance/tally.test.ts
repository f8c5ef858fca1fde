import 'reflect-metadata';
import fc from 'fast-check';
import { Fraction, majorityReached, tally, TallyReason, type CollegeCount, type Tally } from './tally.js';
import { Majority, Secrecy, Weighting, type VotingRules } from './voting-rules.js';

/**
 * Unit tests of the vote tally (issue 5), against the contract written in the schema descriptions:
 *  - SIMPLE: more FOR than AGAINST; ABSOLUTE: FOR > half of all ballots cast, abstentions included;
 *    TWO_THIRDS / THREE_QUARTERS: FOR ≥ the fraction of the votes expressed (FOR + AGAINST, plus
 *    ABSTAIN when `abstentionsCount`), reached at exactly the fraction;
 *  - quorum: ballots × 10 000 ≥ quorumBasisPoints × electorate (ballots cast by proxy included);
 *  - COLLEGE_WEIGHTED: collèges with no ballot drop out, the others' fixed shares are renormalised
 *    to 100 %, and a collège's share is split equally between its ballots (abstentions included);
 *  - double majority: the same majority, one voter one vote, inside at least K collèges;
 *  - a vote where nothing is expressed is not adopted (NO_VOTES_EXPRESSED).
 */

const A = 'aaaaaaaa-0000-4000-8000-00000000000a';
const B = 'bbbbbbbb-0000-4000-8000-00000000000b';
const C = 'cccccccc-0000-4000-8000-00000000000c';
const D = 'dddddddd-0000-4000-8000-00000000000d';

/** Rules with neutral defaults: no quorum, simple majority, one voter one vote. */
function rules(overrides: Partial<VotingRules> = {}): VotingRules {
  return {
    quorumBasisPoints: 0,
    majority: Majority.SIMPLE,
    abstentionsCount: false,
    weighting: Weighting.PER_VOTER,
    collegeWeights: [],
    doubleMajorityColleges: null,
    proxyLimit: 1,
    proxySameCollege: false,
    secrecy: Secrecy.SECRET,
    ...overrides,
  };
}

/** COLLEGE_WEIGHTED rules from `{ collegeId: basis points }`. */
function weightedRules(weights: Record<string, number>, overrides: Partial<VotingRules> = {}): VotingRules {
  return rules({
    weighting: Weighting.COLLEGE_WEIGHTED,
    collegeWeights: Object.entries(weights).map(([collegeId, weightBasisPoints]) => ({ collegeId, weightBasisPoints })),
    ...overrides,
  });
}

interface Votes {
  electorate?: number;
  for?: number;
  against?: number;
  abstain?: number;
}

/** One collège's counts; the electorate defaults to exactly the voters who cast a ballot. */
function college(collegeId: string | null, votes: Votes): CollegeCount {
  const { for: votesFor = 0, against = 0, abstain = 0 } = votes;
  return { collegeId, electorate: votes.electorate ?? votesFor + against + abstain, for: votesFor, against, abstain };
}

/** A body without collèges (PER_VOTER). */
const everyone = (votes: Votes): CollegeCount[] => [college(null, votes)];

const frac = (n: number, d = 1) => new Fraction(BigInt(n), BigInt(d));

/** The three weighted shares as exact strings: [for, against, abstain]. */
const shares = (t: Tally) => [t.weightedFor.toString(), t.weightedAgainst.toString(), t.weightedAbstain.toString()];

const shareOf = (t: Tally, collegeId: string | null) => t.colleges.find((c) => c.collegeId === collegeId)!.effectiveShare.toString();

describe('Fraction', () => {
  it.each([
    [6n, 8n, '3/4'],
    [10n, 5n, '2'],
    [0n, 7n, '0'],
    [7n, 1n, '7'],
    [2000n, 3000n, '2/3'],
    [10n ** 30n, 3n * 10n ** 30n, '1/3'],
  ])('%p/%p is normalised to %p', (n, d, expected) => {
    expect(new Fraction(n, d).toString()).toBe(expected);
  });

  it('keeps its numerator and denominator in lowest terms', () => {
    const f = new Fraction(12n, 18n);
    expect([f.n, f.d]).toEqual([2n, 3n]);
    expect([Fraction.ZERO.n, Fraction.ZERO.d]).toEqual([0n, 1n]);
    expect(new Fraction(5n)).toEqual(new Fraction(10n, 2n));
  });

  it('refuses a zero denominator', () => {
    expect(() => new Fraction(1n, 0n)).toThrow(/zero denominator/);
  });

  it('adds and multiplies exactly', () => {
    expect(frac(1, 3).add(frac(1, 6)).toString()).toBe('1/2');
    expect(frac(1, 3).add(frac(1, 3)).add(frac(1, 3)).toString()).toBe('1');
    expect(frac(2, 3).mul(frac(3, 4)).toString()).toBe('1/2');
    expect(frac(5, 8).mul(frac(1, 2)).toString()).toBe('5/16');
    expect(frac(0).add(frac(3, 7)).toString()).toBe('3/7');
    expect(frac(0).mul(frac(3, 7)).toString()).toBe('0');
    // Where floating point drifts (0.1 + 0.2 !== 0.3), fractions do not.
    expect(frac(1, 10).add(frac(2, 10)).compare(frac(3, 10))).toBe(0);
  });

  it.each([
    [frac(2, 3), frac(4, 6), 0],
    [frac(2, 3), frac(666, 1000), 1],
    [frac(2, 3), frac(667, 1000), -1],
    [frac(1999, 3000), frac(2, 3), -1],
    [frac(0), Fraction.ZERO, 0],
    [frac(1), frac(9999, 10000), 1],
  ])('compares %s with %s: %p', (left, right, expected) => {
    expect(left.compare(right)).toBe(expected);
    expect(right.compare(left)).toBe(-expected || 0);
  });

  it.each([
    [frac(0), 0],
    [frac(1), 100],
    [frac(1, 8), 12.5],
    [frac(5, 8), 62.5],
    [frac(2, 3), 66.6666],
    [frac(1, 3), 33.3333],
    [frac(3, 4), 75],
  ])('shows %s as %p % (display only, truncated to 4 decimals)', (f, percent) => {
    expect(f.percent()).toBe(percent);
  });
});

describe('majorityReached', () => {
  const f = (n: number) => frac(n);
  it.each([
    // majority, abstentionsCount, for, against, abstain, reached
    [Majority.SIMPLE, false, 3, 2, 0, true],
    [Majority.SIMPLE, false, 2, 2, 0, false],
    [Majority.SIMPLE, false, 1, 0, 100, true],
    [Majority.SIMPLE, true, 1, 0, 100, true],
    [Majority.SIMPLE, false, 0, 0, 0, false],
    [Majority.ABSOLUTE, false, 3, 2, 2, false],
    [Majority.ABSOLUTE, true, 3, 2, 2, false],
    [Majority.ABSOLUTE, false, 4, 1, 3, false],
    [Majority.ABSOLUTE, false, 5, 1, 3, true],
    [Majority.TWO_THIRDS, false, 2, 1, 0, true],
    [Majority.TWO_THIRDS, false, 1999, 1001, 0, false],
    [Majority.TWO_THIRDS, false, 2, 1, 1, true],
    [Majority.TWO_THIRDS, true, 2, 1, 1, false],
    [Majority.TWO_THIRDS, false, 0, 0, 5, false],
    [Majority.TWO_THIRDS, true, 0, 0, 5, false],
    [Majority.THREE_QUARTERS, false, 3, 1, 0, true],
    [Majority.THREE_QUARTERS, false, 2999, 1001, 0, false],
    [Majority.THREE_QUARTERS, true, 3, 1, 1, false],
  ])(
    '%s (abstentions count: %p) with %p for, %p against, %p abstain → %p',
    (majority, abstentionsCount, votesFor, against, abstain, expected) => {
      expect(majorityReached(majority, abstentionsCount, f(votesFor), f(against), f(abstain))).toBe(expected);
    },
  );

  it('works on weighted shares as on counts', () => {
    // Exactly two-thirds of the shares, and a hair under it.
    expect(majorityReached(Majority.TWO_THIRDS, false, frac(2, 3), frac(1, 3), Fraction.ZERO)).toBe(true);
    expect(majorityReached(Majority.TWO_THIRDS, false, frac(6666, 10000), frac(3334, 10000), Fraction.ZERO)).toBe(false);
    expect(majorityReached(Majority.THREE_QUARTERS, true, frac(3, 4), frac(1, 8), frac(1, 8))).toBe(true);
  });
});

describe('tally: ties and simple majority', () => {
  it('rejects a 2–2 tie', () => {
    const t = tally(rules(), everyone({ for: 2, against: 2 }));
    expect(t).toMatchObject({ for: 2, against: 2, abstain: 0, ballots: 4, majorityReached: false, adopted: false });
    expect(t.reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
    expect(shares(t)).toEqual(['1/2', '1/2', '0']);
  });

  it('adopts 3–2', () => {
    const t = tally(rules(), everyone({ for: 3, against: 2 }));
    expect(t.adopted).toBe(true);
    expect(t.reason).toBe(TallyReason.ADOPTED);
  });

  it('rejects a tie whatever the abstentions', () => {
    expect(tally(rules(), everyone({ for: 2, against: 2, abstain: 7 })).reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
    expect(tally(rules({ abstentionsCount: true }), everyone({ for: 2, against: 2, abstain: 7 })).reason).toBe(
      TallyReason.MAJORITY_NOT_REACHED,
    );
  });

  it('ignores abstentions: 1 for, 0 against, 9 abstain is adopted', () => {
    const t = tally(rules(), everyone({ for: 1, abstain: 9 }));
    expect(t.adopted).toBe(true);
    expect(shares(t)).toEqual(['1/10', '0', '9/10']);
  });

  it.each([
    [{ for: 3, against: 2, abstain: 4 }],
    [{ for: 2, against: 2, abstain: 1 }],
    [{ for: 0, against: 0, abstain: 5 }],
    [{ for: 1, against: 0, abstain: 0 }],
  ])('does not depend on abstentionsCount (only a base for TWO_THIRDS / THREE_QUARTERS): %p', (votes) => {
    // abstentionsCount is documented as the base of TWO_THIRDS / THREE_QUARTERS only: under SIMPLE,
    // 5 abstentions and nothing else express nothing (NO_VOTES_EXPRESSED) whatever the flag.
    const without = tally(rules({ abstentionsCount: false }), everyone(votes));
    const withAbstentions = tally(rules({ abstentionsCount: true }), everyone(votes));
    expect(withAbstentions.adopted).toBe(without.adopted);
    expect(withAbstentions.majorityReached).toBe(without.majorityReached);
    expect(withAbstentions.reason).toBe(without.reason);
  });
});

describe('tally: two-thirds', () => {
  const twoThirds = (abstentionsCount = false) => rules({ majority: Majority.TWO_THIRDS, abstentionsCount });

  it.each([
    [2, 1, true],
    [20, 10, true],
    [2000, 1000, true],
    [1999, 1001, false],
    [1, 1, false],
    [3, 1, true],
    [1, 0, true],
    [0, 1, false],
  ])('%p for, %p against → adopted: %p', (votesFor, against, adopted) => {
    const t = tally(twoThirds(), everyone({ for: votesFor, against }));
    expect(t.adopted).toBe(adopted);
    expect(t.reason).toBe(adopted ? TallyReason.ADOPTED : TallyReason.MAJORITY_NOT_REACHED);
  });

  it('counts abstentions in the base only when abstentionsCount: 2 for, 1 against, 1 abstain', () => {
    const votes = { for: 2, against: 1, abstain: 1 };
    expect(tally(twoThirds(false), everyone(votes)).adopted).toBe(true);
    const counted = tally(twoThirds(true), everyone(votes));
    expect(counted.adopted).toBe(false);
    expect(counted.reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
  });

  it('is reached at exactly two-thirds with abstentions in the base: 4 for, 1 against, 1 abstain', () => {
    expect(tally(twoThirds(true), everyone({ for: 4, against: 1, abstain: 1 })).adopted).toBe(true);
    expect(tally(twoThirds(true), everyone({ for: 4, against: 1, abstain: 2 })).adopted).toBe(false);
  });

  it('is reached at exactly two-thirds of the weighted shares (no rounding)', () => {
    // A 40 % (1 for) + B 20 % (1 against) + C 40 % (2 for, 1 against):
    // for = 2/5 + 2/5 × 2/3 = 2/3 exactly; against = 1/5 + 2/5 × 1/3 = 1/3.
    const t = tally(weightedRules({ [A]: 4000, [B]: 2000, [C]: 4000 }, { majority: Majority.TWO_THIRDS }), [
      college(A, { for: 1 }),
      college(B, { against: 1 }),
      college(C, { for: 2, against: 1 }),
    ]);
    expect(shares(t)).toEqual(['2/3', '1/3', '0']);
    expect(t.adopted).toBe(true);
  });
});

describe('tally: three-quarters', () => {
  const threeQuarters = (abstentionsCount = false) => rules({ majority: Majority.THREE_QUARTERS, abstentionsCount });

  it.each([
    [3, 1, true],
    [3000, 1000, true],
    [2999, 1001, false],
    [2, 1, false],
    [74, 26, false],
    [75, 25, true],
  ])('%p for, %p against → adopted: %p', (votesFor, against, adopted) => {
    expect(tally(threeQuarters(), everyone({ for: votesFor, against })).adopted).toBe(adopted);
  });

  it('counts abstentions in the base only when abstentionsCount: 3 for, 1 against, 1 abstain', () => {
    const votes = { for: 3, against: 1, abstain: 1 };
    expect(tally(threeQuarters(false), everyone(votes)).adopted).toBe(true);
    expect(tally(threeQuarters(true), everyone(votes)).adopted).toBe(false);
    // 6 for, 1 against, 1 abstain: exactly 3/4 of 8.
    expect(tally(threeQuarters(true), everyone({ for: 6, against: 1, abstain: 1 })).adopted).toBe(true);
  });
});

describe('tally: absolute majority', () => {
  const absolute = (abstentionsCount = false) => rules({ majority: Majority.ABSOLUTE, abstentionsCount });

  it.each([
    // for, against, abstain, adopted
    [3, 2, 0, true],
    [3, 2, 2, false], // simple majority, but 3 is not more than half of 7 ballots
    [4, 1, 3, false], // exactly half of the ballots is not more than half
    [5, 1, 3, true],
    [4, 4, 0, false],
    [1, 0, 0, true],
  ])('%p for, %p against, %p abstain → adopted: %p', (votesFor, against, abstain, adopted) => {
    const votes = { for: votesFor, against, abstain };
    // Abstentions are always in the base of an absolute majority, whatever abstentionsCount says.
    expect(tally(absolute(false), everyone(votes)).adopted).toBe(adopted);
    expect(tally(absolute(true), everyone(votes)).adopted).toBe(adopted);
  });

  it('differs from SIMPLE on the same ballots when abstentions weigh', () => {
    const votes = everyone({ for: 3, against: 2, abstain: 2 });
    expect(tally(rules({ majority: Majority.SIMPLE }), votes).adopted).toBe(true);
    expect(tally(absolute(), votes).adopted).toBe(false);
  });

  it('applies to weighted shares, abstentions included', () => {
    // A 50 % (for), B 50 % (1 against, 1 abstain): for = 1/2, not more than half.
    const t = tally(weightedRules({ [A]: 5000, [B]: 5000 }, { majority: Majority.ABSOLUTE }), [
      college(A, { for: 1 }),
      college(B, { against: 1, abstain: 1 }),
    ]);
    expect(shares(t)).toEqual(['1/2', '1/4', '1/4']);
    expect(t.adopted).toBe(false);
    expect(t.reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
  });
});

describe('tally: quorum', () => {
  it.each([
    // quorum (basis points), electorate, ballots, reached
    [5000, 10, 5, true],
    [5000, 10, 4, false],
    [5000, 7, 4, true], // 40 000 ≥ 35 000
    [5000, 7, 3, false], // 30 000 < 35 000
    [3333, 7, 3, true], // 30 000 ≥ 23 331
    [3333, 7, 2, false], // 20 000 < 23 331
    [3334, 3, 1, false], // 10 000 < 10 002
    [3333, 3, 1, true], // 10 000 ≥ 9 999
    [6667, 3, 2, false], // 66.67 % of 3 needs all 3
    [6666, 3, 2, true],
    [10000, 10, 10, true],
    [10000, 10, 9, false],
    [1, 10000, 1, true],
    [1, 10001, 1, false],
    [5000, 10000, 5000, true],
    [5000, 10000, 4999, false],
    [0, 10, 1, true],
  ])('quorum %p bp of %p voters, %p ballots → reached: %p', (quorumBasisPoints, electorate, ballots, reached) => {
    expect(ballots * 10_000 >= quorumBasisPoints * electorate).toBe(reached); // the rule itself
    const t = tally(rules({ quorumBasisPoints }), everyone({ electorate, for: ballots }));
    expect(t.quorumReached).toBe(reached);
    expect(t.reason).toBe(reached ? TallyReason.ADOPTED : TallyReason.QUORUM_NOT_REACHED);
    expect(t.adopted).toBe(reached);
  });

  it('with a quorum of 0, no ballot at all still reaches it, but nothing is expressed', () => {
    const t = tally(rules({ quorumBasisPoints: 0 }), everyone({ electorate: 10 }));
    expect(t.quorumReached).toBe(true);
    expect(t.adopted).toBe(false);
    expect(t.reason).toBe(TallyReason.NO_VOTES_EXPRESSED);
  });

  it('counts every ballot cast, AGAINST and ABSTAIN included', () => {
    const t = tally(rules({ quorumBasisPoints: 5000 }), everyone({ electorate: 10, for: 1, against: 2, abstain: 2 }));
    expect(t.quorumReached).toBe(true);
    expect(t.ballots).toBe(5);
    expect(t.reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
  });

  it('sums electorates and ballots across collèges', () => {
    const counts = [
      college(A, { electorate: 4, for: 2 }),
      college(B, { electorate: 6, against: 2 }),
      college(C, { electorate: 10, abstain: 1 }),
    ];
    const reached = tally(rules({ quorumBasisPoints: 2500 }), counts);
    expect([reached.electorate, reached.ballots, reached.quorumReached]).toEqual([20, 5, true]);
    expect(tally(rules({ quorumBasisPoints: 2501 }), counts).quorumReached).toBe(false);
  });

  it('counts heads, not collège shares, under COLLEGE_WEIGHTED', () => {
    // A holds 90 % of the result but has 2 of the 10 voters: both voting is 20 % participation.
    const t = tally(weightedRules({ [A]: 9000, [B]: 1000 }, { quorumBasisPoints: 5000 }), [
      college(A, { electorate: 2, for: 2 }),
      college(B, { electorate: 8 }),
    ]);
    expect(t.quorumReached).toBe(false);
    expect(t.reason).toBe(TallyReason.QUORUM_NOT_REACHED);
  });

  it('is checked first: an unreached quorum wins over a reached majority, which is still reported', () => {
    const t = tally(rules({ quorumBasisPoints: 5000 }), everyone({ electorate: 10, for: 4 }));
    expect(t).toMatchObject({ quorumReached: false, majorityReached: true, adopted: false, reason: TallyReason.QUORUM_NOT_REACHED });
  });
});

describe('tally: zero electorate', () => {
  it.each([[0], [5000], [10000]])('adopts nothing with no voters (quorum %p bp)', (quorumBasisPoints) => {
    for (const counts of [[], everyone({ electorate: 0 }), [college(A, { electorate: 0 }), college(B, { electorate: 0 })]]) {
      const t = tally(rules({ quorumBasisPoints }), counts);
      expect(t).toMatchObject({ electorate: 0, ballots: 0, for: 0, against: 0, abstain: 0, adopted: false });
      expect(shares(t)).toEqual(['0', '0', '0']);
      expect(t.reason).not.toBe(TallyReason.ADOPTED);
    }
  });

  it('applies the quorum rule as written: 0 × 10 000 ≥ q × 0, so the quorum is reached and nothing is expressed', () => {
    // A quorum of 0 demands nothing; an empty ballot box is then "nothing expressed", as it is with voters.
    const t = tally(rules({ quorumBasisPoints: 0 }), everyone({ electorate: 0 }));
    expect(t.quorumReached).toBe(true);
    expect(t.reason).toBe(TallyReason.NO_VOTES_EXPRESSED);
  });
});

describe('tally: nothing expressed', () => {
  it('rejects all-abstain ballots with NO_VOTES_EXPRESSED (SIMPLE)', () => {
    const t = tally(rules({ quorumBasisPoints: 5000 }), everyone({ electorate: 10, abstain: 10 }));
    expect(t).toMatchObject({ quorumReached: true, majorityReached: false, adopted: false, reason: TallyReason.NO_VOTES_EXPRESSED });
    expect(shares(t)).toEqual(['0', '0', '1']);
  });

  it.each([Majority.TWO_THIRDS, Majority.THREE_QUARTERS])(
    'rejects all-abstain ballots with NO_VOTES_EXPRESSED (%s, abstentions not counted)',
    (majority) => {
      const t = tally(rules({ majority }), everyone({ abstain: 4 }));
      expect(t.adopted).toBe(false);
      expect(t.reason).toBe(TallyReason.NO_VOTES_EXPRESSED);
    },
  );

  it.each([
    [Majority.ABSOLUTE, false],
    [Majority.ABSOLUTE, true],
    [Majority.TWO_THIRDS, true],
    [Majority.THREE_QUARTERS, true],
  ])('never adopts all-abstain ballots (%s, abstentionsCount %p)', (majority, abstentionsCount) => {
    const t = tally(rules({ majority, abstentionsCount }), everyone({ abstain: 4 }));
    expect(t.adopted).toBe(false);
    expect(t.majorityReached).toBe(false);
  });

  it('rejects all-abstain ballots under COLLEGE_WEIGHTED', () => {
    const t = tally(weightedRules({ [A]: 6000, [B]: 4000 }), [college(A, { abstain: 3 }), college(B, { abstain: 1 })]);
    expect(shares(t)).toEqual(['0', '0', '1']);
    expect(t.adopted).toBe(false);
    expect(t.reason).toBe(TallyReason.NO_VOTES_EXPRESSED);
  });
});

describe('tally: COLLEGE_WEIGHTED', () => {
  const weights = { [A]: 5000, [B]: 3000, [C]: 2000 };

  it('splits each collège’s share equally between its ballots', () => {
    // A 50 %: 1 for, 1 against → 1/4 each; B 30 %: 3 for → 3/10; C 20 %: 1 abstain, 1 for → 1/10 each.
    const t = tally(weightedRules(weights), [
      college(A, { for: 1, against: 1 }),
      college(B, { for: 3 }),
      college(C, { for: 1, abstain: 1 }),
    ]);
    expect(shares(t)).toEqual(['13/20', '1/4', '1/10']);
    expect([shareOf(t, A), shareOf(t, B), shareOf(t, C)]).toEqual(['1/2', '3/10', '1/5']);
    expect(t.colleges.map((c) => c.weightBasisPoints)).toEqual([5000, 3000, 2000]);
  });

  it('drops a collège with no ballot and renormalises the others: 50/30/20 without C → 5/8 and 3/8', () => {
    const t = tally(weightedRules(weights), [
      college(A, { electorate: 4, for: 1, against: 1 }),
      college(B, { electorate: 3, for: 3 }),
      college(C, { electorate: 5 }),
    ]);
    expect([shareOf(t, A), shareOf(t, B), shareOf(t, C)]).toEqual(['5/8', '3/8', '0']);
    // for = 5/8 × 1/2 + 3/8 = 11/16; against = 5/8 × 1/2 = 5/16.
    expect(shares(t)).toEqual(['11/16', '5/16', '0']);
    // The empty collège still counts in the electorate.
    expect([t.electorate, t.ballots]).toEqual([12, 5]);
    expect(t.adopted).toBe(true);
  });

  it('renormalises with abstentions inside a collège', () => {
    const t = tally(weightedRules(weights), [college(A, { for: 1, against: 1 }), college(B, { for: 2, abstain: 1 }), college(C, {})]);
    // for = 5/16 + 3/8 × 2/3 = 9/16; against = 5/16; abstain = 3/8 × 1/3 = 1/8.
    expect(shares(t)).toEqual(['9/16', '5/16', '1/8']);
  });

  it('gives the whole result to the only collège that voted', () => {
    const t = tally(weightedRules(weights), [college(A, {}), college(B, {}), college(C, { for: 1, against: 3 })]);
    expect([shareOf(t, A), shareOf(t, B), shareOf(t, C)]).toEqual(['0', '0', '1']);
    expect(shares(t)).toEqual(['1/4', '3/4', '0']);
  });

  it('gives a collège the same share whatever its number of ballots', () => {
    const one = tally(weightedRules({ [A]: 5000, [B]: 5000 }), [college(A, { for: 1 }), college(B, { against: 1 })]);
    const many = tally(weightedRules({ [A]: 5000, [B]: 5000 }), [college(A, { for: 1 }), college(B, { against: 999 })]);
    expect(shares(one)).toEqual(['1/2', '1/2', '0']);
    expect(shares(many)).toEqual(['1/2', '1/2', '0']);
  });

  it('ignores the ballots of a collège with no weight entry, but counts them in participation', () => {
    // D has voters but no share in the rules: it holds 0 % of the result; A and B share 100 %.
    const t = tally(weightedRules({ [A]: 6000, [B]: 4000 }, { quorumBasisPoints: 5000 }), [
      college(A, { electorate: 2, against: 1 }),
      college(B, { electorate: 2, for: 1 }),
      college(D, { electorate: 4, for: 3 }),
    ]);
    expect(t.colleges.find((c) => c.collegeId === D)).toMatchObject({ weightBasisPoints: 0, ballots: 3 });
    expect([shareOf(t, A), shareOf(t, B), shareOf(t, D)]).toEqual(['3/5', '2/5', '0']);
    expect(shares(t)).toEqual(['2/5', '3/5', '0']);
    expect(t).toMatchObject({ ballots: 5, electorate: 8, quorumReached: true, for: 4, against: 1 });
    expect(t.reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
  });

  it('expresses nothing when only a collège with no weight entry voted', () => {
    const t = tally(weightedRules({ [A]: 6000, [B]: 4000 }), [college(A, {}), college(B, {}), college(D, { for: 3 })]);
    expect(shares(t)).toEqual(['0', '0', '0']);
    expect(t.adopted).toBe(false);
    expect(t.reason).toBe(TallyReason.NO_VOTES_EXPRESSED);
  });

  it('gives collège-less voters no share (their ballots count in participation only)', () => {
    const t = tally(weightedRules({ [A]: 10000 }), [college(A, { for: 1, against: 1 }), college(null, { for: 5 })]);
    expect(shareOf(t, null)).toBe('0');
    expect(shares(t)).toEqual(['1/2', '1/2', '0']);
    expect(t.ballots).toBe(7);
  });

  it('reports null weights under PER_VOTER', () => {
    const t = tally(rules(), [college(A, { for: 1 }), college(B, { against: 1 })]);
    expect(t.colleges.map((c) => [c.weightBasisPoints, c.effectiveShare.toString()])).toEqual([
      [null, '0'],
      [null, '0'],
    ]);
  });
});

describe('tally: PER_VOTER and COLLEGE_WEIGHTED on the same ballots', () => {
  // A: 2 voters holding 60 %, both FOR. B: 8 voters holding 40 %, 2 FOR, 6 AGAINST.
  const counts = [college(A, { for: 2 }), college(B, { for: 2, against: 6 })];

  it('rejects one voter one vote: 4 for, 6 against', () => {
    const t = tally(rules(), counts);
    expect(shares(t)).toEqual(['2/5', '3/5', '0']);
    expect(t.adopted).toBe(false);
    expect(t.reason).toBe(TallyReason.MAJORITY_NOT_REACHED);
  });

  it('adopts collège-weighted: 60 % + 40 % × 2/8 = 70 % for, even at two-thirds', () => {
    for (const majority of [Majority.SIMPLE, Majority.ABSOLUTE, Majority.TWO_THIRDS]) {
      const t = tally(weightedRules({ [A]: 6000, [B]: 4000 }, { majority }), counts);
      expect(shares(t)).toEqual(['7/10', '3/10', '0']);
      expect(t.adopted).toBe(true);
    }
    // …but not at three-quarters.
    expect(tally(weightedRules({ [A]: 6000, [B]: 4000 }, { majority: Majority.THREE_QUARTERS }), counts).adopted).toBe(false);
  });

  it('keeps the raw counts identical either way', () => {
    const perVoter = tally(rules(), counts);
    const weighted = tally(weightedRules({ [A]: 6000, [B]: 4000 }), counts);
    for (const t of [perVoter, weighted]) expect(t).toMatchObject({ for: 4, against: 6, abstain: 0, ballots: 10, electorate: 10 });
  });
});

describe('tally: proxies', () => {
  // From the tally's point of view a ballot cast by proxy is just a ballot of the principal: it
  // counts in participation and in the principal's collège. Counts are built here from ballots
  // the way SQL aggregates them at close.
  type Choice = 'FOR' | 'AGAINST' | 'ABSTAIN';
  interface Ballot {
    voter: string;
    collegeId: string;
    choice: Choice;
    /** The proxy holder who cast it, when not the voter. */
    castBy?: string;
  }

  function countBallots(electorate: Record<string, number>, ballots: readonly Ballot[]): CollegeCount[] {
    return Object.entries(electorate).map(([collegeId, size]) => {
      const mine = ballots.filter((b) => b.collegeId === collegeId);
      const n = (choice: Choice) => mine.filter((b) => b.choice === choice).length;
      return { collegeId, electorate: size, for: n('FOR'), against: n('AGAINST'), abstain: n('ABSTAIN') };
    });
  }

  const electorate = { [A]: 6, [B]: 4 };
  const present: Ballot[] = [
    { voter: 'alice', collegeId: A, choice: 'FOR' },
    { voter: 'bob', collegeId: A, choice: 'FOR' },
    { voter: 'chloé', collegeId: B, choice: 'AGAINST' },
  ];
  const byProxy: Ballot[] = [
    { voter: 'denis', collegeId: A, choice: 'FOR', castBy: 'alice' },
    // A holder of collège A votes for a principal of collège B (proxySameCollege false).
    { voter: 'emma', collegeId: B, choice: 'ABSTAIN', castBy: 'bob' },
  ];

  it('counts ballots cast by proxy in participation: 3 present + 2 proxies = 5 of 10 reaches 50 %', () => {
    const quorum = rules({ quorumBasisPoints: 5000 });
    const withoutProxies = tally(quorum, countBallots(electorate, present));
    expect([withoutProxies.ballots, withoutProxies.quorumReached]).toEqual([3, false]);
    const withProxies = tally(quorum, countBallots(electorate, [...present, ...byProxy]));
    expect([withProxies.ballots, withProxies.quorumReached]).toEqual([5, true]);
    expect(withProxies).toMatchObject({ for: 3, against: 1, abstain: 1, adopted: true });
  });

  it('counts a proxy ballot in its principal’s collège, with that collège’s weight', () => {
    const t = tally(weightedRules({ [A]: 5000, [B]: 5000 }), countBallots(electorate, [...present, ...byProxy]));
    expect(t.colleges.find((c) => c.collegeId === B)).toMatchObject({ ballots: 2, against: 1, abstain: 1 });
    // A: 3 for (1/2); B: 1 against, 1 abstain (1/4 each).
    expect(shares(t)).toEqual(['1/2', '1/4', '1/4']);
  });

  it('weighs a ballot cast by proxy exactly as the same ballot cast in person', () => {
    const inPerson = [...present, ...byProxy].map(({ voter, collegeId, choice }) => ({ voter, collegeId, choice }));
    for (const r of [rules({ quorumBasisPoints: 5000 }), weightedRules({ [A]: 7000, [B]: 3000 }, { majority: Majority.TWO_THIRDS })]) {
      expect(tally(r, countBallots(electorate, [...present, ...byProxy]))).toEqual(tally(r, countBallots(electorate, inPerson)));
    }
  });
});

describe('tally: double majority', () => {
  const weights = { [A]: 7000, [B]: 3000 };

  it('is not reached when the weighted majority holds in only 1 of K = 2 collèges', () => {
    // for = 70 % + 30 % × 1/3 = 80 %; but B is 1 for, 2 against.
    const t = tally(weightedRules(weights, { majority: Majority.TWO_THIRDS, doubleMajorityColleges: 2 }), [
      college(A, { for: 3 }),
      college(B, { for: 1, against: 2 }),
    ]);
    expect(shares(t)).toEqual(['4/5', '1/5', '0']);
    expect(t.colleges.map((c) => c.majorityReached)).toEqual([true, false]);
    expect(t).toMatchObject({
      majorityReached: true,
      collegesWithMajority: 1,
      doubleMajorityReached: false,
      adopted: false,
      reason: TallyReason.DOUBLE_MAJORITY_NOT_REACHED,
    });
  });

  it('is reached in 2 of K = 2 collèges (B at exactly two-thirds)', () => {
    const t = tally(weightedRules(weights, { majority: Majority.TWO_THIRDS, doubleMajorityColleges: 2 }), [
      college(A, { for: 3 }),
      college(B, { for: 2, against: 1 }),
    ]);
    expect(t).toMatchObject({ collegesWithMajority: 2, doubleMajorityReached: true, adopted: true, reason: TallyReason.ADOPTED });
  });

  it('is null without a double-majority rule', () => {
    const t = tally(weightedRules(weights), [college(A, { for: 3 }), college(B, { against: 3 })]);
    expect(t.doubleMajorityReached).toBeNull();
    expect(t.collegesWithMajority).toBe(1);
    expect(t.adopted).toBe(true);
  });

  it('counts each collège one voter one vote, not by weight', () => {
    // Inside B: 2 for, 1 against reaches SIMPLE; weights play no part inside a collège.
    const t = tally(weightedRules(weights, { doubleMajorityColleges: 2 }), [college(A, { for: 1 }), college(B, { for: 2, against: 1 })]);
    expect(t.colleges.map((c) => c.majorityReached)).toEqual([true, true]);
    expect(t.adopted).toBe(true);
  });

  it('applies the same majority, with the same abstention rule, inside each collège', () => {
    // B: 2 for, 1 against, 1 abstain: two-thirds only when abstentions stay out of the base.
    const counts = [college(A, { for: 5 }), college(B, { for: 2, against: 1, abstain: 1 })];
    const out = tally(weightedRules(weights, { majority: Majority.TWO_THIRDS, doubleMajorityColleges: 2 }), counts);
    expect(out.reason).toBe(TallyReason.ADOPTED);
    const inBase = tally(
      weightedRules(weights, { majority: Majority.TWO_THIRDS, abstentionsCount: true, doubleMajorityColleges: 2 }),
      counts,
    );
    expect(inBase.colleges.map((c) => c.majorityReached)).toEqual([true, false]);
    expect(inBase.reason).toBe(TallyReason.DOUBLE_MAJORITY_NOT_REACHED);
  });

  it('does not count a collège with no ballot', () => {
    const t = tally(weightedRules({ [A]: 5000, [B]: 3000, [C]: 2000 }, { doubleMajorityColleges: 3 }), [
      college(A, { for: 2 }),
      college(B, { for: 1 }),
      college(C, { electorate: 4 }),
    ]);
    expect(t).toMatchObject({ collegesWithMajority: 2, doubleMajorityReached: false, reason: TallyReason.DOUBLE_MAJORITY_NOT_REACHED });
  });

  it('does not count a collège tied inside', () => {
    const t = tally(rules({ doubleMajorityColleges: 2 }), [college(A, { for: 5 }), college(B, { for: 1, against: 1 })]);
    expect(t.reason).toBe(TallyReason.DOUBLE_MAJORITY_NOT_REACHED);
  });

  it('works under PER_VOTER too', () => {
    const counts = [college(A, { for: 9 }), college(B, { for: 1, against: 2 }), college(C, { for: 2, against: 1 })];
    expect(tally(rules({ doubleMajorityColleges: 2 }), counts).reason).toBe(TallyReason.ADOPTED);
    expect(tally(rules({ doubleMajorityColleges: 3 }), counts).reason).toBe(TallyReason.DOUBLE_MAJORITY_NOT_REACHED);
  });

  it('comes after the overall majority: a majority not reached overall is reported as such', () => {
    const t = tally(rules({ doubleMajorityColleges: 1 }), [college(A, { for: 2, against: 1 }), college(B, { against: 5 })]);
    expect(t).toMatchObject({ majorityReached: false, doubleMajorityReached: true, reason: TallyReason.MAJORITY_NOT_REACHED });
  });

  it('does not count the collège-less voters as a collège', () => {
    // Only A is a collège; the voters without a collège are not one, so K = 2 cannot be met.
    const t = tally(rules({ doubleMajorityColleges: 2 }), [college(A, { for: 2 }), college(null, { for: 3 })]);
    expect(t.collegesWithMajority).toBe(1);
    expect(t.doubleMajorityReached).toBe(false);
    expect(t.reason).toBe(TallyReason.DOUBLE_MAJORITY_NOT_REACHED);
  });
});

describe('tally: properties', () => {
  const POOL = [A, B, C, D, 'eeeeeeee-0000-4000-8000-00000000000e'];

  /** 1 to 5 collèges with valid weights (a positive share each, adding up to 10 000 basis points). */
  const collegesArb = fc.integer({ min: 1, max: POOL.length }).chain((k) =>
    fc.uniqueArray(fc.integer({ min: 1, max: 9999 }), { minLength: k - 1, maxLength: k - 1 }).map((cuts) => {
      const bounds = [0, ...cuts.sort((x, y) => x - y), 10_000];
      return POOL.slice(0, k).map((collegeId, i) => ({ collegeId, weightBasisPoints: bounds[i + 1] - bounds[i] }));
    }),
  );

  // Zeros are frequent, so that empty collèges, all-abstain votes and empty ballot boxes come up.
  const votesArb = fc.oneof(
    { weight: 2, arbitrary: fc.constant(0) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 4 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) },
  );

  /** One collège's counts; about one collège in four casts no ballot at all. */
  const countArb = (collegeId: string) =>
    fc
      .record({ for: votesArb, against: votesArb, abstain: votesArb, absent: fc.integer({ min: 0, max: 50 }), silent: fc.nat({ max: 3 }) })
      .map(({ absent, silent, ...v }): CollegeCount => {
        const votes = silent === 0 ? { for: 0, against: 0, abstain: 0 } : v;
        return { collegeId, ...votes, electorate: votes.for + votes.against + votes.abstain + absent };
      });

  const scenarioArb = collegesArb.chain((weights) =>
    fc
      .record({
        rules: fc.record({
          quorumBasisPoints: fc.oneof(fc.constantFrom(0, 5000, 10_000), fc.integer({ min: 0, max: 10_000 })),
          majority: fc.constantFrom(...Object.values(Majority)),
          abstentionsCount: fc.boolean(),
          weighting: fc.constantFrom(...Object.values(Weighting)),
          doubleMajorityColleges: fc.option(fc.integer({ min: 1, max: weights.length }), { nil: null }),
        }),
        counts: fc.tuple(...weights.map((w) => countArb(w.collegeId))),
        // A permutation of the collèges, to reorder counts and weights.
        order: fc.shuffledSubarray(
          weights.map((_, i) => i),
          { minLength: weights.length, maxLength: weights.length },
        ),
      })
      .map(({ rules: r, counts, order }) => {
        const full = rules({ ...r, collegeWeights: r.weighting === Weighting.COLLEGE_WEIGHTED ? weights : [] });
        return { rules: full, counts: counts.filter((c) => c.electorate > 0 || c.collegeId === A), order };
      }),
  );

  const numRuns = 1000;
  const total = (t: Tally) => t.weightedFor.add(t.weightedAgainst).add(t.weightedAbstain);

  it('weighted shares add up to exactly 1 when a ballot was cast, 0 otherwise', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules: r, counts }) => {
        const t = tally(r, counts);
        expect(total(t).toString()).toBe(t.ballots > 0 ? '1' : '0');
        expect(t.ballots).toBe(t.for + t.against + t.abstain);
        expect(t.electorate).toBeGreaterThanOrEqual(t.ballots);
        if (r.weighting === Weighting.COLLEGE_WEIGHTED) {
          const effective = t.colleges.reduce((sum, c) => sum.add(c.effectiveShare), Fraction.ZERO);
          expect(effective.toString()).toBe(t.ballots > 0 ? '1' : '0');
        }
      }),
      { numRuns },
    );
  });

  it('adopts iff quorum, majority and double majority (when required) are reached and something is expressed', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules: r, counts }) => {
        const t = tally(r, counts);
        const abstentionsExpressed = r.abstentionsCount || r.majority === Majority.ABSOLUTE;
        const expressed = t.weightedFor.add(t.weightedAgainst).add(abstentionsExpressed ? t.weightedAbstain : Fraction.ZERO).n > 0n;
        const adopted = t.quorumReached && t.majorityReached && t.doubleMajorityReached !== false && expressed;
        expect(t.adopted).toBe(adopted);
        expect(t.reason === TallyReason.ADOPTED).toBe(adopted);
        if (!t.quorumReached) expect(t.reason).toBe(TallyReason.QUORUM_NOT_REACHED);
        else if (t.majorityReached && t.doubleMajorityReached === false) expect(t.reason).toBe(TallyReason.DOUBLE_MAJORITY_NOT_REACHED);
        else if (!t.majorityReached) expect([TallyReason.MAJORITY_NOT_REACHED, TallyReason.NO_VOTES_EXPRESSED]).toContain(t.reason);
        if (t.reason === TallyReason.NO_VOTES_EXPRESSED) expect(t.weightedFor.add(t.weightedAgainst).n).toBe(0n);
      }),
      { numRuns },
    );
  });

  it('agrees with a direct reading of the contract', () => {
    /** The majority as the schema describes it, by cross-multiplication. */
    const reached = (majority: Majority, abstentionsCount: boolean, f: Fraction, a: Fraction, ab: Fraction): boolean => {
      const times = (x: Fraction, k: number) => x.mul(frac(k));
      switch (majority) {
        case Majority.SIMPLE:
          return f.compare(a) > 0;
        case Majority.ABSOLUTE:
          return times(f, 2).compare(f.add(a).add(ab)) > 0;
        case Majority.TWO_THIRDS:
        case Majority.THREE_QUARTERS: {
          const base = abstentionsCount ? f.add(a).add(ab) : f.add(a);
          const [num, den] = majority === Majority.TWO_THIRDS ? [2, 3] : [3, 4];
          return base.n > 0n && times(f, den).compare(times(base, num)) >= 0;
        }
      }
    };

    fc.assert(
      fc.property(scenarioArb, ({ rules: r, counts }) => {
        const t = tally(r, counts);
        const electorate = counts.reduce((s, c) => s + c.electorate, 0);
        const ballotsOf = (c: CollegeCount) => c.for + c.against + c.abstain;
        const ballots = counts.reduce((s, c) => s + ballotsOf(c), 0);

        let shares = [Fraction.ZERO, Fraction.ZERO, Fraction.ZERO];
        if (r.weighting === Weighting.PER_VOTER) {
          if (ballots > 0) {
            const sum = (key: 'for' | 'against' | 'abstain') =>
              frac(
                counts.reduce((s, c) => s + c[key], 0),
                ballots,
              );
            shares = [sum('for'), sum('against'), sum('abstain')];
          }
        } else {
          const voting = counts.filter((c) => ballotsOf(c) > 0);
          const weightOf = (c: CollegeCount) => r.collegeWeights.find((w) => w.collegeId === c.collegeId)!.weightBasisPoints;
          const totalWeight = voting.reduce((s, c) => s + weightOf(c), 0);
          for (const c of voting) {
            const perBallot = frac(weightOf(c), totalWeight * ballotsOf(c));
            shares = [
              shares[0].add(perBallot.mul(frac(c.for))),
              shares[1].add(perBallot.mul(frac(c.against))),
              shares[2].add(perBallot.mul(frac(c.abstain))),
            ];
          }
        }
        expect([t.weightedFor, t.weightedAgainst, t.weightedAbstain].map(String)).toEqual(shares.map(String));

        const quorum = BigInt(ballots) * 10_000n >= BigInt(r.quorumBasisPoints) * BigInt(electorate);
        const majority = reached(r.majority, r.abstentionsCount, shares[0], shares[1], shares[2]);
        const inColleges = counts.filter(
          (c) => ballotsOf(c) > 0 && reached(r.majority, r.abstentionsCount, frac(c.for), frac(c.against), frac(c.abstain)),
        ).length;
        const double = r.doubleMajorityColleges ? inColleges >= r.doubleMajorityColleges : null;

        expect(t.electorate).toBe(electorate);
        expect(t.ballots).toBe(ballots);
        if (electorate > 0) expect(t.quorumReached).toBe(quorum); // an empty electorate has its own test
        expect(t.majorityReached).toBe(majority);
        expect(t.collegesWithMajority).toBe(inColleges);
        expect(t.doubleMajorityReached).toBe(double);
        if (electorate > 0) expect(t.adopted).toBe(quorum && majority && double !== false);
      }),
      { numRuns },
    );
  });

  it('does not depend on the order of the collèges (counts or weights)', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules: r, counts, order }) => {
        const permute = <T>(xs: readonly T[]) => order.filter((i) => i < xs.length).map((i) => xs[i]);
        const reordered = tally({ ...r, collegeWeights: permute(r.collegeWeights) }, permute(counts));
        const original = tally(r, counts);
        const { colleges: originalColleges, ...originalResult } = original;
        const { colleges: reorderedColleges, ...reorderedResult } = reordered;
        expect(reorderedResult).toEqual(originalResult);
        const byId = (cs: Tally['colleges']) => [...cs].sort((x, y) => (x.collegeId ?? '').localeCompare(y.collegeId ?? ''));
        expect(byId(reorderedColleges)).toEqual(byId(originalColleges));
      }),
      { numRuns },
    );
  });

  it('under PER_VOTER without double majority, does not depend on how voters are split into collèges', () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules: r, counts }) => {
        const perVoter = { ...r, weighting: Weighting.PER_VOTER, collegeWeights: [], doubleMajorityColleges: null };
        const merged: CollegeCount = counts.reduce((m, c) => ({
          collegeId: null,
          electorate: m.electorate + c.electorate,
          for: m.for + c.for,
          against: m.against + c.against,
          abstain: m.abstain + c.abstain,
        }));
        const split = tally(perVoter, counts);
        const whole = tally(perVoter, [merged]);
        expect(shares(whole)).toEqual(shares(split));
        expect([whole.quorumReached, whole.majorityReached, whole.adopted, whole.reason]).toEqual([
          split.quorumReached,
          split.majorityReached,
          split.adopted,
          split.reason,
        ]);
      }),
      { numRuns },
    );
  });
});
