import type { AuthContext, AuthServices } from '../auth/auth.services.js';
import type { ServiceScope } from '../auth/domain-service.js';
import type { MembershipServices } from '../membership/membership.services.js';
import { FunderService } from './funder.service.js';
import { SubsidyService } from './subsidy.service.js';
import { TreasuryService } from './treasury.service.js';

/** The finance layer's services of one request. */
export function financeServices(scope: ServiceScope) {
  return {
    funders: new FunderService(scope),
    subsidies: new SubsidyService(scope),
    treasury: new TreasuryService(scope),
  };
}

export type FinanceServices = ReturnType<typeof financeServices>;

/** What a resolver of the finance layer receives. */
export type Context = AuthContext<AuthServices & MembershipServices & FinanceServices>;
