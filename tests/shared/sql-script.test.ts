import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared, runScript } from '../../src/shared/sql-script.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The one-round-trip scripts and prepared statements behind castVote and authentication
 * (src/shared/sql-script.ts), against the real PostgreSQL: values inlined safely, a failing
 * statement leaves nothing behind and the connection reusable, statements prepared once per
 * connection and again on a new one, every statement counted like the ORM's.
 */
let app: TestApp;
const em = (): EntityManager => app.collegia.orm.em.fork();

beforeAll(async () => {
  app = await startTestApp();
  await app.sql('create table script_probe (id int primary key, label text not null)');
});
afterAll(async () => {
  await app.close();
});
beforeEach(async () => {
  await app.sql('delete from script_probe');
});

/** Statements prepared on the connections of this file's database, by all backends. */
async function preparedCount(): Promise<number> {
  // pg_prepared_statements is per backend: ask each of the ORM pool's connections in turn.
  const pool = await em().getConnection().getNativeClient();
  const clients = await Promise.all(Array.from({ length: pool.totalCount || 1 }, () => pool.connect()));
  try {
    let total = 0;
    for (const client of clients) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_prepared_statements where name like 'collegia_%'`,
      );
      total += rows[0].n;
    }
    return total;
  } finally {
    for (const client of clients) client.release();
  }
}

/** The backend pids of the ORM pool's connections. */
async function ormBackends(): Promise<number[]> {
  const pool = await em().getConnection().getNativeClient();
  const clients = await Promise.all(Array.from({ length: pool.totalCount }, () => pool.connect()));
  for (const client of clients) client.release();
  return clients.map((client) => (client as unknown as { processID: number }).processID);
}

describe('runScript', () => {
  it('returns the rows of every statement, in order, with values of every kind inlined faithfully', async () => {
    const nasty = `O'Brien \\ "quoted" ; drop table script_probe; -- ? :label $1`;
    const when = new Date('2026-11-24T10:30:00.123Z');
    const rows = await runScript(em(), [
      { sql: 'begin' },
      { sql: 'insert into script_probe (id, label) values (?, ?)', params: [1, nasty] },
      {
        sql: 'select label, ?::timestamptz as at, ?::boolean as yes, ?::text as nothing, ?::jsonb as doc from script_probe where id = ?',
        params: [when, true, null, JSON.stringify({ a: "it's" }), 1],
      },
      { sql: 'select :label::text as named, :label::text as again, :n::int as n', params: { label: nasty, n: 7 } },
      { sql: 'commit' },
    ]);
    expect(rows).toHaveLength(5);
    expect(rows[2]).toEqual([{ label: nasty, at: expect.anything(), yes: true, nothing: null, doc: { a: "it's" } }]);
    expect(new Date(rows[2][0].at as string).toISOString()).toBe(when.toISOString());
    expect(rows[3]).toEqual([{ named: nasty, again: nasty, n: 7 }]);
    expect(await app.sql('select id, label from script_probe')).toEqual([{ id: 1, label: nasty }]);
  });

  it('a failing statement skips the rest, rolls everything back, reports the ORM’s error, and leaves the connection usable', async () => {
    await app.sql(`insert into script_probe values (1, 'first')`);
    const script = [
      { sql: 'begin' },
      { sql: 'insert into script_probe (id, label) values (?, ?)', params: [2, 'written before the error'] },
      { sql: 'insert into script_probe (id, label) values (?, ?)', params: [1, 'duplicate'] },
      { sql: 'insert into script_probe (id, label) values (?, ?)', params: [3, 'after the error'] },
      { sql: 'commit' },
    ];
    await expect(runScript(em(), script)).rejects.toBeInstanceOf(UniqueConstraintViolationException);
    expect(await app.sql('select id, label from script_probe order by id')).toEqual([{ id: 1, label: 'first' }]);
    // Every connection of the pool still works (none was left in an aborted transaction).
    for (let i = 0; i < 12; i++) {
      const [[row]] = await runScript(em(), [{ sql: 'select ?::int as i', params: [i] }]);
      expect(row).toEqual({ i });
    }
    expect(await em().execute('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('prepares a statement with values once per connection, and again on a connection that replaced a lost one', async () => {
    const probe = { sql: 'select label from script_probe where id = ? and ?::text is not null', params: [1, 'x'] };
    await app.sql(`insert into script_probe values (1, 'one')`);
    const before = await preparedCount();
    for (let i = 0; i < 20; i++) expect(await runScript(em(), [probe])).toEqual([[{ label: 'one' }]]);
    const after = await preparedCount();
    // At most once on each of the pool's connections (10), however many times it ran.
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThanOrEqual(10);
    // Every backend of the ORM's pool goes away: the pool replaces them, the statement is prepared again.
    const pids = await ormBackends();
    expect(pids.length).toBeGreaterThan(0);
    await app.sql('select pg_terminate_backend(pid) from unnest($1::int[]) pid', [pids]);
    let answered = false;
    for (let attempt = 0; attempt < 20 && !answered; attempt++) {
      // A terminated connection may still be handed out once: its query fails and the pool drops it.
      answered = await runScript(em(), [probe]).then(
        (rows) => (expect(rows).toEqual([[{ label: 'one' }]]), true),
        () => false,
      );
    }
    expect(answered).toBe(true);
  });

  it('counts every statement it sends, like the ORM’s own', async () => {
    app.resetSqlCount();
    await runScript(em(), [{ sql: 'begin' }, { sql: 'select ?::int', params: [1] }, { sql: 'commit' }]);
    expect(app.sqlCount()).toBe(3);
  });

  it('refuses to run inside a transaction of the EntityManager (it would not be part of it)', async () => {
    await expect(em().transactional((tx) => runScript(tx, [{ sql: 'select 1' }]))).rejects.toThrow(/connection of its own/);
  });
});

describe('queryPrepared', () => {
  it('answers rows, with positional or named values', async () => {
    await app.sql(`insert into script_probe values (1, 'one'), (2, 'two')`);
    expect(await queryPrepared(em(), { sql: 'select label from script_probe where id = ?', params: [2] })).toEqual([{ label: 'two' }]);
    expect(await queryPrepared(em(), { sql: 'select label from script_probe where id = :id', params: { id: 1 } })).toEqual([
      { label: 'one' },
    ]);
  });

  it('reports the ORM’s error, and is counted', async () => {
    await app.sql(`insert into script_probe values (1, 'one')`);
    app.resetSqlCount();
    await expect(queryPrepared(em(), { sql: 'insert into script_probe values (?, ?)', params: [1, 'again'] })).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
    await queryPrepared(em(), { sql: 'select 1 as one where ? > 0', params: [1] });
    expect(app.sqlCount()).toBe(2);
  });

  it('refuses to run inside a transaction of the EntityManager', async () => {
    await expect(em().transactional((tx) => queryPrepared(tx, { sql: 'select 1' }))).rejects.toThrow(/connection of its own/);
  });
});
