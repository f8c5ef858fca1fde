import type { AuthContext, AuthServices } from '../auth/auth.services.js';
import type { ServiceScope } from '../auth/domain-service.js';
import type { FinanceServices } from '../finance/finance.services.js';
import type { GovernanceServices } from '../governance/governance.services.js';
import type { MembershipServices } from '../membership/membership.services.js';
import { FusionService } from './fusion.service.js';

/** The fusion layer's services of one request. */
export function fusionServices(scope: ServiceScope) {
  return { fusions: new FusionService(scope) };
}

export type FusionServices = ReturnType<typeof fusionServices>;

/** What a resolver of the fusion layer receives. */
export type Context = AuthContext<AuthServices & MembershipServices & FinanceServices & GovernanceServices & FusionServices>;
