/**
 * General assembly benchmark (issue 15): `npm run bench:meetings`. See bench/README.md.
 *
 * A one-shot timing, not a throughput run: an extraordinary general assembly of 5 000 delegates
 * with 1 500 pouvoirs is opened (the quorum counted over its attendance sheet), closed, and its
 * procès-verbal drawn up and downloaded — each through the real app over HTTP, timed, with the
 * number of SQL statements it ran. The same is done first with a warm-up assembly and with 500
 * delegates and 150 pouvoirs: the statement counts must be equal at every size (nothing is read
 * or written per delegate).
 *
 *   1. A throw-away embedded PostgreSQL (.tmp/bench-meetings-<pid>-<random>/, removed at the end,
 *      also on failure), a database migrated by the app at start; the app itself (`createApp`,
 *      NODE_ENV=production, listening on 127.0.0.1; no mail worker, no scheduler), its ORM built
 *      with a logger that records every statement (as bench/notifications.ts does).
 *   2. Per size (N delegates, P pouvoirs) — every size in the same database, one association each,
 *      as a database in service holds many meetings (PostgreSQL plans the per-meeting reads
 *      knowing there are others) — loaded set-based (one `insert … select from
 *      generate_series` per table, ids derived from the row number), then ANALYZE: a cluster with
 *      4 collèges; its general assembly (voting body) and statutes version 1 (notice 15 days,
 *      quorum 2 500 bp at first convocation counted on PRESENT_OR_REPRESENTED, remote counted as
 *      present, 3 pouvoirs per holder, dissolution by the general assembly); N member organisations
 *      (ACTIVE memberships, collèges in turn), each with its delegate (an account); an
 *      EXTRAORDINARY_GENERAL_ASSEMBLY CONVENED 20 days ago, delegates 1 and 2 chair and secretary,
 *      its 4-item agenda and its frozen convocation list (the N delegates, with organisation and
 *      collège); the attendance sheet — 40 % of the delegates in person (one in 20 of them after
 *      an earlier remote stint that ended), 10 % remote, 2 % who came and left for good; the P
 *      pouvoirs of the last P delegates (absent), held 3 by 3 by the first delegates (present in
 *      person, within the cap); as history, revoked pouvoirs of other absent delegates and
 *      pouvoirs cancelled by their principal's arrival. A CLUSTER_ADMIN signs in (the auth service:
 *      a real session token).
 *   3. Over HTTP, as that administrator, each timed (wall clock around the request) with the
 *      statements the ORM sent for it (authentication, begin and commit included):
 *      - `openMeeting`: the quorum it computed is checked against an independent SQL count and
 *        against what was loaded; the meeting must be OPEN;
 *      - `closeMeeting`;
 *      - `draftMinutes`: the procès-verbal's size (characters, UTF-8 bytes), its SHA-256 checked,
 *        its attendance lines checked against the sheet;
 *      - `GET /meetings/:id/minutes.md`: the Markdown download (its size; it must hold the text).
 *      The 1-minute load average is read before and after each request.
 *
 * Printed: a table (size, operation, ms, statements, time inside them, load before/after), each
 * operation's notes (the quorum, the procès-verbal's size, its costliest statement), and whether
 * each operation's statement count is equal across the sizes — the "not per delegate" proof. The
 * exit code is non-zero if a check fails or a statement count differs between sizes.
 *
 *   BENCH_MEETING_SIZES    500:150,5000:1500  delegates:pouvoirs per size (`5000` alone: 30 % pouvoirs)
 *   BENCH_MEETING_WARMUP   50                 delegates of a first, warm-up assembly (0: none)
 *   BENCH_MEETING_SQL      —                  1: every statement of each operation at the largest size
 *   BENCH_MEETING_EXPLAIN  —                  1: EXPLAIN ANALYZE of each operation's costliest read, at each size
 */
import 'reflect-metadata';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import { recordingOrmOptions, StatementRecorder, type Statement } from './statements.js';
import pg from 'pg';
import { pino } from 'pino';
import { createApp, type CollegiaApp } from '../src/app.js';
import { trustedScope } from '../src/auth/domain-service.js';
import { clusterScope } from '../src/auth/permissions.js';
import { Role } from '../src/auth/role.js';
import { loadConfig } from '../src/config.js';
import { ensureDatabase } from '../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { createServices, type Services } from '../src/services.js';
import { intEnv, PROJECT_ROOT, runMain } from './settings.js';

