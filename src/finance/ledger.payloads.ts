import { IsUUID } from 'class-validator';
import { ArgsType, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, PageArgs } from '../shared/pagination.js';
import { LedgerEntry } from './ledger-entry.entity.js';
import { Subsidy } from './subsidy.entity.js';

@ObjectType({ description: 'A receipt, and the subsidy after it.' })
export class ReceiptPayload {
  @Field(() => LedgerEntry, { description: 'The RECEIPT entry (the first one, when the bank reference was already recorded).' })
  entry!: LedgerEntry;

  @Field(() => Subsidy, { description: 'The subsidy after the receipt.' })
  subsidy!: Subsidy;

  @Field({
    description: 'True when this bank reference was already recorded on the subsidy: nothing was written, the first entry is returned.',
  })
  alreadyRecorded!: boolean;
}

@ObjectType({ description: 'A reversal, and the subsidy after it.' })
export class ReversalPayload {
  @Field(() => LedgerEntry, { description: 'The REVERSAL entry.' })
  entry!: LedgerEntry;

  @Field(() => Subsidy, { description: 'The subsidy after the reversal.' })
  subsidy!: Subsidy;
}

export const LedgerEntryConnection = ConnectionType(LedgerEntry);
export type LedgerEntryConnection = InstanceType<typeof LedgerEntryConnection>;

@ArgsType()
export class LedgerArgs extends PageArgs {
  @Field(() => ID, { description: 'The cluster.' })
  @IsUUID()
  clusterId!: string;
}
