import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Criterion, CriterionOutcome } from './admission-criteria.js';
import { DecisionMode } from './admission-rule-set.entity.js';
import { OrganisationKind } from './organisation-kind.js';

registerEnumType(Criterion, {
  name: 'Criterion',
  description: 'One admission criterion a collège can set.',
  valuesConfig: {
    ALLOWED_KINDS: { description: 'The organisation kind must be one of those listed.' },
    EXCLUDED_KINDS: { description: 'The organisation kind must not be one of those listed.' },
    MIN_HEADCOUNT: { description: 'At least this many employees.' },
    MAX_HEADCOUNT: { description: 'At most this many employees.' },
    MAX_AGE: { description: 'Founded less than this many full years ago.' },
    REQUIRED_AFFILIATIONS: { description: 'Declared affiliations must include these (case-insensitive).' },
    ALLOWED_REGIONS: { description: 'Located in one of these regions.' },
    ALLOWED_DEPARTEMENTS: { description: 'Located in one of these départements.' },
    SPONSORS: { description: 'Backed by this many active members of the collège.' },
    CHARTER: { description: "Has signed the cluster's current charter of good practices." },
  },
});

registerEnumType(CriterionOutcome, {
  name: 'CriterionOutcome',
  description: 'How an application fares on one criterion.',
  valuesConfig: {
    PASSED: { description: 'Met.' },
    FAILED: { description: 'Not met.' },
    PENDING: { description: 'Not decided yet: a fact is unknown, or sponsors or the charter signature may still come.' },
  },
});

@ObjectType({ description: "One criterion's outcome for an application, with a human-readable detail." })
export class CriterionResultType {
  @Field(() => Criterion, { description: 'The criterion.' })
  criterion!: Criterion;

  @Field(() => CriterionOutcome, { description: 'Passed, failed or pending.' })
  outcome!: CriterionOutcome;

  @Field({ description: 'Why, e.g. "headcount 320 > maximum 250".' })
  detail!: string;
}

@ObjectType('AdmissionCriteria', { description: 'The criteria of one rule version. An absent criterion admits everyone on that point.' })
export class AdmissionCriteriaType {
  @Field(() => [OrganisationKind], { nullable: true, description: 'Only these organisation kinds.' })
  allowedKinds?: OrganisationKind[];

  @Field(() => [OrganisationKind], { nullable: true, description: 'Never these organisation kinds.' })
  excludedKinds?: OrganisationKind[];

  @Field(() => Int, { nullable: true, description: 'Minimum headcount.' })
  minHeadcount?: number;

  @Field(() => Int, { nullable: true, description: 'Maximum headcount.' })
  maxHeadcount?: number;

  @Field(() => Int, { nullable: true, description: 'Founded less than this many full years ago.' })
  maxAgeYears?: number;

  @Field(() => [String], { nullable: true, description: 'Affiliations required, e.g. "France Clusters".' })
  requiredAffiliations?: string[];

  @Field(() => [String], { nullable: true, description: 'Allowed regions.' })
  allowedRegions?: string[];

  @Field(() => [String], { nullable: true, description: 'Allowed départements.' })
  allowedDepartements?: string[];

  @Field(() => Int, { nullable: true, description: 'Sponsoring active members required.' })
  sponsorsRequired?: number;

  @Field(() => Boolean, { nullable: true, description: "Signature of the cluster's current charter required." })
  charterRequired?: boolean;
}

@InputType({ description: "A collège's admission criteria. Omit a criterion to admit everyone on that point." })
export class AdmissionCriteriaInput {
  @Field(() => [OrganisationKind], { nullable: true, description: 'Only these organisation kinds.' })
  @IsOptional()
  @IsEnum(OrganisationKind, { each: true })
  allowedKinds?: OrganisationKind[];

  @Field(() => [OrganisationKind], { nullable: true, description: 'Never these organisation kinds.' })
  @IsOptional()
  @IsEnum(OrganisationKind, { each: true })
  excludedKinds?: OrganisationKind[];

  @Field(() => Int, { nullable: true, description: 'Minimum headcount (0 or more).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  minHeadcount?: number;

  @Field(() => Int, { nullable: true, description: 'Maximum headcount (0 or more).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  maxHeadcount?: number;

  @Field(() => Int, { nullable: true, description: 'Founded less than this many full years ago (1–200).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  maxAgeYears?: number;

  @Field(() => [String], { nullable: true, description: 'Affiliations required.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  requiredAffiliations?: string[];

  @Field(() => [String], { nullable: true, description: 'Allowed regions (names of the 2016 regions, e.g. "Occitanie").' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  allowedRegions?: string[];

  @Field(() => [String], { nullable: true, description: 'Allowed départements (01–95, 2A, 2B, 971–976).' })
  @IsOptional()
  @ArrayMaxSize(110)
  @IsString({ each: true })
  allowedDepartements?: string[];

  @Field(() => Int, { nullable: true, description: 'Sponsoring active members required (0–10).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  sponsorsRequired?: number;

  @Field(() => Boolean, { nullable: true, description: "Require a signature of the cluster's current charter." })
  @IsOptional()
  @IsBoolean()
  charterRequired?: boolean;
}

@InputType({ description: "A new version of a collège's admission rules." })
export class SetAdmissionRulesInput {
  @Field(() => ID, { description: 'The collège.' })
  @IsUUID()
  collegeId!: string;

  @Field(() => AdmissionCriteriaInput, { description: 'The criteria.' })
  @ValidateNested()
  criteria!: AdmissionCriteriaInput;

  @Field(() => DecisionMode, { description: 'Who decides on applications.' })
  @IsEnum(DecisionMode)
  decisionMode!: DecisionMode;

  @Field({ nullable: true, description: 'Why these rules, e.g. "adopted by the collège on 2026-10-02".' })
  @IsOptional()
  @MaxLength(2000)
  note?: string;
}
