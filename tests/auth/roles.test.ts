import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { refusal } from '../support/refusals.js';

/**
 * Granting and revoking roles, appointing and ending representatives' mandates: each refusal
 * with its code and reason, and FORBIDDEN in plain words naming the scope and who may.
 */
const GRANT = `mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { id role validTo } } }`;
const REVOKE = `mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { roleAssignment { id validTo } } }`;
const APPOINT = `mutation($input: AppointRepresentativeInput!) { appointRepresentative(input: $input) { mandate { id } } }`;
const END_MANDATE = `mutation($input: EndRepresentativeMandateInput!) { endRepresentativeMandate(input: $input) { mandate { id endsAt } } }`;

let app: TestApp;
let clusterId: string;
let collegeId: string;
let otherClusterId: string;
let otherCollegeId: string;
let admin: { token: string };
let clusterAdmin: { token: string };

/** The fields a BAD_USER_INPUT response names, after checking its reason. */
function badFields(res: GraphQLResponse, reason: string): string[] {
  expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason });
  return (res.body.errors![0].extensions!.fields as { field: string }[]).map((problem) => problem.field);
}

const grant = (input: Record<string, unknown>, token = admin.token) => app.gql(GRANT, { input }, { token });

beforeAll(async () => {
  app = await startTestApp();
  const services = app.services();
  clusterId = (await services.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  collegeId = (await app.services().clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  otherClusterId = (await app.services().clusters.createCluster({ name: 'Telecom Valley', slug: 'tv', kind: ClusterKind.CLUSTER })).id;
  otherCollegeId = (
    await app.services().clusters.createCollege({ clusterId: otherClusterId, name: 'Réseaux', slug: 'reseaux', theme: 'networks' })
  ).id;
  admin = await app.signUp({ role: Role.ADMIN });
  clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
});
afterAll(async () => {
  await app.close();
});

describe('grantRole', () => {
  it('refuses COLLEGE_REPRESENTATIVE: the right follows a mandate', async () => {
    const { accountId } = await app.signUp();
    const res = await grant({ accountId, role: 'COLLEGE_REPRESENTATIVE', clusterId, collegeId });
    expect(badFields(res, 'ROLE_NEEDS_MANDATE')).toEqual(['input.role']);
  });

  it.each<[string, (ids: { accountId: string }) => Record<string, unknown>, string]>([
    ['ADMIN over a cluster', ({ accountId }) => ({ accountId, role: 'ADMIN', clusterId }), 'input.clusterId'],
    ['CLUSTER_ADMIN over a collège', ({ accountId }) => ({ accountId, role: 'CLUSTER_ADMIN', collegeId }), 'input.clusterId'],
    ['TREASURER without a cluster', ({ accountId }) => ({ accountId, role: 'TREASURER' }), 'input.clusterId'],
  ])('refuses %s, naming the field', async (_label, input, field) => {
    const { accountId } = await app.signUp();
    expect(badFields(await grant(input({ accountId })), 'ROLE_SCOPE_MISMATCH')).toEqual([field]);
  });

  it('answers NOT_FOUND for an unknown cluster or collège', async () => {
    const { accountId } = await app.signUp();
    expect(refusal(await grant({ accountId, role: 'TREASURER', clusterId: randomUUID() }))).toEqual({
      code: 'NOT_FOUND',
      reason: 'NOT_FOUND',
    });
  });

  it('refuses a role the account already holds on that scope for part of the period', async () => {
    const { accountId } = await app.signUp();
    expect((await grant({ accountId, role: 'TREASURER', clusterId })).body.errors).toBeUndefined();
    expect(refusal(await grant({ accountId, role: 'TREASURER', clusterId }))).toEqual({ code: 'CONFLICT', reason: 'ROLE_ALREADY_HELD' });
  });

  it("refuses a CLUSTER_ADMIN another cluster's roles, naming that cluster and who may", async () => {
    const { accountId } = await app.signUp();
    const res = await grant({ accountId, role: 'TREASURER', clusterId: otherClusterId }, clusterAdmin.token);
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(res.body.errors![0].message).toBe(
      'Only the administrators of Telecom Valley (or a platform administrator) may grant roles here.',
    );
  });

  it('refuses a role in a merged cluster', async () => {
    const merged = (await app.services().clusters.createCluster({ name: 'PixLR', slug: 'pixlr', kind: ClusterKind.ASSOCIATION })).id;
    await app.sql("update cluster set status = 'MERGED', successor_id = $1, merged_at = now() where id = $2", [clusterId, merged]);
    const { accountId } = await app.signUp();
    const res = await grant({ accountId, role: 'TREASURER', clusterId: merged });
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'ROLE_CLUSTER_NOT_ACTIVE' });
    expect(res.body.errors![0].extensions!.status).toBe('MERGED');
  });
});

