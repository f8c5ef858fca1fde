import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Role } from '../../src/auth/role.js';
import { classifyError, createErrorFormatter } from '../../src/shared/error-formatter.js';
import { MembershipReason, refuse as refuseMembership } from '../../src/membership/membership.reasons.js';
import { CommonReason, ErrorCode } from '../../src/shared/errors.js';
import { runInRequestScope } from '../../src/shared/request-scope.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bad input at the HTTP layer. Each request below carries, where it can, a createCluster mutation
 * with an ADMIN token: had the server executed it, a cluster and an audit entry would appear.
 */

const BODY_LIMIT = 50_000;
const ALLOWED_ORIGIN = 'https://app.collegia.test';
const CREATE_CLUSTER = 'mutation($input: CreateClusterInput!) { createCluster(input: $input) { cluster { id slug } } }';

let app: TestApp;
let adminToken: string;
let slugCounter = 0;

const clusterInput = () => ({ name: 'Hardening', slug: `hardening-${++slugCounter}`, kind: 'CLUSTER' });
const createClusterBody = () => ({ query: CREATE_CLUSTER, variables: { input: clusterInput() } });

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } | undefined;
}

async function send(path: string, init: RequestInit & { headers?: Record<string, string> }): Promise<RawResponse> {
  const response = await fetch(`${app.url}${path}`, init);
  const text = await response.text();
  let json: RawResponse['json'];
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A POST to /graphql with the admin token and JSON content type unless overridden. */
function post(body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, ...headers },
    body,
  });
}

