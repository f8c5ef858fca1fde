import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import type { CreateOrganisationInput } from '../../src/membership/organisation.inputs.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * A membership's life over HTTP: suspension, reinstatement, resignation, exclusion and transfer,
 * each a step appended to a history that is never overwritten, and the database's guarantee of
 * one current membership per organisation and collège.
 */
let app: TestApp;
let clusterId: string;
let cloudId: string;
let creationId: string;
let foreignCollegeId: string;
let admin: { token: string };
let clusterAdmin: { token: string };
let cloudRep: { token: string; accountId: string };
let creationRep: { token: string; accountId: string };

const MEMBERSHIP_FIELDS = `id status startedOn memberSince endedOn endReason college { id } origin { id } events { kind reason effectiveOn }`;
const change = (operation: string) =>
  `mutation($input: MembershipChangeInput!) { ${operation}(input: $input) { membership { ${MEMBERSHIP_FIELDS} } } }`;
const SUSPEND = change('suspendMembership');
const REINSTATE = change('reinstateMembership');
const RESIGN = change('resignMembership');
const EXCLUDE = change('excludeMembership');
const TRANSFER = `mutation($input: TransferMembershipInput!) { transferMembership(input: $input) { membership { ${MEMBERSHIP_FIELDS} } } }`;
const HISTORY = `query($id: ID!) {
  organisation(id: $id) { memberships { status startedOn memberSince endedOn endReason college { id } events { kind reason } origin { id } } }
}`;
const APPOINT = `mutation($input: AppointRepresentativeInput!) { appointRepresentative(input: $input) { mandate { id } } }`;

/** The fields a BAD_USER_INPUT response names, sorted, after checking the refusal's reason. */
function badFields(res: GraphQLResponse, reason: string): string[] {
  expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason });
  return (res.body.errors![0].extensions!.fields as { field: string }[]).map((problem) => problem.field).sort();
}

/** A CONFLICT naming the status the membership is in. */
function expectWrongState(res: GraphQLResponse, status: string): void {
  expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'MEMBERSHIP_STATUS_FORBIDS' });
  expect(res.body.errors![0].extensions!.status).toBe(status);
}

async function membershipRows(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, string>>(
    `select (select count(*) from membership) as memberships, (select count(*) from membership_event) as events,
            (select count(*) from audit_entry) as audit, (select count(*) from membership where ended_on is null) as current`,
  );
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)]));
}

const NOT_FOUND = { code: 'NOT_FOUND', reason: 'NOT_FOUND' };
const today = () => app.clock.now().toISOString().slice(0, 10);
let serial = 0;

/** A new organisation with a signed-in contact, admitted to a collège (AUTOMATIC rules admit at once). */
async function member(collegeId = cloudId, organisation: Partial<CreateOrganisationInput> = {}) {
  const contact = await app.signUp();
  const created = await app
    .services()
    .organisations.createOrganisation(
      { name: `Member ${(serial += 1)}`, kind: OrganisationKind.COMPANY, ...organisation },
      contact.accountId,
    );
  const application = await app.services().admission.submitApplication(created.id, collegeId);
  expect(application.state).toBe('APPROVED');
  const [{ id }] = await app.sql('select id from membership where application_id = $1', [application.id]);
  return { ...contact, orgId: created.id, membershipId: id as string };
}

const run = (operation: string, input: Record<string, unknown>, token?: string) => app.gql(operation, { input }, { token });

