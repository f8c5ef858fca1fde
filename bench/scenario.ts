import type { RequestHandler } from 'express';
import type pg from 'pg';

/** One HTTP request: replayed as is by every autocannon connection, unless the scenario varies it (`Loaded.next`). */
export interface BenchRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A benchmark scenario: data to load, a GraphQL request to drive against the real app, and a
 * raw baseline (express + `pg`, same SQL) that answers with the same JSON.
 * Add one by writing a module in bench/scenarios/ and listing it in bench/scenarios/index.ts.
 */
export interface Scenario {
  /** Short name, used on the command line (`npm run bench -- <name>`) and in the database name. */
  name: string;
  /** One line shown above the results. */
  description: string;
  /**
   * Inserts the scenario's data into `databaseUrl`, whose schema the app has just migrated.
   * The database is fresh and used by this scenario only.
   */
  load(databaseUrl: string, run: RunSettings): Promise<Loaded | void>;
  /** Concurrent connections when `BENCH_CONNECTIONS` is not set (default: 10). */
  connections?: number;
  /**
   * For answers that differ on every request (e.g. a fresh receipt in each): what of an answer
   * must be the same for both targets and for every measured response — e.g. the answer with its
   * receipt replaced by a description of its format. Without it, every response must be
   * byte-for-byte the first one.
   */
  comparable?(answer: unknown): unknown;
  /**
   * Runs once after both targets were measured, the app still up: further measurements (e.g. the
   * time of one mutation over the data the runs left), returned as lines printed under the table.
   */
  afterRun?(app: { url: string; databaseUrl: string }): Promise<string[]>;
  /** The GraphQL operation driven against POST /graphql. */
  graphql: { query: string; variables?: Record<string, unknown> };
  /** The baseline: a route of a bare express app running the same SQL with `pg` directly. */
  raw: {
    method: 'GET' | 'POST';
    path: string;
    /** Builds the route's handler; `pool` holds up to 10 connections, like the app's ORM pool. */
    handler(pool: pg.Pool): RequestHandler;
  };
}

/** What a scenario's data load decides about the requests: ids it created, a bearer token. */
export interface Loaded {
  /** Merged over `graphql.variables`. */
  variables?: Record<string, unknown>;
  /** Extra headers of the GraphQL request (e.g. `authorization`). */
  headers?: Record<string, string>;
  /** The baseline's request path, when `raw.path` has route parameters. */
  rawPath?: string;
  /**
   * For requests that can't be replayed (a ballot is cast once per voter): called for every
   * request sent to `target` — the check, the warm-up, the measured run — it returns what changes
   * from one request to the next, merged over the above (headers over headers, variables over
   * variables). Throw when the data runs out: the run stops and fails.
   */
  next?: (target: Target) => Pick<Loaded, 'variables' | 'headers' | 'rawPath'>;
}

/** Which server a request goes to. */
export type Target = 'graphql' | 'raw';

/** How long and how wide the runs are, for scenarios whose data is used up by the requests. */
export interface RunSettings {
  durationS: number;
  warmupS: number;
  connections: number;
}

/** The GraphQL request of a scenario, as sent by the harness. */
export function graphqlRequest(scenario: Scenario, loaded: Loaded = {}): BenchRequest {
  return {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', ...loaded.headers },
    body: JSON.stringify({ query: scenario.graphql.query, variables: { ...scenario.graphql.variables, ...loaded.variables } }),
  };
}

/** The baseline request of a scenario, as sent by the harness. */
export function rawRequest(scenario: Scenario, loaded: Loaded = {}): BenchRequest {
  // The same credentials as the GraphQL request: a baseline answers the same caller.
  return { method: scenario.raw.method, path: loaded.rawPath ?? scenario.raw.path, headers: { ...loaded.headers } };
}

/**
 * A target's requests, one per call: the same one every time, or — when the scenario varies its
 * requests (`Loaded.next`) — a new one each time. `varies` says which.
 */
export function requestSource(scenario: Scenario, loaded: Loaded, target: Target): { varies: boolean; next(): BenchRequest } {
  const build = (l: Loaded) => (target === 'graphql' ? graphqlRequest(scenario, l) : rawRequest(scenario, l));
  const vary = loaded.next;
  if (!vary) {
    const request = build(loaded);
    return { varies: false, next: () => request };
  }
  return {
    varies: true,
    next: () => {
      const change = vary(target);
      return build({
        ...loaded,
        variables: { ...loaded.variables, ...change.variables },
        headers: { ...loaded.headers, ...change.headers },
        rawPath: change.rawPath ?? loaded.rawPath,
      });
    },
  };
}

/**
 * Wraps an async baseline handler: an error answers 500 (counted as non-2xx by the harness)
 * instead of leaving the request hanging.
 */
export function rawHandler(run: (req: Parameters<RequestHandler>[0]) => Promise<unknown>): RequestHandler {
  return (req, res) => {
    run(req).then(
      (body) => res.json(body),
      (error: unknown) => res.status(500).json({ errors: [{ message: String(error) }] }),
    );
  };
}

/** Inserts the cluster FrenchSouth.digital (ACTIVE, Occitanie) in the client's transaction; returns its id. */
export async function insertFrenchSouthDigital(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    `insert into cluster (id, created_at, updated_at, name, slug, kind, status, region)
     values (gen_random_uuid(), now(), now(), 'FrenchSouth.digital', 'frenchsouth-digital', 'CLUSTER', 'ACTIVE', 'Occitanie') returning id`,
  );
  return rows[0].id;
}
