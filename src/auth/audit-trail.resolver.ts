import { Args, Ctx, Field, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from './auth.services.js';
import { ConnectionType, PageArgs } from '../shared/pagination.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';

const AuditEntryConnection = ConnectionType(AuditEntry);
type AuditEntryConnection = InstanceType<typeof AuditEntryConnection>;

@ObjectType({ description: 'Whether the audit trail is intact: every entry links to the one before and matches its hash.' })
class AuditChainReport {
  @Field({ description: 'True when no entry was altered, removed or inserted.' })
  intact!: boolean;

  @Field(() => Int, { description: 'How many entries were verified before the end or the first broken one.' })
  checkedEntries!: number;

  @Field(() => Int, { nullable: true, description: 'The first entry that fails verification, if any.' })
  firstBrokenSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'Why that entry fails.' })
  reason!: string | null;
}

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: 'The audit trail, newest first. ADMIN only.' })
  auditTrail(@Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs): Promise<AuditEntryConnection> {
    return ctx.services.auditTrail.page(page);
  }

  @Query(() => AuditChainReport, { description: 'Recomputes the hash chain of the whole audit trail. ADMIN only.' })
  verifyAuditTrail(@Ctx() ctx: Context): Promise<AuditChainReport> {
    return ctx.services.auditTrail.verify();
  }
}