const log = (message: string) => process.stderr.write(`[bench:meetings] ${message}\n`);
const PASSWORD = 'bench-meetings-password';

/** One size: N delegates, P pouvoirs. */
interface Size {
  delegates: number;
  pouvoirs: number;
  warmup?: boolean;
}

/** The attendance sheet's layout, by delegate number (0-based): what the load writes and the checks expect. */
function layout(n: number, p: number) {
  const inPerson = Math.floor(n * 0.4); // [0, inPerson): in person
  const presentEnd = Math.floor(n * 0.5); // [inPerson, presentEnd): remote
  const leftEnd = Math.floor(n * 0.52); // [presentEnd, leftEnd): came and left for good
  const principalsFrom = n - p; // [n - p, n): absent, represented
  const holders = Math.ceil(p / 3); // [0, holders): in person, 3 pouvoirs each (the last maybe fewer)
  return { inPerson, presentEnd, leftEnd, principalsFrom, holders };
}

function parseSizes(): Size[] {
  const raw = process.env.BENCH_MEETING_SIZES?.trim() || '500:150,5000:1500';
  const sizes = raw.split(',').map((part) => {
    const [d, p] = part.trim().replace(/_/g, '').split(':');
    const delegates = Number(d);
    const pouvoirs = p === undefined ? Math.floor(delegates * 0.3) : Number(p);
    if (!Number.isInteger(delegates) || !Number.isInteger(pouvoirs) || delegates < 20 || delegates > 1_000_000 || pouvoirs < 0) {
      throw new Error(`BENCH_MEETING_SIZES: "${part}" is not delegates[:pouvoirs] with at least 20 delegates`);
    }
    const l = layout(delegates, pouvoirs);
    if (l.principalsFrom < l.leftEnd || l.holders > l.inPerson) {
      throw new Error(
        `BENCH_MEETING_SIZES: ${pouvoirs} pouvoirs for ${delegates} delegates: at most ${delegates - l.leftEnd} (48 %, the absent ones)`,
      );
    }
    return { delegates, pouvoirs };
  });
  return sizes.sort((a, b) => a.delegates - b.delegates);
}

const settings = {
  sizes: parseSizes(),
  warmup: intEnv('BENCH_MEETING_WARMUP', 50, 0, 100_000),
  printSql: process.env.BENCH_MEETING_SQL === '1',
  explain: process.env.BENCH_MEETING_EXPLAIN === '1',
};

// ---------------------------------------------------------------------------------------------
// Counting the ORM's statements: bench/statements.ts

// ---------------------------------------------------------------------------------------------
// The data

interface Assembly {
  size: Size;
  tag: string;
  clusterId: string;
  meetingId: string;
  token: string;
  loadMs: number;
}

function services(collegia: CollegiaApp, accountId: string | null = null): Services {
  return createServices(trustedScope(collegia.orm.em.fork(), collegia.deps.audit, collegia.deps.clock, accountId), collegia.deps);
}

const BODY_RULES = {
  quorumBasisPoints: 0,
  majority: 'SIMPLE',
  abstentionsCount: false,
  weighting: 'PER_VOTER',
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 1,
  proxySameCollege: false,
  secrecy: 'SECRET',
};

const AGENDA = [
  ['Approbation du projet de fusion', 'Le projet de fusion adopté par le conseil d’administration est soumis à l’assemblée.', true],
  ['Dissolution sans liquidation', 'Dissolution de l’association, son patrimoine transmis à l’association absorbante.', true],
  ['Pouvoirs pour les formalités', 'Pouvoirs au président pour accomplir les formalités de déclaration.', true],
  ['Questions diverses', '', false],
] as const;

/**
 * Loads one assembly set-based. Every id is `md5(tag:what:i)::uuid`, so each table's insert
 * recomputes the ids of the rows it refers to from their numbers, without reading them back.
 */
