import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { canonicalJson, GENESIS_HASH } from '../../src/audit/audit.service.js';
import { insertFrenchSouthDigital, rawHandler, type Scenario, type Target } from '../scenario.js';

/**
 * Board members casting their ballots: an electorate of 2 000, then 20 000 (the scenario's sizes:
 * accounts with a session each, a BOARD_MEMBER right, spread over the five collèges of
 * FrenchSouth.digital), voting under its
 * statutes (collège-weighted, two-thirds, quorum 50 %, one proxy per holder, secret ballot).
 * Every request is a different voter's `castVote` — a ballot is final, so none is replayed.
 *
 * One ballot box holds the whole electorate, so each target votes in boxes of its own (proposals
 * open with the same electors, the API's and the baseline's apart), filled one after the other:
 * within a box each voter votes once, and a run needs as many boxes as its requests fill (sized
 * from the rounds and their length, see BALLOTS_PER_SECOND).
 *
 * The baseline is what a hand-written endpoint must do for the same guarantees, in one
 * transaction: one statement checks the token (and refreshes the session's last use as the app
 * does, at most once a minute), the voter's elector row and that they gave no standing proxy;
 * then it holds the party's ballot box shared (the advisory lock a close takes exclusively, so no
 * ballot is accepted after a close); one statement inserts the participation if the vote is still
 * open (the same unique (party, voter) constraint); the secret ballot goes in a subtransaction of
 * its own (savepoint, insert, release: no transaction id shared with the participation); commit;
 * a receipt. By default it also prepares its statements and appends the app's audit entry (the
 * trail's global lock, the chained insert), as the app does: `BENCH_VOTE_BASELINE` selects the
 * lighter ones (see BASELINE below and bench/README.md).
 *
 * After the runs: the physical limit of this machine, measured in the same run — single-row
 * commits per second (see `commitRate`) — and castVote's median as a fraction of it; then
 * `closeVoting` through the API on three more boxes of a whole electorate's ballots each (loaded
 * by SQL): the close-and-tally time (ballot box lock, SQL tally, sealing of the secret box,
 * stored tally, audit).
 */
const SIZES = [2_000, 20_000];
/** The electorate of the size being run (set by `load`). */
let electorate = SIZES[0];
/** More than either target casts per second on a 2-core machine (the run fails, saying so, if the boxes fill up). */
const BALLOTS_PER_SECOND = 5_000;
/** Closed after the runs, one after the other: the first close is also the first of its code path. */
const TALLY_BOXES = 3;
const CONNECTIONS = 50;

/** FrenchSouth.digital's collèges and their statutory shares (seeds/governance-data.ts). */
const COLLEGES = [
  { name: 'Start-up', slug: 'start-up', theme: 'start-ups', weight: 1_500 },
  { name: 'Enseignement supérieur et recherche', slug: 'esr', theme: 'higher education and research', weight: 1_000 },
  { name: 'Cloud', slug: 'cloud', theme: 'cloud', weight: 2_500 },
  { name: 'Économie numérique', slug: 'economie-numerique', theme: 'digital economy', weight: 2_500 },
  { name: 'Création numérique', slug: 'creation-numerique', theme: 'digital creation', weight: 2_500 },
];
const CHOICES = ['FOR', 'FOR', 'FOR', 'FOR', 'FOR', 'FOR', 'FOR', 'AGAINST', 'AGAINST', 'ABSTAIN'] as const;
const ADMIN_TOKEN = 'bench-cluster-admin-token-000000000000000000';

const digest = (text: string) => createHash('sha256').update(text).digest('hex');
/** Voter i's bearer token; the load computes the same string in SQL. */
const voterToken = (i: number) => `bench-voter-${String(i).padStart(7, '0')}-token`;
const RECEIPT = /^[A-Za-z0-9_-]{32}$/;

const VOTE = `mutation Vote($input: CastVoteInput!) {
  castVote(input: $input) { receipt proposal { id state } }
}`;
const CLOSE = `mutation Close($input: CloseVotingInput!) {
  closeVoting(input: $input) { proposal { id state } }
}`;

