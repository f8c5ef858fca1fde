import { ForbiddenError, UnauthenticatedError } from '../shared/errors.js';
import { Role } from './role.js';

/**
 * Every protected operation, and who may perform it. This table is the whole authorization
 * policy: resolvers call `authorize(viewer, Action.X, scope)` and never look at roles themselves.
 * tests/auth/authorization.test.ts walks it, operation × role.
 */
export enum Action {
  CreateCluster = 'cluster.create',
  UpdateCluster = 'cluster.update',
  CreateCollege = 'college.create',
  UpdateCollege = 'college.update',
  GrantRole = 'role.grant',
  RevokeRole = 'role.revoke',
  ReadAuditTrail = 'audit.read',
  // Membership (issue 3)
  UpdateOrganisation = 'organisation.update',
  SetAdmissionRules = 'admission-rules.set',
  SubmitApplication = 'application.submit',
  SponsorApplication = 'application.sponsor',
  DecideApplication = 'application.decide',
  WithdrawApplication = 'application.withdraw',
  ReviewApplications = 'application.list',
  ManageMembership = 'membership.manage',
  ResignMembership = 'membership.resign',
  ReadMembers = 'member.list',
  ExportMembers = 'member.export',
  AppointRepresentative = 'representative.appoint',
  PublishCharter = 'charter.publish',
  SignCharter = 'charter.sign',
  // Who acts for an organisation (issue 13, item 3)
  DecideActRequest = 'act-request.decide',
  // Finance (issue 4)
  ManageFunders = 'funder.manage',
  ManageSubsidies = 'subsidy.manage',
  ReadSubsidies = 'subsidy.read',
  ReadTreasury = 'treasury.read',
  // Governance (issue 5)
  ConfigureVotingBody = 'voting-body.configure',
  ManageBoard = 'board.manage',
  DesignateDelegate = 'assembly.delegate',
  CreateProposal = 'proposal.create',
  ManageVoting = 'proposal.manage',
  ReadProposals = 'proposal.read',
  // Fusion (issue 6)
  ExecuteProposal = 'proposal.execute',
  // Field-level: another account's sign-in details, wherever a path reaches the account (issue 12, item 9)
  ReadAccountDetails = 'account.details',
  ForceExecution = 'proposal.force',
  // Account administration (issue 13, item 4)
  ManageAccounts = 'account.manage',
  ManageSessions = 'session.manage',
  // The mail outbox (issue 13, item 5)
  ReadOutbox = 'notification.outbox',
  // Meetings (issue 15)
  SetBodyStatutes = 'statutes.set',
  ManageMeetings = 'meeting.manage',
  ReadMeetings = 'meeting.read',
  ForceShortNotice = 'meeting.force-notice',
}

/**
 * Acting for an organisation: a person of that organisation linked to the viewer's account.
 * It is a relation, not a role assignment, and only ever covers an ORGANISATION scope.
 */
export const ORGANISATION_CONTACT = 'ORGANISATION_CONTACT' as const;
export type Grantee = Role | typeof ORGANISATION_CONTACT;

/**
 * The level an operation applies at. A cluster-level assignment covers the cluster and all its
 * collèges; a collège-level one covers only that collège. ADMIN covers everything.
 */
export type Scope = (
  | { kind: 'GLOBAL' }
  | { kind: 'CLUSTER'; clusterId: string }
  | { kind: 'COLLEGE'; clusterId: string; collegeId: string }
  | { kind: 'ORGANISATION'; organisationId: string }
  /** Shared reference data (funders, programmes): a role held over any cluster reaches it. */
  | { kind: 'ANY_CLUSTER' }
  /** Anything of a cluster its people read (proposals): a role over the cluster or over any of its collèges reaches it. */
  | { kind: 'WITHIN_CLUSTER'; clusterId: string }
) & {
  /** The name a refusal shows ("Start-ups & Entrepreneurs"): services pass it from the row they loaded. */
  label?: string;
};

export const GLOBAL = { kind: 'GLOBAL' } as const satisfies Scope;
export const clusterScope = (clusterId: string, label?: string) => ({ kind: 'CLUSTER', clusterId, label }) as const satisfies Scope;
export const collegeScope = (clusterId: string, collegeId: string, label?: string) =>
  ({ kind: 'COLLEGE', clusterId, collegeId, label }) as const satisfies Scope;
