import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import { uuidArg } from '../shared/ids.js';
import { selectsField } from '../shared/pagination.js';
import { LocalDate } from '../shared/scalars.js';
import type { Context } from './finance.services.js';
import { MonthlyOutgoingInput, TreasuryFilterInput } from './finance.inputs.js';
import { LedgerArgs, LedgerEntryConnection } from './ledger.payloads.js';
import { MoneyScalar } from './money.js';
import { TreasuryReportType, WorkingCapitalForecastType } from './treasury.payloads.js';

/** What treasurers, board members and cluster admins read: the treasury report, the ledger and the working-capital forecast. */
@Resolver()
export class TreasuryResolver {
  @Query(() => TreasuryReportType, {
    description: 'A cluster’s treasury report, computed in SQL. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN.',
  })
  treasuryReport(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
    @Arg('filter', () => TreasuryFilterInput, { nullable: true, description: 'Restrict to a collège, a funder, a programme, a year.' })
    filter?: TreasuryFilterInput,
    @Arg('asOf', () => LocalDate, {
      nullable: true,
      description:
        'The report as it stood at the end of this past day: the subsidies the cluster was then the beneficiary of (a fusion moves them later), their state then, the entries valued by then (default: today).',
    })
    asOf?: string,
  ): Promise<TreasuryReportType> {
    return ctx.services.treasury.report(uuidArg('clusterId', clusterId), filter ?? {}, asOf);
  }

  @Query(() => LedgerEntryConnection, {
    description:
      'A cluster’s ledger, by value date (then as written): every entry written for it, and the whole history of the subsidies it now holds — those it received by a fusion bring the entries written for the absorbed cluster (`originalCluster`). Per subsidy the entries add up to its balance and to the treasury report. The same entries as `GET /exports/clusters/<id>/ledger.csv`. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN.',
  })
  ledger(@Ctx() ctx: Context, @Args(() => LedgerArgs) args: LedgerArgs, @Info() info: GraphQLResolveInfo): Promise<LedgerEntryConnection> {
    return ctx.services.treasury.ledger(uuidArg('clusterId', args.clusterId), args, selectsField(info, 'totalCount'));
  }

  @Query(() => WorkingCapitalForecastType, {
    description:
      'Projects the cluster’s cash month by month from an opening balance, the expected instalments (frozen ones left out) and the planned outgoings, and gives the lowest point: the working capital to secure. Writes nothing. The cluster’s TREASURER, CLUSTER_ADMIN and BOARD_MEMBERs, and ADMIN.',
  })
  workingCapitalForecast(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { description: 'The cluster.' }) clusterId: string,
    @Arg('openingBalance', () => MoneyScalar, { description: 'Cash at the start of the first month, in cents (may be negative).' })
    openingBalance: bigint,
    @Arg('fromMonth', { nullable: true, description: 'First month, YYYY-MM (default: this month).' }) fromMonth?: string,
    @Arg('months', () => Int, { nullable: true, description: 'How many months (1–60, default 12).' }) months?: number,
    @Arg('monthlyOutgoings', () => MoneyScalar, { nullable: true, description: 'Planned outgoings of every month, in cents (default 0).' })
    monthlyOutgoings?: bigint,
    @Arg('outgoings', () => [MonthlyOutgoingInput], {
      nullable: true,
      description: 'Planned outgoings of particular months (override `monthlyOutgoings`).',
    })
    outgoings?: MonthlyOutgoingInput[],
    @Arg('includeOverdue', {
      nullable: true,
      description: 'Count overdue instalments as coming in the first month (default false: prudent).',
    })
    includeOverdue?: boolean,
  ): Promise<WorkingCapitalForecastType> {
    return ctx.services.treasury.forecast({
      clusterId: uuidArg('clusterId', clusterId),
      openingBalance,
      fromMonth,
      months,
      monthlyOutgoings,
      outgoings,
      includeOverdue,
    });
  }
}
