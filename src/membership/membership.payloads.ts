import { Field, Int, ObjectType } from 'type-graphql';
import { SizeClass } from './french-identifiers.js';
import { Membership } from './membership.entity.js';

@ObjectType({ description: 'Members and employees of one size class.' })
export class SizeClassCount {
  @Field(() => SizeClass, { nullable: true, description: 'The size class (null: headcount unknown).' })
  sizeClass!: SizeClass | null;

  @Field(() => Int, { description: 'Active members of this class.' })
  members!: number;

  @Field(() => Int, { description: 'Their employees.' })
  headcount!: number;
}

@ObjectType({ description: 'A collège\'s figures, as the documents quote them ("150 members, 14 000 employees").' })
export class CollegeStats {
  @Field(() => Int, { description: 'Active members.' })
  activeMembers!: number;

  @Field(() => Int, { description: 'Suspended members.' })
  suspendedMembers!: number;

  @Field(() => Int, { description: 'Employees of the active members (known headcounts).' })
  totalHeadcount!: number;

  @Field(() => [SizeClassCount], { description: 'Active members by size class: TPE, PME, ETI, GE, unknown.' })
  bySizeClass!: SizeClassCount[];
}

@ObjectType({ description: 'The membership as it now stands (after a transfer: the new one).' })
export class MembershipPayload {
  @Field(() => Membership, { description: 'The membership.' })
  membership!: Membership;
}
