import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { MikroORM, Options } from '@mikro-orm/postgresql';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { GraphQLError, Kind, type ValidationContext } from 'graphql';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AuditService } from './audit/audit.service.js';
import { viewerFromAuthorization } from './auth/bearer.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { PasswordHasher } from './auth/password.js';
import type { Viewer } from './auth/permissions.js';
import type { AppConfig } from './config.js';
import { openDatabase, pendingMigrations, type Database } from './database/database.js';
import { financeExportRouter } from './http/finance-exports.js';
import { minutesExportRouter } from './http/minutes-export.js';
import { meetingMinutesExportRouter } from './http/meeting-minutes-export.js';
import { membersExportRouter } from './http/members-export.js';
import { buildGraphQLSchema } from './schema.js';
import { OpenedParties } from './governance/opened-parties.js';
import { authenticator, createServices, requestScope, type AppDeps, type Context } from './services.js';
import { createErrorFormatter } from './shared/error-formatter.js';
import { AppError, COMMON_REASONS, CommonReason, ErrorCode, Refusal } from './shared/errors.js';
import { operationCost } from './shared/query-cost.js';
import { Metrics } from './metrics.js';
import { explorerRouter } from './shared/explorer.js';
import { refuseIllFormedStrings } from './http/well-formed-strings.js';
import { staticHeaders } from './http/static-headers.js';
import { createLogger } from './shared/logger.js';
import { runInRequestScope } from './shared/request-scope.js';
import { LinkTokens } from './auth/link-tokens.js';
import { DEFAULT_DELIVERY, DeliveryWorker } from './notification/delivery-worker.js';
import { createMailTransport, type MailTransport } from './notification/mail-transport.js';
import { Scheduler } from './notification/scheduler.js';
import { SCHEDULED_JOBS } from './scheduled-jobs.js';

export const GRAPHQL_PATH = '/graphql';

export interface CreateAppOptions {
  config: AppConfig;
  logger?: Logger;
  /** The time source of every rule that depends on time (tests move it). */
  clock?: () => Date;
  /** Extra ORM options (tests count SQL statements through a logger). */
  ormExtra?: Partial<Options>;
  /** Password hashing parameters (tests exercise the rehash-on-login path). */
  hasher?: PasswordHasher;
  /** The secrets of single-use links (tests share one between two instances). */
  linkTokens?: LinkTokens;
  /** Called if the embedded PostgreSQL dies: `main.ts` exits so that a supervisor restarts the app. */
  onDatabaseLost?: (exit: { code: number | null; signal: NodeJS.Signals | null }) => void;
}

export interface CollegiaApp {
  app: Express;
  orm: MikroORM;
  database: Database;
  deps: AppDeps;
  /**
   * From now on every response says `Connection: close`, so a client's keep-alive connection
   * closes after its request in flight instead of carrying more (called when shutting down).
   */
  beginDrain(): void;
  /** The outbox's delivery worker and the deadline jobs' scheduler (started when configured). */
  notifications: { worker: DeliveryWorker; scheduler: Scheduler; transport: MailTransport };
  /** Stops the worker and the scheduler, Apollo, closes the pool and stops the embedded database, in that order. */
  close(): Promise<void>;
}

declare module 'http' {
  interface IncomingMessage {
    requestId?: string;
  }
}

/** A request id from a well-formed X-Request-Id header, or a new one. */
function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(header) ? header : randomUUID();
}

/**
 * graphql-armor's rules throw their rejection out of `validate()` by default, which Apollo answers
 * with a 500; reported as validation errors they get a 400 GRAPHQL_VALIDATION_FAILED. Armor
 * prefixes its messages with "Syntax Error: ", which they are not.
 */
const reportArmorRejection = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => {
      // Rules always run with a context; without one, refusing loudly beats letting the document through.
      if (!context) throw error;
      context.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
    },
  ],
};

/**
 * Every GraphQL response says `Cache-Control: no-store`, as Apollo's cache-control plugin says
 * for a schema without cache hints (it computes max-age 0 for every root field). That plugin is
 * installed by default and hooks `willResolveField` on every field of every row, which makes
 * Apollo wrap every resolver of the schema: per-row work for a header that never changes. It is
 * disabled and the header set once per response instead. Add cache hints? Remove both.
 */
const noStorePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (!response.http.headers.has('cache-control')) response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/** A refusal of the HTTP layer itself, shaped as the API's errors are: code, reason, request id. */
/**
 * Refuses an operation whose answer could hold more than `maxCost` values (`operationCost`),
 * once its variables are known (a page size given as `$first` counts as given). The refusal says
 * the computed cost, the limit and what to do.
 */
function costLimitPlugin(maxCost: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
          );
          const cost = operationCost(schema, operation, fragments, request.variables ?? {});
          if (cost <= maxCost) return;
          const message = `This query could return about ${cost} values, above the limit of ${maxCost}: ask for smaller pages (\`first\`) or fewer nested lists, or split it into several queries.`;
          throw new GraphQLError(message, {
            originalError: new Refusal(ErrorCode.GRAPHQL_VALIDATION_FAILED, CommonReason.QUERY_TOO_COSTLY, message, { cost, maxCost }),
            extensions: { http: { status: 400 } },
          });
        },
      };
    },
  };
}

function httpError(res: express.Response, status: number, reason: CommonReason, message: string, requestId?: string) {
  const extensions = { code: COMMON_REASONS[reason].code, reason, ...(requestId ? { requestId } : {}) };
  res.status(status).json({ errors: [{ message, extensions }] });
}

/**
 * Builds the whole application without listening: ORM, schema, express and Apollo.
 * `main.ts` listens; tests call this and talk to it over HTTP.
 */
