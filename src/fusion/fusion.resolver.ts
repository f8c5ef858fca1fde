import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Proposal } from '../governance/proposal.entity.js';
import { uuidArg } from '../shared/ids.js';
import { storedReport } from './execution-report.js';
import { ExecutionReportType } from './fusion.payloads.js';
import type { Context } from './fusion.services.js';

/** Whether a field is resolved inside a list (a numeric index on its path), e.g. `proposals.edges[3].node`. */
function insideList(info: GraphQLResolveInfo): boolean {
  for (let path: GraphQLResolveInfo['path'] | undefined = info.path; path; path = path.prev) if (typeof path.key === 'number') return true;
  return false;
}

@Resolver()
export class FusionResolver {
  @Mutation(() => ExecutionReportType, {
    description:
      'Executes an ADOPTED proposal in one transaction. FUSION (a CLUSTER_ADMIN of the absorbing cluster, or ADMIN): the absorbed clusters become MERGED; their current memberships end MERGED and continue in the collèges the plan names with their seniority; representatives’ and board mandates end (never before an act done under them) and every right held in the absorbed clusters with them; pending applications move or close; subsidies pass to the absorbing cluster by TRANSFER entries (refused, with their ids, while a required funder agreement is missing); subsidies frozen until this fusion are released; conventions are carried over. PARTNERSHIP (a CLUSTER_ADMIN of a party): records the convention. Executing twice is a CONFLICT; any failure writes nothing. A vote past its closing time is closed first. With `dryRun: true` it writes nothing and returns the same report — also for a proposal not yet adopted, so the board sees the consequences before voting (readers of the proposal may ask).',
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
    return ctx.services.fusions.execute(uuidArg('proposalId', proposalId), { dryRun: dryRun ?? false, forceReason, durationMonths });
  }
}

@Resolver(() => Proposal)
export class ProposalExecutionFieldsResolver {
  @FieldResolver(() => ExecutionReportType, { nullable: true, description: 'What its execution did (EXECUTED proposals).' })
  executionReport(@Root() proposal: Proposal): ExecutionReportType | null {
    return proposal.executionReport ? storedReport(proposal.executionReport) : null;
  }

  @FieldResolver(() => ExecutionReportType, {
    nullable: true,
    description:
      'FUSION or PARTNERSHIP not executed yet: what executing it would do now — the numbers of a dry run, counted read-only (no write, no lock). Computed where one proposal is read (`proposal(id)`, a mutation’s payload); null inside lists (`proposals`, a convention’s proposal…): ask `proposal(id)`, or `executeProposal(dryRun: true)`, for each one needed. A partnership’s preview names no convention.',
  })
  executionPreview(
    @Ctx() ctx: Context,
    @Root() proposal: Proposal,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ExecutionReportType | null> | null {
    if (insideList(info)) return null;
    return ctx.services.fusions.preview(proposal);
  }
}