export const organisationScope = (organisationId: string, label?: string) =>
  ({ kind: 'ORGANISATION', organisationId, label }) as const satisfies Scope;
export const ANY_CLUSTER = { kind: 'ANY_CLUSTER' } as const satisfies Scope;
export const withinCluster = (clusterId: string, label?: string) => ({ kind: 'WITHIN_CLUSTER', clusterId, label }) as const satisfies Scope;

export const POLICY: Record<Action, readonly Grantee[]> = {
  [Action.CreateCluster]: [Role.ADMIN],
  [Action.UpdateCluster]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.CreateCollege]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.UpdateCollege]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.GrantRole]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.RevokeRole]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.ReadAuditTrail]: [Role.ADMIN],
  [Action.UpdateOrganisation]: [Role.ADMIN, ORGANISATION_CONTACT],
  [Action.SetAdmissionRules]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE],
  // An organisation applies through its contact, or a representative applies on its behalf.
  [Action.SubmitApplication]: [Role.ADMIN, Role.COLLEGE_REPRESENTATIVE, ORGANISATION_CONTACT],
  [Action.SponsorApplication]: [ORGANISATION_CONTACT],
  // Only an elected representative with a mandate in force decides (statutes: the collège's own).
  [Action.DecideApplication]: [Role.COLLEGE_REPRESENTATIVE],
  [Action.WithdrawApplication]: [Role.ADMIN, ORGANISATION_CONTACT],
  [Action.ReviewApplications]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE],
  [Action.ManageMembership]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE],
  [Action.ResignMembership]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE, ORGANISATION_CONTACT],
  [Action.ReadMembers]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE, Role.TREASURER, Role.BOARD_MEMBER, Role.MEMBER],
  [Action.ExportMembers]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE],
  [Action.AppointRepresentative]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.PublishCharter]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.SignCharter]: [ORGANISATION_CONTACT],
  // Who may act for an organisation: its contacts, or for a member its collège's representatives and
  // cluster's administrators (the service passes the collèges of its ACTIVE memberships), or ADMIN.
  [Action.DecideActRequest]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE, ORGANISATION_CONTACT],
  // Funders and programmes are shared: the treasurer of any cluster registers them.
  [Action.ManageFunders]: [Role.ADMIN, Role.TREASURER],
  // Money is written by the cluster's treasurer only.
  [Action.ManageSubsidies]: [Role.TREASURER],
  // A collège's representatives read the subsidies allocated to their collège.
  [Action.ReadSubsidies]: [Role.ADMIN, Role.TREASURER, Role.CLUSTER_ADMIN, Role.BOARD_MEMBER, Role.COLLEGE_REPRESENTATIVE],
  [Action.ReadTreasury]: [Role.ADMIN, Role.TREASURER, Role.CLUSTER_ADMIN, Role.BOARD_MEMBER],
  [Action.ConfigureVotingBody]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  // Seats are filled after the collèges' elections, by the cluster's administrators.
  [Action.ManageBoard]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  // A member organisation names its own delegate (or the cluster's administrators do).
  [Action.DesignateDelegate]: [Role.ADMIN, Role.CLUSTER_ADMIN, ORGANISATION_CONTACT],
  [Action.CreateProposal]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  [Action.ManageVoting]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  // Voting itself is not a role: only the voters of the snapshotted electorate vote (checked by the voting service).
  [Action.ReadProposals]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.BOARD_MEMBER, Role.MEMBER],
  // A fusion is executed by the absorbing cluster's administrators; a partnership by any party's.
  [Action.ExecuteProposal]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  // Executing a fusion before its effective date needs a platform administrator and a reason.
  [Action.ForceExecution]: [Role.ADMIN],
  // An account's email, last sign-in, creation date and state: the account itself (checked by the service) and ADMIN.
  [Action.ReadAccountDetails]: [Role.ADMIN],
  // Listing, disabling and enabling accounts: platform administrators only.
  [Action.ManageAccounts]: [Role.ADMIN],
  // Another account's open sessions, read or signed out: ADMIN (an account's own: the account itself, checked by the service).
  [Action.ManageSessions]: [Role.ADMIN],
  // The outbox names every recipient: platform administrators only.
  [Action.ReadOutbox]: [Role.ADMIN],
  // The statutes' meeting rules are recorded by the cluster's administrators (as its voting rules).
  [Action.SetBodyStatutes]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  // Meetings are prepared, convened, opened and closed by the cluster's administrators; a meeting's
  // chair and secretary run its attendance sheet and its session (checked by the meeting services).
  [Action.ManageMeetings]: [Role.ADMIN, Role.CLUSTER_ADMIN],
  // A meeting, its agenda and its record are read by the cluster's people, as its proposals are.
  [Action.ReadMeetings]: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.BOARD_MEMBER, Role.MEMBER],
  // Convening with less notice than the statutes require needs a platform administrator and a reason.
  [Action.ForceShortNotice]: [Role.ADMIN],
};

