import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Fraction, TallyReason, type Tally } from './tally.js';

registerEnumType(TallyReason, {
  name: 'TallyReason',
  description: 'Why a vote came out as it did.',
  valuesConfig: {
    ADOPTED: { description: 'Quorum and majority (and double majority, if required) reached.' },
    QUORUM_NOT_REACHED: { description: 'Too few of the electorate took part.' },
    NO_VOTES_EXPRESSED: { description: 'Nobody voted FOR or AGAINST (abstentions only, or no ballot).' },
    MAJORITY_NOT_REACHED: { description: 'The required majority was not reached.' },
    DOUBLE_MAJORITY_NOT_REACHED: { description: 'The majority was reached overall but not inside enough collèges.' },
  },
});

/** A share of the result, exactly and for display. */
@ObjectType({ description: 'A share of the result: exact fraction and percentage.' })
export class ShareType {
  @Field({ description: 'Exact fraction, e.g. "5/8" (or "0", "1").' })
  exact!: string;

  @Field(() => Float, { description: 'The same as a percentage (rounded to 4 decimals; display only).' })
  percent!: number;
}

const share = (f: Fraction): ShareType => ({ exact: f.toString(), percent: f.percent() });

/** The raw counts of a tally, for the whole body or one collège. */
@ObjectType()
abstract class BallotCounts {
  @Field(() => Int, { description: 'Voters in the snapshotted electorate (of this collège, for a collège’s part).' })
  electorate!: number;

  @Field(() => Int, { description: 'Ballots cast (participation), by proxy included.' })
  ballots!: number;

  @Field(() => Int, { description: 'FOR ballots.' })
  for!: number;

  @Field(() => Int, { description: 'AGAINST ballots.' })
  against!: number;

  @Field(() => Int, { description: 'ABSTAIN ballots.' })
  abstain!: number;
}

@ObjectType({ description: 'One collège’s part of a tally.' })
export class CollegeTallyType extends BallotCounts {
  @Field(() => ID, { nullable: true, description: 'The collège (null: voters attached to no collège).' })
  collegeId!: string | null;

  @Field(() => Int, { nullable: true, description: 'Fixed share from the rules (basis points), COLLEGE_WEIGHTED only.' })
  weightBasisPoints!: number | null;

  @Field(() => ShareType, { description: 'Share of the result after renormalisation (0 if it dropped out, or PER_VOTER).' })
  effectiveShare!: ShareType;

  @Field({ description: 'Whether the majority is reached inside this collège (one voter one vote).' })
  majorityReached!: boolean;
}

/** The tally as stored at close: recomputable from the published ballots and the rules. */
@ObjectType({ description: 'The result of one body’s vote, stored at close and recomputable from the published ballots and the rules.' })
export class TallyType extends BallotCounts {
  @Field({ description: 'ballots × 10 000 ≥ quorum (basis points) × electorate.' })
  quorumReached!: boolean;

  @Field(() => ShareType, { description: 'Weighted share FOR (PER_VOTER: FOR / ballots).' })
  weightedFor!: ShareType;

  @Field(() => ShareType, { description: 'Weighted share AGAINST.' })
  weightedAgainst!: ShareType;

  @Field(() => ShareType, { description: 'Weighted share ABSTAIN.' })
  weightedAbstain!: ShareType;

  @Field({ description: 'Whether the majority is reached.' })
  majorityReached!: boolean;

  @Field(() => Int, { description: 'Collèges where the majority is reached inside.' })
  collegesWithMajority!: number;

  @Field(() => Boolean, { nullable: true, description: 'Double majority reached (null when the rules ask none).' })
  doubleMajorityReached!: boolean | null;

  @Field({ description: 'Adopted by this body.' })
  adopted!: boolean;

  @Field(() => TallyReason, { description: 'Why.' })
  reason!: TallyReason;

  @Field(() => [CollegeTallyType], { description: 'Per collège.' })
  colleges!: CollegeTallyType[];
}

export type StoredTally = TallyType;

export function storeTally(t: Tally): StoredTally {
  return {
    ...t,
    weightedFor: share(t.weightedFor),
    weightedAgainst: share(t.weightedAgainst),
    weightedAbstain: share(t.weightedAbstain),
    colleges: t.colleges.map((c) => ({ ...c, effectiveShare: share(c.effectiveShare) })),
  };
}