async function loadAssembly(collegia: CollegiaApp, db: pg.Client, size: Size, tag: string): Promise<Assembly> {
  const started = performance.now();
  const { delegates: n, pouvoirs: p } = size;
  const l = layout(n, p);
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  // A version-4 layout (version nibble 4, variant 8): the API accepts only well-formed UUIDs.
  const id = (what: string, i: string) => `overlay(overlay(md5($1 || ':${what}:' || ${i}) placing '4' from 13) placing '8' from 17)::uuid`;
  const [{ clusterId, meetingId }] = (await q(`select ${id('cluster', '0')} as "clusterId", ${id('meeting', '0')} as "meetingId"`, [tag]))
    .rows as { clusterId: string; meetingId: string }[];
  const name = `Association ${tag}`;

  await q(
    `insert into cluster (id, created_at, updated_at, name, slug, kind) values (${id('cluster', '0')}, now(), now(), $2, $3, 'ASSOCIATION')`,
    [tag, name, `association-${tag}`],
  );
  await q(
    `insert into college (id, created_at, updated_at, cluster_id, name, slug, theme)
     select ${id('college', 'c')}, now(), now(), ${id('cluster', '0')}, 'Collège ' || (c + 1), 'college-' || (c + 1), 'thème ' || (c + 1)
       from generate_series(0, 3) c`,
    [tag],
  );
  await q(
    `insert into voting_body (id, created_at, updated_at, cluster_id, kind, name, rules, seats)
     values (${id('body', '0')}, now(), now(), ${id('cluster', '0')}, 'GENERAL_ASSEMBLY', $2, $3, '[]')`,
    [tag, `Assemblée générale de ${name}`, JSON.stringify(BODY_RULES)],
  );
  await q(
    `insert into body_statutes (id, created_at, updated_at, body_id, version, notice_days, quorum_first_basis_points,
       quorum_second_basis_points, quorum_basis, remote_counts_as_present, pouvoirs_per_holder, dissolution_body,
       dissolution_quorum_basis_points, dissolution_majority, note)
     values (${id('statutes', '0')}, now() - interval '400 days', now() - interval '400 days', ${id('body', '0')}, 1, 15, 2500,
       null, 'PRESENT_OR_REPRESENTED', true, 3, 'GENERAL_ASSEMBLY', 5000, 'TWO_THIRDS', 'Statuts, art. 14')`,
    [tag],
  );
  // The delegates (accounts, no password: they never sign in here), their organisations and memberships.
  await q(
    `insert into account (id, created_at, updated_at, email, display_name, password_hash, email_verified_at)
     select ${id('account', 'i')}, now(), now(), 'delegue-' || i || '@' || $1 || '.bench.test',
            'Délégué·e ' || lpad((i + 1)::text, 6, '0'), '!', now()
       from generate_series(0, $2::int - 1) i`,
    [tag, n],
  );
  await q(
    `insert into organisation (id, created_at, updated_at, name, kind, affiliations)
     select ${id('organisation', 'i')}, now(), now(), 'Membre ' || lpad((i + 1)::text, 6, '0') || ' de ' || $3, 'COMPANY', '{}'
       from generate_series(0, $2::int - 1) i`,
    [tag, n, name],
  );
  await q(
    `insert into membership (id, created_at, updated_at, organisation_id, college_id, started_on, member_since)
     select ${id('membership', 'i')}, now(), now(), ${id('organisation', 'i')}, ${id('college', '(i % 4)')},
            current_date - 400, current_date - 400
       from generate_series(0, $2::int - 1) i`,
    [tag, n],
  );
  await q(
    `insert into assembly_delegate (id, created_at, updated_at, body_id, organisation_id, delegate_id)
     select ${id('delegate', 'i')}, now(), now(), ${id('body', '0')}, ${id('organisation', 'i')}, ${id('account', 'i')}
       from generate_series(0, $2::int - 1) i`,
    [tag, n],
  );

  // The CLUSTER_ADMIN, signed in through the auth service (a real session token).
  const adminEmail = `admin@${tag}.bench.test`;
  const admin = await services(collegia).auth.register({ email: adminEmail, password: PASSWORD, displayName: `Admin ${tag}` });
  await services(collegia).roles.grant({ accountId: admin.id, role: Role.CLUSTER_ADMIN, clusterId }, clusterScope(clusterId));
  const { token } = await services(collegia).auth.login({ email: adminEmail, password: PASSWORD }, { address: 'bench', userAgent: null });

  // The meeting, convened 20 days ago under statutes version 1; it began an hour ago.
  await q(
    `insert into meeting (id, created_at, updated_at, body_id, kind, title, convocation, scheduled_at, place, remote_allowed,
       chair_id, secretary_id, state, statutes_id, convened_at, convened_by_id)
     values (${id('meeting', '0')}, now() - interval '30 days', now() - interval '20 days', ${id('body', '0')},
       'EXTRAORDINARY_GENERAL_ASSEMBLY', 'Assemblée générale extraordinaire', 1, now() - interval '1 hour',
       'Palais des congrès, 1 esplanade Charles-de-Gaulle, 34000 Montpellier', true,
       ${id('account', '0')}, ${id('account', '1')}, 'CONVENED', ${id('statutes', '0')}, now() - interval '20 days', $2)`,
    [tag, admin.id],
  );
  await q(
    `insert into agenda_item (id, created_at, updated_at, meeting_id, position, title, description, binding)
     select ${id('agenda', 'a.position')}, now() - interval '30 days', now() - interval '30 days', ${id('meeting', '0')},
            a.position, a.title, a.description, a.binding
       from unnest($2::text[], $3::text[], $4::boolean[]) with ordinality as a(title, description, binding, position)`,
    [tag, AGENDA.map((a) => a[0]), AGENDA.map((a) => a[1]), AGENDA.map((a) => a[2])],
  );
  await q(
    `insert into convocation_recipient (id, created_at, updated_at, meeting_id, voter_id, organisation_id, college_id)
     select ${id('recipient', 'i')}, now() - interval '20 days', now() - interval '20 days', ${id('meeting', '0')},
            ${id('account', 'i')}, ${id('organisation', 'i')}, ${id('college', '(i % 4)')}
       from generate_series(0, $2::int - 1) i`,
    [tag, n],
  );
  // The attendance sheet: open stints (in person, remote), earlier stints that ended, and those who left for good.
  await q(
    `insert into attendance (id, created_at, updated_at, meeting_id, voter_id, mode, arrived_at, left_at)
     select ${id('attendance', 'i')}, now(), now(), ${id('meeting', '0')}, ${id('account', 'i')},
            (case when i < $2 then 'IN_PERSON' else 'REMOTE' end)::attendance_mode,
            now() - interval '90 minutes' + i * interval '10 milliseconds',
            case when i >= $3 then now() - interval '50 minutes' end
       from generate_series(0, $4::int - 1) i
     union all
     select ${id('attendance-earlier', 'i')}, now(), now(), ${id('meeting', '0')}, ${id('account', 'i')}, 'REMOTE'::attendance_mode,
            now() - interval '3 hours', now() - interval '2 hours'
       from generate_series(0, $2::int - 1) i where i % 20 = 7`,
    [tag, l.inPerson, l.presentEnd, l.leftEnd],
  );
  // Standing pouvoirs: the last P delegates, each held by delegate ⌊k / 3⌋ (present in person, at most 3 each).
  await q(
    `insert into pouvoir (id, created_at, updated_at, meeting_id, principal_id, holder_id, state)
     select ${id('pouvoir', 'k')}, now() - interval '5 days', now() - interval '5 days', ${id('meeting', '0')},
            ${id('account', '($2::int + k)')}, ${id('account', '(k / 3)')}, 'ACTIVE'
       from generate_series(0, $3::int - 1) k`,
    [tag, l.principalsFrom, p],
  );
  // History: revoked pouvoirs of absent delegates, pouvoirs cancelled when their principal arrived.
  await q(
    `insert into pouvoir (id, created_at, updated_at, meeting_id, principal_id, holder_id, state, ended_at)
     select ${id('pouvoir-revoked', 'i')}, now() - interval '6 days', now() - interval '4 days', ${id('meeting', '0')},
            ${id('account', 'i')}, ${id('account', '0')}, 'REVOKED'::pouvoir_state, now() - interval '4 days'
       from generate_series($2::int, $3::int - 1) i where i % 10 = 0
     union all
     select ${id('pouvoir-cancelled', 'i')}, now() - interval '6 days', now(), ${id('meeting', '0')},
            ${id('account', 'i')}, ${id('account', '0')}, 'CANCELLED_BY_ARRIVAL'::pouvoir_state, now() - interval '90 minutes'
       from generate_series(1, $4::int - 1) i where i % 50 = 25`,
    [tag, l.leftEnd, l.principalsFrom, l.inPerson],
  );
  await q('analyze');
  return { size, tag, clusterId, meetingId, token, loadMs: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Measured {
  size: Size;
  operation: string;
  ms: number;
  statements: Statement[];
  loadBefore: number;
  loadAfter: number;
  note: string;
}

const load1 = () => loadavg()[0];

/** One request, timed, its statements recorded, the load read around it. */
async function measure<T>(
  recorder: StatementRecorder,
  size: Size,
  operation: string,
  request: () => Promise<T>,
): Promise<{ value: T; row: Omit<Measured, 'note'> }> {
  const loadBefore = load1();
  recorder.start();
  const start = performance.now();
  let value: T;
  try {
    value = await request();
  } finally {
    recorder.stop();
  }
  const ms = performance.now() - start;
  return { value, row: { size, operation, ms, statements: recorder.statements, loadBefore, loadAfter: load1() } };
}

interface Gql<T> {
  data?: T;
  errors?: unknown[];
}

async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Gql<T>;
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`GraphQL ${response.status}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const QUORUM_FIELDS = 'electorate present represented counted required met';
const OPEN = `mutation($id: ID!) { openMeeting(meetingId: $id) { opened quorum { ${QUORUM_FIELDS} } meeting { id state openedAt } } }`;
const CLOSE = `mutation($id: ID!) { closeMeeting(meetingId: $id) { meeting { id state closedAt } } }`;
const DRAFT = `mutation($input: DraftMinutesInput!) { draftMinutes(input: $input) { minutes { id version text sha256 } } }`;

interface QuorumFigures {
  electorate: number;
  present: number;
  represented: number;
  counted: number;
  required: number;
  met: boolean;
}

interface OpenAnswer {
  openMeeting: { opened: boolean; quorum: QuorumFigures; meeting: { id: string; state: string } };
}
interface CloseAnswer {
  closeMeeting: { meeting: { id: string; state: string } };
}
interface DraftAnswer {
  draftMinutes: { minutes: { id: string; version: number; text: string; sha256: string } };
}

/**
 * The quorum counted independently of src/governance/quorum.ts: other SQL (distinct voters with an
 * open stint, `in` subqueries), the statutes read separately and the arithmetic done here.
 */
async function independentQuorum(db: pg.Client, meetingId: string): Promise<QuorumFigures> {
  const [s] = (
    await db.query(
      `select s.quorum_first_basis_points as bp, s.quorum_basis::text as basis, s.remote_counts_as_present as remote
         from meeting m join body_statutes s on s.id = m.statutes_id where m.id = $1`,
      [meetingId],
    )
  ).rows as { bp: number; basis: string; remote: boolean }[];
  const [c] = (
    await db.query(
      `select (select count(*) from convocation_recipient where meeting_id = $1)::int as electorate,
              (select count(distinct voter_id) from attendance
                where meeting_id = $1 and left_at is null and (mode = 'IN_PERSON' or $2))::int as present,
              (select count(*) from pouvoir
                where meeting_id = $1 and state = 'ACTIVE'
                  and holder_id in (select voter_id from attendance where meeting_id = $1 and left_at is null and (mode = 'IN_PERSON' or $2))
                  and principal_id not in (select voter_id from attendance where meeting_id = $1 and left_at is null))::int as represented`,
      [meetingId, s.remote],
    )
  ).rows as { electorate: number; present: number; represented: number }[];
  const counted = s.basis === 'PRESENT' ? c.present : c.present + c.represented;
  const required = Math.ceil((c.electorate * s.bp) / 10_000);
  return { ...c, counted, required, met: counted >= required };
}

/** What the load wrote, from the layout alone. */
function expectedQuorum(size: Size): QuorumFigures {
  const l = layout(size.delegates, size.pouvoirs);
  const counted = l.presentEnd + size.pouvoirs;
  const required = Math.ceil((size.delegates * 2500) / 10_000);
  return { electorate: size.delegates, present: l.presentEnd, represented: size.pouvoirs, counted, required, met: counted >= required };
}

const same = (a: QuorumFigures, b: QuorumFigures) => (Object.keys(a) as (keyof QuorumFigures)[]).every((k) => a[k] === b[k]);
const show = (q: QuorumFigures) =>
  `${q.present} present + ${q.represented} represented = ${q.counted} / ${q.required} required of ${q.electorate}`;

async function runAssembly(url: string, recorder: StatementRecorder, db: pg.Client, a: Assembly, failures: string[]): Promise<Measured[]> {
  const label = `${fmt(a.size.delegates)} delegates`;
  const fail = (what: string) => failures.push(`${label}: ${what}`);
  const rows: Measured[] = [];

  // 1. Opening: the quorum over the attendance sheet.
  const opened = await measure(recorder, a.size, 'openMeeting', () => gql<OpenAnswer>(url, a.token, OPEN, { id: a.meetingId }));
  const { quorum } = opened.value.openMeeting;
  const independent = await independentQuorum(db, a.meetingId);
  const expected = expectedQuorum(a.size);
  if (!same(quorum, independent)) fail(`the app's quorum (${show(quorum)}) differs from the independent SQL count (${show(independent)})`);
  if (!same(independent, expected)) fail(`the independent count (${show(independent)}) differs from what was loaded (${show(expected)})`);
  if (!opened.value.openMeeting.opened || opened.value.openMeeting.meeting.state !== 'OPEN') fail('the meeting did not open');
  const [stored] = (await db.query(`select state::text as state, quorum from meeting where id = $1`, [a.meetingId])).rows as {
    state: string;
    quorum: QuorumFigures;
  }[];
  if (stored.state !== 'OPEN' || !same(stored.quorum, quorum)) fail(`stored: ${stored.state}, quorum ${JSON.stringify(stored.quorum)}`);
  rows.push({
    ...opened.row,
    note: `quorum ${show(quorum)}: ${quorum.met ? 'met' : 'NOT met'}; independent SQL count ${same(quorum, independent) ? 'equal' : 'DIFFERENT'}`,
  });

  // 2. Closing, then the procès-verbal.
  const closed = await measure(recorder, a.size, 'closeMeeting', () => gql<CloseAnswer>(url, a.token, CLOSE, { id: a.meetingId }));
  if (closed.value.closeMeeting.meeting.state !== 'CLOSED') fail('the meeting did not close');
  rows.push({ ...closed.row, note: '' });

  const drafted = await measure(recorder, a.size, 'draftMinutes', () =>
    gql<DraftAnswer>(url, a.token, DRAFT, { input: { meetingId: a.meetingId, itemNotes: [] } }),
  );
  const { minutes } = drafted.value.draftMinutes;
  const bytes = Buffer.byteLength(minutes.text, 'utf8');
  if (createHash('sha256').update(minutes.text, 'utf8').digest('hex') !== minutes.sha256)
    fail('the minutes’ SHA-256 is not that of its text');
  // The procès-verbal lists those who attended the session (a stint overlapping it), under their
  // mode at the opening (meeting-minutes.record.ts): not those who left before the opening, and an
  // earlier remote stint of one now in person does not count; its quorum line is the count at opening.
  const l = layout(a.size.delegates, a.size.pouvoirs);
  const listed = { inPerson: l.inPerson, remote: l.presentEnd - l.inPerson };
  const nbsp = (x: number) => x.toLocaleString('fr-FR').replace(/\s/g, '\u202f');
  for (const line of [
    `- Présents en personne : ${nbsp(listed.inPerson)}`,
    `- Présents à distance : ${nbsp(listed.remote)}`,
    `- Représentés par pouvoir : ${nbsp(a.size.pouvoirs)}`,
    `- Constaté à l’ouverture : ${nbsp(quorum.present)} présents, ${nbsp(quorum.represented)} représentés`,
  ]) {
    if (!minutes.text.includes(line)) fail(`the minutes lack "${line}"`);
  }
  const lines = minutes.text.split('\n').length;
  rows.push({
    ...drafted.row,
    note:
      `version ${minutes.version}: ${fmt(minutes.text.length)} characters, ${kb(bytes)}, ${fmt(lines)} lines; it lists ` +
      `${fmt(listed.inPerson)} in person, ${fmt(listed.remote)} remote (not the ${fmt(l.leftEnd - l.presentEnd)} who left before the ` +
      `opening), ${fmt(a.size.pouvoirs)} represented`,
  });

  // 3. The Markdown download.
  const downloaded = await measure(recorder, a.size, 'minutes.md', async () => {
    const response = await fetch(`${url}/meetings/${a.meetingId}/minutes.md`, { headers: { authorization: `Bearer ${a.token}` } });
    return { status: response.status, body: await response.text() };
  });
  if (downloaded.value.status !== 200) fail(`minutes.md answered ${downloaded.value.status}`);
  if (!downloaded.value.body.startsWith(minutes.text)) fail('minutes.md does not start with the canonical text');
  rows.push({ ...downloaded.row, note: `${kb(Buffer.byteLength(downloaded.value.body, 'utf8'))} (the text, its signatures)` });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n: number) => n.toLocaleString('en-US');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const shortSql = (sql: string, width = 120) => (sql.length > width ? `${sql.slice(0, width - 1)}…` : sql);
const sizeLabel = (s: Size) => `${fmt(s.delegates)} / ${fmt(s.pouvoirs)}${s.warmup ? ' (warm-up)' : ''}`;

function printTable(rows: Measured[]): void {
  const header = ['delegates / pouvoirs', 'operation', 'ms', 'statements', 'in statements', 'load1 before', 'load1 after'];
  const cells = rows.map((r) => [
    sizeLabel(r.size),
    r.operation,
    r.ms.toFixed(1),
    String(r.statements.length),
    `${r.statements.reduce((sum, s) => sum + (s.took ?? 0), 0)} ms`,
    r.loadBefore.toFixed(2),
    r.loadAfter.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => (i < 2 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const c of cells) console.log(line(c));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const dataDir = path.join(PROJECT_ROOT, '.tmp', `bench-meetings-${process.pid}-${randomBytes(4).toString('hex')}`);
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  // Each run's throw-away database: its audit checkpoints go with the run, not into .data/.
  process.env.AUDIT_CHECKPOINT_DIR ??= path.join(dataDir, 'audit-checkpoints');
  process.env.AUDIT_SIGNING_KEY ??= randomBytes(32).toString('hex');
  const failures: string[] = [];
  const rows: Measured[] = [];
  const loads: string[] = [];
  const startLoad = loadavg();
  let postgres: EmbeddedDatabase | undefined;
  let collegia: CollegiaApp | undefined;
  let server: Server | undefined;
  let client: pg.Client | undefined;
  try {
    await mkdir(dataDir, { recursive: true });
    log(`starting embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dataDir)}`);
    postgres = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }), persistent: false });
    await ensureDatabase(postgres.url, 'bench_meetings');
    const databaseUrl = withDatabase(postgres.url, 'bench_meetings');

    log('starting the app (it migrates the database)');
    const recorder = new StatementRecorder();
    collegia = await createApp({
      config: loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        MIGRATE_ON_START: 'true',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'silent',
        MAIL_DIR: path.join(dataDir, 'mail'),
        PUBLIC_URL: 'https://collegia.example.org',
        NOTIFICATION_WORKER: 'false',
        SCHEDULER: 'false',
      }),
      ormExtra: recordingOrmOptions(recorder),
    });
    const app = collegia;
    server = await new Promise<Server>((resolve) => {
      const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const db = new pg.Client({ connectionString: databaseUrl });
    client = db;
    await db.connect();

    const sizes: Size[] = [
      ...(settings.warmup ? [{ delegates: settings.warmup, pouvoirs: Math.floor(settings.warmup * 0.3), warmup: true }] : []),
      ...settings.sizes,
    ];
    for (const [i, size] of sizes.entries()) {
      log(`${sizeLabel(size)}: loading`);
      const assembly = await loadAssembly(app, db, size, `m${i}x${size.delegates}`);
      loads.push(`${sizeLabel(size)}: loaded in ${(assembly.loadMs / 1000).toFixed(1)} s`);
      log(`${sizeLabel(size)}: opening, closing, drawing up and downloading the minutes`);
      const measured = await runAssembly(url, recorder, db, assembly, failures);
      rows.push(...measured);
      if (settings.explain) {
        // The costliest read of each operation, run again (the meeting is closed by now: the reads count the same rows).
        for (const r of measured) {
          const read = r.statements
            .filter((st) => /^(select|with)\b/i.test(st.sql))
            .reduce<Statement | null>((max, st) => ((st.took ?? -1) > (max?.took ?? -1) ? st : max), null);
          if (!read) continue;
          console.log(`${r.operation} at ${sizeLabel(size)}: ${shortSql(read.sql, 100)}`);
          try {
            const plan = (await db.query(`explain (analyze, buffers) ${read.formatted}`)).rows as Record<string, string>[];
            for (const line of plan) console.log(`  ${Object.values(line)[0]}`);
          } catch (error) {
            // A statement the app prepared itself (the authentication) is logged with its placeholders.
            console.log(`  (not explained: ${error instanceof Error ? error.message : String(error)})`);
          }
        }
      }
      if (settings.printSql && i === sizes.length - 1) {
        for (const r of measured) {
          console.log(`${r.operation} at ${sizeLabel(size)}, every statement (ms as the ORM measured):`);
          for (const s of r.statements) console.log(`  ${String(s.took ?? '-').padStart(5)} ms  ${shortSql(s.sql)}`);
        }
      }
    }
  } finally {
    await client?.end();
    if (server) await new Promise((resolve) => server!.close(resolve));
    await collegia?.close();
    if (postgres) {
      const stopping = postgres.stop();
      await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  console.log('');
  console.log(
    `General assembly (issue 15), node ${process.version}: each operation is one HTTP request to the app (createApp, production ` +
      'mode) as the cluster’s administrator; ms is wall clock around the request; statements are every SQL statement the ORM ' +
      'sent for it (authentication, begin and commit included), counted by its logger; "in statements" is the time the ORM ' +
      'measured inside them (1 ms resolution); load1 is the 1-minute load average before and after the request.',
  );
  console.log(loads.join('; '));
  console.log('');
  printTable(rows);
  console.log('');
  for (const r of rows) {
    const costliest = r.statements.reduce<Statement | null>((max, st) => ((st.took ?? -1) > (max?.took ?? -1) ? st : max), null);
    const what = costliest ? `costliest statement ${costliest.took ?? '-'} ms: ${shortSql(costliest.sql, 70)}` : '';
    console.log(`  ${sizeLabel(r.size)}, ${r.operation}: ${[r.note, what].filter(Boolean).join('; ')}`);
  }
  console.log('');
  const operations = [...new Set(rows.map((r) => r.operation))];
  const verdicts = operations.map((op) => {
    const counts = rows.filter((r) => r.operation === op).map((r) => r.statements.length);
    const equal = counts.every((c) => c === counts[0]);
    if (!equal) failures.push(`${op}: ${counts.join(', ')} statements across the sizes`);
    return `${op} ${equal ? counts[0] : `${counts.join(' / ')} (DIFFERENT)`}`;
  });
  const allEqual = !failures.some((f) => f.includes('across the sizes'));
  console.log(
    `statements across the sizes (${rows
      .filter((r) => r.operation === operations[0])
      .map((r) => sizeLabel(r.size))
      .join('; ')}): ${verdicts.join(', ')} — ${allEqual ? 'equal: none is per delegate' : 'NOT equal: something is per delegate'}`,
  );
  const endLoad = loadavg();
  console.log(
    `load average (1, 5, 15 min): ${startLoad.map((x) => x.toFixed(2)).join(', ')} at the start; ${endLoad.map((x) => x.toFixed(2)).join(', ')} at the end`,
  );
  console.log(`checks: ${failures.length ? `FAILED\n  - ${failures.join('\n  - ')}` : 'ok'}`);
  return failures.length ? 1 : 0;
}

runMain(main, log);