/** What each operation is, in the words of a refusal: "Only … may <words>." */
export const ACTION_WORDS: Record<Action, string> = {
  [Action.CreateCluster]: 'create a cluster',
  [Action.UpdateCluster]: 'change this cluster',
  [Action.CreateCollege]: 'create a collège in this cluster',
  [Action.UpdateCollege]: 'change this collège',
  [Action.GrantRole]: 'grant roles here',
  [Action.RevokeRole]: 'revoke roles here',
  [Action.ReadAuditTrail]: 'read the audit trail',
  [Action.UpdateOrganisation]: 'change this organisation',
  [Action.SetAdmissionRules]: 'set the admission rules of this collège',
  [Action.SubmitApplication]: 'apply on behalf of this organisation',
  [Action.SponsorApplication]: 'sponsor on behalf of this organisation',
  [Action.DecideApplication]: 'decide the applications of this collège',
  [Action.WithdrawApplication]: 'withdraw this application',
  [Action.ReviewApplications]: 'review the applications of this collège',
  [Action.ManageMembership]: 'manage the memberships of this collège',
  [Action.ResignMembership]: 'resign this membership',
  [Action.ReadMembers]: 'read the members of this collège',
  [Action.ExportMembers]: 'export the members of this collège',
  [Action.AppointRepresentative]: 'appoint the representatives of this collège',
  [Action.PublishCharter]: 'publish the charter of this cluster',
  [Action.SignCharter]: 'sign the charter on behalf of this organisation',
  [Action.DecideActRequest]: 'decide who acts for this organisation',
  [Action.ManageFunders]: 'register funders and programmes',
  [Action.ManageSubsidies]: 'record the subsidies and money of this cluster',
  [Action.ReadSubsidies]: 'read these subsidies',
  [Action.ReadTreasury]: 'read the treasury of this cluster',
  [Action.ConfigureVotingBody]: 'configure the voting bodies of this cluster',
  [Action.ManageBoard]: 'appoint board members and delegates of this cluster',
  [Action.DesignateDelegate]: 'designate the delegate of this organisation',
  [Action.CreateProposal]: 'create proposals for this cluster',
  [Action.ManageVoting]: 'open, close or cancel the votes of this cluster',
  [Action.ReadProposals]: 'read the proposals of this cluster',
  [Action.ExecuteProposal]: 'execute this proposal',
  [Action.ForceExecution]: 'execute a fusion before its effective date',
  [Action.ReadAccountDetails]: 'read the sign-in details of another account',
  [Action.ManageAccounts]: 'list, disable and enable accounts',
  [Action.ManageSessions]: 'see or sign out the sessions of another account',
  [Action.ReadOutbox]: 'read the mail outbox',
  [Action.SetBodyStatutes]: 'record the statutory meeting rules of this cluster’s bodies',
  [Action.ManageMeetings]: 'prepare, convene, open or close the meetings of this cluster',
  [Action.ReadMeetings]: 'read the meetings of this cluster',
  [Action.ForceShortNotice]: 'convene a meeting with less notice than the statutes require',
};

/** Who holds each right, in the words of a refusal. */
const GRANTEE_WORDS: Record<Grantee, string> = {
  [Role.ADMIN]: 'platform administrators',
  [Role.CLUSTER_ADMIN]: 'administrators',
  [Role.COLLEGE_REPRESENTATIVE]: 'representatives',
  [Role.TREASURER]: 'treasurers',
  [Role.BOARD_MEMBER]: 'board members',
  [Role.MEMBER]: 'members',
  [ORGANISATION_CONTACT]: 'contacts',
};

