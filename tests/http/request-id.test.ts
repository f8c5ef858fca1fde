import { Role } from '../../src/auth/role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A client-chosen X-Request-Id reaches the audit trail only when it is short and plain
 * (issue 12, item 12): letters, digits and `._:-`, at most 100 characters; anything else is
 * replaced by a fresh UUID, in the response header and in the trail alike.
 */
let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await app.signUp({ role: Role.ADMIN })).token;
});
afterAll(async () => {
  await app.close();
});

async function createCluster(requestId: string): Promise<{ header: string | null; audited: string }> {
  const slug = `rid-${Math.random().toString(36).slice(2, 8)}`;
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'x-request-id': requestId },
    body: JSON.stringify({ query: `mutation { createCluster(input: { name: "R", slug: "${slug}", kind: CLUSTER }) { cluster { id } } }` }),
  });
  const { data } = (await res.json()) as { data: { createCluster: { cluster: { id: string } } } };
  const [entry] = await app.sql<{ request_id: string }>('select request_id from audit_entry where entity_id = $1', [
    data.createCluster.cluster.id,
  ]);
  return { header: res.headers.get('x-request-id'), audited: entry.request_id };
}

it.each([
  ['too long', 'x'.repeat(101)],
  ['with spaces and markup', 'ticket 42 <script>'],
  ['with non-ASCII letters', 'demande-numéro-42'],
])('a request id %s is replaced by a UUID, in the header and in the audit trail', async (_what, requestId) => {
  const { header, audited } = await createCluster(requestId);
  expect(header).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(audited).toBe(header);
});

it('a plain one is kept, so support can find the request in the trail', async () => {
  expect(await createCluster('support-ticket.42:retry-1')).toEqual({
    header: 'support-ticket.42:retry-1',
    audited: 'support-ticket.42:retry-1',
  });
});
