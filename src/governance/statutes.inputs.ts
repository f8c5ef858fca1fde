import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { QuorumBasis } from './statutes.entity.js';
import { BodyKind } from './voting-body.entity.js';
import { Majority } from './voting-rules.js';

/**
 * The statutes' input is checked by the service, field by field, so that every problem comes back
 * at once in `extensions.fields` (INVALID_INPUT): here only the shapes GraphQL cannot say.
 */
@InputType({ description: 'The conditions of a dissolution (and so of a fusion): which body decides, its quorum and majority.' })
export class DissolutionConditionsInput {
  @Field(() => BodyKind, { description: 'The body that decides a dissolution (a configured body of the same cluster).' })
  @IsEnum(BodyKind)
  body!: BodyKind;

  @Field(() => Int, { description: 'Quorum of that deliberation, in basis points of its electorate (0–10 000).' })
  @IsInt()
  quorumBasisPoints!: number;

  @Field(() => Majority, { description: 'The majority that deliberation needs.' })
  @IsEnum(Majority)
  majority!: Majority;
}

@InputType({ description: 'A new version of a body’s statutory meeting rules (the previous versions stay on record).' })
export class SetBodyStatutesInput {
  @Field(() => ID, { description: 'The voting body (board or general assembly).' })
  @IsUUID()
  bodyId!: string;

  @Field(() => Int, { description: 'Notice delay, in whole days between the convocation and the meeting (0–366).' })
  @IsInt()
  noticeDays!: number;

  @Field(() => Int, { description: 'Quorum at a first convocation, in basis points of the convened electorate (0–10 000; 0: none).' })
  @IsInt()
  quorumFirstBasisPoints!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Quorum at a second convocation, in basis points (0–10 000, at most the first one’s); null or absent: none.',
  })
  @IsOptional()
  @IsInt()
  quorumSecondBasisPoints?: number | null;

  @Field(() => QuorumBasis, { description: 'Whom the quorum counts.' })
  @IsEnum(QuorumBasis)
  quorumBasis!: QuorumBasis;

  @Field({ description: 'Whether a member taking part remotely counts as present.' })
  @IsBoolean()
  remoteCountsAsPresent!: boolean;

  @Field(() => Int, { description: 'Pouvoirs one present member may hold (0–1 000; 0: no representation).' })
  @IsInt()
  pouvoirsPerHolder!: number;

  @Field(() => DissolutionConditionsInput, {
    nullable: true,
    description:
      'Required: the dissolution conditions, which a fusion deliberation must use (décret du 16 août 1901, art. 15-3). Missing: INVALID_INPUT on `input.dissolution`.',
  })
  @IsOptional()
  @ValidateNested()
  dissolution?: DissolutionConditionsInput | null;

  @Field(() => String, { nullable: true, description: 'Where these rules come from, e.g. "Statuts, art. 12" (up to 500 characters).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string | null;
}