function wordList(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * The refusal's plain words: who may do it, of what. "Only the representatives of Start-ups &
 * Entrepreneurs may decide the applications of this collège." Roles are named with the cluster's
 * or collège's label, an organisation's contacts with the organisation's: "Only the
 * representatives of Start-ups & Entrepreneurs or the contacts of Ateliers du Sud (or a platform
 * administrator) may apply on behalf of this organisation."
 */
export function forbiddenMessage(action: Action, scopes: readonly Scope[]): string {
  const grantees = POLICY[action];
  const roles = grantees.filter((g) => g !== Role.ADMIN && g !== ORGANISATION_CONTACT).map((g) => GRANTEE_WORDS[g]);
  const contacts = grantees.includes(ORGANISATION_CONTACT);
  if (!roles.length && !contacts) return `Only ${GRANTEE_WORDS[Role.ADMIN]} may ${ACTION_WORDS[action]}.`;
  const labelled = (candidates: readonly Scope[]) => candidates.find((s) => s.label) ?? candidates[0];
  const of = (scope: Scope | undefined) => (scope?.label ? ` of ${scope.label}` : '');
  const organisation = labelled(scopes.filter((s) => s.kind === 'ORGANISATION'));
  const other = labelled(scopes.filter((s) => s.kind !== 'ORGANISATION'));
  const who: string[] = [];
  if (roles.length) who.push(`the ${wordList(roles)}${of(other ?? organisation)}`);
  if (contacts) who.push(`the ${GRANTEE_WORDS[ORGANISATION_CONTACT]}${of(organisation)}`);
  const admins = grantees.includes(Role.ADMIN) ? ` (or a platform administrator)` : '';
  return `Only ${who.join(' or ')}${admins} may ${ACTION_WORDS[action]}.`;
}

/** A role in force, with the scope it reaches (cluster and collège ids; both null for ADMIN). */
export interface Grant {
  role: Role;
  clusterId: string | null;
  collegeId: string | null;
  /**
   * For a cluster-level role: the clusters it absorbed by fusion (recursively). Their history is
   * the absorbing cluster's: its people read (and its administrators manage) what remains of them.
   */
  predecessorIds?: string[] | null;
}

/** The signed-in caller: their account id and the roles in force now. */
export interface Viewer {
  accountId: string;
  sessionId: string;
  roles: Grant[];
  /** Organisations the viewer acts for (through a person linked to their account). */
  organisationIds: string[];
  /** Whether the account's email is verified: until it is, DomainService refuses almost everything (EMAIL_NOT_VERIFIED). */
  emailVerified: boolean;
}

/** Whether one assignment reaches `scope`. */
export function assignmentCovers(assignment: Grant, scope: Scope): boolean {
  if (assignment.role === Role.ADMIN) return true;
  if (scope.kind === 'GLOBAL' || scope.kind === 'ORGANISATION') return false;
  if (scope.kind === 'ANY_CLUSTER') return assignment.clusterId !== null;
  const sameCluster = assignment.clusterId === scope.clusterId || (assignment.predecessorIds?.includes(scope.clusterId) ?? false);
  if (scope.kind === 'WITHIN_CLUSTER') return sameCluster;
  if (!sameCluster) return false;
  if (!assignment.collegeId) return true;
  return scope.kind === 'COLLEGE' && assignment.collegeId === scope.collegeId;
}

/** May this viewer do `action` on `scope`? */
export function isAllowed(viewer: Viewer, action: Action, scope: Scope): boolean {
  const allowed = POLICY[action];
  if (scope.kind === 'ORGANISATION' && allowed.includes(ORGANISATION_CONTACT) && viewer.organisationIds.includes(scope.organisationId)) {
    return true;
  }
  return viewer.roles.some((assignment) => allowed.includes(assignment.role) && assignmentCovers(assignment, scope));
}

/**
 * The one auth check: throws UNAUTHENTICATED without a viewer, FORBIDDEN unless some grantee
 * of `action` covers one of `scopes` (e.g. the applicant organisation, or the collège).
 */
export function authorize(viewer: Viewer | null, action: Action, ...scopes: Scope[]): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (!scopes.some((scope) => isAllowed(viewer, action, scope))) {
    throw new ForbiddenError(forbiddenMessage(action, scopes), { action, allowedRoles: POLICY[action] });
  }
  return viewer;
}

/** Requires only a signed-in viewer. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}
