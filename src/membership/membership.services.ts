import type { AuthContext, AuthServices } from '../auth/auth.services.js';
import type { ServiceScope } from '../auth/domain-service.js';
import { ActRequestService } from './act-request.service.js';
import { AdmissionService } from './admission.service.js';
import { CharterService } from './charter.service.js';
import { ClusterService } from './cluster.service.js';
import { DirectoryService } from './directory.service.js';
import { MembershipService } from './membership.service.js';
import { OrganisationService } from './organisation.service.js';
import { RepresentativeService } from './representative.service.js';
import { ViewerMembershipService } from './viewer.service.js';

/** The membership layer's services of one request. */
export function membershipServices(scope: ServiceScope) {
  const admission = new AdmissionService(scope);
  return {
    actRequests: new ActRequestService(scope),
    admission,
    charters: new CharterService(scope, admission),
    clusters: new ClusterService(scope),
    directory: new DirectoryService(scope),
    memberships: new MembershipService(scope),
    organisations: new OrganisationService(scope),
    representatives: new RepresentativeService(scope),
    viewerMembership: new ViewerMembershipService(scope),
  };
}

export type MembershipServices = ReturnType<typeof membershipServices>;

/** What a resolver of the membership layer receives. */
export type Context = AuthContext<AuthServices & MembershipServices>;
