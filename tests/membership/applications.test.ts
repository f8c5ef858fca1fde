import pg from 'pg';
import { Role } from '../../src/auth/role.js';
import type { AdmissionCriteria } from '../../src/membership/admission-criteria.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { Decision } from '../../src/membership/admission.service.js';
import { ApplicationState } from '../../src/membership/application.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import type { CreateOrganisationInput } from '../../src/membership/organisation.inputs.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { errorCodes, startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * Admission over HTTP: versioned rules, the dry run, applications with each criterion's outcome,
 * sponsors, the charter, a representative's decisions (one wins, even when five race), withdrawal,
 * and who may do what.
 */
let app: TestApp;
let clusterId: string;
let otherClusterId: string;
let admin: { token: string; accountId: string };
let clusterAdmin: { token: string; accountId: string };

const APPLICATION_FIELDS = `id state eligible decisionReason overrideReason decidedAt withdrawnAt
  ruleSet { version } criteria { criterion outcome detail } sponsors { id } organisation { id } college { id }`;
const SET_RULES = `mutation($input: SetAdmissionRulesInput!) {
  setAdmissionRules(input: $input) { ruleSet { id version decisionMode note criteria { minHeadcount maxHeadcount allowedKinds excludedKinds } } }
}`;
const CHECK = `query($input: ApplicationTargetInput!) {
  checkEligibility(input: $input) { eligible ruleSet { version } organisation { id } college { id } criteria { criterion outcome detail } }
}`;
const SUBMIT = `mutation($input: ApplicationTargetInput!) { submitApplication(input: $input) { application { ${APPLICATION_FIELDS} } } }`;
const SPONSOR = `mutation($input: SponsorApplicationInput!) { sponsorApplication(input: $input) { application { ${APPLICATION_FIELDS} } } }`;
const REVIEW = `mutation($input: ApplicationIdInput!) { reviewApplication(input: $input) { application { ${APPLICATION_FIELDS} } } }`;
const DECIDE = `mutation($input: DecideApplicationInput!) { decideApplication(input: $input) { application { ${APPLICATION_FIELDS} } } }`;
const WITHDRAW = `mutation($input: ApplicationIdInput!) { withdrawApplication(input: $input) { application { ${APPLICATION_FIELDS} } } }`;
const PUBLISH_CHARTER = `mutation($input: PublishCharterInput!) { publishCharter(input: $input) { charter { id version title } } }`;
const SIGN_CHARTER = `mutation($input: SignCharterInput!) { signCharter(input: $input) { signature { id charter { version } organisation { id } } } }`;
const APPOINT = `mutation($input: AppointRepresentativeInput!) { appointRepresentative(input: $input) { mandate { id startsAt endsAt } } }`;
const END_MANDATE = `mutation($input: EndRepresentativeMandateInput!) { endRepresentativeMandate(input: $input) { mandate { id endsAt } } }`;
const ORGANISATION = `query($id: ID!) {
  organisation(id: $id) { applications { ${APPLICATION_FIELDS} } memberships { id status college { id } } }
}`;
const RULE_HISTORY = `query($id: ID!) { college(id: $id) { admissionRules { version } admissionRuleHistory { version decisionMode note } } }`;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const FORBIDDEN = { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' };
const NOT_FOUND = { code: 'NOT_FOUND', reason: 'NOT_FOUND' };
const SIGN_IN_REQUIRED = { code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' };

/** The fields a BAD_USER_INPUT response names, sorted; `reason`, when given, is the refusal's. */
function badFields(res: GraphQLResponse, reason?: string): string[] {
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  if (reason) expect(refusal(res).reason).toBe(reason);
  return (res.body.errors![0].extensions!.fields as { field: string }[]).map((problem) => problem.field).sort();
}

/** Row counts of everything admission writes, to prove a refusal or a dry run wrote nothing. */
async function writtenRows(): Promise<Record<string, number>> {
  const tables = ['admission_rule_set', 'application', 'sponsorship', 'membership', 'membership_event', 'charter_signature', 'audit_entry'];
  const [row] = await app.sql<Record<string, string>>(`select ${tables.map((t) => `(select count(*) from ${t}) as ${t}`).join(', ')}`);
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

let serial = 0;
const unique = (prefix: string) => `${prefix} ${(serial += 1)}`;

async function createCollege(name: string, cluster = clusterId): Promise<string> {
  const slug = unique(name)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
  return (await app.services().clusters.createCollege({ clusterId: cluster, name, slug, theme: name })).id;
}

async function setRules(collegeId: string, criteria: AdmissionCriteria, decisionMode = DecisionMode.REPRESENTATIVE) {
  return app.services().admission.setAdmissionRules({ collegeId, criteria, decisionMode });
}

/** An account acting for a new organisation (its contact), signed in. */
async function applicant(organisation: Partial<CreateOrganisationInput> = {}) {
  const account = await app.signUp();
  const created = await app
    .services()
    .organisations.createOrganisation({ name: unique('Org'), kind: OrganisationKind.COMPANY, ...organisation }, account.accountId);
  return { ...account, orgId: created.id };
}

/** An elected representative of a collège, appointed over HTTP by an administrator. */
async function representative(collegeId: string, period: { startsAt?: string; endsAt?: string } = {}) {
  const account = await app.signUp();
  const res = await app.gql(APPOINT, { input: { collegeId, accountId: account.accountId, ...period } }, { token: admin.token });
  expect(res.body.errors).toBeUndefined();
  return { ...account, mandateId: res.body.data!.appointRepresentative.mandate.id as string };
}

/** Makes an organisation an ACTIVE member of a collège (approved by the system, overriding if need be). */
async function admit(orgId: string, collegeId: string): Promise<void> {
  const application = await app.services().admission.submitApplication(orgId, collegeId);
  if (application.state !== ApplicationState.APPROVED) {
    await app.services().admission.decideApplication({
      applicationId: application.id,
      decision: Decision.APPROVE,
      overrideReason: 'founding member',
    });
  }
}

/** Waits until some statement of this database is waiting for a row lock. */
async function waitForLockWaiter(): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const [row] = await app.sql(
      `select count(*)::int as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (row.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no statement ever waited for the lock');
}

const submit = (orgId: string, collegeId: string, token: string) =>
  app.gql(SUBMIT, { input: { organisationId: orgId, collegeId } }, { token });
const decide = (input: Record<string, unknown>, token: string) => app.gql(DECIDE, { input }, { token });

async function readApplication(orgId: string, applicationId: string) {
  const res = await app.gql(ORGANISATION, { id: orgId }, { token: admin.token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.organisation.applications.find((a: { id: string }) => a.id === applicationId);
}

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  clusterId = (await services.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  otherClusterId = (await app.services().clusters.createCluster({ name: 'Telecom Valley', slug: 'tv', kind: ClusterKind.CLUSTER })).id;
  admin = await app.signUp({ role: Role.ADMIN });
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
});
afterAll(async () => {
  await app.close();
});

describe('setAdmissionRules', () => {
  let collegeId: string;
  let rep: { token: string };
  beforeAll(async () => {
    collegeId = await createCollege('Start-ups & Entrepreneurs');
    rep = await representative(collegeId);
  });

  it('adds versions 1, 2…; the highest is in force and the history keeps them all', async () => {
    const first = await app.gql(
      SET_RULES,
      { input: { collegeId, decisionMode: 'REPRESENTATIVE', criteria: { maxHeadcount: 50 }, note: 'adopted on 2026-10-02' } },
      { token: rep.token },
    );
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data!.setAdmissionRules.ruleSet).toMatchObject({
      version: 1,
      decisionMode: 'REPRESENTATIVE',
      criteria: { maxHeadcount: 50 },
    });
    const second = await app.gql(
      SET_RULES,
      { input: { collegeId, decisionMode: 'AUTOMATIC', criteria: { minHeadcount: 1, maxHeadcount: 20 } } },
      { token: clusterAdmin.token },
    );
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data!.setAdmissionRules.ruleSet).toMatchObject({
      version: 2,
      decisionMode: 'AUTOMATIC',
      criteria: { minHeadcount: 1, maxHeadcount: 20, allowedKinds: null },
    });
    const history = await app.gql(RULE_HISTORY, { id: collegeId });
    expect(history.body.data!.college).toEqual({
      admissionRules: { version: 2 },
      admissionRuleHistory: [
        { version: 2, decisionMode: 'AUTOMATIC', note: null },
        { version: 1, decisionMode: 'REPRESENTATIVE', note: 'adopted on 2026-10-02' },
      ],
    });
  });

  const CONTRADICTORY = 'ADMISSION_RULES_CONTRADICTORY';
  it.each<[string, Record<string, unknown>, string[], string]>([
    ['a minimum headcount above the maximum', { minHeadcount: 51, maxHeadcount: 50 }, ['input.criteria.minHeadcount'], CONTRADICTORY],
    [
      'a kind both allowed and excluded',
      { allowedKinds: ['COMPANY', 'CLUSTER'], excludedKinds: ['CLUSTER'] },
      ['input.criteria.excludedKinds'],
      CONTRADICTORY,
    ],
    ['an unknown département', { allowedDepartements: ['34', '20'] }, ['input.criteria.allowedDepartements'], CONTRADICTORY],
    ['an unknown region', { allowedRegions: ['Occitanie', 'Languedoc-Roussillon'] }, ['input.criteria.allowedRegions'], CONTRADICTORY],
    [
      'a département outside the allowed regions',
      { allowedRegions: ['Occitanie'], allowedDepartements: ['34', '13'] },
      ['input.criteria.allowedDepartements'],
      CONTRADICTORY,
    ],
    // Out of range: refused at the edge, before any rule is looked at.
    ['a negative minimum headcount', { minHeadcount: -1 }, ['input.criteria.minHeadcount'], 'INVALID_INPUT'],
    [
      'several contradictions at once',
      { minHeadcount: 10, maxHeadcount: 5, allowedKinds: ['COMPANY'], excludedKinds: ['COMPANY'] },
      ['input.criteria.excludedKinds', 'input.criteria.minHeadcount'],
      CONTRADICTORY,
    ],
  ])('refuses rules with %s, naming the field and writing nothing', async (_label, criteria, fields, reason) => {
    const before = await writtenRows();
    const res = await app.gql(SET_RULES, { input: { collegeId, decisionMode: 'REPRESENTATIVE', criteria } }, { token: rep.token });
    expect(badFields(res, reason)).toEqual(fields);
    expect(await writtenRows()).toEqual(before);
  });

  it('is refused to a representative of another collège, a member of the public and an anonymous caller', async () => {
    const otherRep = await representative(await createCollege('Cloud'));
    const stranger = await app.signUp();
    const input = { collegeId, decisionMode: 'REPRESENTATIVE', criteria: {} };
    expect(refusal(await app.gql(SET_RULES, { input }, { token: otherRep.token }))).toEqual(FORBIDDEN);
    expect(refusal(await app.gql(SET_RULES, { input }, { token: stranger.token }))).toEqual(FORBIDDEN);
    expect(refusal(await app.gql(SET_RULES, { input }))).toEqual(SIGN_IN_REQUIRED);
  });

  it('answers NOT_FOUND for an unknown collège', async () => {
    const res = await app.gql(
      SET_RULES,
      { input: { collegeId: UNKNOWN_ID, decisionMode: 'AUTOMATIC', criteria: {} } },
      { token: admin.token },
    );
    expect(refusal(res)).toEqual(NOT_FOUND);
  });

  it('an application keeps the version it was judged on when the rules change', async () => {
    const college = await createCollege('Versioned');
    const rep = await representative(college);
    await setRules(college, { maxHeadcount: 50 });
    const org = await applicant({ headcount: 30 });
    const submitted = await submit(org.orgId, college, org.token);
    expect(submitted.body.data!.submitApplication.application).toMatchObject({
      state: 'SUBMITTED',
      eligible: true,
      ruleSet: { version: 1 },
      criteria: [{ criterion: 'MAX_HEADCOUNT', outcome: 'PASSED', detail: 'headcount 30 ≤ maximum 50' }],
    });
    const applicationId = submitted.body.data!.submitApplication.application.id;

    await setRules(college, { maxHeadcount: 10 });
    const reviewed = await app.gql(REVIEW, { input: { applicationId } }, { token: rep.token });
    expect(reviewed.body.errors).toBeUndefined();
    expect(reviewed.body.data!.reviewApplication.application).toMatchObject({
      state: 'UNDER_REVIEW',
      ruleSet: { version: 1 },
      criteria: [{ criterion: 'MAX_HEADCOUNT', outcome: 'PASSED', detail: 'headcount 30 ≤ maximum 50' }],
    });
    const approved = await decide({ applicationId, decision: 'APPROVE' }, rep.token);
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data!.decideApplication.application).toMatchObject({
      state: 'APPROVED',
      ruleSet: { version: 1 },
      overrideReason: null,
    });

    // The dry run for someone else now uses version 2.
    const other = await applicant({ headcount: 30 });
    const check = await app.gql(CHECK, { input: { organisationId: other.orgId, collegeId: college } }, { token: other.token });
    expect(check.body.data!.checkEligibility).toMatchObject({
      eligible: false,
      ruleSet: { version: 2 },
      criteria: [{ criterion: 'MAX_HEADCOUNT', outcome: 'FAILED', detail: 'headcount 30 > maximum 10' }],
    });
    expect((await readApplication(org.orgId, applicationId)).ruleSet).toEqual({ version: 1 });
  });
});

describe('checkEligibility and submitApplication', () => {
  let collegeId: string;
  beforeAll(async () => {
    collegeId = await createCollege('Économie numérique');
    await setRules(collegeId, { allowedKinds: [OrganisationKind.COMPANY], maxHeadcount: 250 });
  });

  it("reports each criterion's outcome with a readable detail and writes nothing", async () => {
    const org = await applicant({ headcount: 320 });
    const before = await writtenRows();
    const res = await app.gql(CHECK, { input: { organisationId: org.orgId, collegeId } }, { token: org.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.checkEligibility).toEqual({
      eligible: false,
      ruleSet: { version: 1 },
      organisation: { id: org.orgId },
      college: { id: collegeId },
      criteria: [
        { criterion: 'ALLOWED_KINDS', outcome: 'PASSED', detail: 'kind COMPANY is allowed' },
        { criterion: 'MAX_HEADCOUNT', outcome: 'FAILED', detail: 'headcount 320 > maximum 250' },
      ],
    });
    expect(await writtenRows()).toEqual(before);
  });

  it('judges every kind of criterion, with details a representative can read', async () => {
    // A cluster without a charter, so the charter criterion says so.
    const college = await createCollege('Federation', otherClusterId);
    await setRules(college, {
      allowedKinds: [OrganisationKind.COMPANY, OrganisationKind.RESEARCH_LAB],
      excludedKinds: [OrganisationKind.CIO_CLUB],
      minHeadcount: 5,
      maxHeadcount: 250,
      maxAgeYears: 8,
      requiredAffiliations: ['France Clusters'],
      allowedRegions: ['Occitanie'],
      allowedDepartements: ['34', '31'],
      sponsorsRequired: 1,
      charterRequired: true,
    });
    const org = await applicant({ headcount: 320, foundedOn: '2010-01-15', departement: '13', affiliations: ['FRANCE CLUSTERS'] });
    const res = await app.gql(CHECK, { input: { organisationId: org.orgId, collegeId: college } }, { token: org.token });
    expect(res.body.errors).toBeUndefined();
    const criteria = res.body.data!.checkEligibility.criteria;
    expect(criteria).toEqual([
      { criterion: 'ALLOWED_KINDS', outcome: 'PASSED', detail: 'kind COMPANY is allowed' },
      { criterion: 'EXCLUDED_KINDS', outcome: 'PASSED', detail: 'kind COMPANY is not excluded' },
      { criterion: 'MIN_HEADCOUNT', outcome: 'PASSED', detail: 'headcount 320 ≥ minimum 5' },
      { criterion: 'MAX_HEADCOUNT', outcome: 'FAILED', detail: 'headcount 320 > maximum 250' },
      { criterion: 'MAX_AGE', outcome: 'FAILED', detail: expect.stringMatching(/^founded 2010-01-15, 1\d years ago ≥ maximum 8$/) },
      { criterion: 'REQUIRED_AFFILIATIONS', outcome: 'PASSED', detail: 'affiliated to France Clusters' },
      { criterion: 'ALLOWED_REGIONS', outcome: 'FAILED', detail: "region Provence-Alpes-Côte d'Azur is not among Occitanie" },
      { criterion: 'ALLOWED_DEPARTEMENTS', outcome: 'FAILED', detail: 'département 13 is not among 34, 31' },
      { criterion: 'SPONSORS', outcome: 'PENDING', detail: '0 of 1 sponsoring members' },
      { criterion: 'CHARTER', outcome: 'PENDING', detail: 'the cluster has not published a charter yet' },
    ]);

    const unknown = await applicant({ kind: OrganisationKind.CIO_CLUB });
    const pending = await app.gql(CHECK, { input: { organisationId: unknown.orgId, collegeId: college } }, { token: unknown.token });
    expect(pending.body.data!.checkEligibility.criteria.slice(0, 8)).toEqual([
      { criterion: 'ALLOWED_KINDS', outcome: 'FAILED', detail: 'kind CIO_CLUB is not among COMPANY, RESEARCH_LAB' },
      { criterion: 'EXCLUDED_KINDS', outcome: 'FAILED', detail: 'kind CIO_CLUB is excluded' },
      { criterion: 'MIN_HEADCOUNT', outcome: 'PENDING', detail: 'headcount unknown (minimum 5)' },
      { criterion: 'MAX_HEADCOUNT', outcome: 'PENDING', detail: 'headcount unknown (maximum 250)' },
      { criterion: 'MAX_AGE', outcome: 'PENDING', detail: 'founding date unknown (must be under 8 years)' },
      { criterion: 'REQUIRED_AFFILIATIONS', outcome: 'FAILED', detail: 'not affiliated to France Clusters' },
      { criterion: 'ALLOWED_REGIONS', outcome: 'PENDING', detail: 'region unknown (allowed: Occitanie)' },
      { criterion: 'ALLOWED_DEPARTEMENTS', outcome: 'PENDING', detail: 'département unknown (allowed: 34, 31)' },
    ]);
  });

  it('answers NOT_FOUND for an unknown collège or organisation, writing nothing', async () => {
    const org = await applicant();
    const rep = await representative(collegeId);
    const before = await writtenRows();
    for (const operation of [CHECK, SUBMIT]) {
      expect(
        refusal(await app.gql(operation, { input: { organisationId: org.orgId, collegeId: UNKNOWN_ID } }, { token: org.token })),
      ).toEqual(NOT_FOUND);
      expect(refusal(await app.gql(operation, { input: { organisationId: UNKNOWN_ID, collegeId } }, { token: rep.token }))).toEqual(
        NOT_FOUND,
      );
    }
    expect(await writtenRows()).toEqual(before);
  });

  it('is refused to someone who neither acts for the organisation nor represents the collège', async () => {
    const org = await applicant();
    const stranger = await app.signUp();
    const otherRep = await representative(await createCollege('Elsewhere'));
    for (const token of [stranger.token, otherRep.token]) {
      expect(refusal(await submit(org.orgId, collegeId, token))).toEqual(FORBIDDEN);
      expect(refusal(await app.gql(CHECK, { input: { organisationId: org.orgId, collegeId } }, { token }))).toEqual(FORBIDDEN);
    }
  });

  it('lets a representative of the collège apply on behalf of an organisation', async () => {
    const org = await applicant({ headcount: 12 });
    const rep = await representative(collegeId);
    const res = await submit(org.orgId, collegeId, rep.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.submitApplication.application).toMatchObject({
      state: 'SUBMITTED',
      eligible: true,
      organisation: { id: org.orgId },
    });
  });

  it('refuses a second pending application with CONFLICT, writing nothing', async () => {
    const org = await applicant({ headcount: 12 });
    expect((await submit(org.orgId, collegeId, org.token)).body.errors).toBeUndefined();
    const before = await writtenRows();
    const again = await submit(org.orgId, collegeId, org.token);
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_PENDING' });
    expect(await writtenRows()).toEqual(before);
  });

  it('refuses an application from an organisation that is already a member, with CONFLICT', async () => {
    const org = await applicant({ headcount: 12 });
    await admit(org.orgId, collegeId);
    const before = await writtenRows();
    const res = await submit(org.orgId, collegeId, org.token);
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'ALREADY_MEMBER' });
    expect(await writtenRows()).toEqual(before);
  });

  it('answers CONFLICT while the collège has no rules', async () => {
    const college = await createCollege('No rules yet');
    const org = await applicant();
    expect(refusal(await submit(org.orgId, college, org.token))).toEqual({ code: 'CONFLICT', reason: 'ADMISSION_RULES_MISSING' });
  });
});

describe('AUTOMATIC collèges', () => {
  let collegeId: string;
  beforeAll(async () => {
    collegeId = await createCollege('Cloud');
    await setRules(collegeId, { allowedKinds: [OrganisationKind.COMPANY], maxHeadcount: 50 }, DecisionMode.AUTOMATIC);
  });

  it('admit an eligible application at once: the membership starts today', async () => {
    const org = await applicant({ headcount: 20 });
    const res = await submit(org.orgId, collegeId, org.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.submitApplication.application).toMatchObject({
      state: 'APPROVED',
      eligible: true,
      decisionReason: 'Admitted automatically: every criterion passed.',
    });
    expect(res.body.data!.submitApplication.application.decidedAt).not.toBeNull();
    // Nobody decided: the rules did. The applicant who triggered it is not recorded as the decider.
    const [decision] = await app.sql(
      `select a.decided_by_id, e.actor_id from application a join membership m on m.application_id = a.id
         join membership_event e on e.membership_id = m.id where a.id = $1`,
      [res.body.data!.submitApplication.application.id],
    );
    expect(decision).toEqual({ decided_by_id: null, actor_id: null });
    const today = app.clock.now().toISOString().slice(0, 10);
    const memberships = await app.sql(
      'select status, college_id, started_on::text, member_since::text from membership where organisation_id = $1',
      [org.orgId],
    );
    expect(memberships).toEqual([{ status: 'ACTIVE', college_id: collegeId, started_on: today, member_since: today }]);
  });

  it('leave a non-eligible application SUBMITTED for a representative', async () => {
    const org = await applicant({ headcount: 80 });
    const res = await submit(org.orgId, collegeId, org.token);
    expect(res.body.data!.submitApplication.application).toMatchObject({ state: 'SUBMITTED', eligible: false, decidedAt: null });
    expect(await app.sql('select id from membership where organisation_id = $1', [org.orgId])).toEqual([]);
  });

  it('admit an application as soon as its last pending criterion (a sponsor) passes', async () => {
    const college = await createCollege('Automatic with sponsor');
    await setRules(college, { sponsorsRequired: 1 }, DecisionMode.AUTOMATIC);
    const sponsor = await applicant();
    await admit(sponsor.orgId, college);
    const org = await applicant();
    const submitted = await submit(org.orgId, college, org.token);
    expect(submitted.body.data!.submitApplication.application).toMatchObject({ state: 'SUBMITTED', eligible: false });
    const sponsored = await app.gql(
      SPONSOR,
      { input: { applicationId: submitted.body.data!.submitApplication.application.id, sponsorOrganisationId: sponsor.orgId } },
      { token: sponsor.token },
    );
    expect(sponsored.body.errors).toBeUndefined();
    expect(sponsored.body.data!.sponsorApplication.application).toMatchObject({ state: 'APPROVED', eligible: true });
    expect(await app.sql(`select status from membership where organisation_id = $1`, [org.orgId])).toEqual([{ status: 'ACTIVE' }]);
  });
});

describe('sponsorApplication', () => {
  let collegeId: string;
  let otherCollegeId: string;
  let sponsor: Awaited<ReturnType<typeof applicant>>;
  let candidate: Awaited<ReturnType<typeof applicant>>;
  let applicationId: string;
  beforeAll(async () => {
    collegeId = await createCollege('Création numérique');
    otherCollegeId = await createCollege('Another trade');
    await setRules(collegeId, { allowedKinds: [OrganisationKind.COMPANY], sponsorsRequired: 1 });
    await setRules(otherCollegeId, {});
    sponsor = await applicant();
    await admit(sponsor.orgId, collegeId);
    candidate = await applicant();
    const submitted = await submit(candidate.orgId, collegeId, candidate.token);
    applicationId = submitted.body.data!.submitApplication.application.id;
    expect(submitted.body.data!.submitApplication.application.criteria).toContainEqual({
      criterion: 'SPONSORS',
      outcome: 'PENDING',
      detail: '0 of 1 sponsoring members',
    });
  });

  const sponsorWith = (sponsorOrganisationId: string, token: string, id = applicationId) =>
    app.gql(SPONSOR, { input: { applicationId: id, sponsorOrganisationId } }, { token });

  it('is refused to someone who does not act for the sponsoring organisation', async () => {
    const stranger = await app.signUp();
    expect(refusal(await sponsorWith(sponsor.orgId, stranger.token))).toEqual(FORBIDDEN);
    expect(refusal(await sponsorWith(sponsor.orgId, candidate.token))).toEqual(FORBIDDEN);
  });

  it('refuses an organisation sponsoring its own application', async () => {
    const before = await writtenRows();
    const res = await sponsorWith(candidate.orgId, candidate.token);
    expect(badFields(res, 'SPONSOR_IS_APPLICANT')).toEqual(['input.sponsorOrganisationId']);
    expect(await writtenRows()).toEqual(before);
  });

  it('refuses a sponsor that is not an active member of the same collège', async () => {
    const outsider = await applicant();
    const elsewhere = await applicant();
    await admit(elsewhere.orgId, otherCollegeId);
    const suspended = await applicant();
    await admit(suspended.orgId, collegeId);
    const [{ id: membershipId }] = await app.sql('select id from membership where organisation_id = $1', [suspended.orgId]);
    await app.services().memberships.change('suspend', membershipId, 'dues unpaid');
    const before = await writtenRows();
    for (const who of [outsider, elsewhere, suspended]) {
      const res = await sponsorWith(who.orgId, who.token);
      expect(badFields(res, 'SPONSOR_NOT_MEMBER')).toEqual(['input.sponsorOrganisationId']);
    }
    expect(await writtenRows()).toEqual(before);
  });

  it('makes the SPONSORS criterion pass; sponsoring twice is a CONFLICT', async () => {
    const res = await sponsorWith(sponsor.orgId, sponsor.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.sponsorApplication.application).toMatchObject({
      state: 'SUBMITTED',
      eligible: true,
      sponsors: [{ id: sponsor.orgId }],
      criteria: expect.arrayContaining([{ criterion: 'SPONSORS', outcome: 'PASSED', detail: '1 of 1 sponsoring members' }]),
    });
    const before = await writtenRows();
    expect(refusal(await sponsorWith(sponsor.orgId, sponsor.token))).toEqual({ code: 'CONFLICT', reason: 'ALREADY_SPONSORING' });
    expect(await writtenRows()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown application and CONFLICT for a decided one', async () => {
    expect(refusal(await sponsorWith(sponsor.orgId, sponsor.token, UNKNOWN_ID))).toEqual(NOT_FOUND);
    const other = await applicant();
    const submitted = await submit(other.orgId, collegeId, other.token);
    const id = submitted.body.data!.submitApplication.application.id;
    await app.gql(WITHDRAW, { input: { applicationId: id } }, { token: other.token });
    const decided = await sponsorWith(sponsor.orgId, sponsor.token, id);
    expect(refusal(decided)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
    expect(decided.body.errors![0].extensions!.state).toBe('WITHDRAWN');
  });
});

describe('the charter of good practices', () => {
  let collegeId: string;
  let candidate: Awaited<ReturnType<typeof applicant>>;
  let applicationId: string;
  beforeAll(async () => {
    collegeId = await createCollege('Charter required');
    await setRules(collegeId, { charterRequired: true });
    candidate = await applicant();
    const submitted = await submit(candidate.orgId, collegeId, candidate.token);
    applicationId = submitted.body.data!.submitApplication.application.id;
    expect(submitted.body.data!.submitApplication.application.criteria).toEqual([
      { criterion: 'CHARTER', outcome: 'PENDING', detail: 'the cluster has not published a charter yet' },
    ]);
  });

  const sign = (organisationId: string, token: string) => app.gql(SIGN_CHARTER, { input: { organisationId, clusterId } }, { token });

  it('cannot be signed before it is published', async () => {
    expect(refusal(await sign(candidate.orgId, candidate.token))).toEqual(NOT_FOUND);
  });

  it('is published by a cluster administrator only', async () => {
    const rep = await representative(collegeId);
    const input = { clusterId, title: 'Charte des bonnes pratiques', text: 'We play fair.' };
    expect(refusal(await app.gql(PUBLISH_CHARTER, { input }, { token: rep.token }))).toEqual(FORBIDDEN);
    const published = await app.gql(PUBLISH_CHARTER, { input }, { token: clusterAdmin.token });
    expect(published.body.errors).toBeUndefined();
    expect(published.body.data!.publishCharter.charter).toMatchObject({ version: 1, title: 'Charte des bonnes pratiques' });
    const pending = await app.gql(CHECK, { input: { organisationId: candidate.orgId, collegeId } }, { token: candidate.token });
    expect(pending.body.data!.checkEligibility.criteria).toEqual([
      { criterion: 'CHARTER', outcome: 'PENDING', detail: 'current charter not signed yet' },
    ]);
  });

  it('is signed by a person acting for the organisation, which makes CHARTER pass on its pending application', async () => {
    const stranger = await app.signUp();
    expect(refusal(await sign(candidate.orgId, stranger.token))).toEqual(FORBIDDEN);
    const signed = await sign(candidate.orgId, candidate.token);
    expect(signed.body.errors).toBeUndefined();
    expect(signed.body.data!.signCharter.signature).toMatchObject({ charter: { version: 1 }, organisation: { id: candidate.orgId } });
    expect(await readApplication(candidate.orgId, applicationId)).toMatchObject({
      state: 'SUBMITTED',
      eligible: true,
      criteria: [{ criterion: 'CHARTER', outcome: 'PASSED', detail: 'current charter signed' }],
    });
    const before = await writtenRows();
    expect(refusal(await sign(candidate.orgId, candidate.token))).toEqual({ code: 'CONFLICT', reason: 'CHARTER_ALREADY_SIGNED' });
    expect(await writtenRows()).toEqual(before);
  });

  it('a new version makes the criterion pending again for new evaluations, until it is signed', async () => {
    const published = await app.gql(
      PUBLISH_CHARTER,
      { input: { clusterId, title: 'Charte des bonnes pratiques', text: 'We play fair, and say so.' } },
      { token: clusterAdmin.token },
    );
    expect(published.body.data!.publishCharter.charter.version).toBe(2);
    const check = () => app.gql(CHECK, { input: { organisationId: candidate.orgId, collegeId } }, { token: candidate.token });
    expect((await check()).body.data!.checkEligibility).toMatchObject({
      eligible: false,
      criteria: [{ criterion: 'CHARTER', outcome: 'PENDING', detail: 'current charter not signed yet' }],
    });
    const rep = await representative(collegeId);
    const reviewed = await app.gql(REVIEW, { input: { applicationId } }, { token: rep.token });
    expect(reviewed.body.data!.reviewApplication.application).toMatchObject({
      state: 'UNDER_REVIEW',
      eligible: false,
      criteria: [{ criterion: 'CHARTER', outcome: 'PENDING', detail: 'current charter not signed yet' }],
    });
    expect(refusal(await decide({ applicationId, decision: 'APPROVE' }, rep.token))).toEqual({
      code: 'CONFLICT',
      reason: 'CRITERIA_UNMET',
    });

    const signed = await sign(candidate.orgId, candidate.token);
    expect(signed.body.data!.signCharter.signature.charter.version).toBe(2);
    expect((await check()).body.data!.checkEligibility.eligible).toBe(true);
    const approved = await decide({ applicationId, decision: 'APPROVE' }, rep.token);
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data!.decideApplication.application.state).toBe('APPROVED');
  });

  it('is signed only through a person acting for the organisation, even by a caller the API trusts', async () => {
    const stranger = await app.signUp();
    await expect(app.services(stranger.accountId).charters.sign({ organisationId: candidate.orgId, clusterId })).rejects.toMatchObject({
      code: 'CONFLICT',
      reason: 'SIGNATORY_NOT_CONTACT',
    });
  });

  it('a signature racing a decision never overturns it (AUTOMATIC collège)', async () => {
    const cluster = (await app.services().clusters.createCluster({ name: 'Novae LR', slug: 'novae', kind: ClusterKind.ASSOCIATION })).id;
    await app.services().charters.publish({ clusterId: cluster, title: 'Charte', text: 'We play fair.' });
    const college = await createCollege('Charter and automatic', cluster);
    await setRules(college, { charterRequired: true }, DecisionMode.AUTOMATIC);
    const org = await applicant();
    const id = (await submit(org.orgId, college, org.token)).body.data!.submitApplication.application.id;
    // A decision in progress elsewhere holds the application's row while the contact signs.
    const other = new pg.Client({ connectionString: app.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select id from application where id = $1 for update', [id]);
      const signing = app.gql(SIGN_CHARTER, { input: { organisationId: org.orgId, clusterId: cluster } }, { token: org.token });
      await waitForLockWaiter();
      await other.query(
        `update application set state = 'REJECTED', decided_at = now(), decision_reason = 'decided meanwhile' where id = $1`,
        [id],
      );
      await other.query('commit');
      const signed = await signing;
      expect(signed.body.errors).toBeUndefined();
    } finally {
      await other.end();
    }
    const [row] = await app.sql('select state, decision_reason from application where id = $1', [id]);
    expect(row).toEqual({ state: 'REJECTED', decision_reason: 'decided meanwhile' });
    expect(await app.sql('select id from membership where organisation_id = $1', [org.orgId])).toEqual([]);
  });
});

describe('reviewing and deciding', () => {
  let collegeId: string;
  let rep: Awaited<ReturnType<typeof representative>>;
  beforeAll(async () => {
    collegeId = await createCollege('Enseignement supérieur & recherche');
    await setRules(collegeId, { allowedKinds: [OrganisationKind.HIGHER_EDUCATION, OrganisationKind.RESEARCH_LAB], maxHeadcount: 250 });
    rep = await representative(collegeId);
  });

  /** A new application to the collège, by a new organisation; returns both ids. */
  async function application(organisation: Partial<CreateOrganisationInput> = { kind: OrganisationKind.HIGHER_EDUCATION, headcount: 120 }) {
    const org = await applicant(organisation);
    const res = await submit(org.orgId, collegeId, org.token);
    expect(res.body.errors).toBeUndefined();
    return { ...org, applicationId: res.body.data!.submitApplication.application.id as string };
  }

  it('reviewApplication marks a SUBMITTED application UNDER_REVIEW; only once', async () => {
    const { applicationId } = await application();
    const res = await app.gql(REVIEW, { input: { applicationId } }, { token: rep.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.reviewApplication.application.state).toBe('UNDER_REVIEW');
    const again = await app.gql(REVIEW, { input: { applicationId } }, { token: rep.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_UNDER_REVIEW' });
    expect(again.body.errors![0].extensions!.state).toBe('UNDER_REVIEW');
  });

  it('a rejection needs a reason: BAD_USER_INPUT naming input.reason, nothing written', async () => {
    const { orgId, applicationId } = await application();
    const before = await writtenRows();
    expect(badFields(await decide({ applicationId, decision: 'REJECT' }, rep.token), 'REJECTION_REASON_REQUIRED')).toEqual([
      'input.reason',
    ]);
    expect(badFields(await decide({ applicationId, decision: 'REJECT', reason: '   ' }, rep.token), 'REJECTION_REASON_REQUIRED')).toEqual([
      'input.reason',
    ]);
    expect(await writtenRows()).toEqual(before);
    const rejected = await decide({ applicationId, decision: 'REJECT', reason: 'Not a research body.' }, rep.token);
    expect(rejected.body.errors).toBeUndefined();
    expect(rejected.body.data!.decideApplication.application).toMatchObject({ state: 'REJECTED', decisionReason: 'Not a research body.' });
    expect(rejected.body.data!.decideApplication.application.decidedAt).not.toBeNull();
    expect(await app.sql('select id from membership where organisation_id = $1', [orgId])).toEqual([]);
  });

  it('approval is refused while a criterion fails, unless the representative overrides with a reason, which is recorded', async () => {
    const { orgId, applicationId } = await application({ kind: OrganisationKind.COMPANY, headcount: 320 });
    const before = await writtenRows();
    const refused = await decide({ applicationId, decision: 'APPROVE', reason: 'Looks good' }, rep.token);
    expect(refusal(refused)).toEqual({ code: 'CONFLICT', reason: 'CRITERIA_UNMET' });
    expect(refused.body.errors![0].extensions!.unmetCriteria).toEqual([
      expect.objectContaining({ criterion: 'ALLOWED_KINDS', outcome: 'FAILED' }),
      { criterion: 'MAX_HEADCOUNT', outcome: 'FAILED', detail: 'headcount 320 > maximum 250' },
    ]);
    expect(await writtenRows()).toEqual(before);

    const approved = await decide(
      { applicationId, decision: 'APPROVE', reason: 'Looks good', overrideReason: 'Runs the university’s spin-off programme' },
      rep.token,
    );
    expect(approved.body.errors).toBeUndefined();
    expect(approved.body.data!.decideApplication.application).toMatchObject({
      state: 'APPROVED',
      eligible: false,
      decisionReason: 'Looks good',
      overrideReason: 'Runs the university’s spin-off programme',
    });
    const [row] = await app.sql(
      `select a.override_reason, a.decided_by_id, e.actor_id from application a join membership m on m.application_id = a.id
         join membership_event e on e.membership_id = m.id where a.id = $1`,
      [applicationId],
    );
    expect(row).toEqual({
      override_reason: 'Runs the university’s spin-off programme',
      decided_by_id: rep.accountId,
      actor_id: rep.accountId,
    });
    expect(await app.sql('select status from membership where organisation_id = $1', [orgId])).toEqual([{ status: 'ACTIVE' }]);
  });

  it('an override is not recorded when every criterion passed', async () => {
    const { applicationId } = await application();
    const res = await decide({ applicationId, decision: 'APPROVE', overrideReason: 'just in case' }, rep.token);
    expect(res.body.data!.decideApplication.application).toMatchObject({ state: 'APPROVED', overrideReason: null });
  });

  it('deciding twice is a CONFLICT and the first decision stands', async () => {
    const { orgId, applicationId } = await application();
    const first = await decide({ applicationId, decision: 'REJECT', reason: 'Incomplete file.' }, rep.token);
    expect(first.body.errors).toBeUndefined();
    const before = await writtenRows();
    for (const input of [{ decision: 'APPROVE' }, { decision: 'REJECT', reason: 'Changed my mind.' }]) {
      const again = await decide({ applicationId, ...input }, rep.token);
      expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
      expect(again.body.errors![0].extensions!.state).toBe('REJECTED');
    }
    expect(await writtenRows()).toEqual(before);
    expect(await readApplication(orgId, applicationId)).toMatchObject({ state: 'REJECTED', decisionReason: 'Incomplete file.' });
    expect(await app.sql('select id from membership where organisation_id = $1', [orgId])).toEqual([]);
  });

  it('concurrent decisions on one application leave exactly one decision and at most one membership', async () => {
    const secondRep = await representative(collegeId);
    const attempts = [
      { token: rep.token, input: { decision: 'APPROVE' } },
      { token: secondRep.token, input: { decision: 'REJECT', reason: 'Second opinion.' } },
      { token: rep.token, input: { decision: 'APPROVE', reason: 'Welcome.' } },
      { token: secondRep.token, input: { decision: 'REJECT', reason: 'Third opinion.' } },
      { token: rep.token, input: { decision: 'APPROVE', overrideReason: 'no need' } },
    ];
    for (let round = 0; round < attempts.length; round += 1) {
      const { orgId, applicationId } = await application();
      // Rotate who is sent first, so that approvals and rejections both get to race ahead.
      const ordered = [...attempts.slice(round), ...attempts.slice(0, round)];
      const responses = await Promise.all(ordered.map(({ token, input }) => decide({ applicationId, ...input }, token)));
      const winners = responses.filter((r) => !r.body.errors);
      expect(winners).toHaveLength(1);
      for (const loser of responses.filter((r) => r.body.errors)) {
        expect(refusal(loser)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
      }

      const won = winners[0].body.data!.decideApplication.application;
      const stored = await readApplication(orgId, applicationId);
      expect({ state: stored.state, decisionReason: stored.decisionReason }).toEqual({
        state: won.state,
        decisionReason: won.decisionReason,
      });
      const memberships = await app.sql('select status from membership where organisation_id = $1', [orgId]);
      expect(memberships).toHaveLength(won.state === 'APPROVED' ? 1 : 0);
      const decisions = await app.sql(
        `select action from audit_entry where entity_id = $1 and action in ('application.approve', 'application.reject')`,
        [applicationId],
      );
      expect(decisions).toHaveLength(1);
    }
  });

  it('is refused to a representative of another collège, to a cluster administrator and to the applicant', async () => {
    const { token: applicantToken, applicationId } = await application();
    const otherRep = await representative(await createCollege('Someone else’s'));
    const before = await writtenRows();
    for (const token of [otherRep.token, clusterAdmin.token, applicantToken]) {
      expect(refusal(await decide({ applicationId, decision: 'APPROVE' }, token))).toEqual(FORBIDDEN);
      expect(refusal(await app.gql(REVIEW, { input: { applicationId } }, { token }))).toEqual(FORBIDDEN);
    }
    expect(await writtenRows()).toEqual(before);
  });

  it('is refused to a representative whose mandate has ended, or has not begun', async () => {
    const { applicationId } = await application();
    const ended = await representative(collegeId);
    const endedRes = await app.gql(END_MANDATE, { input: { mandateId: ended.mandateId, reason: 'resigned' } }, { token: admin.token });
    expect(endedRes.body.errors).toBeUndefined();
    const year = 365 * 24 * 3600 * 1000;
    const now = app.clock.now().getTime();
    const expired = await representative(collegeId, {
      startsAt: new Date(now - 2 * year).toISOString(),
      endsAt: new Date(now - year).toISOString(),
    });
    const future = await representative(collegeId, { startsAt: new Date(now + year).toISOString() });
    const before = await writtenRows();
    for (const who of [ended, expired, future]) {
      expect(refusal(await decide({ applicationId, decision: 'APPROVE' }, who.token))).toEqual(FORBIDDEN);
    }
    expect(await writtenRows()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown application', async () => {
    expect(refusal(await decide({ applicationId: UNKNOWN_ID, decision: 'APPROVE' }, rep.token))).toEqual(NOT_FOUND);
  });
});

describe('withdrawApplication', () => {
  let collegeId: string;
  let rep: { token: string };
  beforeAll(async () => {
    collegeId = await createCollege('Withdrawals');
    await setRules(collegeId, {});
    rep = await representative(collegeId);
  });

  it("by the applicant's contact: WITHDRAWN, and the organisation may apply again", async () => {
    const org = await applicant();
    const applicationId = (await submit(org.orgId, collegeId, org.token)).body.data!.submitApplication.application.id;
    const stranger = await app.signUp();
    expect(refusal(await app.gql(WITHDRAW, { input: { applicationId } }, { token: stranger.token }))).toEqual(FORBIDDEN);
    expect(refusal(await app.gql(WITHDRAW, { input: { applicationId } }, { token: rep.token }))).toEqual(FORBIDDEN);

    const res = await app.gql(WITHDRAW, { input: { applicationId } }, { token: org.token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.withdrawApplication.application.state).toBe('WITHDRAWN');
    expect(res.body.data!.withdrawApplication.application.withdrawnAt).not.toBeNull();

    const again = await app.gql(WITHDRAW, { input: { applicationId } }, { token: org.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
    expect(refusal(await decide({ applicationId, decision: 'APPROVE' }, rep.token))).toEqual({
      code: 'CONFLICT',
      reason: 'APPLICATION_ALREADY_DECIDED',
    });

    const reapplied = await submit(org.orgId, collegeId, org.token);
    expect(reapplied.body.errors).toBeUndefined();
    expect(reapplied.body.data!.submitApplication.application.state).toBe('SUBMITTED');
  });

  it('is a CONFLICT once the application was decided', async () => {
    const org = await applicant();
    const applicationId = (await submit(org.orgId, collegeId, org.token)).body.data!.submitApplication.application.id;
    expect((await decide({ applicationId, decision: 'APPROVE' }, rep.token)).body.errors).toBeUndefined();
    const res = await app.gql(WITHDRAW, { input: { applicationId } }, { token: org.token });
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'APPLICATION_ALREADY_DECIDED' });
    expect(res.body.errors![0].extensions!.state).toBe('APPROVED');
  });
});

describe('the review queue with each applicant’s details', () => {
  const QUEUE = `query($id: ID!, $first: Int!) {
    applications(collegeId: $id, first: $first) {
      edges { node { id organisation { name people { fullName } applications { state college { id } } memberships { status college { id } } } } }
    }
  }`;

  it('costs the same number of SQL statements for 10 applications as for 30 (no query per applicant)', async () => {
    const collegeId = await createCollege('Queue');
    await setRules(collegeId, {});
    const elsewhere = await createCollege('Elsewhere');
    await setRules(elsewhere, {});
    const rep = await representative(collegeId);
    for (let i = 0; i < 30; i++) {
      const org = await applicant();
      await app.services().organisations.addPerson({ organisationId: org.orgId, fullName: `Contact ${i}` });
      await app.services().admission.submitApplication(org.orgId, collegeId);
      // A second application (to a collège the representative does not review) and a membership elsewhere.
      if (i % 3 === 0) await admit(org.orgId, elsewhere);
    }

    const statementsFor = async (first: number) => {
      app.resetSqlCount();
      const res = await app.gql(QUEUE, { id: collegeId, first }, { token: rep.token });
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.applications.edges.map((e: { node: unknown }) => e.node) as {
        organisation: { people: { fullName: string }[]; applications: { college: { id: string } }[]; memberships: unknown[] };
      }[];
      expect(nodes).toHaveLength(first);
      // The representative sees the contacts (the organisation applied to their collège) and only
      // the applications to their collège; memberships are the organisation's history, all of them.
      for (const { organisation } of nodes) {
        expect(organisation.people.map((p) => p.fullName)).toEqual(expect.arrayContaining([expect.stringMatching(/^Contact \d+$/)]));
        expect(organisation.applications.every((a) => a.college.id === collegeId)).toBe(true);
        expect(organisation.applications).toHaveLength(1);
      }
      if (first === 30) expect(nodes.filter(({ organisation }) => organisation.memberships.length === 1)).toHaveLength(10);
      return statements;
    };
    await statementsFor(10); // warm-up
    const ten = await statementsFor(10);
    const thirty = await statementsFor(30);
    // One batched query per relation. Which batch loads a collège first depends on the order the
    // field resolvers' promises settle in, so one more or less either way; without batching 30
    // applicants cost over a hundred statements more than 10.
    expect(Math.abs(thirty - ten)).toBeLessThanOrEqual(1);
    expect(thirty).toBeLessThanOrEqual(12);
  });
});

describe('no query per application for its sponsors', () => {
  const SPONSORED_QUEUE = `query($id: ID!, $first: Int!) {
    applications(collegeId: $id, first: $first) { edges { node { id sponsors { id name } } } }
  }`;

  it('costs the same number of SQL statements for a page of 10 applications as for 200, each with its sponsors', async () => {
    const collegeId = await createCollege('Sponsored queue');
    await setRules(collegeId, { sponsorsRequired: 2 });
    const rep = await representative(collegeId);
    const first = await applicant();
    const second = await applicant();
    await admit(first.orgId, collegeId);
    await admit(second.orgId, collegeId);
    // 200 applications in SQL, each sponsored by both members (the second one later).
    await app.sql(
      `with orgs as (
         insert into organisation (id, created_at, updated_at, name, kind, affiliations)
         select gen_random_uuid(), now(), now(), 'Candidate ' || lpad(i::text, 3, '0'), 'COMPANY', '{}' from generate_series(1, 200) as i
         returning id),
       applications as (
         insert into application (id, created_at, updated_at, organisation_id, college_id, rule_set_id, state, criteria_results)
         select gen_random_uuid(), now(), now(), orgs.id, $1, (select id from admission_rule_set where college_id = $1), 'SUBMITTED', '[]'
           from orgs
         returning id)
       insert into sponsorship (id, created_at, updated_at, application_id, sponsor_id, sponsored_by_id)
       select gen_random_uuid(), now() + (s.n || ' seconds')::interval, now(), applications.id, s.sponsor, $4
         from applications cross join (values (1, $2::uuid), (2, $3::uuid)) as s(n, sponsor)`,
      [collegeId, first.orgId, second.orgId, first.accountId],
    );

    const statementsFor = async (size: number) => {
      app.resetSqlCount();
      const res = await app.gql(SPONSORED_QUEUE, { id: collegeId, first: size }, { token: rep.token });
      const statements = app.sqlCount();
      expect(res.body.errors).toBeUndefined();
      const nodes = res.body.data!.applications.edges.map((e: { node: unknown }) => e.node) as { sponsors: { id: string }[] }[];
      expect(nodes).toHaveLength(size);
      // Each application's own sponsors, in the order they sponsored it.
      for (const node of nodes) expect(node.sponsors.map((s) => s.id)).toEqual([first.orgId, second.orgId]);
      return statements;
    };
    await statementsFor(10); // warm-up
    const ten = await statementsFor(10);
    const twoHundred = await statementsFor(200);
    expect(twoHundred).toBe(ten);
  });
});
