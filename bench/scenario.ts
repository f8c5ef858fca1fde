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
   * The database is fresh and used by this scenario (at this size) only. `size` is one of
   * `sizes` (undefined for a scenario that declares none); `ANALYZE` what you load.
   */
  load(databaseUrl: string, run: RunSettings, size?: number): Promise<Loaded | void>;
  /**
   * Optional: the data sizes to run (e.g. `[2_000, 200_000]` organisations), smallest first. The
   * harness runs the whole scenario once per size — a fresh database, a fresh app and baseline,
   * all its rounds — and passes the size to `load` (and to `raw.handler`). `BENCH_SIZES`
   * (comma-separated numbers) replaces them for a run. Without it: one run, `size` undefined.
   */
  sizes?: readonly number[];
  /** Optional: what `size` counts, for the output (e.g. 'organisations'). */
  sizeUnit?: string;
  /**
   * Optional reference points measured in the same rounds as the API and the baseline, each
   * in its own leg (e.g. a bare Apollo Server, the app's `{ __typename }`): see `Anchor`.
   */
  anchors?: readonly Anchor[];
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
  afterRun?(app: { url: string; databaseUrl: string; size?: number; results: RunResults }): Promise<string[]>;
  /** The GraphQL operation driven against POST /graphql. */
  graphql: { query: string; variables?: Record<string, unknown> };
  /** The baseline: a route of a bare express app running the same SQL with `pg` directly. */
  raw: {
    method: 'GET' | 'POST';
    path: string;
    /**
     * Builds the route's handler; `pool` holds up to 10 connections, like the app's ORM pool.
     * `size`: the run's data size (see `sizes`). Runs in the baseline's own process: state set
     * by `load` (in the harness's process) reaches it only through the request (e.g. `rawPath`).
     */
    handler(pool: pg.Pool, size?: number): RequestHandler;
  };
}

/**
 * A further target measured in every round, with the API and the baseline (its order rotated
 * with theirs), e.g. to compare the app's own overhead with a bare framework's. Its requests are
 * replayed as is (no `Loaded.next`), and every answer must be its first one, which must be a
 * 200 without GraphQL `errors`.
 */
export interface Anchor {
  /** Its name in the output, e.g. 'bare apollo'. Unique within the scenario. */
  name: string;
  /**
   * Where it runs: `graphql`, another operation of the app itself (POST /graphql, with the
   * `Loaded` headers unless `headers` replaces them); `raw`, another route of the baseline's
   * express app (its own method and path; its handler may be built asynchronously).
   */
  on: 'graphql' | 'raw';
  /** The operation: for `on: 'graphql'`, required; for `on: 'raw'`, optional, sent as the POST body. */
  graphql?: { query: string; variables?: Record<string, unknown> };
  /** For `on: 'graphql'`: the request's headers instead of the `Loaded` ones (e.g. `{}`: anonymous). */
  headers?: Record<string, string>;
  raw?: {
    method: 'GET' | 'POST';
    path: string;
    handler(pool: pg.Pool, size?: number): RequestHandler | Promise<RequestHandler>;
  };
  /**
   * The target its req/s is divided by in the per-round ratios: 'graphql' (the API), 'raw' (the
   * baseline) or another anchor's name; by default none (printed, not compared).
   */
  versus?: string;
}

/** What the rounds measured, for `afterRun`: per target (label), the median over the rounds. */
export interface RunResults {
  /** 'graphql', 'raw', then each anchor's name → its median req/s over the rounds. */
  medianReqPerSec: Record<string, number>;
  /** The same for the server's CPU per request (µs), where it could be read. */
  medianCpuUsPerRequest: Record<string, number | null>;
  rounds: number;
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
  /** Measured seconds per leg. */
  durationS: number;
  /** Warm-up seconds before each leg (not measured). */
  warmupS: number;
  connections: number;
  /** Rounds: each target is driven once per round (warm-up + measured run), so `rounds` times in all. */
  rounds: number;
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

/** An anchor's request, as sent by the harness (replayed as is). */
export function anchorRequest(scenario: Scenario, anchor: Anchor, loaded: Loaded = {}): BenchRequest {
  if (anchor.on === 'graphql') {
    if (!anchor.graphql) throw new Error(`${scenario.name}: anchor "${anchor.name}" runs on graphql but has no \`graphql\``);
    return {
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', ...(anchor.headers ?? loaded.headers) },
      body: JSON.stringify({ query: anchor.graphql.query, variables: { ...anchor.graphql.variables } }),
    };
  }
  if (!anchor.raw) throw new Error(`${scenario.name}: anchor "${anchor.name}" runs on raw but has no \`raw\``);
  // A raw route answering GraphQL (e.g. a bare Apollo Server) gets the anchor's operation as its body.
  const body = anchor.graphql
    ? JSON.stringify({ query: anchor.graphql.query, variables: { ...anchor.graphql.variables } })
    : anchor.raw.method === 'POST'
      ? '{}'
      : undefined;
  return {
    method: anchor.raw.method,
    path: anchor.raw.path,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(anchor.headers ?? loaded.headers) },
    body,
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
