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

  @Field(() => String, {
    nullable: true,
    description:
      'FUSION: the day its plan sets for it to take effect, in a preview, a dry run and the execution alike (PARTNERSHIP: the convention’s signature date). ISO date.',
  })
  effectiveDate!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'FUSION executed before its `effectiveDate` — which only a platform administrator may force, with a reason: the day it took effect instead (memberships moved, subsidies transferred, conventions carried that day). In a preview or a dry run before that date: today, the day it would take effect if forced now. Null on or after the effective date. ISO date.',
  })
  earlyEffectiveDate!: string | null;

  @Field(() => Int, { description: 'Absorbed clusters now MERGED.' })
  clustersMerged!: number;

  @Field(() => Int, { description: 'Memberships continued in the absorbing cluster (same seniority, `origin` pointing back).' })
  membershipsMoved!: number;

  @Field(() => Int, { description: 'Members already in the target collège: their old membership ended MERGED, none started.' })
  membershipsAlreadyInTarget!: number;

  @Field(() => Int, {
    description:
      'Representatives’ mandates of the absorbed clusters ended, with their rights: at the start of the effective date — at the execution instant when forced early, or for a mandate started since or under which something was done since (never before an act done under it). A mandate appointed to start after the execution never starts: ended 1 ms after its start, with a reason saying it was cancelled.',
  })
  representativeMandatesEnded!: number;

  @Field(() => Int, { description: 'Board mandates of the absorbed clusters ended, with their rights, as representatives’ mandates are.' })
  boardMandatesEnded!: number;

  @Field(() => Int, {
    description:
      'Other rights held in the absorbed clusters or their collèges (administrators, treasurers, board members and members granted without a mandate, collège-scoped roles) ended at the execution instant (one starting later never starts). Those following the mandates counted above end with them and are not counted here. The absorbing cluster’s people keep reading the absorbed clusters’ history.',
  })
  rolesEnded!: number;

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
