import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { Decision } from '../../src/membership/admission.service.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * "Ask to act for an organisation" (issue 13, item 3): an account asks to become one of the people
 * acting for an organisation already registered; its contacts — or, while it is a member, its
 * collège's representatives and its cluster's administrators — or ADMIN approve or refuse, never
 * the requester; approval links a person to the account at once, and the MEMBER right follows.
 */
let app: TestApp;
let collegeId: string;
let admin: Principal;
let rep: Principal;
let clusterAdmin: Principal;
let otherRep: Principal;
let contact: Principal;
let outsiderContact: Principal;
let stranger: Principal;
let memberId: string;
let outsiderId: string;
let orphanId: string;

interface Principal {
  accountId: string;
  token: string;
  email: string;
}

beforeAll(async () => {
  app = await startTestApp();
  await app.seedDemo();
  const services = app.services();
  const clusterId = (await services.clusters.createCluster({ name: 'Actes', slug: 'actes', kind: 'CLUSTER' as never })).id;
  collegeId = (await services.clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  const otherCollegeId = (await services.clusters.createCollege({ clusterId, name: 'Data', slug: 'data', theme: 'data' })).id;
  await services.admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: 'REPRESENTATIVE' as never });
  admin = await app.signUp({ role: Role.ADMIN });
  rep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId });
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
  otherRep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId, collegeId: otherCollegeId });
  contact = await app.signUp();
  outsiderContact = await app.signUp();
  stranger = await app.signUp();
  memberId = await memberOrganisation('Membre Actif', contact.accountId);
  outsiderId = (
    await services.organisations.createOrganisation({ name: 'Hors Collège', kind: OrganisationKind.COMPANY }, outsiderContact.accountId)
  ).id;
  // Its only person has no account: nobody acts for it over the API.
  orphanId = (
    await services.organisations.createOrganisation(
      { name: 'Sans Compte', kind: OrganisationKind.COMPANY, contact: { fullName: 'Jo Martin' } },
      null,
    )
  ).id;
});
afterAll(async () => {
  await app.close();
});

/** A new organisation that `accountId` acts for, an ACTIVE member of the collège. */
async function memberOrganisation(name: string, accountId: string): Promise<string> {
  const services = app.services();
  const organisation = await services.organisations.createOrganisation({ name, kind: OrganisationKind.COMPANY }, accountId);
  const application = await services.admission.submitApplication(organisation.id, collegeId);
  await services.admission.decideApplication({ applicationId: application.id, decision: Decision.APPROVE });
  return organisation.id;
}

const REQUEST = `mutation($input: RequestToActForInput!) { requestToActFor(input: $input) {
  actRequest { id status fullName roleInOrganisation message email organisation { name } requester { id } } } }`;
const DECIDE = `mutation($input: DecideActRequestInput!) { decideActRequest(input: $input) {
  actRequest { id status reason decidedAt decidedBy { id } person { fullName email roleInOrganisation } } } }`;
const WITHDRAW = `mutation($input: ActRequestIdInput!) { withdrawActRequest(input: $input) { actRequest { status decidedBy { id } } } }`;
const PENDING = 'query($id: ID!) { organisation(id: $id) { pendingActRequests { id fullName email } } }';
const MINE = `{ viewer { actRequests { id status reason organisation { name } } organisations { name } roles { role college { id } } } }`;

async function ask(who: Principal | undefined, organisationId: string, fullName = 'Alex Durand') {
  return app.gql(REQUEST, { input: { organisationId, fullName, roleInOrganisation: 'CTO', message: ' Bonjour ' } }, { token: who?.token });
}
async function askOk(who: Principal, organisationId: string): Promise<string> {
  const res = await ask(who, organisationId);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.requestToActFor.actRequest.id as string;
}
const decide = (who: Principal, requestId: string, decision: 'APPROVE' | 'REFUSE', reason?: string) =>
  app.gql(DECIDE, { input: { requestId, decision, reason } }, { token: who.token });
const pendingIds = async (who: Principal, organisationId: string) =>
  (
    (await app.gql(PENDING, { id: organisationId }, { token: who.token })).body.data!.organisation.pendingActRequests as { id: string }[]
  ).map((r) => r.id);
const mine = async (who: Principal) => (await app.gql(MINE, {}, { token: who.token })).body.data!.viewer;

/** Rows a refusal must not have added or changed. */
async function written(): Promise<string> {
  const [row] = await app.sql(
    `select (select count(*) from act_request) as requests, (select count(*) from person) as people,
            (select count(*) from audit_entry) as audit, (select max(updated_at) from act_request) as changed`,
  );
  return JSON.stringify(row);
}

