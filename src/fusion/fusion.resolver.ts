import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Action, authorize, clusterScope, GLOBAL, requireViewer, withinCluster } from '../auth/permissions.js';
import { Proposal, ProposalKind, ProposalState } from '../governance/proposal.entity.js';
import { uuidArg } from '../shared/ids.js';
import type { Context } from './fusion.services.js';

@ObjectType({ description: 'What executing a proposal did — or, in a dry run, would do. Counts are exact.' })
class ExecutionReportType {
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

@Resolver()
export class FusionResolver {
  @Mutation(() => ExecutionReportType, {
    description:
      'Executes an ADOPTED proposal in one transaction. FUSION (a CLUSTER_ADMIN of the absorbing cluster, or ADMIN): the absorbed clusters become MERGED; their current memberships end MERGED and continue in the collèges the plan names with their seniority; representatives’ and board mandates end; pending applications move or close; subsidies pass to the absorbing cluster by TRANSFER entries (refused, with their ids, while a required funder agreement is missing); subsidies frozen until this fusion are released; conventions are carried over. PARTNERSHIP (a CLUSTER_ADMIN of a party): records the convention. Executing twice is a CONFLICT; any failure writes nothing. With `dryRun: true` it writes nothing and returns the same report — also for a proposal not yet adopted, so the board sees the consequences before voting (readers of the proposal may ask).',
  })
  async executeProposal(
    @Ctx() ctx: Context,
    @Arg('proposalId', () => ID, { description: 'The proposal.' }) proposalId: string,
    @Arg('dryRun', { nullable: true, description: 'Report without writing (default false).' }) dryRun?: boolean,
    @Arg('forceReason', { nullable: true, description: 'Execute a fusion before its effective date (ADMIN only): why.' })
    forceReason?: string,
    @Arg('durationMonths', () => Int, { nullable: true, description: 'PARTNERSHIP: the convention’s duration in months (default 36).' })
    durationMonths?: number,
  ): Promise<ExecutionReportType> {
    requireViewer(ctx.viewer);
    const proposal = await ctx.services.proposals.getProposal(uuidArg('proposalId', proposalId));
    const parties = await ctx.services.proposals.parties(proposal.id);
    if (dryRun) {
      authorize(ctx.viewer, Action.ReadProposals, ...parties.map((p) => withinCluster(p.cluster.id)));
    } else {
      const executors =
        proposal.kind === ProposalKind.FUSION && proposal.plan ? [proposal.plan.absorbingClusterId] : parties.map((p) => p.cluster.id);
      authorize(ctx.viewer, Action.ExecuteProposal, ...executors.map((id) => clusterScope(id)));
      if (forceReason?.trim()) authorize(ctx.viewer, Action.ForceExecution, GLOBAL);
    }
    return ctx.services.fusions.execute(proposal.id, { dryRun: dryRun ?? false, forceReason: forceReason?.trim() || null, durationMonths });
  }
}

@Resolver(() => Proposal)
export class ProposalExecutionFieldsResolver {
  @FieldResolver(() => ExecutionReportType, { nullable: true, description: 'What its execution did (EXECUTED proposals).' })
  executionReport(@Root() proposal: Proposal): ExecutionReportType | null {
    return (proposal.executionReport as unknown as ExecutionReportType) ?? null;
  }

  @FieldResolver(() => ExecutionReportType, {
    nullable: true,
    description: 'FUSION or PARTNERSHIP not executed yet: what executing it would do now (a dry run; writes nothing).',
  })
  async executionPreview(@Ctx() ctx: Context, @Root() proposal: Proposal): Promise<ExecutionReportType | null> {
    if (
      proposal.kind === ProposalKind.RESOLUTION ||
      proposal.state === ProposalState.EXECUTED ||
      proposal.state === ProposalState.CANCELLED
    )
      return null;
    return ctx.services.fusions.execute(proposal.id, { dryRun: true });
  }
}
