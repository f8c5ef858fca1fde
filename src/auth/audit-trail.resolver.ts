import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from './auth.services.js';
import { ConnectionType, PageArgs } from '../shared/pagination.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { AuditChainReport } from './audit-trail.payloads.js';

const AuditEntryConnection = ConnectionType(AuditEntry);
type AuditEntryConnection = InstanceType<typeof AuditEntryConnection>;

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: 'The audit trail, newest first. ADMIN only.' })
  auditTrail(@Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs): Promise<AuditEntryConnection> {
    return ctx.services.auditTrail.page(page);
  }

  @Query(() => AuditChainReport, {
    description:
      'Verifies the whole audit trail: the hash chain, each entry’s seal, and the signed checkpoints kept outside the database (as `npm run audit:verify` does). ADMIN only.',
  })
  verifyAuditTrail(@Ctx() ctx: Context): Promise<AuditChainReport> {
    return ctx.services.auditTrail.verify();
  }
}