// The token's session is live and its account enabled (its last use refreshed at most once a
// minute, as the app does), the viewer is in the electorate of the proposal's party and gave no
// standing proxy.
const CHECK_SQL = `with viewer as (
    select s.id as session_id, s.account_id
      from session s join account a on a.id = s.account_id
     where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and not a.disabled),
  touched as (
    update session set last_used_at = now()
     where id = (select session_id from viewer) and (last_used_at is null or last_used_at < now() - interval '1 minute'))
  select v.account_id, b.*
    from viewer v left join lateral (
      select pp.id as party_id, pp.proposal_id, e.college_id, e.weight, pp.rules->>'secrecy' as secrecy,
             exists (select 1 from proxy x where x.party_id = pp.id and x.principal_id = v.account_id and x.state = 'ACTIVE') as gave_proxy
        from elector e join proposal_party pp on pp.id = e.party_id
       where e.voter_id = v.account_id and pp.proposal_id = $2) b on true`;

// The party's ballot box, held shared until commit (src/governance/voting.service.ts lockBallotBox).
const BALLOT_BOX_SQL = `select pg_advisory_xact_lock_shared(hashtextextended('ballot-box:' || $1, 7262018))`;

// That the voter took part, if the vote is still open once the box is held.
const PARTICIPATION_SQL = `insert into participation (id, created_at, updated_at, party_id, voter_id, cast_by_id)
  select $3, now(), now(), pp.id, $2, $2
    from proposal_party pp join proposal p on p.id = pp.proposal_id
   where pp.id = $1 and pp.state = 'VOTING' and p.state = 'VOTING' and p.closes_at > now()`;

const BALLOT_SQL = `insert into ballot (id, party_id, choice, college_id, weight, receipt_digest, voter_id)
  values (gen_random_uuid(), $1, $2, $3, $4, $5, $6)`;

interface CheckRow {
  account_id: string;
  party_id: string | null;
  proposal_id: string;
  college_id: string | null;
  weight: number;
  secrecy: string;
  gave_proxy: boolean;
}

/**
 * `BENCH_VOTE_BASELINE`, a comma-separated list, says how the baseline works (default
 * `prepared,audited`: the same techniques and the same work as the app):
 * - `prepared`: it prepares its statements once per connection (named statements), as the app
 *   does for its authentication and its ballot script; without it, it sends them as node-postgres
 *   does unless told otherwise (unnamed: parsed and planned on every request);
 * - `audited`: it appends the vote's audit entry to the trail as the app does (the trail's global
 *   lock, then the entry chained to the last one in one insert), before its commit;
 * - `none`: neither (the baseline as the scenario first defined it).
 */
const BASELINE_OPTIONS = (process.env.BENCH_VOTE_BASELINE || 'prepared,audited').split(',').filter(Boolean);
for (const option of BASELINE_OPTIONS) {
  if (!['prepared', 'audited', 'none'].includes(option))
    throw new Error(`BENCH_VOTE_BASELINE: unknown option "${option}" (prepared, audited, none)`);
}
const BASELINE = new Set(BASELINE_OPTIONS.filter((option) => option !== 'none'));
const BASELINE_NAME = BASELINE.size ? [...BASELINE].join(' + ') : 'unprepared, no audit';
const statement = (name: string, text: string, values: unknown[]): pg.QueryConfig =>
  BASELINE.has('prepared') ? { name, text, values } : { text, values };

// The audit trail's lock and chained insert (src/audit/audit.service.ts appendStatements).
const AUDIT_LOCK_SQL = `select pg_advisory_xact_lock(7262017)`;
const AUDIT_SQL = `insert into audit_entry (occurred_at, actor_id, action, entity_type, entity_id, before, after, request_id, prev_hash, hash)
  select $1, $2, 'vote.cast', 'Participation', $3, null, $4::jsonb, null, prev.hash, encode(sha256(convert_to(prev.hash || chr(10) || $5, 'UTF8')), 'hex')
    from (select coalesce((select hash from audit_entry order by seq desc limit 1), $6) as hash) prev`;

const failure = (message: string, code: string) => ({ data: null, errors: [{ message, extensions: { code } }] });

/** The boxes of each target, in the order they are filled, and the tally boxes. */
let boxes: Record<Target, string[]> = { graphql: [], raw: [] };
let tallyBoxes: string[] = [];