export async function createApp(options: CreateAppOptions): Promise<CollegiaApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? (() => new Date());
  const database = await openDatabase(config, logger, options.ormExtra, options.onDatabaseLost);
  const { orm } = database;

  const deps: AppDeps = {
    config,
    logger,
    clock,
    audit: new AuditService(clock),
    hasher: options.hasher ?? new PasswordHasher(),
    throttle: new LoginThrottle(() => clock().getTime()),
    openedParties: new OpenedParties(),
    linkTokens: options.linkTokens ?? LinkTokens.fromEnvironment(),
  };

  const transport = createMailTransport({ smtpUrl: config.mail.smtpUrl, from: config.mail.from, mailDir: config.mail.dir });
  const worker = new DeliveryWorker(
    orm,
    transport,
    { link: (path) => `${config.mail.publicUrl}/${path}`, revealToken: (tokenId) => deps.linkTokens.secretOf(tokenId) },
    clock,
    logger,
    { ...DEFAULT_DELIVERY, pollMs: config.mail.pollMs, maxAttempts: config.mail.maxAttempts },
  );
  const scheduler = new Scheduler(orm, SCHEDULED_JOBS, clock, logger, { tickMs: 60_000, dailyHour: config.mail.dailyHour });
  if (config.mail.worker) worker.start();
  if (config.mail.scheduler) scheduler.start();

  // Off unless METRICS_TOKEN is set: then every request pays for its timing, and /metrics answers.
  const metrics = config.metricsToken ? new Metrics(() => orm.em.getConnection().getNativeClient()) : null;

  const apollo = new ApolloServer<Context>({
    schema: await buildGraphQLSchema(),
    // Apollo's own warnings and errors go to the structured, redacted log, not to the console.
    logger,
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    // Apollo indents every response (two spaces a level) by default: bigger bodies, more CPU, read by programs.
    stringifyResult: (result) => JSON.stringify(result),
    formatError: createErrorFormatter(logger),
    // graphql-armor's token-limit plugin turns syntax errors into HTTP 500; the parser's own limit does not.
    parseOptions: { maxTokens: config.limits.maxTokens },
    validationRules: [
      maxDepthRule({ n: config.limits.maxDepth, ignoreIntrospection: true, ...reportArmorRejection }),
      maxAliasesRule({ n: config.limits.maxAliases, ...reportArmorRejection }),
    ],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin,
      costLimitPlugin(config.limits.maxCost),
      ...(metrics ? [metrics.plugin() as ApolloServerPlugin<Context>] : []),
    ],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // Answers are POSTed GraphQL results and no-store downloads: an ETag (a hash of every body) would serve no one.
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);

  // Checked once: at a level above info (e.g. silent) no request is logged, so no request pays for a listener.
  const logRequests = logger.isLevelEnabled('info');
  const assignRequestId: RequestHandler = (req, res, next) => {
    req.requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('X-Request-Id', req.requestId);
    if (!logRequests) return next();
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          requestId: req.requestId,
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
  let draining = false;
  app.use((_req, res, next) => {
    if (draining) res.setHeader('Connection', 'close');
    next();
  });
  app.use(assignRequestId);
  app.use(staticHeaders(helmet(), 'helmet'));
  // No origin allowed (the default): no CORS header to compute, so no middleware (cors would only call next()).
  if (config.corsOrigins.length) app.use(cors({ origin: config.corsOrigins, maxAge: 600 }));

  // Alive means able to serve: an embedded PostgreSQL that died makes the process useless.
  app.get('/healthz', (_req, res) => {
    if (database.embedded && !database.embedded.alive()) res.status(503).json({ status: 'embedded database down' });
    else res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.fork().execute('select 1');
      const pending = await pendingMigrations(orm);
      const ready = pending.length === 0;
      res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'migrations pending', database: 'up', pendingMigrations: pending });
    } catch (error) {
      logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable', database: 'down' });
    }
  });

  if (metrics && config.metricsToken) app.get('/metrics', metrics.handler(config.metricsToken));
  if (config.explorer) app.use(explorerRouter(GRAPHQL_PATH));
  app.use(membersExportRouter(orm, deps));
  app.use(financeExportRouter(orm, deps));
  app.use(minutesExportRouter(orm, deps));
  app.use(meetingMinutesExportRouter(orm, deps));

  app.use(
    GRAPHQL_PATH,
    express.json({ limit: config.limits.bodyBytes }),
    refuseIllFormedStrings,
    // Set after body parsing: stream callbacks would otherwise lose the async context.
    (req, _res, next) => runInRequestScope({ requestId: req.requestId!, clientAddress: req.ip ?? 'unknown' }, next),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<Context> => {
        const em = orm.em.fork();
        const requestId = req.requestId!;
        const viewer = await authenticate(req.headers.authorization, em, deps);
        const actor = { accountId: viewer?.accountId ?? null, requestId };
        return {
          em,
          requestId,
          clientAddress: req.ip ?? 'unknown',
          userAgent: req.headers['user-agent'] ?? null,
          viewer,
          actor,
          services: createServices(requestScope(em, actor, viewer, deps), deps),
        };
      },
    }),
  );

  app.use((req, res) => httpError(res, 404, CommonReason.NOT_FOUND, `Nothing at ${req.method} ${req.path}.`, req.requestId));

  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      return httpError(
        res,
        413,
        CommonReason.PAYLOAD_TOO_LARGE,
        `The request body exceeds ${config.limits.bodyBytes} bytes.`,
        req.requestId,
      );
    }
    if (type === 'entity.parse.failed') {
      return httpError(res, 400, CommonReason.REQUEST_MALFORMED, 'The request body is not valid JSON.', req.requestId);
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return httpError(res, 415, CommonReason.REQUEST_MALFORMED, 'Unsupported body encoding or charset; send UTF-8 JSON.', req.requestId);
    }
    if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
      return httpError(res, 400, CommonReason.REQUEST_MALFORMED, 'The request body could not be read.', req.requestId);
    }
    // Any other body the parser refused as the client's fault (400): a body whose Content-Encoding
    // does not match its bytes (zlib or brotli fails on it) is one.
    if ((error as { status?: unknown }).status === 400) {
      return httpError(
        res,
        400,
        CommonReason.REQUEST_MALFORMED,
        'The request body could not be decompressed: it does not match its Content-Encoding.',
        req.requestId,
      );
    }
    logger.error({ err: error, requestId: req.requestId }, 'unhandled HTTP error');
    return httpError(res, 500, CommonReason.INTERNAL, `Internal server error. Quote request id ${req.requestId}.`, req.requestId);
  };
  app.use(onError);

  return {
    app,
    orm,
    database,
    deps,
    beginDrain() {
      draining = true;
    },
    notifications: { worker, scheduler, transport },
    async close() {
      await Promise.all([worker.stop(), scheduler.stop()]);
      transport.close();
      await apollo.stop();
      await database.close();
    },
  };
}

/**
 * Resolves the Authorization header (see viewerFromAuthorization). A refusal becomes a 401 with
 * code UNAUTHENTICATED and `WWW-Authenticate: Bearer`, before any resolver runs.
 */
async function authenticate(header: string | undefined, em: Context['em'], deps: AppDeps): Promise<Viewer | null> {
  try {
    return await viewerFromAuthorization(header, authenticator(em, deps));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    throw new GraphQLError(error.message, {
      originalError: error,
      extensions: { code: error.code, reason: error.reason, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
    });
  }
}
