import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import { Kind } from 'graphql';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics (`prom-client`), served on GET /metrics only when METRICS_TOKEN is set and
 * sent as `Authorization: Bearer <token>`: off by default, never public. Labels are bounded: the
 * operation is the first root field of the schema (never the client's operation name), codes and
 * reasons come from closed enums.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'operation' | 'code' | 'reason'>;
  private readonly throttled: Counter;

  constructor(pool: () => Promise<Pool>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'collegia_' });
    this.duration = new Histogram({
      name: 'collegia_graphql_request_duration_seconds',
      help: 'GraphQL requests by operation (first root field) and type, with their latency.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.errors = new Counter({
      name: 'collegia_graphql_errors_total',
      help: 'Errors sent to clients, by operation, code (ErrorCode) and reason (RefusalReason).',
      labelNames: ['operation', 'code', 'reason'],
      registers: [this.registry],
    });
    this.throttled = new Counter({
      name: 'collegia_login_throttled_total',
      help: 'Sign-in attempts refused by the login throttle (RATE_LIMITED).',
      registers: [this.registry],
    });
    new Gauge({
      name: 'collegia_db_pool_connections',
      help: "Connections of the ORM's PostgreSQL pool: total, idle, and requests waiting for one.",
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const { totalCount, idleCount, waitingCount } = await pool();
        this.set({ state: 'total' }, totalCount);
        this.set({ state: 'idle' }, idleCount);
        this.set({ state: 'waiting' }, waitingCount);
      },
    });
  }

  /** The Apollo plugin that times each request and counts its errors. */
  plugin(): ApolloServerPlugin {
    const { duration, errors: errorCount, throttled } = this;
    const label = (value: unknown) => (typeof value === 'string' ? value : 'UNKNOWN');
    return {
      async requestDidStart() {
        const started = process.hrtime.bigint();
        let operation = 'invalid';
        let type = 'unknown';
        return {
          async didResolveOperation({ operation: definition }) {
            if (!definition) return;
            type = definition.operation;
            const first = definition.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
            operation = first && first.kind === Kind.FIELD ? first.name.value : 'fragments';
          },
          async willSendResponse({ response }) {
            duration.observe({ operation, type }, Number(process.hrtime.bigint() - started) / 1e9);
            const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
            for (const error of errors) {
              const code = label(error.extensions?.code);
              errorCount.inc({ operation, code, reason: label(error.extensions?.reason) });
              if (operation === 'login' && code === 'RATE_LIMITED') throttled.inc();
            }
          },
        };
      },
    };
  }

  /** GET /metrics, for a bearer of `token` only. */
  handler(token: string): RequestHandler {
    const expected = Buffer.from(`Bearer ${token}`);
    return async (req, res) => {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res
          .status(401)
          .setHeader('WWW-Authenticate', 'Bearer')
          .json({ errors: [{ message: 'Send the metrics token.' }] });
        return;
      }
      res.setHeader('Content-Type', this.registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(await this.registry.metrics());
    };
  }
}