/** Opens a box per proposal id: a RESOLUTION in VOTING with the body's rules, its party, the electorate. */
async function openBoxes(client: pg.Client, count: number, title: string): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `with proposals as (
       insert into proposal (id, created_at, updated_at, kind, title, text, author_id, state, opens_at, closes_at, partnership_axes)
       select gen_random_uuid(), now(), now(), 'RESOLUTION', $1 || ' ' || n, 'Le conseil approuve le budget ' || n || '.',
              (select account_id from bench_admin), 'VOTING', now() - interval '1 hour', now() + interval '7 days', '{}'
         from generate_series(1, $2::int) n
       returning id),
     parties as (
       insert into proposal_party (id, created_at, updated_at, proposal_id, cluster_id, body_id, state, rules)
       select gen_random_uuid(), now(), now(), p.id, b.cluster_id, b.id, 'VOTING', b.rules
         from proposals p cross join (select id, cluster_id, rules from voting_body where kind = 'BOARD') b
       returning id, proposal_id),
     electors as (
       insert into elector (id, created_at, updated_at, party_id, voter_id, college_id, weight)
       select gen_random_uuid(), now(), now(), pp.id, v.account_id, v.college_id, 1 from parties pp cross join bench_voter v)
     select proposal_id as id from parties`,
    [title, count],
  );
  return rows.map((r) => r.id);
}

/** The app's ORM pool (src/database/orm.config.ts): at most this many of its transactions run at once. */
const APP_POOL = 10;
/** How long each commit-rate probe runs. */
const PROBE_SECONDS = 3;

/**
 * The physical limit of a write: single-row commits per second this PostgreSQL (and the disk
 * under it) does, with `connections` clients each looping `insert one row` in autocommit (one
 * statement, one commit) for `seconds` on a scratch table, `synchronous_commit` as the database
 * is set (the app sets nothing of its own). The clients run in this process, so it is a lower
 * bound on a loaded machine. Returns commits/s and the setting.
 */
async function commitRate(
  databaseUrl: string,
  connections: number,
  seconds: number,
): Promise<{ perSecond: number; synchronousCommit: string }> {
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: databaseUrl }));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    const { rows } = await clients[0].query<{ synchronous_commit: string }>('show synchronous_commit');
    await clients[0].query(
      'create table if not exists bench_commit_probe (id bigserial primary key, at timestamptz not null default now())',
    );
    const insert: pg.QueryConfig = { name: 'bench_commit_probe', text: 'insert into bench_commit_probe default values' };
    let commits = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          await client.query(insert);
          commits += 1;
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    await clients[0].query('drop table bench_commit_probe');
    return { perSecond: commits / elapsedS, synchronousCommit: rows[0].synchronous_commit };
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

