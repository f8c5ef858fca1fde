import { startTestApp, type TestApp } from '../support/test-app.js';

/** What every GraphQL answer looks like on the wire, whatever the operation. */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

it('answers compact JSON (not indented), no-store, with the security headers', async () => {
  const response = await fetch(app.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  const text = await response.text();
  expect(response.status).toBe(200);
  expect(JSON.parse(text)).toEqual({ data: { __typename: 'Query' } });
  expect(text).toBe(JSON.stringify(JSON.parse(text)));
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  // No CORS origin configured: no CORS header at all.
  expect(response.headers.get('access-control-allow-origin')).toBeNull();
});
