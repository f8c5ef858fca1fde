import { randomBytes } from 'node:crypto';
import { Action, POLICY } from '../../src/auth/permissions.js';
import { Role, ROLE_SCOPE } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { errorCodes, startTestApp, TEST_PASSWORD, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * Who may do what: every protected operation × every role. Each role is held over one test
 * cluster (collège-level roles over a collège of it); ADMIN has no scope.
 *
 * Every new protected operation adds a row to OPERATIONS; the guard tests at the end fail until
 * it does.
 */

interface Fixture {
  clusterId: string;
  collegeId: string;
  otherClusterId: string;
  otherCollegeId: string;
}

interface Operation {
  /** The Query or Mutation field. */
  name: string;
  /** The POLICY entry its resolver checks. */
  action: Action;
  document: string;
  /** Fresh variables for one call, so that earlier successful calls never get in the way. */
  variables: (fx: Fixture) => Promise<Record<string, unknown>>;
  /** The roles that may perform it on the test cluster, as the issue and the SDL state them. */
  allowed: readonly Role[];
}

let app: TestApp;
let fx: Fixture;

const unique = () => randomBytes(4).toString('hex');

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
    variables: async (f) => ({ input: { accountId: await newAccount(), role: Role.MEMBER, clusterId: f.clusterId } }),
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
];

/** Operations open to anyone (or to any signed-in account): deliberately outside the table. */
const UNPROTECTED_OPERATIONS = ['registerAccount', 'login', 'logout', 'viewer', 'clusters', 'cluster', 'college'];

const ROLES = Object.values(Role);
const NO_ROLE = 'signed in, no role';
type Principal = Role | typeof NO_ROLE;
const PRINCIPALS: readonly Principal[] = [...ROLES, NO_ROLE];

const tokens = new Map<Principal, string>();
let otherClusterAdminToken: string;

/** Signs up an account holding `role` over the test cluster, or over its collège for collège-level roles. */
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

function expectSucceeded(res: GraphQLResponse, op: Operation): void {
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data?.[op.name]).toEqual(expect.any(Object));
}

/** A refusal with exactly `code`, no data, and nothing recorded (every change is audited). */
async function expectRefused(op: Operation, token: string | undefined, code: 'FORBIDDEN' | 'UNAUTHENTICATED'): Promise<void> {
  const variables = await op.variables(fx);
  const before = await auditEntries();
  const res = await app.gql(op.document, variables, { token });
  expect(errorCodes(res)).toEqual([code]);
  expect(res.body.data ?? null).toBeNull();
  expect(await auditEntries()).toBe(before);
}

beforeAll(async () => {
  app = await startTestApp();
  const clusters = app.services().clusters;
  const cluster = await clusters.createCluster({ name: 'Authz', slug: `authz-home-${unique()}`, kind: ClusterKind.CLUSTER });
  const college = await clusters.createCollege({ clusterId: cluster.id, name: 'Cloud', slug: 'cloud', theme: 'cloud' });
  const other = await clusters.createCluster({ name: 'Elsewhere', slug: `authz-other-${unique()}`, kind: ClusterKind.CLUSTER });
  const otherCollege = await clusters.createCollege({ clusterId: other.id, name: 'Cloud', slug: 'cloud', theme: 'cloud' });
  fx = { clusterId: cluster.id, collegeId: college.id, otherClusterId: other.id, otherCollegeId: otherCollege.id };
  for (const role of ROLES) tokens.set(role, await signUpAs(role, fx.clusterId, fx.collegeId));
  tokens.set(NO_ROLE, (await app.signUp()).token);
  otherClusterAdminToken = (await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: fx.otherClusterId })).token;
});

afterAll(async () => {
  await app.close();
});

describe.each(OPERATIONS)('$name', (op) => {
  const cases = PRINCIPALS.map((principal) => ({
    principal,
    allowed: (op.allowed as readonly Principal[]).includes(principal),
  }));

  it.each(cases.filter((c) => c.allowed))('$principal: allowed', async ({ principal }) => {
    const res = await app.gql(op.document, await op.variables(fx), { token: tokens.get(principal) });
    expectSucceeded(res, op);
  });

  it.each(cases.filter((c) => !c.allowed))('$principal: FORBIDDEN', async ({ principal }) => {
    await expectRefused(op, tokens.get(principal), 'FORBIDDEN');
  });

  it('no token: UNAUTHENTICATED', async () => {
    await expectRefused(op, undefined, 'UNAUTHENTICATED');
  });
});

describe('scope', () => {
  const clusterAdminOperations = OPERATIONS.filter((op) => op.allowed.includes(Role.CLUSTER_ADMIN));

  it.each(clusterAdminOperations)('$name: a CLUSTER_ADMIN of another cluster is FORBIDDEN on this cluster', async (op) => {
    await expectRefused(op, otherClusterAdminToken, 'FORBIDDEN');
  });

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

  it("a CLUSTER_ADMIN grants collège-level roles in their cluster's collèges, not in another cluster's", async () => {
    const grant = async (collegeId: string) =>
      app.gql(
        'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { role college { id } } } }',
        { input: { accountId: await newAccount(), role: Role.COLLEGE_REPRESENTATIVE, collegeId } },
        { token: tokens.get(Role.CLUSTER_ADMIN) },
      );
    const own = await grant(fx.collegeId);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data!.grantRole.roleAssignment).toEqual({ role: 'COLLEGE_REPRESENTATIVE', college: { id: fx.collegeId } });
    expect(errorCodes(await grant(fx.otherCollegeId))).toEqual(['FORBIDDEN']);
  });

  it('a CLUSTER_ADMIN assignment counts only while it is in force', async () => {
    const op = OPERATIONS.find((o) => o.name === 'updateCluster')!;
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
      validFrom: new Date(app.clock.now().getTime() + 3_600_000),
    };
    await services.roles.grant(input, await services.roles.scopeOfGrant(input));
    await expectRefused(op, future.token, 'FORBIDDEN');
  });
});

describe('the table', () => {
  it('covers every Action of POLICY, so a new protected operation cannot be left out', () => {
    const covered = new Set(OPERATIONS.map((op) => op.action));
    expect(Object.values(Action).filter((action) => !covered.has(action))).toEqual([]);
    expect(Object.keys(POLICY).sort()).toEqual(Object.values(Action).sort());
  });

  it.each(OPERATIONS)('$name: allows exactly the roles POLICY gives $action', (op) => {
    expect([...op.allowed].sort()).toEqual([...POLICY[op.action]].sort());
  });

  it('lists every root field of the schema, or names it as unprotected', async () => {
    const res = await app.gql('{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    expect(res.body.errors).toBeUndefined();
    const schema = res.body.data!.__schema as { queryType: { fields: { name: string }[] }; mutationType: { fields: { name: string }[] } };
    const rootFields = [...schema.queryType.fields, ...schema.mutationType.fields].map((f) => f.name).sort();
    const listed = [...OPERATIONS.map((op) => op.name), ...UNPROTECTED_OPERATIONS].sort();
    expect(rootFields).toEqual(listed);
  });
});