describe('requestToActFor', () => {
  it('asks: PENDING, the requester’s own, listed to those who may decide it and to nobody else', async () => {
    const requester = await app.signUp();
    const res = await ask(requester, memberId);
    expect(res.body.errors).toBeUndefined();
    const request = res.body.data!.requestToActFor.actRequest;
    expect(request).toMatchObject({
      status: 'PENDING',
      fullName: 'Alex Durand',
      roleInOrganisation: 'CTO',
      message: 'Bonjour',
      email: requester.email,
      organisation: { name: 'Membre Actif' },
      requester: { id: requester.accountId },
    });
    expect((await mine(requester)).actRequests).toEqual([
      { id: request.id, status: 'PENDING', reason: null, organisation: { name: 'Membre Actif' } },
    ]);
    for (const decider of [contact, rep, clusterAdmin, admin]) expect(await pendingIds(decider, memberId)).toContain(request.id);
    for (const other of [stranger, otherRep, requester, outsiderContact]) expect(await pendingIds(other, memberId)).toEqual([]);
  });

  it('refuses asking twice, for an organisation one acts for, for an unknown one, anonymously or without a name: nothing written', async () => {
    const requester = await app.signUp();
    const first = await askOk(requester, memberId);
    const before = await written();
    const twice = await ask(requester, memberId);
    expect(refusal(twice)).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_PENDING' });
    expect(twice.body.errors![0].extensions!.actRequestId).toBe(first);
    expect(refusal(await ask(contact, memberId))).toEqual({ code: 'CONFLICT', reason: 'ACCOUNT_ALREADY_CONTACT' });
    expect(refusal(await ask(requester, randomUUID()))).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(refusal(await ask(undefined, memberId))).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGN_IN_REQUIRED' });
    expect(refusal(await ask(stranger, memberId, '  '))).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
    expect(await written()).toBe(before);
  });

  it('the same account asking several times at once: one request, the others refused', async () => {
    const requester = await app.signUp();
    const answers = await Promise.all(Array.from({ length: 4 }, () => ask(requester, outsiderId)));
    expect(answers.filter((res) => !res.body.errors)).toHaveLength(1);
    for (const res of answers.filter((r) => r.body.errors))
      expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_PENDING' });
    expect(await app.sql('select 1 from act_request where requester_id = $1', [requester.accountId])).toHaveLength(1);
  });
});

