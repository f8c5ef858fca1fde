import { Field, InputType, Int, ObjectType, ID, registerEnumType } from 'type-graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsUUID, Max, Min, ValidateNested, ArrayMaxSize } from 'class-validator';
import type { FieldProblem } from '../shared/errors.js';

export enum Majority {
  SIMPLE = 'SIMPLE',
  ABSOLUTE = 'ABSOLUTE',
  TWO_THIRDS = 'TWO_THIRDS',
  THREE_QUARTERS = 'THREE_QUARTERS',
}

registerEnumType(Majority, {
  name: 'Majority',
  description: 'What it takes to adopt. Qualified majorities are reached at exactly the fraction (2 for, 1 against is two-thirds).',
  valuesConfig: {
    SIMPLE: { description: 'More FOR than AGAINST.' },
    ABSOLUTE: { description: 'FOR is more than half of all ballots cast (abstentions included).' },
    TWO_THIRDS: { description: 'FOR is at least two-thirds of the votes expressed (FOR + AGAINST, plus ABSTAIN when `abstentionsCount`).' },
    THREE_QUARTERS: { description: 'FOR is at least three-quarters of the votes expressed (as for TWO_THIRDS).' },
  },
});

export enum Weighting {
  PER_VOTER = 'PER_VOTER',
  COLLEGE_WEIGHTED = 'COLLEGE_WEIGHTED',
}

registerEnumType(Weighting, {
  name: 'Weighting',
  description: 'How ballots are weighed.',
  valuesConfig: {
    PER_VOTER: { description: 'One voter, one vote.' },
    COLLEGE_WEIGHTED: {
      description:
        'Each collège holds a fixed share of the result (`collegeWeights`, in basis points; every collège of the cluster has one when the rules are set — a collège created later weighs nothing until they are set again). Collèges with no ballot drop out and the shares of the others are renormalised to 100 %. Within a collège, its share is split equally between its ballots (abstentions included): a FOR ballot in a collège of share s with n ballots weighs s / n. Exact fractions, no rounding.',
    },
  },
});

export enum Secrecy {
  NAMED = 'NAMED',
  SECRET = 'SECRET',
}

registerEnumType(Secrecy, {
  name: 'Secrecy',
  description: 'Whether who voted what is known.',
  valuesConfig: {
    NAMED: { description: 'Each ballot names its voter (roll-call vote).' },
    SECRET: { description: 'The database keeps that a voter took part, and separately the ballot, with nothing linking the two.' },
  },
});

@ObjectType('CollegeWeight', { description: 'A collège’s fixed share of a COLLEGE_WEIGHTED vote.' })
@InputType('CollegeWeightInput', { description: 'A collège’s fixed share of a COLLEGE_WEIGHTED vote.' })
export class CollegeWeight {
  @Field(() => ID, { description: 'The collège (of the body’s cluster).' })
  @IsUUID()
  collegeId!: string;

  @Field(() => Int, { description: 'Its share in basis points (10 000 = 100 %); the shares add up to 10 000.' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  weightBasisPoints!: number;
}

/** A body's statutory voting rules; copied onto each proposal party when its voting opens. */
@ObjectType('VotingRules', { description: 'Statutory voting rules of a body, copied onto a proposal when voting opens.' })
@InputType('VotingRulesInput', { description: 'Statutory voting rules of a body.' })
export class VotingRules {
  @Field(() => Int, {
    description:
      'Quorum: the share of the electorate that must take part, in basis points (5 000 = 50 %; 0–10 000). Participation counts ballots cast, by proxy included.',
  })
  @IsInt()
  @Min(0)
  @Max(10_000)
  quorumBasisPoints!: number;

  @Field(() => Majority, { description: 'What it takes to adopt.' })
  @IsEnum(Majority)
  majority!: Majority;

  @Field({ description: 'Whether ABSTAIN ballots count in the base of TWO_THIRDS and THREE_QUARTERS majorities.' })
  @IsBoolean()
  abstentionsCount!: boolean;

  @Field(() => Weighting, { description: 'One voter one vote, or collège-weighted.' })
  @IsEnum(Weighting)
  weighting!: Weighting;

  @Field(() => [CollegeWeight], { description: 'For COLLEGE_WEIGHTED: each collège’s share, adding up to 100 %.' })
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  collegeWeights!: CollegeWeight[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Double majority: the same majority must also be reached inside at least this many collèges (counting their ballots one voter one vote).',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  doubleMajorityColleges?: number | null;

  @Field(() => Int, { description: 'How many proxies one voter may hold (0: no proxies).' })
  @IsInt()
  @Min(0)
  @Max(20)
  proxyLimit!: number;

  @Field({ description: 'Whether a proxy holder must belong to the principal’s collège.' })
  @IsBoolean()
  proxySameCollege!: boolean;

  @Field(() => Secrecy, { description: 'Roll-call or secret ballot.' })
  @IsEnum(Secrecy)
  secrecy!: Secrecy;
}

/** Problems of a rule set, each naming its field. `collegeIds`: the collèges of the body's cluster. */
export function votingRulesProblems(rules: VotingRules, collegeIds: readonly string[], prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field: `${prefix}.${field}`, messages: [message] });
  if (rules.quorumBasisPoints < 0 || rules.quorumBasisPoints > 10_000) add('quorumBasisPoints', 'must be between 0 and 10 000 (0–100 %)');
  const weights = rules.collegeWeights ?? [];
  if (rules.weighting === Weighting.COLLEGE_WEIGHTED) {
    const total = weights.reduce((sum, w) => sum + w.weightBasisPoints, 0);
    if (total !== 10_000) add('collegeWeights', `add up to ${total / 100} %, not 100 %`);
    const seen = new Set<string>();
    weights.forEach((w, i) => {
      if (!collegeIds.includes(w.collegeId)) add(`collegeWeights.${i}.collegeId`, 'is not a collège of this cluster');
      if (seen.has(w.collegeId)) add(`collegeWeights.${i}.collegeId`, 'appears twice');
      seen.add(w.collegeId);
    });
    const missing = collegeIds.filter((id) => !seen.has(id));
    if (missing.length) add('collegeWeights', `give every collège of the cluster a share (${missing.length} missing)`);
  } else if (weights.length) {
    add('collegeWeights', 'are only for COLLEGE_WEIGHTED votes');
  }
  if (rules.doubleMajorityColleges != null && rules.doubleMajorityColleges > collegeIds.length) {
    add('doubleMajorityColleges', `must not exceed the ${collegeIds.length} collèges of the cluster`);
  }
  return problems;
}
