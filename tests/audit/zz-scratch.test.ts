import { Role } from '../../src/auth/role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let app: TestApp;
beforeAll(async () => { app = await startTestApp(); await app.seedDemo(); });
afterAll(async () => { await app.close(); });

const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
it('probe', async () => {
  const { token } = await app.signUp({ role: Role.ADMIN });
  const Q = `query($first: Int, $after: String) { auditTrail(first: $first, after: $after) { totalCount edges { cursor node { seq action } } pageInfo { hasNextPage endCursor } } }`;
  const first = await app.gql(Q, { first: 3 }, { token });
  console.log(JSON.stringify(first.body));
  for (const after of ['garbage!!', 'abc', enc(5), enc(['x']), enc([1, 2]), enc({ seq: 3 }), enc([null]), enc(['9999999999999999999999']), enc([1.5]), enc([true]), enc([{}]), enc([[1]])]) {
    const r = await app.gql(Q, { first: 2, after }, { token });
    console.log(after, Buffer.from(after, 'base64url').toString(), JSON.stringify(r.body).slice(0, 300));
  }
  for (const f of [0, 201, -1, 200]) {
    const r = await app.gql(Q, { first: f }, { token });
    console.log(f, JSON.stringify(r.body.errors ?? r.body.data?.auditTrail.totalCount).slice(0, 400));
  }
  app.resetSqlCount();
  const c = await app.gql(`{ clusters { name parent { name } successor { name } colleges { name cluster { name } } } }`);
  console.log('sql', app.sqlCount(), JSON.stringify(c.body).slice(0, 3000));
});