beforeAll(async () => {
  app = await startTestApp();
  clusterId = (await app.services().clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  const otherClusterId = (await app.services().clusters.createCluster({ name: 'DigitalPlace', slug: 'dp', kind: ClusterKind.CLUSTER })).id;
  cloudId = (await app.services().clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  creationId = (await app.services().clusters.createCollege({ clusterId, name: 'Création numérique', slug: 'creation', theme: 'creation' }))
    .id;
  foreignCollegeId = (
    await app.services().clusters.createCollege({ clusterId: otherClusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })
  ).id;
  for (const collegeId of [cloudId, creationId, foreignCollegeId]) {
    await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
  }
  admin = await app.signUp({ role: Role.ADMIN });
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
  cloudRep = await app.signUp();
  creationRep = await app.signUp();
  for (const [collegeId, rep] of [
    [cloudId, cloudRep],
    [creationId, creationRep],
  ] as const) {
    const res = await app.gql(APPOINT, { input: { collegeId, accountId: rep.accountId } }, { token: admin.token });
    expect(res.body.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await app.close();
});

describe('suspend and reinstate', () => {
  it('a suspension needs a reason; it keeps the membership current, and reinstatement makes it ACTIVE again', async () => {
    const { membershipId } = await member();
    const before = await membershipRows();
    expect(badFields(await run(SUSPEND, { membershipId }, cloudRep.token), 'MEMBERSHIP_REASON_REQUIRED')).toEqual(['input.reason']);
    expect(badFields(await run(SUSPEND, { membershipId, reason: '  ' }, cloudRep.token), 'MEMBERSHIP_REASON_REQUIRED')).toEqual([
      'input.reason',
    ]);
    expect(await membershipRows()).toEqual(before);

    const suspended = await run(SUSPEND, { membershipId, reason: 'dues unpaid for 2026' }, cloudRep.token);
    expect(suspended.body.errors).toBeUndefined();
    expect(suspended.body.data!.suspendMembership.membership).toMatchObject({
      status: 'SUSPENDED',
      endedOn: null,
      events: [
        { kind: 'STARTED', reason: 'application approved', effectiveOn: today() },
        { kind: 'SUSPENDED', reason: 'dues unpaid for 2026', effectiveOn: today() },
      ],
    });
    expectWrongState(await run(SUSPEND, { membershipId, reason: 'again' }, cloudRep.token), 'SUSPENDED');

    const reinstated = await run(REINSTATE, { membershipId, reason: 'dues paid' }, clusterAdmin.token);
    expect(reinstated.body.errors).toBeUndefined();
    expect(reinstated.body.data!.reinstateMembership.membership).toMatchObject({ status: 'ACTIVE', endedOn: null });
    expect(reinstated.body.data!.reinstateMembership.membership.events.map((e: { kind: string }) => e.kind)).toEqual([
      'STARTED',
      'SUSPENDED',
      'REINSTATED',
    ]);
    expectWrongState(await run(REINSTATE, { membershipId }, cloudRep.token), 'ACTIVE');
  });
});

describe('resign and exclude', () => {
  it("resignation is recorded by the member's contact: the membership ends today, and nothing more can happen to it", async () => {
    const { membershipId, token } = await member();
    const res = await run(RESIGN, { membershipId, reason: 'closing the company' }, token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.resignMembership.membership).toMatchObject({
      status: 'RESIGNED',
      endedOn: today(),
      endReason: 'closing the company',
    });
    const before = await membershipRows();
    expectWrongState(await run(RESIGN, { membershipId }, token), 'RESIGNED');
    expectWrongState(await run(SUSPEND, { membershipId, reason: 'late' }, cloudRep.token), 'RESIGNED');
    expectWrongState(await run(REINSTATE, { membershipId }, cloudRep.token), 'RESIGNED');
    expectWrongState(await run(EXCLUDE, { membershipId, reason: 'late' }, cloudRep.token), 'RESIGNED');
    expectWrongState(await run(TRANSFER, { membershipId, toCollegeId: creationId }, cloudRep.token), 'RESIGNED');
    expect(await membershipRows()).toEqual(before);
  });

  it('a resignation needs no reason', async () => {
    const { membershipId } = await member();
    const res = await run(RESIGN, { membershipId }, cloudRep.token);
    expect(res.body.data!.resignMembership.membership).toMatchObject({ status: 'RESIGNED', endReason: null });
  });

  it('an exclusion needs a reason; a suspended member can be excluded', async () => {
    const { membershipId } = await member();
    await run(SUSPEND, { membershipId, reason: 'under investigation' }, cloudRep.token);
    const before = await membershipRows();
    expect(badFields(await run(EXCLUDE, { membershipId }, cloudRep.token), 'MEMBERSHIP_REASON_REQUIRED')).toEqual(['input.reason']);
    expect(await membershipRows()).toEqual(before);
    const res = await run(EXCLUDE, { membershipId, reason: 'breach of the charter' }, cloudRep.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.excludeMembership.membership).toMatchObject({
      status: 'EXCLUDED',
      endedOn: today(),
      endReason: 'breach of the charter',
    });
    expectWrongState(await run(EXCLUDE, { membershipId, reason: 'again' }, cloudRep.token), 'EXCLUDED');
  });

  it('only the collège’s representatives and administrators manage; the member’s contact may only resign', async () => {
    const { membershipId, token } = await member();
    const stranger = await app.signUp();
    const before = await membershipRows();
    for (const [operation, who] of [
      [SUSPEND, token],
      [EXCLUDE, token],
      [SUSPEND, creationRep.token],
      [EXCLUDE, creationRep.token],
      [RESIGN, creationRep.token],
      [RESIGN, stranger.token],
      [TRANSFER, creationRep.token],
      [TRANSFER, token],
    ] as const) {
      const input = operation === TRANSFER ? { membershipId, toCollegeId: creationId } : { membershipId, reason: 'because' };
      expect(refusal(await run(operation, input, who))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    }
    expect(refusal(await run(SUSPEND, { membershipId, reason: 'because' }))).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'SIGN_IN_REQUIRED',
    });
    expect(await membershipRows()).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown membership', async () => {
    expect(refusal(await run(SUSPEND, { membershipId: randomUUID(), reason: 'x' }, admin.token))).toEqual(NOT_FOUND);
  });
});

describe('transferMembership', () => {
  it('ends the old membership as TRANSFERRED and starts one in the other collège, pointing to its origin, seniority kept', async () => {
    const { membershipId, orgId } = await member();
    // An older membership, so that carrying the seniority over shows.
    await app.sql(`update membership set started_on = '2019-05-01', member_since = '2017-03-15' where id = $1`, [membershipId]);
    const res = await run(TRANSFER, { membershipId, toCollegeId: creationId, reason: 'now makes video games' }, cloudRep.token);
    expect(res.body.errors).toBeUndefined();
    const successor = res.body.data!.transferMembership.membership;
    expect(successor).toMatchObject({
      status: 'ACTIVE',
      startedOn: today(),
      memberSince: '2017-03-15',
      endedOn: null,
      college: { id: creationId },
      origin: { id: membershipId },
      events: [{ kind: 'STARTED', reason: 'now makes video games', effectiveOn: today() }],
    });
    const [old] = await app.sql(
      `select status, ended_on::text, end_reason, started_on::text, member_since::text from membership where id = $1`,
      [membershipId],
    );
    expect(old).toEqual({
      status: 'TRANSFERRED',
      ended_on: today(),
      end_reason: 'now makes video games',
      started_on: '2019-05-01',
      member_since: '2017-03-15',
    });
    const current = await app.sql('select college_id from membership where organisation_id = $1 and ended_on is null', [orgId]);
    expect(current).toEqual([{ college_id: creationId }]);
  });

  it('without a reason, records where the member went', async () => {
    const { membershipId } = await member();
    const res = await run(TRANSFER, { membershipId, toCollegeId: creationId }, clusterAdmin.token);
    expect(res.body.data!.transferMembership.membership.events).toEqual([
      { kind: 'STARTED', reason: 'transferred to Création numérique', effectiveOn: today() },
    ]);
  });

  it('refuses a collège of another cluster, the same collège or an unknown one, writing nothing', async () => {
    const { membershipId } = await member();
    const before = await membershipRows();
    const foreign = await run(TRANSFER, { membershipId, toCollegeId: foreignCollegeId }, admin.token);
    expect(badFields(foreign, 'TRANSFER_OUTSIDE_CLUSTER')).toEqual(['input.toCollegeId']);
    expect(badFields(await run(TRANSFER, { membershipId, toCollegeId: cloudId }, admin.token), 'TRANSFER_TO_SAME_COLLEGE')).toEqual([
      'input.toCollegeId',
    ]);
    expect(refusal(await run(TRANSFER, { membershipId, toCollegeId: randomUUID() }, admin.token))).toEqual(NOT_FOUND);
    expect(await membershipRows()).toEqual(before);
  });

  it('refuses a suspended membership, or a member already in the target collège, with CONFLICT', async () => {
    const suspended = await member();
    await run(SUSPEND, { membershipId: suspended.membershipId, reason: 'dues unpaid' }, cloudRep.token);
    const before = await membershipRows();
    expectWrongState(await run(TRANSFER, { membershipId: suspended.membershipId, toCollegeId: creationId }, cloudRep.token), 'SUSPENDED');
    expect(await membershipRows()).toEqual(before);

    const both = await member();
    await app.services().admission.submitApplication(both.orgId, creationId);
    const rows = await membershipRows();
    const res = await run(TRANSFER, { membershipId: both.membershipId, toCollegeId: creationId }, cloudRep.token);
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'ALREADY_MEMBER' });
    expect(await membershipRows()).toEqual(rows);
  });
});

describe('history', () => {
  it('organisation { memberships } shows every membership, newest first, with dates, reasons, events and origins', async () => {
    const { orgId, membershipId, token } = await member();
    await run(SUSPEND, { membershipId, reason: 'dues unpaid' }, cloudRep.token);
    await run(REINSTATE, { membershipId, reason: 'dues paid' }, cloudRep.token);
    const transferred = await run(TRANSFER, { membershipId, toCollegeId: creationId, reason: 'new trade' }, cloudRep.token);
    const successorId = transferred.body.data!.transferMembership.membership.id;
    await run(RESIGN, { membershipId: successorId, reason: 'retiring' }, token);
    // And back to the first collège by a new application.
    await app.services().admission.submitApplication(orgId, cloudId);

    const res = await app.gql(HISTORY, { id: orgId }, { token });
    expect(res.body.errors).toBeUndefined();
    const day = today();
    expect(res.body.data!.organisation.memberships).toEqual([
      {
        status: 'ACTIVE',
        startedOn: day,
        memberSince: day,
        endedOn: null,
        endReason: null,
        college: { id: cloudId },
        events: [{ kind: 'STARTED', reason: 'application approved' }],
        origin: null,
      },
      {
        status: 'RESIGNED',
        startedOn: day,
        memberSince: day,
        endedOn: day,
        endReason: 'retiring',
        college: { id: creationId },
        events: [
          { kind: 'STARTED', reason: 'new trade' },
          { kind: 'RESIGNED', reason: 'retiring' },
        ],
        origin: { id: membershipId },
      },
      {
        status: 'TRANSFERRED',
        startedOn: day,
        memberSince: day,
        endedOn: day,
        endReason: 'new trade',
        college: { id: cloudId },
        events: [
          { kind: 'STARTED', reason: 'application approved' },
          { kind: 'SUSPENDED', reason: 'dues unpaid' },
          { kind: 'REINSTATED', reason: 'dues paid' },
          { kind: 'TRANSFERRED', reason: 'new trade' },
        ],
        origin: null,
      },
    ]);
  });
});

describe('the database', () => {
  it('holds at most one current membership per organisation and collège, whatever the code does', async () => {
    const { orgId } = await member();
    const insert = (status: string, endedOn: string | null) =>
      app.sql(
        `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, ended_on)
         values ($1, now(), now(), $2, $3, $4, current_date, current_date, $5)`,
        [randomUUID(), orgId, cloudId, status, endedOn],
      );
    await expect(insert('ACTIVE', null)).rejects.toMatchObject({ code: '23505', constraint: 'membership_one_current' });
    await expect(insert('SUSPENDED', null)).rejects.toMatchObject({ code: '23505', constraint: 'membership_one_current' });
    // Ended memberships are history: any number of them may sit beside the current one.
    await expect(insert('RESIGNED', '2030-01-01')).resolves.toEqual([]);
    // A current status with an end date, or an ended one without, is refused too.
    await expect(insert('ACTIVE', '2030-01-01')).rejects.toMatchObject({ code: '23514', constraint: 'membership_current_has_no_end' });
    // The same organisation in another collège is fine.
    await expect(
      app.sql(
        `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
         values ($1, now(), now(), $2, $3, 'ACTIVE', current_date, current_date)`,
        [randomUUID(), orgId, creationId],
      ),
    ).resolves.toEqual([]);
  });
});
