import { startTestApp, type TestApp } from '../support/test-app.js';

/** /metrics (issue 12, item 22): off by default; with METRICS_TOKEN, Prometheus text for its bearer only. */
const TOKEN = 'metrics-token-for-the-test';

describe('without METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('there is no /metrics', async () => {
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
  });
});

describe('with METRICS_TOKEN', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(async () => {
    await app.close();
  });

  const scrape = async () => {
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };

  it('refuses a scrape without the token, or with another', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all' } })).status).toBe(401);
  });

  it('counts requests and latency per operation, errors per code and reason, and shows the database pool', async () => {
    await app.gql('{ clusters { name } }');
    await app.gql('{ clusters { name } }');
    await app.gql('{ auditTrail { totalCount } }'); // anonymous: UNAUTHENTICATED
    const text = await scrape();
    expect(text).toMatch(/^collegia_graphql_request_duration_seconds_count\{operation="clusters",type="query"\} 2$/m);
    expect(text).toMatch(/^collegia_graphql_errors_total\{operation="auditTrail",code="UNAUTHENTICATED",reason="SIGN_IN_REQUIRED"\} 1$/m);
    expect(text).toMatch(/^collegia_db_pool_connections\{state="total"\} [1-9]\d*$/m);
    expect(text).toMatch(/^collegia_process_resident_memory_bytes \d+/m);
  });

  it('counts sign-ins refused by the login throttle', async () => {
    const attempt = () =>
      app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
        input: { email: 'nobody-metrics@example.test', password: 'wrong password, again' },
      });
    let throttled = false;
    for (let i = 0; i < 12 && !throttled; i++) throttled = (await attempt()).body.errors?.[0].extensions?.code === 'RATE_LIMITED';
    expect(throttled).toBe(true);
    expect(await scrape()).toMatch(/^collegia_login_throttled_total [1-9]\d*$/m);
  });
});
