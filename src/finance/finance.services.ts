import type { AuthContext, AuthServices } from '../auth/auth.services.js';
import type { ServiceScope } from '../auth/domain-service.js';
import type { MembershipServices } from '../membership/membership.services.js';
import { FunderService } from './funder.service.js';
import type { FusionProposals } from './fusion-proposals.port.js';
import { SubsidyService } from './subsidy.service.js';
import { TreasuryService } from './treasury.service.js';

/** What the finance layer needs from above it, passed in by the composition root. */
export interface FinanceDeps {
  /** Governance's answer about the fusion a subsidy is frozen until (finance does not read governance's tables). */
  fusionProposals: FusionProposals;
}

/** The finance layer's services of one request. */
export function financeServices(scope: ServiceScope, deps: FinanceDeps) {
  return {
    funders: new FunderService(scope),
    subsidies: new SubsidyService(scope, deps.fusionProposals),
    treasury: new TreasuryService(scope),
  };
}

export type FinanceServices = ReturnType<typeof financeServices>;

/** What a resolver of the finance layer receives. */
export type Context = AuthContext<AuthServices & MembershipServices & FinanceServices>;
