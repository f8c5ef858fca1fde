import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '../shared/pagination.js';
import { LocalDate } from '../shared/scalars.js';
import { PendingApplications, Proposal } from './proposal.entity.js';

@ObjectType({ description: 'Where the members of one collège of an absorbed cluster go.' })
export class CollegeMoveType {
  @Field(() => ID, { description: 'The absorbed cluster’s collège.' })
  fromCollegeId!: string;

  @Field(() => ID, { description: 'The absorbing cluster’s collège.' })
  toCollegeId!: string;
}

@ObjectType({ description: 'One absorbed cluster of a fusion plan.' })
export class AbsorbedClusterType {
  @Field(() => ID, { description: 'The absorbed cluster.' })
  clusterId!: string;

  @Field(() => ID, { nullable: true, description: 'Where members of collèges not in `collegeMoves` go.' })
  targetCollegeId!: string | null;

  @Field(() => [CollegeMoveType], { description: 'Per collège, where its members go.' })
  collegeMoves!: CollegeMoveType[];

  @Field(() => PendingApplications, { description: 'What happens to its pending applications.' })
  pendingApplications!: PendingApplications;
}

@ObjectType({ description: 'A validated fusion plan.' })
export class FusionPlanType {
  @Field(() => ID, { description: 'The absorbing cluster.' })
  absorbingClusterId!: string;

  @Field(() => LocalDate, { description: 'When the fusion takes effect.' })
  effectiveDate!: string;

  @Field(() => [AbsorbedClusterType], { description: 'The absorbed clusters.' })
  absorbed!: AbsorbedClusterType[];
}

@ObjectType({ description: 'The proposal as it now stands.' })
export class ProposalPayload {
  @Field(() => Proposal, { description: 'The proposal.' })
  proposal!: Proposal;
}

export const ProposalConnection = ConnectionType(Proposal);
export type ProposalConnection = InstanceType<typeof ProposalConnection>;
