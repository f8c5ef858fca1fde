import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Cluster } from '../membership/cluster.entity.js';
import { loadReference, type Loadable } from '../shared/loaders.js';
import type { Context } from './finance.services.js';
import { RecordReceiptInput, ReverseEntryInput } from './finance.inputs.js';
import { LedgerEntry } from './ledger-entry.entity.js';
import { ReceiptPayload, ReversalPayload } from './ledger.payloads.js';

/** Money in and its corrections: receipts and reversals, each a ledger entry. */
@Resolver()
export class LedgerResolver {
  @Mutation(() => ReceiptPayload, {
    description:
      'Records money received. Idempotent on (subsidy, bank reference): the same transfer sent twice, even at once, is recorded once. Refused on a FROZEN subsidy without `frozenException`, beyond what is still due without `overpaymentReason`, and in REQUESTED, REFUSED, CANCELLED, CLOSED or CLAWED_BACK. Moves the subsidy to PARTLY_RECEIVED or RECEIVED. The cluster’s TREASURER.',
  })
  recordReceipt(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordReceiptInput, { description: 'The transfer.' }) input: RecordReceiptInput,
  ): Promise<ReceiptPayload> {
    return ctx.services.subsidies.recordReceipt(input);
  }

  @Mutation(() => ReversalPayload, {
    description:
      'Corrects a RECEIPT or CLAWBACK entry with a REVERSAL of the opposite amount (entries are never edited; each is reversed at most once). The cluster’s TREASURER.',
  })
  reverseEntry(
    @Ctx() ctx: Context,
    @Arg('input', () => ReverseEntryInput, { description: 'Which entry, and why.' }) input: ReverseEntryInput,
  ): Promise<ReversalPayload> {
    return ctx.services.subsidies.reverseEntry(input);
  }
}

@Resolver(() => LedgerEntry)
export class LedgerEntryFieldsResolver {
  @FieldResolver(() => ID, { description: 'The subsidy.' })
  subsidyId(@Root() entry: LedgerEntry): string {
    return entry.subsidy.id;
  }

  @FieldResolver(() => ID, { description: 'The beneficiary cluster when the entry was written.' })
  clusterId(@Root() entry: LedgerEntry): string {
    return entry.cluster.id;
  }

  @FieldResolver(() => Cluster, {
    description:
      'The cluster the entry was written for (its `clusterId`): the beneficiary then. In the ledger of a cluster that received the subsidy by a fusion, the absorbed cluster.',
  })
  originalCluster(@Root() entry: LedgerEntry): Loadable<Cluster> {
    return loadReference(entry.cluster);
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The entry this one reverses.' })
  reversesId(@Root() entry: LedgerEntry): string | null {
    return entry.reverses?.id ?? null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'For a TRANSFER: the cluster the subsidy passed to.' })
  counterpartClusterId(@Root() entry: LedgerEntry): string | null {
    return entry.counterpartCluster?.id ?? null;
  }
}
