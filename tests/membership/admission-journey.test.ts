import { Role } from '../../src/auth/role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * The representatives' main journey over HTTP: rules as data, an applicant registering its
 * organisation and applying, a sponsor, the charter, a decision, and the membership history.
 */
let app: TestApp;
let clusterId: string;
let startupsId: string;
let cloudId: string;
let rep: { token: string; accountId: string };
let admin: { token: string };

const SET_RULES = `mutation($input: SetAdmissionRulesInput!) { setAdmissionRules(input: $input) { ruleSet { version decisionMode criteria { maxHeadcount maxAgeYears charterRequired sponsorsRequired } } } }`;
const CREATE_ORG = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisation { id name sizeClass region } } }`;
const SUBMIT = `mutation($input: ApplicationTargetInput!) { submitApplication(input: $input) { application { id state eligible ruleSet { version } criteria { criterion outcome detail } } } }`;
const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { id state decisionReason overrideReason } } }`;

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  const cluster = await services.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: 'CLUSTER' as never });
  clusterId = cluster.id;
  startupsId = (
    await app.services().clusters.createCollege({ clusterId, name: 'Start-ups & Entrepreneurs', slug: 'startups', theme: 'start-ups' })
  ).id;
  cloudId = (await app.services().clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  admin = await app.signUp({ role: Role.ADMIN });
  const repAccount = await app.signUp();
  await app.gql(
    `mutation($input: AppointRepresentativeInput!) { appointRepresentative(input: $input) { mandate { id } } }`,
    { input: { collegeId: startupsId, accountId: repAccount.accountId } },
    { token: admin.token },
  );
  rep = repAccount;
});
afterAll(async () => {
  await app.close();
});

it('runs the journey from rules to membership', async () => {
  const rules = await app.gql(
    SET_RULES,
    {
      input: {
        collegeId: startupsId,
        decisionMode: 'REPRESENTATIVE',
        criteria: { allowedKinds: ['COMPANY'], maxHeadcount: 50, maxAgeYears: 8, charterRequired: true },
      },
    },
    { token: rep.token },
  );
  expect(rules.body.errors).toBeUndefined();
  expect(rules.body.data!.setAdmissionRules.ruleSet.version).toBe(1);

  const applicant = await app.signUp();
  const org = await app.gql(
    CREATE_ORG,
    { input: { name: 'Soledge', kind: 'COMPANY', siren: '732829320', headcount: 320, foundedOn: '2020-03-01', departement: '34' } },
    { token: applicant.token },
  );
  expect(org.body.errors).toBeUndefined();
  expect(org.body.data!.createOrganisation.organisation).toMatchObject({ sizeClass: 'ETI', region: 'Occitanie' });
  const orgId = org.body.data!.createOrganisation.organisation.id;

  const check = await app.gql(
    `query($input: ApplicationTargetInput!) { checkEligibility(input: $input) { eligible criteria { criterion outcome detail } } }`,
    { input: { organisationId: orgId, collegeId: startupsId } },
    { token: applicant.token },
  );
  expect(check.body.errors).toBeUndefined();
  expect(check.body.data!.checkEligibility.criteria).toContainEqual({
    criterion: 'MAX_HEADCOUNT',
    outcome: 'FAILED',
    detail: 'headcount 320 > maximum 50',
  });
  expect(await app.sql('select * from application')).toHaveLength(0);

  const submitted = await app.gql(SUBMIT, { input: { organisationId: orgId, collegeId: startupsId } }, { token: applicant.token });
  expect(submitted.body.errors).toBeUndefined();
  const application = submitted.body.data!.submitApplication.application;
  expect(application).toMatchObject({ state: 'SUBMITTED', eligible: false, ruleSet: { version: 1 } });

  const again = await app.gql(SUBMIT, { input: { organisationId: orgId, collegeId: startupsId } }, { token: applicant.token });
  expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_PENDING' });

  // A representative of another collège cannot decide; the refusal says, in plain words, who may.
  const otherRep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId: cloudId });
  const forbidden = await app.gql(DECIDE, { input: { applicationId: application.id, decision: 'APPROVE' } }, { token: otherRep.token });
  expect(refusal(forbidden)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
  expect(forbidden.body.errors![0].message).toBe(
    'Only the representatives of Start-ups & Entrepreneurs may decide the applications of this collège.',
  );

  const refused = await app.gql(DECIDE, { input: { applicationId: application.id, decision: 'APPROVE' } }, { token: rep.token });
  expect(refusal(refused)).toEqual({ code: 'CONFLICT', reason: 'CRITERIA_UNMET' });
  expect(refused.body.errors![0].extensions!.unmetCriteria).toContainEqual(
    expect.objectContaining({ criterion: 'MAX_HEADCOUNT', outcome: 'FAILED' }),
  );

  const overridden = await app.gql(
    DECIDE,
    { input: { applicationId: application.id, decision: 'APPROVE', overrideReason: 'group of start-ups' } },
    { token: rep.token },
  );
  expect(overridden.body.errors).toBeUndefined();
  expect(overridden.body.data!.decideApplication.application).toMatchObject({ state: 'APPROVED', overrideReason: 'group of start-ups' });

  const twice = await app.gql(DECIDE, { input: { applicationId: application.id, decision: 'REJECT', reason: 'no' } }, { token: rep.token });
  expect(refusal(twice)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
  expect(twice.body.errors![0].extensions!.state).toBe('APPROVED');

  const members = await app.gql(
    `query($id: ID!) { college(id: $id) { members(first: 10) { totalCount edges { node { status memberSince organisation { name } } } } stats { activeMembers totalHeadcount bySizeClass { sizeClass members } } } }`,
    { id: startupsId },
    { token: rep.token },
  );
  expect(members.body.errors).toBeUndefined();
  expect(members.body.data!.college.members.totalCount).toBe(1);
  expect(members.body.data!.college.members.edges[0].node.organisation.name).toBe('Soledge');
  expect(members.body.data!.college.stats).toEqual({
    activeMembers: 1,
    totalHeadcount: 320,
    bySizeClass: [{ sizeClass: 'ETI', members: 1 }],
  });
});
