import pg from 'pg';
import { startTestApp, type TestApp } from './test-app.js';

/**
 * Idle connections die: PostgreSQL restarts, an administrator terminates them, or — as happened
 * in CI — a test file's database is dropped while its pool's connections are still closing. A
 * pool without an 'error' listener turns that into an unhandled 'error' event that fails the
 * whole file (or crashes the server). Neither the app's pool nor the tests' SQL client may.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

it('keeps serving, and the tests’ SQL client keeps working, after their idle connections are terminated', async () => {
  // Open connections in both pools, then leave them idle.
  await Promise.all([app.sql('select pg_sleep(0.01)'), app.sql('select pg_sleep(0.01)')]);
  expect((await app.gql('{ clusters { id } }')).status).toBe(200);

  const admin = new pg.Client({ connectionString: app.databaseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ terminated: boolean }>(
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.terminated)).toBe(true);
  } finally {
    await admin.end();
  }
  // Let the FATAL messages arrive at the idle clients.
  await new Promise((resolve) => setTimeout(resolve, 200));

  expect(await app.sql('select 1 as one')).toEqual([{ one: 1 }]);
  const response = await app.gql('{ clusters { id } }');
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
});
