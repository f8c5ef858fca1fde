import { createHash } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { PoolClient, QueryResult } from 'pg';

/**
 * One statement, as `em.execute` takes it: `?` placeholders with an array of values, or `:name`
 * placeholders with an object of them.
 */
export interface Statement {
  sql: string;
  params?: readonly unknown[] | Readonly<Record<string, unknown>>;
}

/** A statement (or an SQL condition) with `?` placeholders only, for SQL that is put together. */
export interface PositionalStatement extends Statement {
  params: readonly unknown[];
}

/**
 * The hot statements of Collegia (authentication, a ballot) are **prepared** on each connection
 * the first time that connection runs them, then executed by name: PostgreSQL plans them once
 * per connection instead of on every request — planning the authentication or the ballot check
 * costs it 3 to 4 times what running them does. A prepared statement is named after the SHA-1 of
 * its text, so the same text is prepared once per connection whoever sends it, and a changed
 * text is a new statement.
 */
function preparedName(text: string): string {
  let name = preparedNames.get(text);
  if (!name) {
    name = `collegia_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    preparedNames.set(text, name);
  }
  return name;
}

/** Names by statement text: as many as the code has statements (their texts are written in it, values apart). */
const preparedNames = new Map<string, string>();

/** The statement with `$1…$n` placeholders and its values in that order. */
function numbered(statement: Statement): { text: string; values: unknown[] } {
  // Positional values keep their order: the text depends on the SQL alone, numbered once. (Only
  // statements with values: those are prepared, so their texts are as few as `preparedNames`'.)
  if (Array.isArray(statement.params) && statement.params.length) {
    let text = numberedTexts.get(statement.sql);
    if (text === undefined) {
      text = placeholdersNumbered(statement.sql);
      numberedTexts.set(statement.sql, text);
    }
    return { text, values: (statement.params ?? []) as unknown[] };
  }
  const { sql, params } = raw(statement.sql, (statement.params ?? []) as unknown[]);
  return { text: placeholdersNumbered(sql), values: params };
}

// `?` is a placeholder everywhere in these statements (none uses the jsonb `?` operators).
function placeholdersNumbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Numbered texts by SQL text: as many as the code has statements (their texts are written in it, values apart). */
const numberedTexts = new Map<string, string>();

/** Logs statements as the ORM logs its own (SQL at debug level; the tests count them). */
function logStatements(em: EntityManager, texts: readonly string[], started: number, level: 'info' | 'error'): void {
  const logger = em.config.getLogger();
  const took = Date.now() - started;
  for (const query of texts) logger.logQuery({ level, query, took });
}

/** A database error as the ORM reports it (e.g. `UniqueConstraintViolationException`); anything else as it is. */
function ormError(em: EntityManager, error: unknown): unknown {
  return error instanceof Error && 'code' in error ? em.getDriver().convertException(error) : error;
}

/** Refuses to run beside a transaction the EntityManager has open: these run on a connection of their own. */
function assertOwnConnection(em: EntityManager, what: string): void {
  if (em.isInTransaction()) throw new Error(`${what} runs on a connection of its own: call it outside em.transactional`);
}

/**
 * Runs one statement prepared (see above) on a connection of the ORM's pool, outside any
 * transaction, and returns its rows. For a statement run on every request.
 */
export async function queryPrepared<T = Record<string, unknown>>(em: EntityManager, statement: Statement): Promise<T[]> {
  assertOwnConnection(em, 'queryPrepared');
  const { text, values } = numbered(statement);
  const pool = await em.getConnection().getNativeClient();
  const started = Date.now();
  try {
    // pg prepares a named statement on a connection the first time, then only binds and executes it.
    const result = await pool.query({ name: preparedName(text), text, values });
    logStatements(em, [text], started, 'info');
    return result.rows as T[];
  } catch (error) {
    logStatements(em, [text], started, 'error');
    throw ormError(em, error);
  }
}

/** The prepared statements of each pooled connection (a connection that is replaced starts empty). */
const preparedOn = new WeakMap<PoolClient, Set<string>>();

/**
 * Sends several statements to PostgreSQL in **one message** (the simple-query protocol), on a
 * connection of the ORM's own pool, and returns the rows of each, in order.
 *
 * `em.execute` waits for each statement's answer before sending the next: a round trip per
 * statement, and on the machines Collegia runs on a round trip (socket write, PostgreSQL woken,
 * answer parsed) costs more CPU than the statements themselves. A write path whose every step
 * can be decided in SQL — later statements conditioned on what earlier ones wrote, the outcome
 * read from the rows afterwards — sends `begin; …; commit` as one script: one round trip, and no
 * lock is held while the client is busy elsewhere. Each statement still gets its own snapshot
 * (read committed), so a statement after a lock sees what committed before the lock was granted.
 *
 * A statement with values is prepared on the connection (once, in messages of their own before
 * the first script that needs it there) and executed by name with its values inlined as
 * literals by the ORM's platform, as `em.execute` inlines them; one without (`begin`,
 * `savepoint`…) is sent as it is. A prepared statement's values take the types PostgreSQL infers
 * from where they stand: cast one it cannot infer (`?::text is not null`). On an error the rest of the script is skipped by PostgreSQL,
 * the transaction (if the script opened one) is rolled back, and the error is the ORM's (e.g.
 * `UniqueConstraintViolationException`). Every statement is logged like the ORM's own (SQL at
 * debug level; the tests count them).
 */
export async function runScript(em: EntityManager, statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
  assertOwnConnection(em, 'runScript');
  const platform = em.getPlatform();
  const parts = statements.map((statement) => {
    const { text, values } = numbered(statement);
    return values.length ? { text, values, name: preparedName(text) } : { text, values, name: null };
  });
  const texts = parts.map(({ text, values, name }) =>
    name ? `execute ${name}(${values.map((value) => (value == null ? 'null' : String(platform.quoteValue(value)))).join(', ')})` : text,
  );
  const pool = await em.getConnection().getNativeClient();
  const client = await pool.connect();
  const started = Date.now();
  let broken: Error | undefined;
  try {
    const prepared = preparedOn.get(client) ?? new Set<string>();
    preparedOn.set(client, prepared);
    const missing = new Map(parts.filter((p) => p.name && !prepared.has(p.name)).map((p) => [p.name!, p.text]));
    for (const [name, text] of missing) {
      await client.query(`prepare ${name} as ${text}`);
      prepared.add(name);
    }
    // No values: pg uses the simple-query protocol, which accepts several statements.
    const results = (await client.query(texts.join(';\n'))) as unknown as QueryResult | QueryResult[];
    logStatements(em, texts, started, 'info');
    return (Array.isArray(results) ? results : [results]).map((r) => r.rows as Record<string, unknown>[]);
  } catch (error) {
    logStatements(em, texts, started, 'error');
    await client.query('rollback').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw ormError(em, error);
  } finally {
    // A connection that could not even roll back is closed rather than reused.
    client.release(broken);
  }
}
