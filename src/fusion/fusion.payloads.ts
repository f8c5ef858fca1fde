import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ProposalKind } from '../governance/proposal.entity.js';

@ObjectType({ description: 'What executing a proposal did — or, in a dry run, would do. Counts are exact.' })
export class ExecutionReportType {
  @Field(() => ID, { description: 'The proposal.' })
  proposalId!: string;

  @Field(() => ProposalKind, { description: 'FUSION or PARTNERSHIP.' })
  kind!: ProposalKind;

  @Field({ description: 'True when nothing was written.' })
  dryRun!: boolean;

  @Field(() => String, { nullable: true, description: 'The day it takes effect (the plan’s date; today when forced early). ISO date.' })
  effectiveDate!: string | null;

  @Field(() => Int, { description: 'Absorbed clusters now MERGED.' })
  clustersMerged!: number;

  @Field(() => Int, { description: 'Memberships continued in the absorbing cluster (same seniority, `origin` pointing back).' })
  membershipsMoved!: number;

  @Field(() => Int, { description: 'Members already in the target collège: their old membership ended MERGED, none started.' })
  membershipsAlreadyInTarget!: number;

  @Field(() => Int, { description: 'Representatives’ mandates ended on the effective date.' })
  representativeMandatesEnded!: number;

  @Field(() => Int, { description: 'Board mandates ended on the effective date.' })
  boardMandatesEnded!: number;

  @Field(() => Int, { description: 'Pending applications moved to the mapped collège.' })
  applicationsMoved!: number;

  @Field(() => Int, { description: 'Pending applications closed (by the plan, or already pending in the target collège).' })
  applicationsClosed!: number;

  @Field(() => Int, { description: 'Subsidies passed to the absorbing cluster (a TRANSFER entry each).' })
  subsidiesTransferred!: number;

  @Field(() => Int, { description: 'Subsidies frozen until this fusion, released.' })
  subsidiesReleased!: number;

  @Field(() => Int, { description: 'Partnership conventions of the absorbed clusters now binding the absorbing one.' })
  conventionsCarried!: number;

  @Field(() => [ID], {
    description: 'Subsidies needing the funder’s agreement to the transfer, not recorded: the execution refuses while any remain.',
  })
  subsidiesAwaitingFunderAgreement!: string[];

  @Field(() => ID, { nullable: true, description: 'PARTNERSHIP: the convention recorded.' })
  conventionId!: string | null;
}
