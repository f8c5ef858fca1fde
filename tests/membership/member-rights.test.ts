import { Role } from '../../src/auth/role.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Rights follow membership (issue 13, item 2): while an organisation's membership is ACTIVE, the
 * people acting for it hold the MEMBER right on its collège — admitted, they read the directory
 * and their cluster's proposals; suspended, they no longer do; reinstated, again. Nobody grants
 * MEMBER by hand over the API.
 */
let app: TestApp;
let clusterId: string;
let collegeId: string;
let rep: { token: string };
let admin: { token: string };

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  clusterId = (await services.clusters.createCluster({ name: 'Rights', slug: 'rights', kind: 'CLUSTER' as never })).id;
  collegeId = (await services.clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  await services.admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: 'REPRESENTATIVE' as never });
  admin = await app.signUp({ role: Role.ADMIN });
  rep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId });
});
afterAll(async () => {
  await app.close();
});

/** What the account reads: its rights, its collège's directory, its cluster's proposals (each refusal as path:code:reason). */
async function reads(token: string) {
  const refusals = (res: { body: { errors?: { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] } }) =>
    (res.body.errors ?? []).map((e) => `${String(e.path?.join('.'))}:${String(e.extensions?.code)}:${String(e.extensions?.reason)}`);
  const viewer = await app.gql('{ viewer { roles { role cluster { id } college { id } } } }', {}, { token });
  const directory = await app.gql(
    'query($id: ID!) { college(id: $id) { members(first: 10) { edges { node { organisation { name } } } } } }',
    { id: collegeId },
    { token },
  );
  const proposals = await app.gql('query($id: ID!) { proposals(clusterId: $id) { totalCount } }', { id: clusterId }, { token });
  return {
    roles: viewer.body.data!.viewer.roles,
    codes: [...refusals(directory), ...refusals(proposals)],
    members: directory.body.data?.college?.members?.edges?.map((e: any) => e.node.organisation.name) ?? null,
  };
}

it('an applicant admitted holds MEMBER on its collège and reads as a member; suspended, no longer; reinstated, again', async () => {
  const applicant = await app.signUp();
  const created = await app.gql(
    'mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id } } }',
    { input: { name: 'Nuage Occitan', kind: 'COMPANY' } },
    { token: applicant.token },
  );
  const organisationId = created.body.data!.createOrganisation.organisation.id as string;
  const submitted = await app.gql(
    'mutation($input: ApplicationTargetInput!) { submitApplication(input: $input) { application { id } } }',
    { input: { organisationId, collegeId } },
    { token: applicant.token },
  );
  const applicationId = submitted.body.data!.submitApplication.application.id as string;

  // Applying grants nothing.
  const before = await reads(applicant.token);
  expect(before.roles).toEqual([]);
  expect(before.codes).toEqual(['college.members:FORBIDDEN:RIGHT_MISSING', 'proposals:FORBIDDEN:RIGHT_MISSING']);

  const decided = await app.gql(
    'mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { state } } }',
    { input: { applicationId, decision: 'APPROVE', reason: 'Bienvenue' } },
    { token: rep.token },
  );
  expect(decided.body.data?.decideApplication.application.state).toBe('APPROVED');

  // Admitted: the right, on the collège, with nothing granted by hand.
  const admitted = await reads(applicant.token);
  expect(admitted.codes).toEqual([]);
  expect(admitted.roles).toEqual([{ role: 'MEMBER', cluster: { id: clusterId }, college: { id: collegeId } }]);
  expect(admitted.members).toContain('Nuage Occitan');
  expect(await app.sql("select 1 from role_assignment where role = 'MEMBER'")).toEqual([]);

  // Suspended by the representative: the right is gone at once; reinstated, back.
  const [membership] = await app.sql<{ id: string }>('select id from membership where organisation_id = $1', [organisationId]);
  const change = (mutation: string, reason?: string) =>
    app.gql(
      `mutation($input: MembershipChangeInput!) { ${mutation}(input: $input) { membership { status } } }`,
      { input: { membershipId: membership.id, reason } },
      {
        token: rep.token,
      },
    );
  expect((await change('suspendMembership', 'Cotisation impayée')).body.errors).toBeUndefined();
  const suspended = await reads(applicant.token);
  expect(suspended.roles).toEqual([]);
  expect(suspended.codes).toEqual(['college.members:FORBIDDEN:RIGHT_MISSING', 'proposals:FORBIDDEN:RIGHT_MISSING']);
  expect((await change('reinstateMembership')).body.errors).toBeUndefined();
  expect((await reads(applicant.token)).codes).toEqual([]);
});

it('nobody grants MEMBER by hand over the API: it follows membership', async () => {
  const someone = await app.signUp();
  const res = await app.gql(
    'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { id } } }',
    { input: { accountId: someone.accountId, role: 'MEMBER', clusterId } },
    { token: admin.token },
  );
  expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'ROLE_FOLLOWS_MEMBERSHIP' });
  expect(await app.sql('select 1 from role_assignment where account_id = $1', [someone.accountId])).toEqual([]);
});
