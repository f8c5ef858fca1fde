import { AuditEntry } from '../audit/audit-entry.entity.js';
import type { ChainVerification } from '../audit/audit.service.js';
import { paginate, type PageArgs } from '../shared/pagination.js';
import { DomainService } from './domain-service.js';
import { Action, GLOBAL } from './permissions.js';

/** Reading the audit trail: the audit layer keeps it, this layer says who may read it. */
export class AuditTrailService extends DomainService {
  /** The entries, newest first (ADMIN). */
  page(page: PageArgs) {
    this.authorize(Action.ReadAuditTrail, GLOBAL);
    return paginate(this.em, AuditEntry, {}, { seq: 'desc' }, page);
  }

  /** Recomputes the whole hash chain (ADMIN). */
  verify(): Promise<ChainVerification> {
    this.authorize(Action.ReadAuditTrail, GLOBAL);
    return this.audit.verify(this.em);
  }
}
