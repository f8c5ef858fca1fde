import { IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../shared/scalars.js';
import { SizeClass } from './french-identifiers.js';
import { MembershipStatus } from './membership.entity.js';
import { IsDepartement } from './organisation.inputs.js';

@InputType({ description: 'Which members to list.' })
export class MemberFilterInput {
  @Field(() => [MembershipStatus], {
    nullable: true,
    description: 'Only these statuses (default: ACTIVE and SUSPENDED, the current members).',
  })
  @IsOptional()
  @IsEnum(MembershipStatus, { each: true })
  statuses?: MembershipStatus[];

  @Field(() => SizeClass, { nullable: true, description: 'Only organisations of this size class.' })
  @IsOptional()
  @IsEnum(SizeClass)
  sizeClass?: SizeClass;

  @Field({ nullable: true, description: 'Only organisations in this département.' })
  @IsOptional()
  @IsDepartement()
  departement?: string;

  @Field(() => LocalDate, {
    nullable: true,
    description:
      'The members as they stood at the end of this day: memberships started by then and not ended by then (before a fusion: the absorbed clusters’ members still in their collèges). `statuses` then filters on today’s status.',
  })
  @IsOptional()
  asOf?: string;

  @Field({ nullable: true, description: 'Only organisations whose name contains this text (case-insensitive).' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

@InputType({ description: 'A lifecycle step on a membership.' })
export class MembershipChangeInput {
  @Field(() => ID, { description: 'The membership.' })
  @IsUUID()
  membershipId!: string;

  @Field({ nullable: true, description: 'Why (required to suspend or exclude).' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}

@InputType({ description: 'Moving a member to another collège of the same cluster.' })
export class TransferMembershipInput {
  @Field(() => ID, { description: 'The membership to end.' })
  @IsUUID()
  membershipId!: string;

  @Field(() => ID, { description: 'The collège the member moves to.' })
  @IsUUID()
  toCollegeId!: string;

  @Field({ nullable: true, description: 'Why.' })
  @IsOptional()
  @MaxLength(2000)
  reason?: string;
}