/** Stack frames, file positions, module paths or SQL: none may reach a client. */
const LEAK = /\bat [\w.<>$]+ \(|\bat (file|node):|node_modules|stacktrace|\.(ts|js|mjs):\d+|\bselect\b.*\bfrom\b|\brelation\b/i;

/** The response is a JSON error response with one coded error and no leak. */
function expectRefusal(res: RawResponse, code: ErrorCode, status?: number | number[]): void {
  expect(res.json).toBeDefined();
  expect(res.json!.errors?.[0]?.extensions?.code).toBe(code);
  expect(res.status).toBeLessThan(500);
  if (status !== undefined) expect([status].flat()).toContain(res.status);
  expect(res.text).not.toMatch(LEAK);
}

/** Everything a refused request must leave untouched (session.last_used_at is bookkeeping). */
async function databaseState() {
  const [row] = await app.sql(`select
      (select count(*)::int from cluster) as clusters,
      (select count(*)::int from college) as colleges,
      (select count(*)::int from account) as accounts,
      (select count(*)::int from role_assignment) as roles,
      (select count(*)::int from session) as sessions,
      (select coalesce(max(seq), 0)::int from audit_entry) as last_audit_seq,
      (select md5(coalesce(string_agg(c::text, ',' order by c.id), '')) from cluster c) as cluster_rows`);
  return row;
}

let before: Awaited<ReturnType<typeof databaseState>>;

beforeAll(async () => {
  app = await startTestApp({ env: { MAX_BODY_BYTES: String(BODY_LIMIT), CORS_ORIGINS: ALLOWED_ORIGIN } });
  adminToken = (await app.signUp({ role: Role.ADMIN })).token;
});
afterAll(async () => {
  await app?.close();
});

describe('the control request', () => {
  it('creates a cluster when well formed, so the refusals below would show if they executed', async () => {
    const start = await databaseState();
    const res = await post(JSON.stringify(createClusterBody()));
    expect(res.status).toBe(200);
    expect(res.json!.errors).toBeUndefined();
    const after = await databaseState();
    expect(after.clusters).toBe(start.clusters + 1);
    expect(after.last_audit_seq).toBeGreaterThan(start.last_audit_seq);
  });
});

describe('malformed HTTP requests are refused with a coded 4xx and change nothing', () => {
  beforeEach(async () => {
    before = await databaseState();
  });
  afterEach(async () => {
    expect(await databaseState()).toEqual(before);
  });

  it('a body that is not JSON: 400 BAD_REQUEST', async () => {
    const res = await post(JSON.stringify(createClusterBody()).slice(0, -3));
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('a text/plain POST (a CSRF-able "simple" request): 400 BAD_REQUEST', async () => {
    const res = await post(JSON.stringify(createClusterBody()), { 'content-type': 'text/plain' });
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('a form-encoded POST: 400 BAD_REQUEST', async () => {
    const res = await post(`query=${encodeURIComponent(CREATE_CLUSTER)}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('a body in a charset other than UTF-8: 415, coded BAD_REQUEST', async () => {
    const res = await post(JSON.stringify(createClusterBody()), { 'content-type': 'application/json; charset=latin1' });
    expectRefusal(res, ErrorCode.BAD_REQUEST, 415);
  });

  it('an array body (HTTP batching is off): 400 BAD_REQUEST', async () => {
    const res = await post(JSON.stringify([createClusterBody(), createClusterBody()]));
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('a JSON body that is not an object: 400 BAD_REQUEST', async () => {
    const res = await post('"mutation { logout { signedOut } }"');
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it(`a body over MAX_BODY_BYTES (${BODY_LIMIT}): 413 PAYLOAD_TOO_LARGE`, async () => {
    const body = JSON.stringify({ ...createClusterBody(), extensions: { padding: 'x'.repeat(BODY_LIMIT) } });
    const res = await post(body);
    expectRefusal(res, ErrorCode.PAYLOAD_TOO_LARGE, 413);
  });

  it('a body just under MAX_BODY_BYTES is accepted (the limit is the configured one)', async () => {
    const body = JSON.stringify({ query: '{ __typename }', extensions: { padding: 'x'.repeat(BODY_LIMIT - 100) } });
    expect(Buffer.byteLength(body)).toBeLessThan(BODY_LIMIT);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('no query at all: 400 BAD_REQUEST', async () => {
    const res = await post(JSON.stringify({ variables: { input: clusterInput() } }));
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('a query that is not a string: 400 BAD_REQUEST', async () => {
    const res = await post(JSON.stringify({ query: { createCluster: true } }));
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('variables that are not an object: 400 BAD_REQUEST', async () => {
    const res = await post(JSON.stringify({ query: CREATE_CLUSTER, variables: '{"input": 1}' }));
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('a mutation over GET: 405 (or 400), coded, not executed', async () => {
    const params = new URLSearchParams({ query: CREATE_CLUSTER, variables: JSON.stringify({ input: clusterInput() }) });
    const res = await send(`/graphql?${params.toString()}`, {
      method: 'GET',
      // The preflight header passes CSRF prevention, so the refusal is about the method.
      headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': 'true', accept: 'application/json' },
    });
    expectRefusal(res, ErrorCode.BAD_REQUEST, [405, 400]);
    expect(res.json!.errors![0].message).toMatch(/query operations/);
  });

  it('a GET without a CSRF-preventing header: 400 BAD_REQUEST', async () => {
    const res = await send(`/graphql?${new URLSearchParams({ query: '{ __typename }' }).toString()}`, { method: 'GET' });
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });

  it('an unsupported method: 405 BAD_REQUEST', async () => {
    const res = await send('/graphql', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify(createClusterBody()),
    });
    expectRefusal(res, ErrorCode.BAD_REQUEST, 405);
  });
});

describe('bad GraphQL documents are refused with a coded error and change nothing', () => {
  beforeEach(async () => {
    before = await databaseState();
  });
  afterEach(async () => {
    expect(await databaseState()).toEqual(before);
  });

  const gqlPost = (query: string, variables?: Record<string, unknown>) => post(JSON.stringify({ query, variables }));

  it('an unknown field: 400 GRAPHQL_VALIDATION_FAILED naming the field', async () => {
    const res = await gqlPost(
      'mutation { createCluster(input: { name: "X", slug: "unknown-field", kind: CLUSTER }) { cluster { id } } nope }',
    );
    expectRefusal(res, ErrorCode.GRAPHQL_VALIDATION_FAILED, 400);
    expect(res.json!.errors![0].message).toMatch(/nope/);
  });

  it('a syntax error: 400 GRAPHQL_PARSE_FAILED', async () => {
    const res = await gqlPost('mutation { createCluster(input: { name: "X" ');
    expectRefusal(res, ErrorCode.GRAPHQL_PARSE_FAILED, 400);
    expect(res.json!.errors![0].message).toMatch(/Syntax Error/);
  });

  it('a query deeper than the depth limit (10): 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const depth = (n: number): string => (n === 0 ? 'name' : `parent { ${depth(n - 1)} }`);
    const ok = await gqlPost(`{ clusters { ${depth(8)} } }`);
    expect(ok.json!.errors).toBeUndefined();
    const res = await gqlPost(`{ clusters { ${depth(11)} } }`);
    expectRefusal(res, ErrorCode.GRAPHQL_VALIDATION_FAILED, 400);
    expect(res.json!.errors![0].message).toBe('Query depth limit of 10 exceeded, found 13.');
    expect(res.json!.data).toBeUndefined();
  });

  it('more aliases than the alias limit (15): 400 GRAPHQL_VALIDATION_FAILED, no mutation run', async () => {
    const aliased = Array.from(
      { length: 16 },
      (_, i) => `c${i}: createCluster(input: { name: "Alias ${i}", slug: "alias-${i}", kind: CLUSTER }) { cluster { id } }`,
    );
    const res = await gqlPost(`mutation { ${aliased.join(' ')} }`);
    expectRefusal(res, ErrorCode.GRAPHQL_VALIDATION_FAILED, 400);
    expect(res.json!.errors![0].message).toBe('Aliases limit of 15 exceeded, found 16.');
  });

  it('a query over the cost limit: 400 GRAPHQL_VALIDATION_FAILED, saying the cost, the limit and what to do', async () => {
    const cheap = await startTestApp({ env: { GRAPHQL_MAX_COST: '10' } });
    try {
      const res = await cheap.gql('{ clusters { name slug colleges { name theme } parent { name slug } } }');
      expect(res.status).toBe(400);
      // 1 + 10 × (2 + 1 + 10 × 2 + 1 + 2): a list without `first` counts 10.
      expect(res.body.errors![0].extensions).toEqual({
        code: ErrorCode.GRAPHQL_VALIDATION_FAILED,
        reason: CommonReason.QUERY_TOO_COSTLY,
        cost: 261,
        maxCost: 10,
      });
      expect(res.body.errors![0].message).toBe(
        'This query could return about 261 values, above the limit of 10: ask for smaller pages (`first`) or fewer nested lists, or split it into several queries.',
      );
      expect((await cheap.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await cheap.close();
    }
  });

  it('a document over the parser token limit (2000): 400 GRAPHQL_PARSE_FAILED, not 500', async () => {
    const res = await gqlPost(
      `mutation { createCluster(input: { name: "T", slug: "tokens", kind: CLUSTER }) { cluster { ${'id '.repeat(2100)} } } }`,
    );
    expectRefusal(res, ErrorCode.GRAPHQL_PARSE_FAILED, 400);
    expect(res.json!.errors![0].message).toMatch(/token/i);
  });

  it('a variable of the wrong type: 400 BAD_USER_INPUT', async () => {
    const res = await gqlPost(CREATE_CLUSTER, { input: { name: 12, slug: ['a'], kind: 'NOT_A_KIND' } });
    expectRefusal(res, ErrorCode.BAD_USER_INPUT, 400);
    expect(res.json!.errors![0].message).toMatch(/\$input/);
  });

  it('a missing required variable: 400 BAD_USER_INPUT', async () => {
    const res = await gqlPost(CREATE_CLUSTER, {});
    expectRefusal(res, ErrorCode.BAD_USER_INPUT, 400);
  });

  it('a custom scalar variable that does not parse: 400 BAD_USER_INPUT, not 500', async () => {
    // A scalar's parseValue throws a plain TypeError, which graphql-js wraps; it is still the input's fault.
    const res = await gqlPost('query($id: ID) { cluster(id: $id) { name } }', { id: { not: 'an id' } });
    expectRefusal(res, ErrorCode.BAD_USER_INPUT, 400);
  });

  it('several operations and no operationName: 400 BAD_REQUEST', async () => {
    const res = await gqlPost(`query A { __typename } ${CREATE_CLUSTER.replace('mutation(', 'mutation B(')}`, { input: clusterInput() });
    expectRefusal(res, ErrorCode.BAD_REQUEST, 400);
  });
});

describe('security headers', () => {
  it.each(['/healthz', '/graphql'])('%s carries helmet headers and no x-powered-by', async (path) => {
    const res =
      path === '/graphql'
        ? await send(path, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
          })
        : await send(path, { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const kept = await send('/healthz', { method: 'GET', headers: { 'x-request-id': 'trace-123.abc' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123.abc');
    const replaced = await send('/healthz', { method: 'GET', headers: { 'x-request-id': 'bad id <script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    send('/graphql', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });

  it('an origin listed in CORS_ORIGINS may call the API', async () => {
    const pre = await preflight(ALLOWED_ORIGIN);
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const res = await send('/graphql', {
      method: 'POST',
      headers: { origin: ALLOWED_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('another origin gets no access-control-allow-origin', async () => {
    const other = 'https://evil.example';
    const pre = await preflight(other);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    const res = await send('/graphql', {
      method: 'POST',
      headers: { origin: other, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('introspection', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';
  const TYPE = '{ __type(name: "Cluster") { name } }';

  it('works in the test environment', async () => {
    const res = await app.gql(INTROSPECT);
    expect(res.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('is refused in production (GRAPHQL_VALIDATION_FAILED), unless GRAPHQL_INTROSPECTION=true', async () => {
    const production = await startTestApp({ env: { NODE_ENV: 'production' } });
    try {
      for (const query of [INTROSPECT, TYPE]) {
        const res = await production.gql(query);
        expect(res.status).toBe(400);
        expect(res.body.errors![0].extensions!.code).toBe(ErrorCode.GRAPHQL_VALIDATION_FAILED);
        expect(res.body.data).toBeUndefined();
      }
      // Ordinary queries still work; only the schema is hidden.
      expect((await production.gql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await production.close();
    }
    const opened = await startTestApp({ env: { NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' } });
    try {
      expect((await opened.gql(INTROSPECT)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    } finally {
      await opened.close();
    }
  });
});

describe('unexpected errors', () => {
  it('a real database failure: INTERNAL_SERVER_ERROR quoting the request id, nothing else', async () => {
    await app.sql('alter table cluster rename to cluster_moved');
    let res;
    try {
      res = await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ clusters { name } }' }),
      });
    } finally {
      await app.sql('alter table cluster_moved rename to cluster');
    }
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    expect(res.json!.data).toBeNull();
    expect(res.json!.errors).toHaveLength(1);
    const [error] = res.json!.errors!;
    expect(error.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR, reason: CommonReason.INTERNAL, requestId });
    expect(error.message).toContain(requestId);
    expect(error.message).not.toMatch(/cluster_moved|select|relation|exist/i);
    expect(res.text).not.toMatch(LEAK);
    expect(res.text).not.toContain('cluster_moved');
  });

  it('a caller-supplied X-Request-Id is the one quoted', async () => {
    await app.sql('alter table cluster rename to cluster_moved');
    let res;
    try {
      res = await send('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'support-ticket-42' },
        body: JSON.stringify({ query: '{ clusters { name } }' }),
      });
    } finally {
      await app.sql('alter table cluster_moved rename to cluster');
    }
    expect(res.json!.errors![0].extensions).toEqual({
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      reason: CommonReason.INTERNAL,
      requestId: 'support-ticket-42',
    });
  });

  it('the database being back means service is back', async () => {
    const res = await app.gql('{ clusters { slug } }');
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.clusters.map((c: { slug: string }) => c.slug)).toContain('hardening-1');
  });
});

describe('classifyError and createErrorFormatter', () => {
  const silent = pino({ level: 'silent' });

  it('keeps the code, message and details of a domain refusal', () => {
    const format = createErrorFormatter(silent);
    const formatted = format(
      { message: 'raw' },
      refuseMembership(MembershipReason.APPLICATION_ALREADY_DECIDED, 'Decided.', { currentState: 'APPROVED' }),
    );
    expect(formatted).toEqual({
      message: 'Decided.',
      extensions: { code: ErrorCode.CONFLICT, reason: MembershipReason.APPLICATION_ALREADY_DECIDED, currentState: 'APPROVED' },
    });
  });

  it('maps a database unique violation to CONFLICT without its SQL', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "cluster_slug_unique"'), { code: '23505' });
    const known = classifyError(new UniqueConstraintViolationException(driverError));
    expect(known).toEqual({
      code: ErrorCode.CONFLICT,
      reason: CommonReason.DUPLICATE,
      message: expect.not.stringContaining('cluster_slug_unique'),
    });
  });

  it('hides an unknown error behind INTERNAL_SERVER_ERROR with the request id, and logs it', () => {
    const logged: unknown[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const format = createErrorFormatter(logger);
    const secret = new Error('password authentication failed for user "collegia" at 10.0.0.5');
    const formatted = runInRequestScope({ requestId: 'req-1', clientAddress: '127.0.0.1' }, () =>
      format({ message: secret.message, path: ['clusters'], extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['...'] } }, secret),
    );
    expect(formatted.extensions).toEqual({ code: ErrorCode.INTERNAL_SERVER_ERROR, reason: CommonReason.INTERNAL, requestId: 'req-1' });
    expect(formatted.message).not.toContain('password');
    expect(formatted.path).toEqual(['clusters']);
    expect(logged).toEqual([expect.objectContaining({ requestId: 'req-1', err: expect.objectContaining({ message: secret.message }) })]);
  });

  it('keeps the code Apollo gave a framework error rather than that of its cause', () => {
    const parseError = new GraphQLError('Syntax Error: Expected Name, found <EOF>.');
    const wrapped = new GraphQLError(parseError.message, { originalError: parseError, extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(classifyError(wrapped)?.code).toBe(ErrorCode.GRAPHQL_PARSE_FAILED);
  });

  it('hides a context-creation failure that has no code of its own', () => {
    const wrapped = new GraphQLError('Context creation failed: connect ECONNREFUSED 10.0.0.5:5432', {
      originalError: new Error('connect ECONNREFUSED'),
    });
    expect(classifyError(wrapped)).toBeUndefined();
  });
});

describe('health and unknown routes', () => {
  it('/healthz answers 200 JSON', async () => {
    const res = await send('/healthz', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('/readyz answers 200 JSON with no pending migration', async () => {
    const res = await send('/readyz', { method: 'GET' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ status: 'ready', database: 'up', pendingMigrations: [] });
  });

  it('an unknown route answers 404 JSON coded NOT_FOUND', async () => {
    const res = await send('/nowhere?x=1', { method: 'GET' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expectRefusal(res, ErrorCode.NOT_FOUND, 404);
    expect(res.json!.errors![0].extensions!.requestId).toBe(res.headers.get('x-request-id'));
  });
});