export const vote: Scenario = {
  name: 'vote',
  description:
    `castVote by ${CONNECTIONS} concurrent voters of an electorate of ${SIZES.join(' or ')} (secret, collège-weighted), each request a ` +
    `different voter, vs check + insert in SQL (baseline: ${BASELINE_NAME}); single-row commits/s of this PostgreSQL; then closeVoting on a whole electorate's ballots`,
  connections: CONNECTIONS,
  sizes: SIZES,
  sizeUnit: 'electors',

  async load(databaseUrl, run, size = SIZES[0]) {
    electorate = size;
    // Each target's boxes: enough for its warm-ups, its measured runs and the check, at BALLOTS_PER_SECOND.
    const perTarget = Math.ceil((((run.warmupS + run.durationS) * run.rounds + 1) * BALLOTS_PER_SECOND + 1) / electorate);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const clusterId = await insertFrenchSouthDigital(client);
      const colleges = await client.query<{ id: string; weight: number }>(
        `insert into college (id, created_at, updated_at, cluster_id, name, slug, theme)
         select gen_random_uuid(), now(), now(), $1, name, slug, theme from unnest($2::text[], $3::text[], $4::text[]) as t(name, slug, theme)
         returning id, (select w from unnest($3::text[], $5::int[]) as x(s, w) where s = slug) as weight`,
        [clusterId, COLLEGES.map((c) => c.name), COLLEGES.map((c) => c.slug), COLLEGES.map((c) => c.theme), COLLEGES.map((c) => c.weight)],
      );
      const collegeIds = colleges.rows.map((c) => c.id);
      const rules = {
        quorumBasisPoints: 5_000,
        majority: 'TWO_THIRDS',
        abstentionsCount: false,
        weighting: 'COLLEGE_WEIGHTED',
        collegeWeights: colleges.rows.map((c) => ({ collegeId: c.id, weightBasisPoints: c.weight })),
        doubleMajorityColleges: null,
        proxyLimit: 1,
        proxySameCollege: false,
        secrecy: 'SECRET',
      };
      await client.query(
        `insert into voting_body (id, created_at, updated_at, cluster_id, kind, name, rules, seats)
         values (gen_random_uuid(), now(), now(), $1, 'BOARD', 'Conseil d’administration de FrenchSouth.digital', $2, $3)`,
        [
          clusterId,
          JSON.stringify(rules),
          JSON.stringify(collegeIds.map((collegeId) => ({ collegeId, seats: Math.ceil(electorate / COLLEGES.length) }))),
        ],
      );

      // The cluster's administrator, who closes the votes.
      await client.query(
        `create temporary table bench_admin on commit drop as select gen_random_uuid() as account_id;
         insert into account (id, created_at, updated_at, email, display_name, password_hash, email_verified_at)
         select account_id, now(), now(), 'admin@bench.example', 'Bench cluster admin', 'x', now() from bench_admin`,
      );
      await client.query(
        `insert into role_assignment (id, created_at, updated_at, account_id, role, cluster_id, valid_from)
         select gen_random_uuid(), now(), now(), account_id, 'CLUSTER_ADMIN', $1, now() - interval '1 day' from bench_admin`,
        [clusterId],
      );
      await client.query(
        `insert into session (id, created_at, updated_at, account_id, token_hash, expires_at, last_used_at)
         select gen_random_uuid(), now(), now(), account_id, $1, now() + interval '1 day', now() from bench_admin`,
        [digest(ADMIN_TOKEN)],
      );

      // The electorate: accounts (email verified), a BOARD_MEMBER right each, a session each (signed in within the minute).
      await client.query(
        `create temporary table bench_voter on commit drop as
         select i, gen_random_uuid() as account_id, ($1::uuid[])[1 + i % $2] as college_id,
                'bench-voter-' || lpad(i::text, 7, '0') || '-token' as token
           from generate_series(0, $3 - 1) i`,
        [collegeIds, collegeIds.length, electorate],
      );
      await client.query(
        `insert into account (id, created_at, updated_at, email, display_name, password_hash, email_verified_at)
         select account_id, now(), now(), 'voter-' || lpad(i::text, 7, '0') || '@bench.example', 'Voter ' || i, 'x', now() from bench_voter`,
      );
      await client.query(
        `insert into role_assignment (id, created_at, updated_at, account_id, role, cluster_id, valid_from)
         select gen_random_uuid(), now(), now(), account_id, 'BOARD_MEMBER', $1, now() - interval '1 day' from bench_voter`,
        [clusterId],
      );
      await client.query(
        `insert into session (id, created_at, updated_at, account_id, token_hash, expires_at, last_used_at)
         select gen_random_uuid(), now(), now(), account_id, encode(sha256(convert_to(token, 'UTF8')), 'hex'), now() + interval '1 day', now()
           from bench_voter`,
      );

      boxes = {
        graphql: await openBoxes(client, perTarget, 'Budget (API)'),
        raw: await openBoxes(client, perTarget, 'Budget (baseline)'),
      };

      // The boxes closed after the runs: every voter took part, 70 % FOR, 20 % AGAINST, 10 % ABSTAIN.
      tallyBoxes = await openBoxes(client, TALLY_BOXES, 'Budget (clôture)');
      await client.query(
        `insert into participation (id, created_at, updated_at, party_id, voter_id, cast_by_id)
         select gen_random_uuid(), now(), now(), e.party_id, e.voter_id, e.voter_id
           from elector e join proposal_party pp on pp.id = e.party_id where pp.proposal_id = any($1::uuid[])`,
        [tallyBoxes],
      );
      await client.query(
        `insert into ballot (id, party_id, choice, college_id, weight, receipt_digest)
         select gen_random_uuid(), e.party_id, ($2::ballot_choice[])[1 + v.i % 10], e.college_id, e.weight,
                encode(sha256(gen_random_uuid()::text::bytea), 'hex')
           from elector e join proposal_party pp on pp.id = e.party_id join bench_voter v on v.account_id = e.voter_id
          where pp.proposal_id = any($1::uuid[])
          order by random()`,
        [tallyBoxes, CHOICES],
      );
      await client.query('commit');
      await client.query('analyze');
    } finally {
      await client.end();
    }

    const sent: Record<Target, number> = { graphql: 0, raw: 0 };
    return {
      variables: { input: { proposalId: boxes.graphql[0], choice: 'FOR' } },
      rawPath: `/raw/vote/${boxes.raw[0]}/FOR`,
      // Request n of a target: voter n mod the electorate in that target's box n / the electorate.
      next(target) {
        const n = sent[target]++;
        const box = boxes[target][Math.floor(n / electorate)];
        if (!box) throw new Error(`all ${boxes[target].length} ballot boxes of ${target} are full (${n} ballots)`);
        const voter = n % electorate;
        const choice = CHOICES[voter % CHOICES.length];
        return {
          headers: { authorization: `Bearer ${voterToken(voter)}` },
          variables: { input: { proposalId: box, choice } },
          rawPath: `/raw/vote/${box}/${choice}`,
        };
      },
    };
  },

  graphql: { query: VOTE },

  // Each answer has its own receipt, and its box: the receipt's format and a box of the run are what both must show.
  comparable(answer) {
    const vote = (answer as { data?: { castVote?: { receipt?: unknown; proposal?: { id?: unknown; state?: unknown } } } })?.data?.castVote;
    if (!vote || typeof vote.receipt !== 'string' || typeof vote.proposal?.id !== 'string') return answer;
    const ours = [...boxes.graphql, ...boxes.raw].includes(vote.proposal.id);
    return {
      ...(answer as object),
      data: {
        castVote: {
          receipt: RECEIPT.test(vote.receipt) ? '<32 base64url characters>' : vote.receipt,
          proposal: { id: ours ? '<a ballot box of the run>' : vote.proposal.id, state: vote.proposal.state },
        },
      },
    };
  },

  raw: {
    method: 'POST',
    path: '/raw/vote/:proposalId/:choice',
    handler: (pool) =>
      rawHandler(async (req) => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const choice = String(req.params.choice);
        if (!['FOR', 'AGAINST', 'ABSTAIN'].includes(choice)) return failure('Unknown choice.', 'BAD_USER_INPUT');
        const client = await pool.connect();
        try {
          await client.query('begin');
          const {
            rows: [row],
          } = await client.query<CheckRow>(statement('vote_check', CHECK_SQL, [digest(token), req.params.proposalId]));
          const refuse = async (message: string, code: string) => {
            await client.query('rollback');
            return failure(message, code);
          };
          if (!row) return await refuse('This token is not valid.', 'UNAUTHENTICATED');
          if (!row.party_id) return await refuse('You are not in this vote’s electorate.', 'FORBIDDEN');
          if (row.gave_proxy) return await refuse('You gave a standing proxy for this vote: revoke it to vote yourself.', 'CONFLICT');
          await client.query(statement('vote_ballot_box', BALLOT_BOX_SQL, [row.party_id]));
          const participationId = randomUUID();
          const took = await client.query(
            statement('vote_participation', PARTICIPATION_SQL, [row.party_id, row.account_id, participationId]),
          );
          if (took.rowCount !== 1) return await refuse('Voting on this proposal is not open.', 'CONFLICT');
          const receipt = randomBytes(24).toString('base64url');
          const secret = row.secrecy === 'SECRET';
          if (secret) await client.query('savepoint secret_ballot');
          await client.query(
            statement('vote_ballot', BALLOT_SQL, [
              row.party_id,
              choice,
              row.college_id,
              row.weight,
              digest(receipt),
              secret ? null : row.account_id,
            ]),
          );
          if (secret) await client.query('release savepoint secret_ballot');
          if (BASELINE.has('audited')) {
            const occurredAt = new Date();
            const after = { party: row.party_id, voter: row.account_id, castBy: row.account_id, ...(secret ? {} : { choice }) };
            const content = canonicalJson({
              occurredAt: occurredAt.toISOString(),
              actorId: row.account_id,
              action: 'vote.cast',
              entityType: 'Participation',
              entityId: participationId,
              before: null,
              after,
              requestId: null,
            });
            await client.query(AUDIT_LOCK_SQL);
            await client.query(
              statement('vote_audit', AUDIT_SQL, [
                occurredAt,
                row.account_id,
                participationId,
                JSON.stringify(after),
                content,
                GENESIS_HASH,
              ]),
            );
          }
          await client.query('commit');
          return { data: { castVote: { receipt, proposal: { id: row.proposal_id, state: 'VOTING' } } } };
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          if ((error as { code?: string }).code === '23505')
            return failure('This voter has already voted on this proposal: a ballot is final.', 'CONFLICT');
          throw error;
        } finally {
          client.release();
        }
      }),
  },

  async afterRun(app) {
    const lines: string[] = [];
    const client = new pg.Client({ connectionString: app.databaseUrl });
    await client.connect();
    try {
      // Every accepted request left exactly one participation and one ballot.
      for (const target of ['graphql', 'raw'] as const) {
        const { rows } = await client.query<{ participations: number; ballots: number }>(
          `select (select count(*) from participation x join proposal_party pp on pp.id = x.party_id where pp.proposal_id = any($1::uuid[]))::int as participations,
                  (select count(*) from ballot b join proposal_party pp on pp.id = b.party_id where pp.proposal_id = any($1::uuid[]))::int as ballots`,
          [boxes[target]],
        );
        const { participations, ballots } = rows[0];
        if (participations !== ballots) throw new Error(`${target}: ${participations} participations but ${ballots} ballots`);
        lines.push(`${target === 'graphql' ? 'graphql' : 'raw pg '}: ${ballots} ballots recorded, each with its participation`);
      }

      // The physical limit, measured now, in this run: at the app's pool size and at the scenario's connections.
      const castVote = app.results.medianReqPerSec.graphql;
      const baseline = app.results.medianReqPerSec.raw;
      for (const connections of [APP_POOL, CONNECTIONS]) {
        const probe = await commitRate(app.databaseUrl, connections, PROBE_SECONDS);
        lines.push(
          `single-row commits/s at ${connections} connections (synchronous_commit=${probe.synchronousCommit}, ${PROBE_SECONDS}s): ` +
            `${probe.perSecond.toFixed(0)}; castVote's median ${castVote.toFixed(0)}/s is ${((100 * castVote) / probe.perSecond).toFixed(1)} % of it, ` +
            `the baseline's (${BASELINE_NAME}) ${baseline.toFixed(0)}/s ${((100 * baseline) / probe.perSecond).toFixed(1)} %`,
        );
      }

      const times: number[] = [];
      for (const proposalId of tallyBoxes) {
        const started = performance.now();
        const response = await fetch(`${app.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
          body: JSON.stringify({ query: CLOSE, variables: { input: { proposalId } } }),
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        const ms = performance.now() - started;
        const state = (JSON.parse(text) as { data?: { closeVoting?: { proposal?: { state?: string } } } }).data?.closeVoting?.proposal
          ?.state;
        if (response.status !== 200 || (state !== 'ADOPTED' && state !== 'REJECTED'))
          throw new Error(`closeVoting answered ${response.status}: ${text.slice(0, 500)}`);
        const { rows } = await client.query<{ ballots: number; tallied: number | null }>(
          `select (select count(*) from ballot where party_id = pp.id)::int as ballots, (pp.tally->>'ballots')::int as tallied
             from proposal_party pp where pp.proposal_id = $1 and pp.state = 'CLOSED' and pp.ballots_digest is not null`,
          [proposalId],
        );
        if (rows[0]?.ballots !== electorate || rows[0].tallied !== electorate)
          throw new Error(`the closed box holds ${rows[0]?.ballots ?? 'no'} ballots, ${rows[0]?.tallied ?? 'none'} tallied`);
        times.push(ms);
        lines.push(`closeVoting (tally of ${rows[0].ballots} ballots, sealed, ${state}) through the API: ${ms.toFixed(0)} ms`);
      }
      const sorted = [...times].sort((a, b) => a - b);
      lines.push(
        `close-and-tally of ${electorate} ballots: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms of ${times.length} ` +
          `(${((electorate * 1000) / sorted[Math.floor(sorted.length / 2)]).toFixed(0)} ballots/s)`,
      );
    } finally {
      await client.end();
    }
    return lines;
  },
};
