import { randomBytes } from 'node:crypto';
import { Action, ORGANISATION_CONTACT, POLICY, type Grantee } from '../../src/auth/permissions.js';
import { Role, ROLE_SCOPE } from '../../src/auth/role.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { Decision } from '../../src/membership/admission.service.js';
import { FunderKind } from '../../src/finance/funder.entity.js';
import { ProposalKind } from '../../src/governance/proposal.entity.js';
import { MeetingKind } from '../../src/governance/meeting.entity.js';
import { QuorumBasis } from '../../src/governance/statutes.entity.js';
import { BodyKind } from '../../src/governance/voting-body.entity.js';
import { Majority } from '../../src/governance/voting-rules.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { CommonReason } from '../../src/shared/errors.js';
import { errorCodes, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * Who may do what: every protected operation × every grantee. Each role is held over one test
 * cluster (collège-level roles over a collège of it); ADMIN has no scope. ORGANISATION_CONTACT
 * is an account with no role acting for every organisation the fixtures create.
 *
 * Every new protected operation adds a row to OPERATIONS; the guard tests at the end fail until
 * it does.
 */

interface Fixture {
  clusterId: string;
  collegeId: string;
  /** Another collège of the same cluster: where transfers go, and where a "wrong collège" role is held. */
  siblingCollegeId: string;
  otherClusterId: string;
  otherCollegeId: string;
  /** The ORGANISATION_CONTACT principal's account: `newOrganisation` makes it the contact. */
  contactAccountId: string;
  /** An organisation the contact acts for, member of nothing: for rows that do not consume it. */
  organisationId: string;
  /** An organisation the contact acts for, ACTIVE member of the collège: a possible sponsor. */
  sponsorId: string;
  /** A registered funder, for subsidies. */
  funderId: string;
  /** A closed proposal of the test cluster, with its minutes. */
  closedProposalId: string;
  /** Who drafts the fixtures' proposals. */
  authorAccountId: string;
  /** A third cluster with a board: the fixtures' partnerships are between it and the test cluster. */
  partnerClusterId: string;
}

/** One GraphQL request and where its answer sits. */
interface GraphQLCall {
  /** The Query or Mutation field; for a protected field of a type, `Type.field`. */
  name: string;
  document: string;
  /** Fresh variables for one call, so that earlier successful calls never get in the way. */
  variables: (fx: Fixture) => Promise<Record<string, unknown>>;
  /** Path of the answer in `data`; defaults to the root field `name`. */
  path?: readonly string[];
}

/** One plain HTTP download (GET with the same bearer token): 200, or 401/403 with the usual JSON error. */
interface HttpCall {
  /** The route, e.g. `GET /exports/…`. */
  name: string;
  /** A fresh path to GET. */
  url: (fx: Fixture) => Promise<string>;
  /** What a successful answer's body must match. */
  body: (fx: Fixture) => RegExp;
}

type Call = GraphQLCall | HttpCall;

type Operation = Call & {
  /** The POLICY entry its resolver (or route) checks. */
  action: Action;
  /** The grantees that may perform it on the test fixtures, as the issue and the SDL state them. */
  allowed: readonly Grantee[];
  /** Shared reference data (funders, programmes): a scoped role over any cluster may do it. */
  anyCluster?: true;
  /** Read by the cluster's people at any level: a collège-level role over any collège of the cluster may do it. */
  wholeCluster?: true;
};

let app: TestApp;
let fx: Fixture;

const unique = () => randomBytes(4).toString('hex');
const HOUR = 3_600_000;
/** A little more than an hour: past the end, or the start, of a mandate an hour away. */
const JUMP = HOUR + 60_000;

/** A new account with no role, created by the system. */
async function newAccount(): Promise<string> {
  const email = `target-${unique()}@example.test`;
  const account = await app.services().auth.register({ email, password: TEST_PASSWORD, displayName: email });
  return account.id;
}

/** A new MEMBER assignment over the test cluster, for a new account. */
async function newAssignment(clusterId: string): Promise<string> {
  const accountId = await newAccount();
  const services = app.services();
  const scope = await services.roles.scopeOfGrant({ accountId, role: Role.MEMBER, clusterId });
  return (await services.roles.grant({ accountId, role: Role.MEMBER, clusterId }, scope)).id;
}

/** A new organisation that `contactAccountId` (by default the ORGANISATION_CONTACT principal) acts for. */
async function newOrganisation(contactAccountId = fx.contactAccountId): Promise<string> {
  const input = { name: `Authz org ${unique()}`, kind: OrganisationKind.COMPANY, headcount: 12 };
  return (await app.services().organisations.createOrganisation(input, contactAccountId)).id;
}

/** A new SUBMITTED application of a new organisation to the collège. */
async function newApplication(contactAccountId?: string): Promise<string> {
  const organisationId = await newOrganisation(contactAccountId);
  return (await app.services().admission.submitApplication(organisationId, fx.collegeId)).id;
}

/** An open session of a new account (signed in by the system). */
async function newSession(): Promise<string> {
  const accountId = await newAccount();
  const [{ email }] = await app.sql<{ email: string }>('select email from account where id = $1', [accountId]);
  await app.services().auth.login({ email, password: TEST_PASSWORD }, { address: 'authz-fixture', userAgent: null });
  const [session] = await app.sql<{ id: string }>('select id from session where account_id = $1', [accountId]);
  return session.id;
}

/** A message of the outbox given up (FAILED) after its attempts. */
async function newFailedNotification(): Promise<string> {
  const [row] = await app.sql<{ id: string }>(
    `insert into notification (id, kind, email, payload, status, attempts, next_attempt_at, last_error, created_at, updated_at)
     values (gen_random_uuid(), 'VOTE_OPENED', $1, '{}'::jsonb, 'FAILED', 8, now(), '550 Mailbox unavailable', now(), now()) returning id`,
    [`failed-${unique()}@example.test`],
  );
  return row.id;
}

/** A new ACTIVE membership of the collège: a new organisation's application, approved by the system. */
async function newMembership(contactAccountId?: string): Promise<string> {
  const applicationId = await newApplication(contactAccountId);
  await app.services().admission.decideApplication({ applicationId, decision: Decision.APPROVE });
  const [membership] = await app.sql<{ id: string }>('select id from membership where application_id = $1', [applicationId]);
  return membership.id;
}

/**
 * A new PENDING request, by a new account, to act for a new organisation that the ORGANISATION_CONTACT
 * principal acts for and that is an ACTIVE member of the collège.
 */
async function newActRequest(): Promise<string> {
  const membershipId = await newMembership();
  const [{ organisation_id: organisationId }] = await app.sql<{ organisation_id: string }>(
    'select organisation_id from membership where id = $1',
    [membershipId],
  );
  const requester = await newAccount();
  const request = await app
    .services(requester)
    .actRequests.requestToActFor({ organisationId, fullName: 'Camille Authz', roleInOrganisation: 'CTO' });
  return request.id;
}

async function newSuspendedMembership(): Promise<string> {
  const membershipId = await newMembership();
  await app.services().memberships.change('suspend', membershipId, 'unpaid dues');
  return membershipId;
}

/** A new representative's mandate over the collège, for a new account. */
async function newMandate(): Promise<string> {
  return (await app.services().representatives.appoint({ collegeId: fx.collegeId, accountId: await newAccount() })).id;
}

/** A new AWARDED subsidy of 10 000 € to the test cluster, allocated to the collège; optionally frozen, or with a receipt. */
async function newSubsidy(options: { frozen?: boolean; receipt?: boolean } = {}): Promise<string> {
  const subsidies = app.services().subsidies;
  const today = app.clock.now().toISOString().slice(0, 10);
  const subsidy = await subsidies.recordSubsidy({
    clusterId: fx.clusterId,
    funderId: fx.funderId,
    purpose: `Authz subsidy ${unique()}`,
    decisionDate: today,
    amountAwarded: 1_000_000n,
    allocations: [{ collegeId: fx.collegeId, shareBasisPoints: 10_000 }],
  });
  if (options.frozen) await subsidies.freeze({ subsidyId: subsidy.id, reason: 'until the merger' });
  if (options.receipt)
    await subsidies.recordReceipt({ subsidyId: subsidy.id, amount: 100_000n, valueDate: today, bankReference: `VIR-${unique()}` });
  return subsidy.id;
}

/** A new DRAFT resolution of the test cluster, voted by its board; optionally opened. */
async function newProposal(open = false): Promise<string> {
  const proposals = app.services(fx.authorAccountId).proposals;
  const proposal = await proposals.create({
    kind: ProposalKind.RESOLUTION,
    title: `Authz ${unique()}`,
    text: 'Resolved.',
    partyClusterIds: [fx.clusterId],
  });
  if (open) await proposals.open({ proposalId: proposal.id, closesAt: new Date(app.clock.now().getTime() + 7 * 86_400_000) });
  return proposal.id;
}

/** A new PARTNERSHIP between the test cluster and the partner cluster, marked ADOPTED (the votes are tested in tests/governance). */
async function newAdoptedPartnership(): Promise<string> {
  const proposal = await app.services(fx.authorAccountId).proposals.create({
    kind: ProposalKind.PARTNERSHIP,
    title: `Authz partnership ${unique()}`,
    text: 'Convention.',
    partyClusterIds: [fx.clusterId, fx.partnerClusterId],
    partnershipAxes: ['innovation'],
  });
  await app.sql(`update proposal set state = 'ADOPTED' where id = $1`, [proposal.id]);
  return proposal.id;
}

async function newReceiptEntry(): Promise<string> {
  const subsidyId = await newSubsidy({ receipt: true });
  const [entry] = await app.sql<{ id: string }>(`select id from ledger_entry where subsidy_id = $1 and kind = 'RECEIPT'`, [subsidyId]);
  return entry.id;
}

// Meetings (issue 15): the test cluster's board, its statutes (7 days' notice, no quorum) and two
// seat holders as chair and secretary.
let boardId = '';
let officers: [string, string] = ['', ''];
const DAY = 86_400_000;

/** A new DRAFT board meeting `daysAhead` days from now, with its officers and one agenda item. */
async function newMeeting(daysAhead = 30): Promise<string> {
  const meetings = app.services().meetings;
  const meeting = await meetings.create({
    bodyId: boardId,
    kind: MeetingKind.BOARD,
    title: `Authz meeting ${unique()}`,
    scheduledAt: new Date(app.clock.now().getTime() + daysAhead * DAY),
    place: 'Montpellier',
    remoteAllowed: true,
    chairId: officers[0],
    secretaryId: officers[1],
  });
  await meetings.addAgendaItem({ meetingId: meeting.id, title: 'Point', description: 'Décision' });
  return meeting.id;
}

async function newConvenedMeeting(): Promise<string> {
  const id = await newMeeting();
  await app.services().meetings.convene(id);
  return id;
}

async function newOpenMeeting(): Promise<string> {
  const id = await newConvenedMeeting();
  await app.services().attendance.openMeeting(id);
  return id;
}

async function newClosedMeeting(): Promise<string> {
  const id = await newOpenMeeting();
  await app.services().attendance.closeMeeting(id);
  return id;
}

/** A closed meeting whose minutes (version 1) its chair and secretary signed. */
async function newSignedMinutes(): Promise<{ meetingId: string; minutesId: string; itemId: string }> {
  const meetingId = await newClosedMeeting();
  const minutes = await app.services().meetingMinutes.draft(meetingId);
  for (const officer of officers) await app.services(officer).meetingMinutes.sign(minutes.id);
  const [item] = await app.sql<{ id: string }>('select id from agenda_item where meeting_id = $1', [meetingId]);
  return { meetingId, minutesId: minutes.id, itemId: item.id };
}

const MANAGERS = [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE] as const;
const MEETING_MANAGERS = [Role.ADMIN, Role.CLUSTER_ADMIN] as const;
const TREASURY_READERS = [Role.ADMIN, Role.TREASURER, Role.CLUSTER_ADMIN, Role.BOARD_MEMBER] as const;
const PROPOSAL_READERS = [Role.ADMIN, Role.CLUSTER_ADMIN, Role.BOARD_MEMBER, Role.MEMBER] as const;
const BOARD_RULES = {
  quorumBasisPoints: 0,
  majority: 'SIMPLE',
  abstentionsCount: false,
  weighting: 'PER_VOTER',
  collegeWeights: [],
  proxyLimit: 1,
  proxySameCollege: false,
  secrecy: 'SECRET',
};

const OPERATIONS: readonly Operation[] = [
  {
    name: 'createCluster',
    action: Action.CreateCluster,
    document: 'mutation($input: CreateClusterInput!) { createCluster(input: $input) { cluster { id } } }',
    variables: async () => ({ input: { name: 'Authz cluster', slug: `authz-${unique()}`, kind: ClusterKind.CLUSTER } }),
    allowed: [Role.ADMIN],
  },
  {
    name: 'updateCluster',
    action: Action.UpdateCluster,
    document: 'mutation($input: UpdateClusterInput!) { updateCluster(input: $input) { cluster { id description } } }',
    variables: async (f) => ({ input: { id: f.clusterId, description: `Changed ${unique()}` } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'createCollege',
    action: Action.CreateCollege,
    document: 'mutation($input: CreateCollegeInput!) { createCollege(input: $input) { college { id } } }',
    variables: async (f) => ({ input: { clusterId: f.clusterId, name: 'Authz collège', slug: `authz-${unique()}`, theme: 'cloud' } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'updateCollege',
    action: Action.UpdateCollege,
    document: 'mutation($input: UpdateCollegeInput!) { updateCollege(input: $input) { college { id description } } }',
    variables: async (f) => ({ input: { id: f.collegeId, description: `Changed ${unique()}` } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'grantRole',
    action: Action.GrantRole,
    document: 'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { id role } } }',
    variables: async (f) => ({ input: { accountId: await newAccount(), role: Role.TREASURER, clusterId: f.clusterId } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'revokeRole',
    action: Action.RevokeRole,
    document: 'mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id validTo } } }',
    variables: async (f) => ({ input: { roleAssignmentId: await newAssignment(f.clusterId) } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'auditTrail',
    action: Action.ReadAuditTrail,
    document: 'query($first: Int) { auditTrail(first: $first) { edges { node { seq action } } } }',
    variables: async () => ({ first: 5 }),
    allowed: [Role.ADMIN],
  },
  {
    name: 'verifyAuditTrail',
    action: Action.ReadAuditTrail,
    document: '{ verifyAuditTrail { intact checkedEntries } }',
    variables: async () => ({}),
    allowed: [Role.ADMIN],
  },
  // Membership (issue 3)
  {
    name: 'updateOrganisation',
    action: Action.UpdateOrganisation,
    document: 'mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { id name } } }',
    variables: async (f) => ({ input: { id: f.organisationId, name: `Renamed ${unique()}` } }),
    allowed: [Role.ADMIN, ORGANISATION_CONTACT],
  },
  {
    name: 'addPerson',
    action: Action.UpdateOrganisation,
    document: 'mutation($input: AddPersonInput!) { addPerson(input: $input) { person { id } } }',
    variables: async (f) => ({ input: { organisationId: f.organisationId, fullName: `Person ${unique()}` } }),
    allowed: [Role.ADMIN, ORGANISATION_CONTACT],
  },
  {
    name: 'setAdmissionRules',
    action: Action.SetAdmissionRules,
    document: 'mutation($input: SetAdmissionRulesInput!) { setAdmissionRules(input: $input) { ruleSet { version } } }',
    // Empty criteria decided by a representative: every later application stays pending, and eligible.
    variables: async (f) => ({
      input: { collegeId: f.collegeId, criteria: {}, decisionMode: DecisionMode.REPRESENTATIVE, note: unique() },
    }),
    allowed: MANAGERS,
  },
  {
    name: 'checkEligibility',
    action: Action.SubmitApplication,
    document: 'query($input: ApplicationTargetInput!) { checkEligibility(input: $input) { eligible } }',
    variables: async (f) => ({ input: { organisationId: f.organisationId, collegeId: f.collegeId } }),
    allowed: [Role.ADMIN, Role.COLLEGE_REPRESENTATIVE, ORGANISATION_CONTACT],
  },
  {
    name: 'submitApplication',
    action: Action.SubmitApplication,
    document: 'mutation($input: ApplicationTargetInput!) { submitApplication(input: $input) { application { id state } } }',
    // Either scope suffices: the contact acts for the organisation, the representative for the collège.
    variables: async (f) => ({ input: { organisationId: await newOrganisation(), collegeId: f.collegeId } }),
    allowed: [Role.ADMIN, Role.COLLEGE_REPRESENTATIVE, ORGANISATION_CONTACT],
  },
  {
    name: 'sponsorApplication',
    action: Action.SponsorApplication,
    document: 'mutation($input: SponsorApplicationInput!) { sponsorApplication(input: $input) { application { id sponsors { id } } } }',
    // The applicant has a contact of its own: only acting for the sponsor may count.
    variables: async (f) => ({ input: { applicationId: await newApplication(await newAccount()), sponsorOrganisationId: f.sponsorId } }),
    allowed: [ORGANISATION_CONTACT],
  },
  {
    name: 'reviewApplication',
    action: Action.DecideApplication,
    document: 'mutation($input: ApplicationIdInput!) { reviewApplication(input: $input) { application { id state } } }',
    variables: async () => ({ input: { applicationId: await newApplication() } }),
    allowed: [Role.COLLEGE_REPRESENTATIVE],
  },
  {
    name: 'decideApplication',
    action: Action.DecideApplication,
    document: 'mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { id state } } }',
    variables: async () => ({ input: { applicationId: await newApplication(), decision: Decision.APPROVE } }),
    allowed: [Role.COLLEGE_REPRESENTATIVE],
  },
  {
    name: 'withdrawApplication',
    action: Action.WithdrawApplication,
    document: 'mutation($input: ApplicationIdInput!) { withdrawApplication(input: $input) { application { id state } } }',
    variables: async () => ({ input: { applicationId: await newApplication() } }),
    allowed: [Role.ADMIN, ORGANISATION_CONTACT],
  },
  {
    name: 'applications',
    action: Action.ReviewApplications,
    document: 'query($collegeId: ID!) { applications(collegeId: $collegeId, first: 5) { edges { node { id state } } } }',
    variables: async (f) => ({ collegeId: f.collegeId }),
    allowed: MANAGERS,
  },
  {
    name: 'suspendMembership',
    action: Action.ManageMembership,
    document: 'mutation($input: MembershipChangeInput!) { suspendMembership(input: $input) { membership { id status } } }',
    variables: async () => ({ input: { membershipId: await newMembership(), reason: 'unpaid dues' } }),
    allowed: MANAGERS,
  },
  {
    name: 'reinstateMembership',
    action: Action.ManageMembership,
    document: 'mutation($input: MembershipChangeInput!) { reinstateMembership(input: $input) { membership { id status } } }',
    variables: async () => ({ input: { membershipId: await newSuspendedMembership() } }),
    allowed: MANAGERS,
  },
  {
    name: 'excludeMembership',
    action: Action.ManageMembership,
    document: 'mutation($input: MembershipChangeInput!) { excludeMembership(input: $input) { membership { id status } } }',
    variables: async () => ({ input: { membershipId: await newMembership(), reason: 'breach of the charter' } }),
    allowed: MANAGERS,
  },
  {
    name: 'transferMembership',
    action: Action.ManageMembership,
    document: 'mutation($input: TransferMembershipInput!) { transferMembership(input: $input) { membership { id status } } }',
    variables: async (f) => ({ input: { membershipId: await newMembership(), toCollegeId: f.siblingCollegeId } }),
    allowed: MANAGERS,
  },
  {
    name: 'resignMembership',
    action: Action.ResignMembership,
    document: 'mutation($input: MembershipChangeInput!) { resignMembership(input: $input) { membership { id status } } }',
    // Either scope suffices: the member's contact for the organisation, a manager for the collège.
    variables: async () => ({ input: { membershipId: await newMembership() } }),
    allowed: [...MANAGERS, ORGANISATION_CONTACT],
  },
  {
    name: 'College.members',
    action: Action.ReadMembers,
    document: 'query($id: ID!) { college(id: $id) { members(first: 5) { totalCount } } }',
    variables: async (f) => ({ id: f.collegeId }),
    path: ['college', 'members'],
    allowed: [...MANAGERS, Role.TREASURER, Role.BOARD_MEMBER, Role.MEMBER],
  },
  {
    name: 'College.stats',
    action: Action.ReadMembers,
    document: 'query($id: ID!) { college(id: $id) { stats { activeMembers } } }',
    variables: async (f) => ({ id: f.collegeId }),
    path: ['college', 'stats'],
    allowed: [...MANAGERS, Role.TREASURER, Role.BOARD_MEMBER, Role.MEMBER],
  },
  {
    name: 'appointRepresentative',
    action: Action.AppointRepresentative,
    document: 'mutation($input: AppointRepresentativeInput!) { appointRepresentative(input: $input) { mandate { id } } }',
    variables: async (f) => ({ input: { collegeId: f.collegeId, accountId: await newAccount() } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'endRepresentativeMandate',
    action: Action.AppointRepresentative,
    document: 'mutation($input: EndRepresentativeMandateInput!) { endRepresentativeMandate(input: $input) { mandate { id endsAt } } }',
    variables: async () => ({ input: { mandateId: await newMandate(), reason: 'resigned' } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'publishCharter',
    action: Action.PublishCharter,
    document: 'mutation($input: PublishCharterInput!) { publishCharter(input: $input) { charter { id } } }',
    variables: async (f) => ({ input: { clusterId: f.clusterId, title: 'Charter', text: `Good practices ${unique()}` } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'signCharter',
    action: Action.SignCharter,
    document: 'mutation($input: SignCharterInput!) { signCharter(input: $input) { signature { id } } }',
    variables: async (f) => ({ input: { organisationId: await newOrganisation(), clusterId: f.clusterId } }),
    allowed: [ORGANISATION_CONTACT],
  },
  {
    name: 'GET /exports/colleges/:collegeId/members.csv',
    action: Action.ExportMembers,
    url: async (f) => `/exports/colleges/${f.collegeId}/members.csv`,
    // The header row, and the sponsor: an active member of the collège.
    body: (f) => new RegExp(`^organisation_id,organisation_name,[^]*\\r\\n${f.sponsorId},`),
    allowed: MANAGERS,
  },
  {
    name: 'createFunder',
    action: Action.ManageFunders,
    document: 'mutation($input: CreateFunderInput!) { createFunder(input: $input) { funder { id } } }',
    variables: async () => ({ input: { name: `Authz funder ${unique()}`, kind: 'REGION' } }),
    allowed: [Role.ADMIN, Role.TREASURER],
    anyCluster: true,
  },
  {
    name: 'createProgramme',
    action: Action.ManageFunders,
    document: 'mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }',
    variables: async (f) => ({ input: { funderId: f.funderId, name: `Authz call ${unique()}`, kind: 'CALL_FOR_PROJECTS' } }),
    allowed: [Role.ADMIN, Role.TREASURER],
    anyCluster: true,
  },
  {
    name: 'recordSubsidy',
    action: Action.ManageSubsidies,
    document: 'mutation($input: RecordSubsidyInput!) { recordSubsidy(input: $input) { subsidy { id } } }',
    variables: async (f) => ({
      input: {
        clusterId: f.clusterId,
        funderId: f.funderId,
        purpose: `Authz ${unique()}`,
        decisionDate: app.clock.now().toISOString().slice(0, 10),
        amountAwarded: '500000',
      },
    }),
    allowed: [Role.TREASURER],
  },
  {
    name: 'transitionSubsidy',
    action: Action.ManageSubsidies,
    document: 'mutation($input: TransitionSubsidyInput!) { transitionSubsidy(input: $input) { subsidy { id state } } }',
    variables: async () => ({ input: { subsidyId: await newSubsidy(), to: 'ACTIVE' } }),
    allowed: [Role.TREASURER],
  },
  {
    name: 'freezeSubsidy',
    action: Action.ManageSubsidies,
    document: 'mutation($input: FreezeSubsidyInput!) { freezeSubsidy(input: $input) { subsidy { id state } } }',
    variables: async () => ({ input: { subsidyId: await newSubsidy(), reason: 'until the merger' } }),
    allowed: [Role.TREASURER],
  },
  {
    name: 'releaseSubsidy',
    action: Action.ManageSubsidies,
    document: 'mutation($input: ReleaseSubsidyInput!) { releaseSubsidy(input: $input) { subsidy { id state } } }',
    variables: async () => ({ input: { subsidyId: await newSubsidy({ frozen: true }), reason: 'merger done' } }),
    allowed: [Role.TREASURER],
  },
  {
    name: 'recordReceipt',
    action: Action.ManageSubsidies,
    document: 'mutation($input: RecordReceiptInput!) { recordReceipt(input: $input) { entry { id } } }',
    variables: async () => ({
      input: {
        subsidyId: await newSubsidy(),
        amount: '1000',
        valueDate: app.clock.now().toISOString().slice(0, 10),
        bankReference: `VIR-${unique()}`,
      },
    }),
    allowed: [Role.TREASURER],
  },
  {
    name: 'reverseEntry',
    action: Action.ManageSubsidies,
    document: 'mutation($input: ReverseEntryInput!) { reverseEntry(input: $input) { entry { id } } }',
    variables: async () => ({ input: { entryId: await newReceiptEntry(), reason: 'wrong subsidy' } }),
    allowed: [Role.TREASURER],
  },
  {
    // With `collegeId`: the collège's representatives read it too (without it, see the scope tests).
    name: 'subsidies',
    action: Action.ReadSubsidies,
    document: 'query($clusterId: ID!, $collegeId: ID) { subsidies(clusterId: $clusterId, collegeId: $collegeId) { totalCount } }',
    variables: async (f) => ({ clusterId: f.clusterId, collegeId: f.collegeId }),
    allowed: [...TREASURY_READERS, Role.COLLEGE_REPRESENTATIVE],
  },
  {
    name: 'subsidy',
    action: Action.ReadSubsidies,
    document: 'query($id: ID!) { subsidy(id: $id) { id state } }',
    variables: async () => ({ id: await newSubsidy() }),
    allowed: [...TREASURY_READERS, Role.COLLEGE_REPRESENTATIVE],
  },
  {
    name: 'treasuryReport',
    action: Action.ReadTreasury,
    document: 'query($clusterId: ID!) { treasuryReport(clusterId: $clusterId) { awarded } }',
    variables: async (f) => ({ clusterId: f.clusterId }),
    allowed: TREASURY_READERS,
  },
  {
    name: 'workingCapitalForecast',
    action: Action.ReadTreasury,
    document: 'query($clusterId: ID!) { workingCapitalForecast(clusterId: $clusterId, openingBalance: "0") { workingCapitalNeed } }',
    variables: async (f) => ({ clusterId: f.clusterId }),
    allowed: TREASURY_READERS,
  },
  {
    name: 'GET /exports/clusters/:clusterId/ledger.csv',
    action: Action.ReadTreasury,
    url: async (f) => `/exports/clusters/${f.clusterId}/ledger.csv`,
    body: () => /^entry_id,value_date,/,
    allowed: TREASURY_READERS,
  },
  {
    name: 'GET /exports/clusters/:clusterId/subsidies.csv',
    action: Action.ReadTreasury,
    url: async (f) => `/exports/clusters/${f.clusterId}/subsidies.csv`,
    body: () => /^subsidy_id,funder,/,
    allowed: TREASURY_READERS,
  },
  {
    name: 'GET /exports/clusters/:clusterId/ledger.csv?format=excel-fr',
    action: Action.ReadTreasury,
    url: async (f) => `/exports/clusters/${f.clusterId}/ledger.csv?format=excel-fr`,
    body: () => /^\uFEFFÉcriture \(id\);Date de valeur;/,
    allowed: TREASURY_READERS,
  },
  {
    name: 'GET /exports/clusters/:clusterId/ledger.xlsx',
    action: Action.ReadTreasury,
    url: async (f) => `/exports/clusters/${f.clusterId}/ledger.xlsx`,
    body: () => /^PK/,
    allowed: TREASURY_READERS,
  },
  {
    name: 'GET /exports/clusters/:clusterId/subsidies.xlsx',
    action: Action.ReadTreasury,
    url: async (f) => `/exports/clusters/${f.clusterId}/subsidies.xlsx`,
    body: () => /^PK/,
    allowed: TREASURY_READERS,
  },
  {
    name: 'ledger',
    action: Action.ReadTreasury,
    document: 'query($clusterId: ID!) { ledger(clusterId: $clusterId, first: 5) { totalCount } }',
    variables: async (f) => ({ clusterId: f.clusterId }),
    allowed: TREASURY_READERS,
  },
  {
    name: 'configureVotingBody',
    action: Action.ConfigureVotingBody,
    document: 'mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id } } }',
    variables: async (f) => ({
      input: {
        clusterId: f.clusterId,
        kind: 'BOARD',
        name: `Board ${unique()}`,
        rules: BOARD_RULES,
        seats: [{ collegeId: f.collegeId, seats: 100 }],
      },
    }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'appointBoardMember',
    action: Action.ManageBoard,
    document: 'mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { id } } }',
    variables: async (f) => ({ input: { clusterId: f.clusterId, collegeId: f.collegeId, accountId: await newAccount() } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'endBoardMandate',
    action: Action.ManageBoard,
    document: 'mutation($id: ID!) { endBoardMandate(mandateId: $id, reason: "resigned") { mandate { id endsAt } } }',
    variables: async (f) => ({
      id: (await app.services().bodies.appoint({ clusterId: f.clusterId, collegeId: f.collegeId, accountId: await newAccount() })).id,
    }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'designateDelegate',
    action: Action.DesignateDelegate,
    document: 'mutation($input: DesignateDelegateInput!) { designateDelegate(input: $input) { delegate { id } } }',
    variables: async (f) => ({ input: { clusterId: f.clusterId, organisationId: f.sponsorId, accountId: await newAccount() } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN, ORGANISATION_CONTACT],
  },
  {
    name: 'createProposal',
    action: Action.CreateProposal,
    document: 'mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }',
    variables: async (f) => ({
      input: { kind: 'RESOLUTION', title: `Authz ${unique()}`, text: 'Resolved.', partyClusterIds: [f.clusterId] },
    }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'openVoting',
    action: Action.ManageVoting,
    document: 'mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { id state } } }',
    variables: async () => ({
      input: { proposalId: await newProposal(), closesAt: new Date(app.clock.now().getTime() + 86_400_000).toISOString() },
    }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'closeVoting',
    action: Action.ManageVoting,
    document: 'mutation($input: CloseVotingInput!) { closeVoting(input: $input) { proposal { id state } } }',
    variables: async () => ({ input: { proposalId: await newProposal(true) } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'cancelProposal',
    action: Action.ManageVoting,
    document: 'mutation($input: CancelProposalInput!) { cancelProposal(input: $input) { proposal { id state } } }',
    variables: async () => ({ input: { proposalId: await newProposal(), reason: 'withdrawn' } }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'proposal',
    action: Action.ReadProposals,
    document: 'query($id: ID!) { proposal(id: $id) { id state } }',
    variables: async (f) => ({ id: f.closedProposalId }),
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'proposals',
    action: Action.ReadProposals,
    document: 'query($clusterId: ID!) { proposals(clusterId: $clusterId) { totalCount } }',
    variables: async (f) => ({ clusterId: f.clusterId }),
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'minutes',
    action: Action.ReadProposals,
    document: 'query($id: ID!) { minutes(proposalId: $id) }',
    variables: async (f) => ({ id: f.closedProposalId }),
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'GET /exports/proposals/:proposalId/minutes.md',
    action: Action.ReadProposals,
    url: async (f) => `/exports/proposals/${f.closedProposalId}/minutes.md`,
    body: () => /^# Procès-verbal/,
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'recordFunderTransferAgreement',
    action: Action.ManageSubsidies,
    document: 'mutation($id: ID!) { recordFunderTransferAgreement(subsidyId: $id, agreement: "Lettre du 2 novembre") { subsidy { id } } }',
    variables: async () => ({ id: await newSubsidy() }),
    allowed: [Role.TREASURER],
  },
  {
    name: 'executeProposal',
    action: Action.ExecuteProposal,
    document: 'mutation($id: ID!) { executeProposal(proposalId: $id) { conventionId } }',
    variables: async () => ({ id: await newAdoptedPartnership() }),
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN],
  },
  {
    name: 'executeProposal(forceReason)',
    path: ['executeProposal'],
    action: Action.ForceExecution,
    document: 'mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "the Region asked") { conventionId } }',
    variables: async () => ({ id: await newAdoptedPartnership() }),
    allowed: [Role.ADMIN],
  },
  {
    name: 'conventions',
    action: Action.ReadProposals,
    document: 'query($clusterId: ID!) { conventions(clusterId: $clusterId) { id } }',
    variables: async (f) => ({ clusterId: f.clusterId }),
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  // Who acts for an organisation (issue 13, item 3)
  {
    name: 'decideActRequest',
    document: 'mutation($input: DecideActRequestInput!) { decideActRequest(input: $input) { actRequest { status } } }',
    variables: async () => ({ input: { requestId: await newActRequest(), decision: 'APPROVE' } }),
    action: Action.DecideActRequest,
    allowed: [Role.ADMIN, Role.CLUSTER_ADMIN, Role.COLLEGE_REPRESENTATIVE, ORGANISATION_CONTACT],
  },
  // Account administration (issue 13, item 4)
  {
    name: 'accounts',
    document: 'query($q: String) { accounts(search: $q) { totalCount } }',
    variables: async () => ({ q: 'target-' }),
    action: Action.ManageAccounts,
    allowed: [Role.ADMIN],
  },
  {
    name: 'disableAccount',
    document: 'mutation($input: DisableAccountInput!) { disableAccount(input: $input) { account { id } } }',
    variables: async () => ({ input: { accountId: await newAccount(), reason: 'Left the association' } }),
    action: Action.ManageAccounts,
    allowed: [Role.ADMIN],
  },
  {
    name: 'enableAccount',
    document: 'mutation($input: EnableAccountInput!) { enableAccount(input: $input) { account { id } } }',
    variables: async () => {
      const accountId = await newAccount();
      await app.services().accountAdmin.disable(accountId, 'Left the association');
      return { input: { accountId } };
    },
    action: Action.ManageAccounts,
    allowed: [Role.ADMIN],
  },
  {
    // Another account's session (one's own: any signed-in account, tests/auth/sessions.test.ts).
    name: 'revokeSession',
    document: 'mutation($input: RevokeSessionInput!) { revokeSession(input: $input) { session { id } } }',
    variables: async () => ({ input: { sessionId: await newSession() } }),
    action: Action.ManageSessions,
    allowed: [Role.ADMIN],
  },
  // The mail outbox (issue 13, item 5)
  {
    name: 'outbox',
    document: '{ outbox(first: 5) { totalCount edges { node { email } } } }',
    variables: async () => ({}),
    action: Action.ReadOutbox,
    allowed: [Role.ADMIN],
  },
  {
    name: 'retryNotification',
    document: 'mutation($id: ID!) { retryNotification(id: $id) { notification { status } } }',
    variables: async () => ({ id: await newFailedNotification() }),
    action: Action.ReadOutbox,
    allowed: [Role.ADMIN],
  },
  // Meetings (issue 15)
  {
    name: 'setBodyStatutes',
    action: Action.SetBodyStatutes,
    document: 'mutation($input: SetBodyStatutesInput!) { setBodyStatutes(input: $input) { statutes { version } } }',
    variables: async () => ({
      input: {
        bodyId: boardId,
        noticeDays: 7,
        quorumFirstBasisPoints: 0,
        quorumSecondBasisPoints: 0,
        quorumBasis: 'PRESENT',
        remoteCountsAsPresent: true,
        pouvoirsPerHolder: 1,
        dissolution: { body: 'GENERAL_ASSEMBLY', quorumBasisPoints: 5000, majority: 'TWO_THIRDS' },
      },
    }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'createMeeting',
    action: Action.ManageMeetings,
    document: 'mutation($input: CreateMeetingInput!) { createMeeting(input: $input) { meeting { id } } }',
    variables: async () => ({
      input: { bodyId: boardId, kind: 'BOARD', title: `Authz ${unique()}`, scheduledAt: new Date(app.clock.now().getTime() + 30 * DAY) },
    }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'updateMeeting',
    action: Action.ManageMeetings,
    document: 'mutation($input: UpdateMeetingInput!) { updateMeeting(input: $input) { meeting { id } } }',
    variables: async () => ({ input: { meetingId: await newMeeting(), place: 'Toulouse' } }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'addAgendaItem',
    action: Action.ManageMeetings,
    document: 'mutation($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { item { id } } }',
    variables: async () => ({ input: { meetingId: await newMeeting(), title: 'Questions diverses', binding: false } }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'updateAgendaItem',
    action: Action.ManageMeetings,
    document: 'mutation($input: UpdateAgendaItemInput!) { updateAgendaItem(input: $input) { item { id } } }',
    variables: async () => {
      const [item] = await app.sql<{ id: string }>('select id from agenda_item where meeting_id = $1', [await newMeeting()]);
      return { input: { itemId: item.id, title: 'Point renommé' } };
    },
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'removeAgendaItem',
    action: Action.ManageMeetings,
    document: 'mutation($id: ID!) { removeAgendaItem(itemId: $id) { meeting { id } } }',
    variables: async () => {
      const [item] = await app.sql<{ id: string }>('select id from agenda_item where meeting_id = $1', [await newMeeting()]);
      return { id: item.id };
    },
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'conveneMeeting',
    action: Action.ManageMeetings,
    document: 'mutation($id: ID!) { conveneMeeting(meetingId: $id) { meeting { id } } }',
    variables: async () => ({ id: await newMeeting() }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'conveneMeeting(forceShortNotice)',
    path: ['conveneMeeting'],
    action: Action.ForceShortNotice,
    document:
      'mutation($id: ID!) { conveneMeeting(meetingId: $id, forceShortNotice: "Urgence : la Région attend la décision") { meeting { id } } }',
    variables: async () => ({ id: await newMeeting(2) }),
    allowed: [Role.ADMIN],
  },
  {
    name: 'cancelMeeting',
    action: Action.ManageMeetings,
    document: 'mutation($id: ID!) { cancelMeeting(meetingId: $id, reason: "Reportée") { meeting { id } } }',
    variables: async () => ({ id: await newConvenedMeeting() }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'createSecondConvocation',
    action: Action.ManageMeetings,
    document: 'mutation($input: CreateSecondConvocationInput!) { createSecondConvocation(input: $input) { meeting { id } } }',
    variables: async () => {
      const first = await newConvenedMeeting();
      await app.sql(`update meeting set state = 'ADJOURNED_NO_QUORUM', opened_at = scheduled_at where id = $1`, [first]);
      return { input: { firstMeetingId: first, scheduledAt: new Date(app.clock.now().getTime() + 45 * DAY) } };
    },
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'openMeeting',
    action: Action.ManageMeetings,
    document: 'mutation($id: ID!) { openMeeting(meetingId: $id) { opened } }',
    variables: async () => ({ id: await newConvenedMeeting() }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'closeMeeting',
    action: Action.ManageMeetings,
    document: 'mutation($id: ID!) { closeMeeting(meetingId: $id) { meeting { id } } }',
    variables: async () => ({ id: await newOpenMeeting() }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'draftMinutes',
    action: Action.ManageMeetings,
    document: 'mutation($input: DraftMinutesInput!) { draftMinutes(input: $input) { minutes { id } } }',
    variables: async () => ({ input: { meetingId: await newClosedMeeting() } }),
    allowed: MEETING_MANAGERS,
  },
  {
    name: 'meeting',
    action: Action.ReadMeetings,
    document: 'query($id: ID!) { meeting(id: $id) { id title agenda { title } } }',
    variables: async () => ({ id: await newConvenedMeeting() }),
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'meetingMinutes',
    action: Action.ReadMeetings,
    document: 'query($id: ID!) { meetingMinutes(meetingId: $id) { id } }',
    variables: async () => ({ id: (await newSignedMinutes()).meetingId }),
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'minutesExtract',
    action: Action.ReadMeetings,
    document: 'query($id: ID!, $items: [ID!]!) { minutesExtract(minutesId: $id, agendaItemIds: $items) { sha256 } }',
    variables: async () => {
      const { minutesId, itemId } = await newSignedMinutes();
      return { id: minutesId, items: [itemId] };
    },
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'GET /meetings/<id>/minutes.md',
    action: Action.ReadMeetings,
    url: async () => `/meetings/${(await newSignedMinutes()).meetingId}/minutes.md`,
    body: () => /^# /,
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
  {
    name: 'GET /meetings/<id>/minutes.pdf',
    action: Action.ReadMeetings,
    url: async () => `/meetings/${(await newSignedMinutes()).meetingId}/minutes.pdf`,
    body: () => /^%PDF-/,
    allowed: PROPOSAL_READERS,
    wholeCluster: true,
  },
];

/** Operations open to any signed-in account, whatever its roles: refused only without a token. */
const SIGNED_IN_OPERATIONS: readonly GraphQLCall[] = [
  {
    name: 'createOrganisation',
    document: 'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }',
    variables: async () => ({ input: { name: `Authz org ${unique()}`, kind: OrganisationKind.COMPANY } }),
  },
  {
    name: 'organisation',
    document: 'query($id: ID!) { organisation(id: $id) { id name } }',
    variables: async (f) => ({ id: f.organisationId }),
  },
  {
    name: 'organisations',
    document: 'query($q: String!) { organisations(search: $q) { totalCount } }',
    variables: async () => ({ q: 'Authz org' }),
  },
  {
    name: 'verifyReceipt',
    document: 'query($r: String!) { verifyReceipt(receipt: $r) { found } }',
    variables: async () => ({ r: 'not-a-receipt' }),
  },
  {
    // One's own password: any signed-in account (here changed to the same one, so every run can repeat it).
    name: 'changePassword',
    document: 'mutation($input: ChangePasswordInput!) { changePassword(input: $input) { otherSessionsRevoked } }',
    variables: async () => ({ input: { oldPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD } }),
  },
  {
    name: 'requestToActFor',
    document: 'mutation($input: RequestToActForInput!) { requestToActFor(input: $input) { actRequest { id } } }',
    variables: async () => ({
      input: { organisationId: await newOrganisation(await newAccount()), fullName: 'Dominique Authz', roleInOrganisation: 'CFO' },
    }),
  },
  {
    name: 'similarOrganisations',
    document: 'query($name: String!) { similarOrganisations(name: $name) { id } }',
    variables: async () => ({ name: 'Authz org' }),
  },
  {
    // Each person's own preferences (each principal turns one kind off: a change, audited).
    name: 'setNotificationPreference',
    document: 'mutation { setNotificationPreference(kind: MANDATE_ENDING, enabled: false) { kind enabled } }',
    variables: async () => ({}),
  },
];

/**
 * Operations of an account whose email is not verified yet: refused without a token, and to a
 * verified account as a conflict (EMAIL_ALREADY_VERIFIED), never FORBIDDEN. tests/auth covers the rest.
 */
const UNVERIFIED_OPERATIONS: readonly GraphQLCall[] = [
  {
    name: 'resendVerificationEmail',
    document: 'mutation { resendVerificationEmail { sentTo } }',
    variables: async () => ({}),
  },
];

/**
 * Operations whose right is a relation, not a role: the voters of a vote's snapshotted
 * electorate (and proxy holders), a request's requester. Refused without a token here; tests/governance
 * and tests/membership cover the rest.
 */
const ELECTORATE_OPERATIONS: readonly GraphQLCall[] = [
  {
    name: 'castVote',
    document: 'mutation($input: CastVoteInput!) { castVote(input: $input) { receipt } }',
    variables: async (f) => ({ input: { proposalId: f.closedProposalId, choice: 'FOR' } }),
  },
  {
    name: 'grantProxy',
    document: 'mutation($input: GrantProxyInput!) { grantProxy(input: $input) { proxy { id } } }',
    variables: async (f) => ({ input: { proposalId: f.closedProposalId, holderAccountId: f.contactAccountId } }),
  },
  {
    // The request's own requester only (tests/membership/act-request.test.ts).
    name: 'withdrawActRequest',
    document: 'mutation($input: ActRequestIdInput!) { withdrawActRequest(input: $input) { actRequest { status } } }',
    variables: async () => ({ input: { requestId: '00000000-0000-4000-8000-000000000000' } }),
  },
  {
    name: 'revokeProxy',
    document: 'mutation($id: ID!) { revokeProxy(proxyId: $id) { proxy { id } } }',
    variables: async () => ({ id: '00000000-0000-4000-8000-000000000000' }),
  },
  // A meeting's convened members, its chair and secretary, its managers (tests/governance/meetings).
  {
    name: 'givePouvoir',
    document: 'mutation($input: GivePouvoirInput!) { givePouvoir(input: $input) { pouvoir { id } } }',
    variables: async () => ({ input: { meetingId: '00000000-0000-4000-8000-000000000000', holderAccountId: officers[0] } }),
  },
  {
    name: 'revokePouvoir',
    document: 'mutation($id: ID!) { revokePouvoir(pouvoirId: $id) { pouvoir { id } } }',
    variables: async () => ({ id: '00000000-0000-4000-8000-000000000000' }),
  },
  {
    name: 'recordArrival',
    document: 'mutation($input: RecordArrivalInput!) { recordArrival(input: $input) { attendance { id } } }',
    variables: async () => ({ input: { meetingId: '00000000-0000-4000-8000-000000000000', mode: 'IN_PERSON' } }),
  },
  {
    name: 'recordDeparture',
    document: 'mutation($input: RecordDepartureInput!) { recordDeparture(input: $input) { attendance { id } } }',
    variables: async () => ({ input: { meetingId: '00000000-0000-4000-8000-000000000000' } }),
  },
  {
    // The meeting's chair and secretary only (tests/governance/meetings/minutes.test.ts).
    name: 'signMinutes',
    document: 'mutation($id: ID!) { signMinutes(minutesId: $id) { signature { role } } }',
    variables: async () => ({ id: '00000000-0000-4000-8000-000000000000' }),
  },
];

/** Operations open to anyone: deliberately outside the table. */
const UNPROTECTED_OPERATIONS = [
  'registerAccount',
  // The link in the mail is the proof (issue 13, item 4); asking for a reset answers the same for any email.
  'requestPasswordReset',
  'resetPassword',
  'verifyEmail',
  'login',
  'logout',
  'viewer',
  'clusters',
  'cluster',
  'college',
  'funders',
  'programmes',
  'votingBody',
];

const ROLES = Object.values(Role);
const NO_ROLE = 'signed in, no role';
type Principal = Grantee | typeof NO_ROLE;
const PRINCIPALS: readonly Principal[] = [...ROLES, ORGANISATION_CONTACT, NO_ROLE];

const tokens = new Map<Principal, string>();
/** Each scoped role held over the other cluster (collège-level ones over its collège). */
const otherClusterTokens = new Map<Role, string>();
/** Each collège-level role held over the sibling collège of the test cluster. */
const siblingCollegeTokens = new Map<Role, string>();
/** An account acting for an organisation of its own (an active member of the collège), and for no other. */
let outsiderContactToken: string;

/** A role held over a cluster or a collège (every role but ADMIN), as opposed to ADMIN or a contact. */
const isScopedRole = (grantee: Grantee): grantee is Role => grantee !== ORGANISATION_CONTACT && ROLE_SCOPE[grantee] !== 'GLOBAL';
/** Whether `signUpAs` grants `role` over the collège rather than the cluster. */
const heldOverCollege = (role: Role) => ROLE_SCOPE[role] === 'COLLEGE' || ROLE_SCOPE[role] === 'CLUSTER_OR_COLLEGE';

/** Signs up an account holding `role` over the cluster, or over the collège for collège-level roles. */
async function signUpAs(role: Role, clusterId: string, collegeId: string): Promise<string> {
  const kind = ROLE_SCOPE[role];
  if (kind === 'GLOBAL') return (await app.signUp({ role })).token;
  if (kind === 'CLUSTER') return (await app.signUp({ role, clusterId })).token;
  return (await app.signUp({ role, clusterId, collegeId })).token;
}

async function auditEntries(): Promise<number> {
  const [{ count }] = await app.sql<{ count: number }>('select count(*)::int as count from audit_entry');
  return count;
}

const isGraphQL = (call: Call): call is GraphQLCall => 'document' in call;
const isMutation = (call: Call) => isGraphQL(call) && call.document.trimStart().startsWith('mutation');

/** The fresh request of a call: its variables, or its path. */
type Request = Record<string, unknown> | string;
const prepare = (call: Call): Promise<Request> => (isGraphQL(call) ? call.variables(fx) : call.url(fx));
const preparer = (call: Call) => (isGraphQL(call) ? call.variables : call.url);

/** What came back, alike for GraphQL and HTTP: the HTTP status, the error codes, and the answer (null when refused). */
interface Outcome {
  status: number;
  codes: string[];
  /** Each error's `extensions.reason` and message. */
  refusals: { reason: unknown; message: string }[];
  answer: unknown;
}

const refusalsOf = (body: GraphQLResponse['body']) =>
  (body.errors ?? []).map((error) => ({ reason: error.extensions?.reason, message: error.message }));

async function perform(call: Call, request: Request, token: string | undefined): Promise<Outcome> {
  if (isGraphQL(call)) {
    const res = await app.gql(call.document, request as Record<string, unknown>, { token });
    const answer = (call.path ?? [call.name]).reduce<any>((value, key) => value?.[key], res.body.data);
    return { status: res.status, codes: errorCodes(res), refusals: refusalsOf(res.body), answer };
  }
  const response = await fetch(`${app.url}${request as string}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status === 200) {
    expect(response.headers.get('content-type')).toMatch(
      /^(text\/(csv|markdown); charset=utf-8|application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet|application\/pdf)/,
    );
    // A workbook is a zip: its first bytes read "PK" as latin1; a PDF starts "%PDF-".
    const bytes = Buffer.from(await response.arrayBuffer());
    const binary = /spreadsheetml|pdf/.test(response.headers.get('content-type')!);
    const answer = binary ? bytes.toString('latin1') : bytes.toString('utf8');
    return { status: 200, codes: [], refusals: [], answer };
  }
  const body = (await response.json()) as GraphQLResponse['body'];
  return {
    status: response.status,
    codes: errorCodes({ status: response.status, headers: response.headers, body }),
    refusals: refusalsOf(body),
    answer: null,
  };
}

/**
 * Performs `call` as `token`; expects it to succeed, and a change to be audited (a read to write
 * nothing).
 */
async function expectSucceeds(call: Call, token: string | undefined): Promise<void> {
  const request = await prepare(call);
  const before = await auditEntries();
  const { status, codes, answer } = await perform(call, request, token);
  expect(codes).toEqual([]);
  expect(status).toBe(200);
  if (isGraphQL(call)) expect(answer ?? null).not.toBeNull();
  else expect(answer).toMatch(call.body(fx));
  if (isMutation(call)) expect(await auditEntries()).toBeGreaterThan(before);
  else expect(await auditEntries()).toBe(before);
}

/** One request per call for all its refusals: a refusal consumes nothing (see expectRefused). */
const refusalRequests = new Map<ReturnType<typeof preparer>, Promise<Request>>();

const HTTP_STATUS = { UNAUTHENTICATED: 401, FORBIDDEN: 403 } as const;

/** A refusal with exactly `code`, no answer, and nothing recorded (every change is audited). */
async function expectRefused(call: Call, token: string | undefined, code: keyof typeof HTTP_STATUS): Promise<void> {
  if (!refusalRequests.has(preparer(call))) refusalRequests.set(preparer(call), prepare(call));
  const request = await refusalRequests.get(preparer(call))!;
  const before = await auditEntries();
  const { status, codes, refusals, answer } = await perform(call, request, token);
  expect(codes).toEqual([code]);
  // The generic reasons of the two refusals; a FORBIDDEN says in plain words who may.
  expect(refusals[0].reason).toBe(code === 'FORBIDDEN' ? CommonReason.RIGHT_MISSING : CommonReason.SIGN_IN_REQUIRED);
  if (code === 'FORBIDDEN') expect(refusals[0].message).toMatch(/^Only (the |platform administrators)/);
  expect(answer ?? null).toBeNull();
  if (!isGraphQL(call)) expect(status).toBe(HTTP_STATUS[code]);
  expect(await auditEntries()).toBe(before);
}

const operation = (name: string) => OPERATIONS.find((op) => op.name === name)!;

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  const clusters = services.clusters;
  const cluster = await clusters.createCluster({ name: 'Authz', slug: `authz-home-${unique()}`, kind: ClusterKind.CLUSTER });
  const college = await clusters.createCollege({ clusterId: cluster.id, name: 'Cloud', slug: 'cloud', theme: 'cloud' });
  const sibling = await clusters.createCollege({ clusterId: cluster.id, name: 'Start-ups', slug: 'startups', theme: 'start-ups' });
  const other = await clusters.createCluster({ name: 'Elsewhere', slug: `authz-other-${unique()}`, kind: ClusterKind.CLUSTER });
  const otherCollege = await clusters.createCollege({ clusterId: other.id, name: 'Cloud', slug: 'cloud', theme: 'cloud' });
  for (const collegeId of [college.id, sibling.id, otherCollege.id]) {
    await services.admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.REPRESENTATIVE });
  }
  await services.charters.publish({ clusterId: cluster.id, title: 'Charter', text: 'Good practices' });

  for (const role of ROLES) tokens.set(role, await signUpAs(role, cluster.id, college.id));
  tokens.set(NO_ROLE, (await app.signUp()).token);
  const contact = await app.signUp();
  tokens.set(ORGANISATION_CONTACT, contact.token);
  fx = {
    clusterId: cluster.id,
    collegeId: college.id,
    siblingCollegeId: sibling.id,
    otherClusterId: other.id,
    otherCollegeId: otherCollege.id,
    contactAccountId: contact.accountId,
    organisationId: '',
    sponsorId: '',
    funderId: (await services.funders.createFunder({ name: `Authz funder ${unique()}`, kind: FunderKind.REGION })).id,
    closedProposalId: '',
    authorAccountId: '',
    partnerClusterId: (await clusters.createCluster({ name: 'Partner', slug: `authz-partner-${unique()}`, kind: ClusterKind.CLUSTER })).id,
  };
  const partnerCollege = await clusters.createCollege({ clusterId: fx.partnerClusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' });
  await services.bodies.configure({
    clusterId: fx.partnerClusterId,
    kind: BodyKind.BOARD,
    name: 'Partner board',
    rules: BOARD_RULES as never,
    seats: [{ collegeId: partnerCollege.id, seats: 5 }],
  });
  fx.authorAccountId = await newAccount();
  await services.bodies.configure({
    clusterId: cluster.id,
    kind: BodyKind.BOARD,
    name: 'Board',
    rules: BOARD_RULES as never,
    seats: [{ collegeId: college.id, seats: 100 }],
  });
  await services.bodies.configure({
    clusterId: cluster.id,
    kind: BodyKind.GENERAL_ASSEMBLY,
    name: 'Assembly',
    rules: BOARD_RULES as never,
  });
  await services.bodies.appoint({ clusterId: cluster.id, collegeId: college.id, accountId: await newAccount() });
  officers = [await newAccount(), await newAccount()];
  for (const accountId of officers) await services.bodies.appoint({ clusterId: cluster.id, collegeId: college.id, accountId });
  [{ id: boardId }] = await app.sql<{ id: string }>(`select id from voting_body where cluster_id = $1 and kind = 'BOARD'`, [cluster.id]);
  await services.statutes.set({
    bodyId: boardId,
    noticeDays: 7,
    quorumFirstBasisPoints: 0,
    quorumSecondBasisPoints: 0,
    quorumBasis: QuorumBasis.PRESENT,
    remoteCountsAsPresent: true,
    pouvoirsPerHolder: 1,
    dissolution: { body: BodyKind.GENERAL_ASSEMBLY, quorumBasisPoints: 5000, majority: Majority.TWO_THIRDS },
  });
  fx.organisationId = await newOrganisation();
  const [sponsorMembership] = await app.sql<{ organisation_id: string }>('select organisation_id from membership where id = $1', [
    await newMembership(),
  ]);
  fx.sponsorId = sponsorMembership.organisation_id;
  fx.closedProposalId = await newProposal(true);
  const party = await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [fx.closedProposalId]);
  await app.services().voting.close(party[0].id);

  for (const role of ROLES.filter(isScopedRole)) {
    otherClusterTokens.set(role, await signUpAs(role, other.id, otherCollege.id));
    if (heldOverCollege(role)) siblingCollegeTokens.set(role, await signUpAs(role, cluster.id, sibling.id));
  }
  const outsider = await app.signUp();
  await newMembership(outsider.accountId);
  outsiderContactToken = outsider.token;
});

afterAll(async () => {
  await app.close();
});

describe.each(OPERATIONS)('$name', (op) => {
  // The contact principal acts for an ACTIVE member of the test collège (the sponsor): it holds
  // the MEMBER right there, which follows membership (issue 13), wherever MEMBER may act.
  const cases = PRINCIPALS.map((principal) => ({
    principal,
    allowed:
      (op.allowed as readonly Principal[]).includes(principal) ||
      (principal === ORGANISATION_CONTACT && (op.allowed as readonly Principal[]).includes(Role.MEMBER)),
  }));

  it.each(cases.filter((c) => c.allowed))('$principal: allowed', async ({ principal }) => {
    await expectSucceeds(op, tokens.get(principal));
  });

  it.each(cases.filter((c) => !c.allowed))('$principal: FORBIDDEN', async ({ principal }) => {
    await expectRefused(op, tokens.get(principal), 'FORBIDDEN');
  });

  it('no token: UNAUTHENTICATED', async () => {
    await expectRefused(op, undefined, 'UNAUTHENTICATED');
  });
});

describe.each(SIGNED_IN_OPERATIONS)('$name (any signed-in account)', (call) => {
  it.each(PRINCIPALS)('%s: allowed', async (principal) => {
    await expectSucceeds(call, tokens.get(principal));
  });

  it('no token: UNAUTHENTICATED', async () => {
    await expectRefused(call, undefined, 'UNAUTHENTICATED');
  });
});

describe.each(UNVERIFIED_OPERATIONS)('$name (an account not verified yet)', (call) => {
  it('no token: UNAUTHENTICATED', async () => {
    await expectRefused(call, undefined, 'UNAUTHENTICATED');
  });

  it.each(PRINCIPALS)('%s (verified): CONFLICT EMAIL_ALREADY_VERIFIED, not FORBIDDEN', async (principal) => {
    const res = await app.gql(call.document, await call.variables(fx), { token: tokens.get(principal) });
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'EMAIL_ALREADY_VERIFIED' });
  });
});

describe.each(ELECTORATE_OPERATIONS)('$name (voters of the electorate)', (call) => {
  it('no token: UNAUTHENTICATED', async () => {
    await expectRefused(call, undefined, 'UNAUTHENTICATED');
  });
});

describe('scope', () => {
  /** Each scoped role the row allows, held over the other cluster (or its collège). */
  const otherClusterCases = OPERATIONS.filter((op) => !op.anyCluster).flatMap((op) =>
    op.allowed.filter(isScopedRole).map((role) => ({ ...op, role })),
  );

  it.each(OPERATIONS.filter((op) => op.anyCluster))(
    '$name: shared reference data, so a TREASURER of another cluster may do it too',
    async (op) => {
      await expectSucceeds(op, otherClusterTokens.get(Role.TREASURER));
    },
  );

  it('subsidies: without collegeId, a collège representative is FORBIDDEN (only the cluster’s readers list them all)', async () => {
    const subsidies = operation('subsidies');
    await expectRefused(
      { ...subsidies, variables: async (f) => ({ clusterId: f.clusterId }) },
      tokens.get(Role.COLLEGE_REPRESENTATIVE),
      'FORBIDDEN',
    );
    await expectSucceeds({ ...subsidies, variables: async (f) => ({ clusterId: f.clusterId }) }, tokens.get(Role.BOARD_MEMBER));
  });

  it('subsidy: a representative of a collège it is not allocated to is FORBIDDEN', async () => {
    const subsidy = operation('subsidy');
    await expectRefused(subsidy, siblingCollegeTokens.get(Role.COLLEGE_REPRESENTATIVE), 'FORBIDDEN');
  });

  it.each(otherClusterCases)('$name: a $role of another cluster is FORBIDDEN on this cluster', async (op) => {
    await expectRefused(op, otherClusterTokens.get(op.role), 'FORBIDDEN');
  });

  /** Each collège-level role the row allows, held over the sibling collège. */
  const siblingCollegeCases = OPERATIONS.filter((op) => !op.wholeCluster).flatMap((op) =>
    op.allowed
      .filter(isScopedRole)
      .filter(heldOverCollege)
      .map((role) => ({ ...op, role })),
  );

  it.each(siblingCollegeCases)('$name: a $role of another collège of the cluster is FORBIDDEN on this collège', async (op) => {
    await expectRefused(op, siblingCollegeTokens.get(op.role), 'FORBIDDEN');
  });

  const contactOperations = OPERATIONS.filter((op) => op.allowed.includes(ORGANISATION_CONTACT));

  it.each(contactOperations)('$name: a contact of another organisation is FORBIDDEN on this one', async (op) => {
    await expectRefused(op, outsiderContactToken, 'FORBIDDEN');
  });

  it("sponsorApplication: the applicant's contact cannot sponsor as a member it does not act for", async () => {
    const applicantContact = await app.signUp();
    const applicationId = await newApplication(applicantContact.accountId);
    const sponsor = operation('sponsorApplication');
    await expectRefused(
      { ...sponsor, variables: async (f) => ({ input: { applicationId, sponsorOrganisationId: f.sponsorId } }) },
      applicantContact.token,
      'FORBIDDEN',
    );
  });

  it('submitApplication: a contact applies for its organisation to a collège where the contact holds no role', async () => {
    const submit = operation('submitApplication');
    await expectSucceeds(
      { ...submit, variables: async (f) => ({ input: { organisationId: await newOrganisation(), collegeId: f.otherCollegeId } }) },
      tokens.get(ORGANISATION_CONTACT),
    );
  });

  it('submitApplication: a representative applies for an organisation they do not act for, to their collège only', async () => {
    const submit = operation('submitApplication');
    const outsiderOrganisation = async () => newOrganisation(await newAccount());
    const representative = tokens.get(Role.COLLEGE_REPRESENTATIVE);
    await expectSucceeds(
      { ...submit, variables: async (f) => ({ input: { organisationId: await outsiderOrganisation(), collegeId: f.collegeId } }) },
      representative,
    );
    await expectRefused(
      { ...submit, variables: async (f) => ({ input: { organisationId: await outsiderOrganisation(), collegeId: f.siblingCollegeId } }) },
      representative,
      'FORBIDDEN',
    );
  });

  it.each(['reviewApplication', 'decideApplication'])('%s: a representative whose mandate was ended early is FORBIDDEN', async (name) => {
    const op = operation(name);
    const representative = await app.signUp();
    const mandate = await app.services().representatives.appoint({ collegeId: fx.collegeId, accountId: representative.accountId });
    await expectSucceeds(op, representative.token);
    await app.services().representatives.end(mandate.id, 'resigned from the collège');
    await expectRefused(op, representative.token, 'FORBIDDEN');
  });

  it.each(['reviewApplication', 'decideApplication'])('%s: a representative whose mandate has run out is FORBIDDEN', async (name) => {
    const op = operation(name);
    const representative = await app.signUp();
    const endsAt = new Date(app.clock.now().getTime() + HOUR);
    await app.services().representatives.appoint({ collegeId: fx.collegeId, accountId: representative.accountId, endsAt });
    await expectSucceeds(op, representative.token);
    app.clock.advance(JUMP);
    try {
      await expectRefused(op, representative.token, 'FORBIDDEN');
    } finally {
      app.clock.advance(-JUMP);
    }
  });

  it.each(['reviewApplication', 'decideApplication'])(
    '%s: a representative whose mandate has not started is FORBIDDEN until it does',
    async (name) => {
      const op = operation(name);
      const representative = await app.signUp();
      const startsAt = new Date(app.clock.now().getTime() + HOUR);
      await app.services().representatives.appoint({ collegeId: fx.collegeId, accountId: representative.accountId, startsAt });
      await expectRefused(op, representative.token, 'FORBIDDEN');
      app.clock.advance(JUMP);
      try {
        await expectSucceeds(op, representative.token);
      } finally {
        app.clock.advance(-JUMP);
      }
    },
  );

  it('a CLUSTER_ADMIN cannot grant ADMIN', async () => {
    const accountId = await newAccount();
    const res = await app.gql(
      'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { id } } }',
      { input: { accountId, role: Role.ADMIN } },
      { token: tokens.get(Role.CLUSTER_ADMIN) },
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(await app.sql('select 1 from role_assignment where account_id = $1', [accountId])).toEqual([]);
  });

  it("a CLUSTER_ADMIN cannot revoke the platform ADMIN's role", async () => {
    const admin = await app.signUp({ role: Role.ADMIN });
    const [assignment] = await app.sql<{ id: string }>('select id from role_assignment where account_id = $1', [admin.accountId]);
    const res = await app.gql(
      'mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id } } }',
      { input: { roleAssignmentId: assignment.id } },
      { token: tokens.get(Role.CLUSTER_ADMIN) },
    );
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    const viewer = await app.gql('{ viewer { roles { role } } }', {}, { token: admin.token });
    expect(viewer.body.data!.viewer.roles).toEqual([{ role: 'ADMIN' }]);
  });

  it('nobody grants a collège-level right by hand: MEMBER follows membership, COLLEGE_REPRESENTATIVE a mandate', async () => {
    const grant = async (role: Role, token: string) =>
      app.gql(
        'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { role college { id } } } }',
        { input: { accountId: await newAccount(), role, clusterId: fx.clusterId, collegeId: fx.collegeId } },
        { token },
      );
    for (const token of [tokens.get(Role.ADMIN)!, tokens.get(Role.CLUSTER_ADMIN)!]) {
      expect((await grant(Role.MEMBER, token)).body.errors?.[0].extensions?.reason).toBe('ROLE_FOLLOWS_MEMBERSHIP');
      expect((await grant(Role.COLLEGE_REPRESENTATIVE, token)).body.errors?.[0].extensions?.reason).toBe('ROLE_NEEDS_MANDATE');
    }
  });

  it('a CLUSTER_ADMIN assignment counts only while it is in force', async () => {
    const op = operation('updateCluster');
    const { token, accountId } = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: fx.clusterId });
    const [assignment] = await app.sql<{ id: string }>('select id from role_assignment where account_id = $1', [accountId]);
    await app.services().roles.revoke(assignment.id);
    await expectRefused(op, token, 'FORBIDDEN');

    const future = await app.signUp();
    const services = app.services();
    const input = {
      accountId: future.accountId,
      role: Role.CLUSTER_ADMIN,
      clusterId: fx.clusterId,
      validFrom: new Date(app.clock.now().getTime() + HOUR),
    };
    await services.roles.grant(input, await services.roles.scopeOfGrant(input));
    await expectRefused(op, future.token, 'FORBIDDEN');
  });
});

describe('nested paths to personal data', () => {
  // A member organisation with a SIREN and a headcount, laureate of a public programme: the
  // programme is public, the organisation's private facts are not (issue 12, item 9).
  const NESTED = `{ programmes { name laureates { project organisation { name siren siret headcount sizeClass
    memberships { id } people { email } applications { id } } } } }`;
  let laureateName: string;
  beforeAll(async () => {
    const services = app.services();
    laureateName = `Laureate ${unique()}`;
    const organisation = await services.organisations.createOrganisation(
      { name: laureateName, kind: OrganisationKind.COMPANY, headcount: 42, siren: '552100554', siret: '55210055400013' },
      fx.contactAccountId,
    );
    await services.admission.submitApplication(organisation.id, fx.collegeId);
    await services.funders.createProgramme({
      funderId: fx.funderId,
      name: `Nested ${unique()}`,
      kind: 'CALL_FOR_PROJECTS' as never,
      laureates: [{ organisationId: organisation.id, project: 'Fab Lab', kind: 'CREATION' as never }],
    });
  });

  const laureate = async (token?: string) => {
    const res = await app.gql(NESTED, {}, { token });
    expect(res.body.errors).toBeUndefined();
    const all = res.body.data!.programmes.flatMap((p: any) => p.laureates);
    return all.find((l: any) => l.organisation.name === laureateName).organisation;
  };

  it('anonymous: a public programme’s laureate shows its name, never its identifiers, headcount, history, people or applications', async () => {
    expect(await laureate()).toEqual({
      name: laureateName,
      siren: null,
      siret: null,
      headcount: null,
      sizeClass: null,
      memberships: [],
      people: [],
      applications: [],
    });
  });

  it('signed in: the facts organisation(id) shows; people and applications still only for those the policy allows', async () => {
    const outsider = await laureate(outsiderContactToken);
    expect(outsider).toMatchObject({
      siren: '552100554',
      siret: '55210055400013',
      headcount: 42,
      sizeClass: 'PME',
      people: [],
      applications: [],
    });
    const contact = await laureate(tokens.get(ORGANISATION_CONTACT));
    expect(contact.people.length).toBeGreaterThan(0);
    expect(contact.applications.length).toBe(1);
  });
});

describe('nested paths to accounts', () => {
  // A collège's representatives' mandates are public; their holders' sign-in details are not.
  const MANDATES = `query($id: ID!) { college(id: $id) { representativeMandates { representative { id displayName email lastLoginAt createdAt disabled emailVerified sessions { id } disablements { id } } } } }`;
  const read = async (token?: string) => {
    const res = await app.gql(MANDATES, { id: fx.collegeId }, { token });
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.college.representativeMandates.map((m: any) => m.representative);
  };
  const HIDDEN = {
    email: null,
    lastLoginAt: null,
    createdAt: null,
    disabled: null,
    emailVerified: null,
    sessions: null,
    disablements: null,
  };

  it('anonymous: names, never emails, sign-in times or creation dates', async () => {
    const accounts = await read();
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) expect(account).toMatchObject({ displayName: expect.any(String), ...HIDDEN });
  });

  it.each(PRINCIPALS)('%s: its own details and, for ADMIN only, everyone’s', async (principal) => {
    const token = tokens.get(principal)!;
    const me = (await app.gql('{ viewer { account { id } } }', {}, { token })).body.data!.viewer.account.id as string;
    for (const account of await read(token)) {
      const sees = principal === Role.ADMIN || account.id === me;
      if (sees)
        expect(account).toMatchObject({
          email: expect.stringContaining('@'),
          createdAt: expect.any(String),
          disabled: false,
          emailVerified: true,
          sessions: expect.any(Array),
          disablements: [],
        });
      else expect(account).toMatchObject(HIDDEN);
    }
    expect(POLICY[Action.ReadAccountDetails]).toEqual([Role.ADMIN]);
  });
});

describe('the table', () => {
  it('covers every Action of POLICY, so a new protected operation cannot be left out', () => {
    // Field-level actions are walked by their own describe (nested paths), every principal each.
    const covered = new Set([...OPERATIONS.map((op) => op.action), Action.ReadAccountDetails]);
    expect(Object.values(Action).filter((action) => !covered.has(action))).toEqual([]);
    expect(Object.keys(POLICY).sort()).toEqual(Object.values(Action).sort());
  });

  it.each(OPERATIONS)('$name: allows exactly the grantees POLICY gives $action', (op) => {
    expect([...op.allowed].sort()).toEqual([...POLICY[op.action]].sort());
  });

  it('lists every root field of the schema, or names it as open', async () => {
    const res = await app.gql('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    expect(res.body.errors).toBeUndefined();
    const schema = res.body.data!.__schema as { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    const rootFields = [...schema.queryType.fields, ...schema.mutationType.fields].map((f) => f.name).sort();
    const rootOperations = OPERATIONS.filter((op) => isGraphQL(op) && !op.path);
    const listed = [...rootOperations, ...SIGNED_IN_OPERATIONS, ...ELECTORATE_OPERATIONS, ...UNVERIFIED_OPERATIONS].map((op) => op.name);
    expect(rootFields).toEqual([...listed, ...UNPROTECTED_OPERATIONS].sort());
  });
});