describe('revokeRole', () => {
  it('ends an assignment once: a second revocation finds it ended', async () => {
    const { accountId } = await app.signUp();
    const id = (await grant({ accountId, role: 'BOARD_MEMBER', clusterId })).body.data!.grantRole.roleAssignment.id;
    const first = await app.gql(REVOKE, { input: { roleAssignmentId: id } }, { token: clusterAdmin.token });
    expect(first.body.errors).toBeUndefined();
    const again = await app.gql(REVOKE, { input: { roleAssignmentId: id } }, { token: clusterAdmin.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'ROLE_ALREADY_ENDED' });
  });

  it("refuses a CLUSTER_ADMIN another cluster's assignment, naming the collège it is held over", async () => {
    const { accountId } = await app.signUp();
    // A collège-level right is not granted over the API (MEMBER follows membership): set up directly.
    const { id } = await app
      .services()
      .roles.grant({ accountId, role: 'MEMBER' as never, clusterId: otherClusterId, collegeId: otherCollegeId });
    const res = await app.gql(REVOKE, { input: { roleAssignmentId: id } }, { token: clusterAdmin.token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(res.body.errors![0].message).toBe('Only the administrators of Réseaux (or a platform administrator) may revoke roles here.');
  });

  it("refuses a representative's right: it ends with the mandate", async () => {
    const { accountId } = await app.signUp();
    expect((await app.gql(APPOINT, { input: { collegeId, accountId } }, { token: clusterAdmin.token })).body.errors).toBeUndefined();
    const [{ id }] = await app.sql("select id from role_assignment where account_id = $1 and role = 'COLLEGE_REPRESENTATIVE'", [accountId]);
    const res = await app.gql(REVOKE, { input: { roleAssignmentId: id } }, { token: admin.token });
    expect(refusal(res)).toEqual({ code: 'CONFLICT', reason: 'ROLE_FOLLOWS_MANDATE' });
  });

  it('answers NOT_FOUND for an unknown assignment', async () => {
    const res = await app.gql(REVOKE, { input: { roleAssignmentId: randomUUID() } }, { token: admin.token });
    expect(refusal(res)).toEqual({ code: 'NOT_FOUND', reason: 'NOT_FOUND' });
  });
});

describe("representatives' mandates", () => {
  it('refuses an overlapping mandate over the same collège', async () => {
    const { accountId } = await app.signUp();
    expect((await app.gql(APPOINT, { input: { collegeId, accountId } }, { token: admin.token })).body.errors).toBeUndefined();
    const again = await app.gql(APPOINT, { input: { collegeId, accountId } }, { token: admin.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'REPRESENTATIVE_MANDATE_OVERLAP' });
  });

  it('ends a mandate once: ending it again finds it ended', async () => {
    const { accountId } = await app.signUp();
    const mandateId = (await app.gql(APPOINT, { input: { collegeId, accountId } }, { token: admin.token })).body.data!.appointRepresentative
      .mandate.id;
    expect(
      (await app.gql(END_MANDATE, { input: { mandateId, reason: 'resigned' } }, { token: clusterAdmin.token })).body.errors,
    ).toBeUndefined();
    const again = await app.gql(END_MANDATE, { input: { mandateId } }, { token: clusterAdmin.token });
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'MANDATE_ALREADY_ENDED' });
  });

  it("refuses a CLUSTER_ADMIN another cluster's collège, naming it and who may", async () => {
    const { accountId } = await app.signUp();
    const res = await app.gql(APPOINT, { input: { collegeId: otherCollegeId, accountId } }, { token: clusterAdmin.token });
    expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    expect(res.body.errors![0].message).toBe(
      'Only the administrators of Réseaux (or a platform administrator) may appoint the representatives of this collège.',
    );
  });
});