describe('decideActRequest', () => {
  it('a member’s request: its contacts, its collège’s representatives, its cluster’s admins or ADMIN — nobody else, never the requester', async () => {
    const requester = await app.signUp();
    const requestId = await askOk(requester, memberId);
    const before = await written();
    for (const other of [stranger, otherRep, outsiderContact]) {
      expect(refusal(await decide(other, requestId, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    }
    expect(refusal(await decide(requester, requestId, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', reason: 'ACT_REQUEST_OWN' });
    expect(refusal(await decide(rep, randomUUID(), 'APPROVE'))).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(await written()).toBe(before);
    for (const decider of [contact, rep, clusterAdmin, admin]) {
      const id = await askOk(await app.signUp(), memberId);
      const res = await decide(decider, id, 'APPROVE');
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.decideActRequest.actRequest).toMatchObject({ status: 'APPROVED', decidedBy: { id: decider.accountId } });
    }
  });

  it('an organisation that is not a member: its contacts or ADMIN; one without any account: ADMIN; an ADMIN asking does not decide', async () => {
    const outsider = await askOk(await app.signUp(), outsiderId);
    for (const other of [rep, clusterAdmin, contact]) {
      expect(refusal(await decide(other, outsider, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    }
    expect((await decide(outsiderContact, outsider, 'APPROVE')).body.data!.decideActRequest.actRequest.status).toBe('APPROVED');

    const anotherAdmin = await app.signUp({ role: Role.ADMIN });
    const orphan = await askOk(anotherAdmin, orphanId);
    expect(refusal(await decide(anotherAdmin, orphan, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', reason: 'ACT_REQUEST_OWN' });
    expect(refusal(await decide(outsiderContact, orphan, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect((await decide(admin, orphan, 'APPROVE')).body.data!.decideActRequest.actRequest.status).toBe('APPROVED');
  });

  it('approval links the person at once: the requester acts for it and holds MEMBER on its collège; deciding again is refused', async () => {
    const requester = await app.signUp();
    const requestId = await askOk(requester, memberId);
    expect((await mine(requester)).roles).toEqual([]);
    const res = await decide(rep, requestId, 'APPROVE', 'Bienvenue');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.decideActRequest.actRequest).toMatchObject({
      status: 'APPROVED',
      reason: 'Bienvenue',
      person: { fullName: 'Alex Durand', email: requester.email, roleInOrganisation: 'CTO' },
    });
    const me = await mine(requester);
    expect(me.organisations).toEqual([{ name: 'Membre Actif' }]);
    expect(me.roles).toEqual([{ role: 'MEMBER', college: { id: collegeId } }]);
    expect(await pendingIds(rep, memberId)).not.toContain(requestId);

    const before = await written();
    expect(refusal(await decide(contact, requestId, 'REFUSE', 'Non'))).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_DECIDED' });
    expect(refusal(await decide(rep, requestId, 'APPROVE'))).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_DECIDED' });
    expect(refusal(await ask(requester, memberId))).toEqual({ code: 'CONFLICT', reason: 'ACCOUNT_ALREADY_CONTACT' });
    expect(await written()).toBe(before);

    const trail = await app.sql<{ action: string }>(
      `select action from audit_entry where entity_id = $1 or (action = 'person.add' and after->>'actRequestId' = $1::text) order by seq`,
      [requestId],
    );
    expect(trail.map((e) => e.action)).toEqual(['act-request.create', 'person.add', 'act-request.approve']);
  });

  it('a refusal needs a reason, which the requester reads; a new request may follow, the old one kept', async () => {
    const requester = await app.signUp();
    const requestId = await askOk(requester, memberId);
    expect(refusal(await decide(clusterAdmin, requestId, 'REFUSE'))).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'REJECTION_REASON_REQUIRED',
    });
    const refused = await decide(clusterAdmin, requestId, 'REFUSE', 'Inconnu chez nous');
    expect(refused.body.data!.decideActRequest.actRequest).toMatchObject({ status: 'REFUSED', reason: 'Inconnu chez nous' });
    expect((await mine(requester)).actRequests).toEqual([expect.objectContaining({ status: 'REFUSED', reason: 'Inconnu chez nous' })]);
    expect((await mine(requester)).organisations).toEqual([]);
    const again = await askOk(requester, memberId);
    expect((await mine(requester)).actRequests.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [again, 'PENDING'],
      [requestId, 'REFUSED'],
    ]);
  });

  it('while the membership is suspended, the collège no longer decides; the contacts still do', async () => {
    const suspendedContact = await app.signUp();
    const suspendedId = await memberOrganisation('Membre Suspendu', suspendedContact.accountId);
    const [membership] = await app.sql<{ id: string }>('select id from membership where organisation_id = $1', [suspendedId]);
    await app.services().memberships.change('suspend', membership.id, 'cotisation impayée');
    const requestId = await askOk(await app.signUp(), suspendedId);
    expect(refusal(await decide(rep, requestId, 'APPROVE'))).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(await pendingIds(rep, suspendedId)).toEqual([]);
    expect((await decide(suspendedContact, requestId, 'APPROVE')).body.data!.decideActRequest.actRequest.status).toBe('APPROVED');
  });
});

describe('withdrawActRequest', () => {
  it('by the requester only, once; a withdrawn request is not decided', async () => {
    const requester = await app.signUp();
    const requestId = await askOk(requester, memberId);
    const withdraw = (who: Principal, id = requestId) => app.gql(WITHDRAW, { input: { requestId: id } }, { token: who.token });
    const before = await written();
    expect(refusal(await withdraw(stranger))).toEqual({ code: 'FORBIDDEN', reason: 'ACT_REQUEST_NOT_YOURS' });
    expect(refusal(await withdraw(contact))).toEqual({ code: 'FORBIDDEN', reason: 'ACT_REQUEST_NOT_YOURS' });
    expect(refusal(await withdraw(requester, randomUUID()))).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
    expect(await written()).toBe(before);
    const res = await withdraw(requester);
    expect(res.body.data!.withdrawActRequest.actRequest).toEqual({ status: 'WITHDRAWN', decidedBy: { id: requester.accountId } });
    const after = await written();
    expect(refusal(await withdraw(requester))).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_DECIDED' });
    expect(refusal(await decide(contact, requestId, 'APPROVE'))).toEqual({ code: 'CONFLICT', reason: 'ACT_REQUEST_ALREADY_DECIDED' });
    expect(await written()).toBe(after);
  });
});

describe('lists', () => {
  // 200 organisations with a request each, by one account; contactOfAll acts for all of them, contactOfTen for ten.
  let asker: Principal;
  let contactOfTen: Principal;
  let contactOfAll: Principal;
  beforeAll(async () => {
    const services = app.services();
    [asker, contactOfTen, contactOfAll] = [await app.signUp(), await app.signUp(), await app.signUp()];
    for (let i = 0; i < 200; i += 1) {
      const name = `Lot ${String(i).padStart(3, '0')}`;
      const organisation = await services.organisations.createOrganisation(
        { name, kind: OrganisationKind.COMPANY },
        contactOfAll.accountId,
      );
      if (i < 10)
        await services.organisations.addPerson({ organisationId: organisation.id, fullName: 'Dix', accountId: contactOfTen.accountId });
      await app
        .services(asker.accountId)
        .actRequests.requestToActFor({ organisationId: organisation.id, fullName: 'Lou', roleInOrganisation: 'DG' });
    }
  });

  it('pending requests on a page of organisations: the same statements for 10 and for 200', async () => {
    const PAGE = `query($first: Int) { organisations(search: "Lot ", first: $first) { edges { node { name
      pendingActRequests { id email requester { displayName } } } } } }`;
    app.resetSqlCount();
    const ten = await app.gql(PAGE, { first: 10 }, { token: admin.token });
    const forTen = app.sqlCount();
    app.resetSqlCount();
    const all = await app.gql(PAGE, { first: 200 }, { token: admin.token });
    expect(app.sqlCount()).toBe(forTen);
    expect(ten.body.data!.organisations.edges.map((e: any) => e.node.name)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Lot ${String(i).padStart(3, '0')}`),
    );
    expect(all.body.data!.organisations.edges.every((e: any) => e.node.pendingActRequests.length === 1)).toBe(true);
  });

  it('pending requests on the organisations one acts for: the same statements for 10 and for 200', async () => {
    const TO_DECIDE = `{ viewer { organisations { name pendingActRequests {
      id status email fullName organisation { name } requester { displayName } decidedBy { id } person { id } } } } }`;
    const read = async (who: Principal) => {
      app.resetSqlCount();
      const res = await app.gql(TO_DECIDE, {}, { token: who.token });
      expect(res.body.errors).toBeUndefined();
      return { count: app.sqlCount(), organisations: res.body.data!.viewer.organisations as { pendingActRequests: unknown[] }[] };
    };
    const ten = await read(contactOfTen);
    const all = await read(contactOfAll);
    expect(ten.organisations).toHaveLength(10);
    expect(all.organisations).toHaveLength(200);
    expect(all.organisations.every((o) => o.pendingActRequests.length === 1)).toBe(true);
    expect(all.count).toBe(ten.count);
  });

  it('one’s own requests: the same statements for one and for a hundred (the most listed)', async () => {
    const OWN =
      '{ viewer { actRequests { id status email organisation { name } requester { displayName } decidedBy { id } person { id } } } }';
    const one = await app.signUp();
    await askOk(one, outsiderId);
    app.resetSqlCount();
    expect((await app.gql(OWN, {}, { token: one.token })).body.data!.viewer.actRequests).toHaveLength(1);
    const forOne = app.sqlCount();
    app.resetSqlCount();
    expect((await app.gql(OWN, {}, { token: asker.token })).body.data!.viewer.actRequests).toHaveLength(100);
    expect(app.sqlCount()).toBe(forOne);
  });
});

describe('on the demo data', () => {
  it('a newcomer finds Nelis, asks to act for it; Katia Vidic approves; the newcomer reads its collège’s members', async () => {
    const newcomer = await app.signUp();
    const found = await app.gql('{ organisations(search: "nelis") { edges { node { id name } } } }', {}, { token: newcomer.token });
    const nelis = found.body.data!.organisations.edges.map((e: any) => e.node).find((o: { name: string }) => o.name === 'Nelis');
    const requestId = await askOk(newcomer, nelis.id);

    const katia = (
      await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
        input: { email: 'member@nelis.example', password: DEMO_PASSWORD },
      })
    ).body.data!.login.token as string;
    const hers = await app.gql('{ viewer { organisations { name pendingActRequests { id fullName email } } } }', {}, { token: katia });
    expect(hers.body.data!.viewer.organisations).toEqual([
      { name: 'Nelis', pendingActRequests: [{ id: requestId, fullName: 'Alex Durand', email: newcomer.email }] },
    ]);

    const [startups] = await app.sql<{ id: string }>(
      `select m.college_id as id from membership m join organisation o on o.id = m.organisation_id where o.name = 'Nelis' and m.status = 'ACTIVE'`,
    );
    const MEMBERS = 'query($id: ID!) { college(id: $id) { members(first: 200) { edges { node { organisation { name } } } } } }';
    expect(refusal(await app.gql(MEMBERS, { id: startups.id }, { token: newcomer.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });

    const approved = await app.gql(DECIDE, { input: { requestId, decision: 'APPROVE' } }, { token: katia });
    expect(approved.body.data!.decideActRequest.actRequest.status).toBe('APPROVED');
    const members = await app.gql(MEMBERS, { id: startups.id }, { token: newcomer.token });
    expect(members.body.errors).toBeUndefined();
    expect(members.body.data!.college.members.edges.map((e: any) => e.node.organisation.name)).toContain('Nelis');
  });
});
