import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { createApp, type CollegiaApp, type CreateAppOptions } from '../../src/app.js';
import { trustedScope } from '../../src/auth/domain-service.js';
import { clusterScope, collegeScope, GLOBAL } from '../../src/auth/permissions.js';
import { Role } from '../../src/auth/role.js';
import { loadConfig } from '../../src/config.js';
import { withDatabase } from '../../src/database/embedded-postgres.js';
import { seedDemoIfEmpty } from '../../src/database/database.js';
import { createServices, type Services } from '../../src/services.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[] };
}

/** A movable clock: tests jump in time instead of waiting. */
export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface TestApp {
  collegia: CollegiaApp;
  url: string;
  graphqlUrl: string;
  databaseUrl: string;
  clock: TestClock;
  /** SQL statements run since the last `resetSqlCount()`. */
  sqlCount(): number;
  resetSqlCount(): void;
  /** POSTs a GraphQL operation over real HTTP. */
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { token?: string; headers?: Record<string, string> },
  ): Promise<GraphQLResponse<T>>;
  /** Services acting as the system (no account), or as `accountId`, for arranging data. */
  services(accountId?: string): Services;
  /** A raw SQL client on this file's database. */
  sql<R extends Record<string, any> = Record<string, any>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Registers an account, its email verified, optionally grants it a role, signs it in; returns its id and token. */
  signUp(options?: {
    role?: Role;
    clusterId?: string;
    collegeId?: string;
    email?: string;
  }): Promise<{ accountId: string; token: string; email: string }>;
  seedDemo(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the real app on a database of its own (a clone of the migrated template), listening
 * on a free loopback port. Nothing is mocked: HTTP, Apollo, MikroORM, PostgreSQL, argon2.
 */
export async function startTestApp(options: { env?: Record<string, string>; app?: Partial<CreateAppOptions> } = {}): Promise<TestApp> {
  const serverUrl = process.env.COLLEGIA_TEST_SERVER_URL;
  const template = process.env.COLLEGIA_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('tests/support/global-setup.ts did not run');
  const name = `collegia_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}"`);
  await admin.end();
  const databaseUrl = withDatabase(serverUrl, name);

  let statements = 0;
  const clock = new TestClock();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...options.env });
  const collegia = await createApp({
    config,
    clock: clock.now,
    ormExtra: {
      preferTs: true,
      debug: ['query'],
      logger: () => {
        statements += 1;
      },
    },
    ...options.app,
  });
  const server: Server = await new Promise((resolve) => {
    const s = collegia.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  // An idle connection that dies (the database dropped while a connection still closes) must not
  // crash the test file with an unhandled 'error' event; a query on it fails, with its error.
  db.on('error', () => {});

  const testApp: TestApp = {
    collegia,
    url,
    graphqlUrl: `${url}/graphql`,
    databaseUrl,
    clock,
    sqlCount: () => statements,
    resetSqlCount: () => {
      statements = 0;
    },
    async gql(query, variables, requestOptions = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...requestOptions.headers };
      if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<never>['body'] };
    },
    services: (accountId?: string) =>
      createServices(trustedScope(collegia.orm.em.fork(), collegia.deps.audit, collegia.deps.clock, accountId ?? null), collegia.deps),
    async sql(text, params) {
      return (await db.query(text, params as unknown[])).rows;
    },
    async signUp(signUpOptions = {}) {
      const email = signUpOptions.email ?? `user-${randomBytes(5).toString('hex')}@example.test`;
      const services = testApp.services();
      const account = await services.auth.register({ email, password: TEST_PASSWORD, displayName: email }, { verified: true });
      if (signUpOptions.role === Role.COLLEGE_REPRESENTATIVE) {
        // The right follows an elected representative's mandate, as in production.
        await services.representatives.appoint({ collegeId: signUpOptions.collegeId!, accountId: account.id });
      } else if (signUpOptions.role) {
        const { role, clusterId, collegeId } = signUpOptions;
        const scope = role === Role.ADMIN ? GLOBAL : collegeId ? collegeScope(clusterId!, collegeId) : clusterScope(clusterId!);
        await services.roles.grant({ accountId: account.id, role, clusterId, collegeId }, scope);
      }
      const login = await testApp.services().auth.login({ email, password: TEST_PASSWORD }, { address: 'test-setup', userAgent: null });
      return { accountId: account.id, token: login.token, email };
    },
    async seedDemo() {
      await seedDemoIfEmpty(collegia.orm, collegia.deps.logger);
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await collegia.close();
      await db.end();
      await dropTestDatabase(serverUrl, name);
    },
  };
  return testApp;
}

/**
 * Drops a test file's database once its connections have gone. Pools resolve `end()` before
 * their connections' backends have exited; forcing the drop at once would terminate those
 * backends, and a client still closing would receive the FATAL message as an error event.
 * After 5 s, the drop is forced.
 */
async function dropTestDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (let waited = 0; waited < 5_000; waited += 20) {
      const { rowCount } = await client.query('select 1 from pg_stat_activity where datname = $1', [name]);
      if (!rowCount) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}

/** The `extensions.code` of each error of a response. */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.body.errors ?? []).map((error) => String(error.extensions?.code));
}
