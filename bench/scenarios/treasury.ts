import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { rawHandler, type Scenario } from '../scenario.js';
import { isoDay, addDays, hash } from '../data.js';

/**
 * The treasury report of a cluster whose ledger holds 100 000 entries, and 1 000 000 (`sizes`, see
 * `BENCH_SIZES`; issue 14's goal is set at 1 000 000): one subsidy per 50 entries (2 000, and
 * 20 000) from six funders decided over the last six years, three instalments each (30 % at
 * decision + 30 days, 50 % a year on, the 20 % balance two years on), received in tranches, with
 * erroneous receipts reversed, freezes (some still open), clawbacks, cancellations, overpayments
 * and late payments. Two neighbouring clusters (a fifth and a tenth of its size) share the tables
 * (loaded first); `ANALYZE` after loading. Signed in as the cluster's treasurer, the GraphQL side
 * asks for the totals and the per-funder figures; the baseline checks the token and the role in
 * one statement and computes the same figures in one hand-written aggregate statement, both
 * prepared (named statements, as the app prepares its authentication). Plans before and after
 * issue 14's rework of the report's SQL: bench/treasury-plans.md.
 */
const SIZES = [100_000, 1_000_000];
const ENTRIES_PER_SUBSIDY = 50;
/** The other clusters: their name, slug and size relative to the measured one. */
const NEIGHBOURS = [
  { name: 'Robotics Place', slug: 'robotics-place', share: 5 },
  { name: 'Aerospace Valley', slug: 'aerospace-valley', share: 10 },
];
const TOKEN = 'bench-treasurer-token-00000000000000000000000';

/** Instalments: days after the decision each falls due, and tenths of the award. */
const DUE_AFTER = [30, 365, 730];
const SHARE = [3, 5, 2];
const KINDS = ['ADVANCE', 'INTERIM', 'BALANCE'];
/** States in which money is still expected (src/finance/subsidy-state.ts EXPECTING). */
const EXPECTING = ['AWARDED', 'ACTIVE', 'FROZEN', 'PARTLY_RECEIVED', 'JUSTIFIED'];

const FUNDERS = [
  { name: 'Région Occitanie', kind: 'REGION', weight: 8, programme: { name: 'Fab Région', kind: 'CALL_FOR_PROJECTS' } },
  { name: 'État — DREETS Occitanie', kind: 'STATE', weight: 4, programme: { name: 'France 2030 — Territoires', kind: 'OTHER' } },
  {
    name: 'Union européenne — FEDER',
    kind: 'EU_ERDF',
    weight: 3,
    programme: { name: 'PO FEDER-FSE+ Occitanie 2021-2027', kind: 'OPERATIONAL_PROGRAMME' },
  },
  { name: 'Département de l’Hérault', kind: 'DEPARTMENT', weight: 2, programme: null },
  { name: 'Montpellier Méditerranée Métropole', kind: 'METROPOLIS', weight: 2, programme: null },
  { name: 'Fondation Crédit Agricole', kind: 'PRIVATE', weight: 1, programme: null },
] as const;

const QUERY = `query Treasury($cluster: ID!) {
  treasuryReport(clusterId: $cluster) {
    subsidies awarded received outstanding frozen forgone overpaid overdue dueNext90Days
    byFunder { funderId funderName subsidies awarded received outstanding frozen }
  }
}`;

// What any endpoint serving a cluster's treasury must do first: the bearer token's session is
// live, its account enabled and its email verified, and one of its roles in force reads the treasury of the cluster
// (src/auth/permissions.ts: ADMIN, or TREASURER, CLUSTER_ADMIN, BOARD_MEMBER of the whole cluster).
const ACCESS_SQL = `select 1
    from session s join account a on a.id = s.account_id
    join role_assignment r on r.account_id = a.id
    join cluster c on c.id = $2
   where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and not a.disabled and a.email_verified_at is not null
     and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
     and (r.role = 'ADMIN' or (r.role in ('TREASURER', 'CLUSTER_ADMIN', 'BOARD_MEMBER') and r.cluster_id = c.id and r.college_id is null))
   limit 1`;

// The report by hand, one statement: the cluster's subsidies with their ledger sums, the unpaid
// parts of their instalments (receipts pay them in order), totals and per-funder figures in one
// pass (grouping sets). Entries are summed by their own kind in one scan (a REVERSAL falls in
// neither sum there); reversals, which count as the kind of the entry they reverse, are added from
// a small join found through the unique index on reverses_id, instead of looking up a reversed
// entry for each of the 100 000 entries. Subsidies are the cluster's by subsidy.cluster_id, not
// ledger_entry.cluster_id (entries written before a TRANSFER name the cluster that gave it up).
// $1 cluster, $2 as-of date, $3 as-of + 90 days.
export const REPORT_SQL = `with sub as (
    select s.id, s.funder_id, s.state in (${EXPECTING.map((state) => `'${state}'`).join(', ')}) as expecting,
           s.state = 'FROZEN' and not exists (select from subsidy_freeze f
                                               where f.subsidy_id = s.id and f.released_at is null and f.until <= $2) as frozen_now,
           coalesce(l.awarded, 0) + coalesce(rv.awarded, 0) as awarded, coalesce(l.received, 0) + coalesce(rv.received, 0) as received
      from subsidy s
      left join (select e.subsidy_id,
                        sum(e.amount) filter (where e.kind in ('AWARD', 'CLAWBACK')) as awarded,
                        sum(e.amount) filter (where e.kind in ('RECEIPT', 'CLAWBACK')) as received
                   from ledger_entry e join subsidy es on es.id = e.subsidy_id and es.cluster_id = $1
                  group by e.subsidy_id) l on l.subsidy_id = s.id
      left join (select v.subsidy_id,
                        sum(v.amount) filter (where t.kind in ('AWARD', 'CLAWBACK')) as awarded,
                        sum(v.amount) filter (where t.kind in ('RECEIPT', 'CLAWBACK')) as received
                   from ledger_entry v join ledger_entry t on t.id = v.reverses_id
                  where v.reverses_id is not null
                  group by v.subsidy_id) rv on rv.subsidy_id = s.id
     where s.cluster_id = $1),
  fig as (
    select *, case when expecting then greatest(awarded - received, 0) else 0 end as outstanding,
              case when expecting then 0 else greatest(awarded - received, 0) end as forgone,
              greatest(received - awarded, 0) as overpaid
      from sub),
  due as (
    select i.due_on, i.amount - least(i.amount, greatest(0, sub.received - (sum(i.amount) over w - i.amount))) as unpaid
      from instalment i join sub on sub.id = i.subsidy_id
     where sub.expecting and not sub.frozen_now
    window w as (partition by i.subsidy_id order by i.position))
  select grouping(f.id) = 1 as total, f.id as funder_id, f.name as funder_name, count(*)::int as subsidies,
         coalesce(sum(awarded), 0)::text as awarded, coalesce(sum(received), 0)::text as received,
         coalesce(sum(outstanding), 0)::text as outstanding, coalesce(sum(outstanding) filter (where frozen_now), 0)::text as frozen,
         coalesce(sum(forgone), 0)::text as forgone, coalesce(sum(overpaid), 0)::text as overpaid,
         (select coalesce(sum(unpaid), 0)::text from due where due_on < $2) as overdue,
         (select coalesce(sum(unpaid), 0)::text from due where due_on >= $2 and due_on < $3) as due_next_90_days
    from fig join funder f on f.id = fig.funder_id
   group by grouping sets ((), (f.id, f.name))
   order by grouping(f.id) desc, f.name`;

interface ReportRow {
  total: boolean;
  funder_id: string | null;
  funder_name: string | null;
  subsidies: number;
  awarded: string;
  received: string;
  outstanding: string;
  frozen: string;
  forgone: string;
  overpaid: string;
  overdue: string;
  due_next_90_days: string;
}

/** One subsidy and what its ledger holds. Amounts in cents (well within 2^53). */
interface Plan {
  id: string;
  funder: number;
  decisionDate: string;
  amount: number;
  state: string;
  /** Net received through regular receipts, split into `tranches` RECEIPT entries. */
  received: number;
  tranches: number;
  /** Erroneous receipts, each reversed. */
  errors: number;
  overpayment: number;
  clawback: number;
  cancelled: boolean;
  freeze: { until: string | null; proposal: string | null; stateBefore: string } | null;
  pastFreeze: boolean;
}

/** The subsidies of one cluster, as of `today`, with tranches so that the ledger holds `entries` entries. */
function plan(count: number, entries: number, salt: number, today: string): Plan[] {
  const weights = FUNDERS.flatMap((f, index) => Array<number>(f.weight).fill(index));
  const plans = Array.from({ length: count }, (_, i): Plan => {
    const r = hash(i, salt + 2) % 1000;
    const age = 60 + (hash(i, salt + 3) % 2131); // decided 2 months to 6 years ago
    const amount = (2000 + (hash(i, salt + 4) % 48_001)) * 1000; // 20 k€ to 500 k€, in whole tenths
    const instalments = SHARE.map((share) => (amount / 10) * share);
    const dueCount = DUE_AFTER.filter((days) => days < age).length;
    const paidThrough = (n: number) => instalments.slice(0, Math.max(n, 0)).reduce((a, b) => a + b, 0);
    const p: Plan = {
      id: randomUUID(),
      funder: weights[hash(i, salt + 1) % weights.length],
      decisionDate: addDays(today, -age),
      amount,
      state: 'PARTLY_RECEIVED',
      received: paidThrough(dueCount),
      tranches: 0,
      errors: 0,
      overpayment: 0,
      clawback: 0,
      cancelled: false,
      freeze: null,
      pastFreeze: false,
    };
    if (r < 15) {
      Object.assign(p, { state: 'CANCELLED', received: 0, cancelled: true });
      return p;
    }
    if (r < 30) {
      // Frozen (until a merger, a date, or by decision), the latest instalment held back; a few past their end date.
      p.received = paidThrough(dueCount - 1);
      const stateBefore = p.received > 0 ? 'PARTLY_RECEIVED' : 'ACTIVE';
      const until = r >= 28 ? addDays(today, -10) : r % 3 === 0 ? addDays(today, 30 + r * 7) : null;
      p.freeze = { until, proposal: until === null && r % 3 === 1 ? randomUUID() : null, stateBefore };
      p.state = 'FROZEN';
      return p;
    }
    if (r < 40) {
      p.state = 'CLAWED_BACK';
      p.clawback = Math.round(p.received / 4000) * 1000;
    } else if (age < 90 && r % 2 === 0) {
      // Decided recently, the advance not in yet (overdue).
      Object.assign(p, { state: r % 4 === 0 ? 'AWARDED' : 'ACTIVE', received: 0 });
    } else if (dueCount === 3) {
      if (age > 1130) {
        p.state = 'CLOSED';
        if (r % 10 === 0) p.received -= instalments[2]; // the balance never came: forgone
      } else p.state = r % 3 === 0 ? 'RECEIVED' : 'JUSTIFIED';
    }
    if (r >= 40 && r < 70 && (p.state === 'PARTLY_RECEIVED' || p.state === 'JUSTIFIED')) {
      // A late payer: the latest instalment due not (fully) in.
      p.received -= r % 2 ? instalments[dueCount - 1] : instalments[dueCount - 1] / 2;
      if (p.received === 0) p.state = 'ACTIVE';
    }
    if (r >= 70 && r < 76 && (p.state === 'RECEIVED' || p.state === 'CLOSED') && p.received === amount) {
      p.overpayment = (1000 + r * 10) * 100;
    }
    p.pastFreeze = r >= 100 && r < 200;
    if (r >= 200 && r < 400) p.errors = 1 + (r % 3);
    return p;
  });
  // The remaining entries are receipt tranches, spread over the subsidies that received money.
  const fixed = plans.reduce(
    (n, p) =>
      n +
      1 +
      (p.cancelled ? 1 : 0) +
      (p.clawback ? 1 : 0) +
      (p.freeze ? 1 : 0) +
      (p.pastFreeze ? 2 : 0) +
      2 * p.errors +
      (p.overpayment ? 1 : 0),
    0,
  );
  const paid = plans.filter((p) => p.received > 0);
  const tranches = entries - fixed;
  if (tranches < paid.length) throw new Error(`${entries} entries are too few for ${count} subsidies`);
  paid.forEach((p, k) => (p.tranches = Math.floor(tranches / paid.length) + (k < tranches % paid.length ? 1 : 0)));
  return plans;
}

/** Inserts a cluster's subsidies, instalments, freezes and ledger, set-based. Returns how many entries it wrote. */
async function loadCluster(
  client: pg.Client,
  clusterId: string,
  funderIds: string[],
  programmeIds: (string | null)[],
  plans: Plan[],
  today: string,
  actorId: string,
) {
  const ids = plans.map((p) => p.id);
  const column = <T>(pick: (p: Plan) => T) => plans.map(pick);
  await client.query(
    `insert into subsidy (id, created_at, updated_at, cluster_id, funder_id, programme_id, purpose, decision_reference, decision_date,
                          amount_awarded, eligible_cost, justification_deadline, state)
     select id, decision_date, now(), $1, funder_id, programme_id, 'Programme d''actions ' || extract(year from decision_date) || ' — action ' || n,
            'DEC-' || extract(year from decision_date) || '-' || lpad(n::text, 5, '0'), decision_date, amount, amount * 5 / 4, decision_date + 1000,
            state::subsidy_state
       from unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::date[], $6::bigint[], $7::text[]) with ordinality as t(id, funder_id, programme_id, decision_date, amount, state, n)`,
    [
      clusterId,
      ids,
      column((p) => funderIds[p.funder]),
      column((p) => programmeIds[p.funder]),
      column((p) => p.decisionDate),
      column((p) => p.amount),
      column((p) => p.state),
    ],
  );
  await client.query(
    `insert into instalment (id, created_at, updated_at, subsidy_id, position, kind, amount, due_on)
     select gen_random_uuid(), s.created_at, now(), s.id, p, ($3::text[])[p]::instalment_kind, s.amount_awarded * ($2::int[])[p] / 10,
            s.decision_date + ($1::int[])[p]
       from subsidy s cross join generate_series(1, 3) as p
      where s.cluster_id = $4`,
    [DUE_AFTER, SHARE, KINDS, clusterId],
  );
  const entry = `insert into ledger_entry (id, created_at, updated_at, subsidy_id, cluster_id, kind, amount, value_date, bank_reference, reason,
                                           reverses_id, overpayment_reason, actor_id)`;
  // The awards, then the regular receipts in tranches between the advance and today.
  await client.query(
    `${entry}
     select gen_random_uuid(), s.created_at, now(), s.id, s.cluster_id, 'AWARD', s.amount_awarded, s.decision_date, null, s.decision_reference,
            null, null, $2
       from subsidy s where s.cluster_id = $1`,
    [clusterId, actorId],
  );
  await client.query(
    `${entry}
     select gen_random_uuid(), now(), now(), t.id, $1, 'RECEIPT', case when k < t.n then t.received / t.n else t.received - t.received / t.n * (t.n - 1) end,
            d.day, 'VIR-' || to_char(d.day, 'YYYYMMDD') || '-' || k, null, null, null, $3
       from unnest($4::uuid[], $5::bigint[], $6::int[]) as t(id, received, n)
       join subsidy s on s.id = t.id
       cross join generate_series(1, t.n) as k
       cross join lateral (select s.decision_date + 30 + (($2::date - s.decision_date - 30) * k / (t.n + 1)) as day) d`,
    [clusterId, today, actorId, ids, column((p) => p.received), column((p) => p.tranches)],
  );
  // Erroneous receipts (keyed twice), each reversed.
  await client.query(
    `with wrong as (
       ${entry}
       select gen_random_uuid(), now(), now(), t.id, $1, 'RECEIPT', 50000 + 100 * k, s.decision_date + 40, 'ERR-' || k, null, null, null, $2
         from unnest($3::uuid[], $4::int[]) as t(id, n) join subsidy s on s.id = t.id cross join generate_series(1, t.n) as k
       returning id, subsidy_id, amount, value_date)
     ${entry}
     select gen_random_uuid(), now(), now(), subsidy_id, $1, 'REVERSAL', -amount, value_date + 5, null, 'Saisie en double', id, null, $2 from wrong`,
    [clusterId, actorId, ids, column((p) => p.errors)],
  );
  const cancelled = plans.filter((p) => p.cancelled).map((p) => p.id);
  await client.query(
    `${entry}
     select gen_random_uuid(), now(), now(), a.subsidy_id, $1, 'REVERSAL', -a.amount, a.value_date + 60, null, 'Projet abandonné', a.id, null, $2
       from ledger_entry a where a.kind = 'AWARD' and a.subsidy_id = any($3::uuid[])`,
    [clusterId, actorId, cancelled],
  );
  const clawed = plans.filter((p) => p.clawback);
  await client.query(
    `${entry}
     select gen_random_uuid(), now(), now(), t.id, $1, 'CLAWBACK', -t.amount, $2::date - 20, null, 'Dépenses non justifiées', null, null, $3
       from unnest($4::uuid[], $5::bigint[]) as t(id, amount)`,
    [clusterId, today, actorId, clawed.map((p) => p.id), clawed.map((p) => p.clawback)],
  );
  const overpaid = plans.filter((p) => p.overpayment);
  await client.query(
    `${entry}
     select gen_random_uuid(), now(), now(), t.id, $1, 'RECEIPT', t.amount, $2::date - 15, 'VIR-TROP-PERCU', null, null, 'Versement en double du financeur', $3
       from unnest($4::uuid[], $5::bigint[]) as t(id, amount)`,
    [clusterId, today, actorId, overpaid.map((p) => p.id), overpaid.map((p) => p.overpayment)],
  );
  // Freezes: released ones in the past (FREEZE + RELEASE markers), and those still open (FREEZE marker).
  const past = plans.filter((p) => p.pastFreeze).map((p) => p.id);
  await client.query(
    `with f as (
       insert into subsidy_freeze (id, created_at, updated_at, subsidy_id, reason, frozen_at, state_before, frozen_by_id, released_at, release_reason, released_by_id)
       select gen_random_uuid(), now(), now(), s.id, 'Pièces manquantes', s.decision_date + ($4::date - s.decision_date) / 3, 'PARTLY_RECEIVED', $2,
              s.decision_date + ($4::date - s.decision_date) / 2, 'Pièces reçues', $2
         from subsidy s where s.id = any($3::uuid[])
       returning subsidy_id, frozen_at, released_at)
     ${entry}
     select gen_random_uuid(), now(), now(), f.subsidy_id, $1, m.kind::ledger_kind, 0, m.day, null, m.reason, null, null, $2
       from f cross join lateral (values ('FREEZE', f.frozen_at::date, 'Pièces manquantes'), ('RELEASE', f.released_at::date, 'Pièces reçues')) as m(kind, day, reason)`,
    [clusterId, actorId, past, today],
  );
  const frozen = plans.filter((p) => p.freeze);
  await client.query(
    `with f as (
       insert into subsidy_freeze (id, created_at, updated_at, subsidy_id, reason, frozen_at, until, until_proposal_id, state_before, frozen_by_id)
       select gen_random_uuid(), now(), now(), t.id, t.reason, $2::date - 30, t.until, t.proposal, t.state_before::subsidy_state, $3
         from unnest($4::uuid[], $5::text[], $6::date[], $7::uuid[], $8::text[]) as t(id, reason, until, proposal, state_before)
       returning subsidy_id, reason, frozen_at)
     ${entry}
     select gen_random_uuid(), now(), now(), f.subsidy_id, $1, 'FREEZE', 0, f.frozen_at::date, null, f.reason, null, null, $3 from f`,
    [
      clusterId,
      today,
      actorId,
      frozen.map((p) => p.id),
      frozen.map((p) =>
        p.freeze!.proposal
          ? 'Gelé jusqu’à la fusion des associations'
          : p.freeze!.until
            ? 'Gelé jusqu’au vote du budget'
            : 'Contrôle en cours',
      ),
      frozen.map((p) => p.freeze!.until),
      frozen.map((p) => p.freeze!.proposal),
      frozen.map((p) => p.freeze!.stateBefore),
    ],
  );
  const { rows } = await client.query<{ count: number }>(`select count(*)::int as count from ledger_entry where cluster_id = $1`, [
    clusterId,
  ]);
  return rows[0].count;
}

let clusterId = '';

export const treasury: Scenario = {
  name: 'treasury',
  description: `treasuryReport (totals + byFunder) of a cluster with one subsidy per ${ENTRIES_PER_SUBSIDY} ledger entries, as its treasurer, vs one hand-written SQL aggregate (both prepared)`,
  sizes: SIZES,
  sizeUnit: 'ledger entries',
  // A report over 1 000 000 entries takes a core for about half a second (and PostgreSQL adds
  // parallel workers): two at a time keep both cores busy; ten would only queue (and leave a
  // short leg with no answer at all).
  connections: 2,

  async load(databaseUrl, _run, size = SIZES[0]) {
    const entries = size;
    if (!Number.isInteger(entries) || entries < 10_000)
      throw new Error(`treasury: ${entries} ledger entries are too few (10 000 at least)`);
    const today = isoDay(new Date());
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const clusters = await client.query<{ id: string }>(
        `insert into cluster (id, created_at, updated_at, name, slug, kind, status, region)
         select gen_random_uuid(), now(), now(), t.name, t.slug, 'CLUSTER', 'ACTIVE', 'Occitanie'
           from unnest($1::text[], $2::text[]) with ordinality as t(name, slug, n) order by t.n
         returning id`,
        [
          ['FrenchSouth.digital', ...NEIGHBOURS.map((c) => c.name)],
          ['frenchsouth-digital', ...NEIGHBOURS.map((c) => c.slug)],
        ],
      );
      clusterId = clusters.rows[0].id;
      const funderIds: string[] = [];
      const programmeIds: (string | null)[] = [];
      for (const funder of FUNDERS) {
        const { rows } = await client.query<{ id: string }>(
          `insert into funder (id, created_at, updated_at, name, kind, region) values (gen_random_uuid(), now(), now(), $1, $2, 'Occitanie') returning id`,
          [funder.name, funder.kind],
        );
        funderIds.push(rows[0].id);
        if (!funder.programme) programmeIds.push(null);
        else {
          const programme = await client.query<{ id: string }>(
            `insert into programme (id, created_at, updated_at, funder_id, name, kind) values (gen_random_uuid(), now(), now(), $1, $2, $3) returning id`,
            [rows[0].id, funder.programme.name, funder.programme.kind],
          );
          programmeIds.push(programme.rows[0].id);
        }
      }
      // The treasurer: an account, the TREASURER role over the whole cluster, and a session whose token the harness sends.
      const account = await client.query<{ id: string }>(
        `insert into account (id, created_at, updated_at, email, display_name, password_hash, email_verified_at)
         values (gen_random_uuid(), now(), now(), 'treasurer@bench.example', 'Bench treasurer', 'x', now()) returning id`,
      );
      const accountId = account.rows[0].id;
      await client.query(
        `insert into role_assignment (id, created_at, updated_at, account_id, role, cluster_id, college_id, valid_from)
         values (gen_random_uuid(), now(), now(), $1, 'TREASURER', $2, null, now() - interval '1 day')`,
        [accountId, clusterId],
      );
      await client.query(
        `insert into session (id, created_at, updated_at, account_id, token_hash, expires_at, last_used_at)
         values (gen_random_uuid(), now(), now(), $1, $2, now() + interval '1 day', now())`,
        [accountId, createHash('sha256').update(TOKEN).digest('hex')],
      );
      // The neighbours first, so the measured cluster's entries are not the table's first pages.
      for (const [k, neighbour] of NEIGHBOURS.entries()) {
        const theirs = Math.floor(entries / neighbour.share);
        await loadCluster(
          client,
          clusters.rows[k + 1].id,
          funderIds,
          programmeIds,
          plan(Math.floor(theirs / ENTRIES_PER_SUBSIDY), theirs, 100 * (k + 1), today),
          today,
          accountId,
        );
      }
      const subsidies = Math.floor(entries / ENTRIES_PER_SUBSIDY);
      const written = await loadCluster(client, clusterId, funderIds, programmeIds, plan(subsidies, entries, 0, today), today, accountId);
      if (written !== entries) throw new Error(`the ledger holds ${written} entries for the cluster, not ${entries}`);
      await client.query('commit');
      await client.query('analyze');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
    return { variables: { cluster: clusterId }, headers: { authorization: `Bearer ${TOKEN}` }, rawPath: `/raw/treasury/${clusterId}` };
  },

  graphql: { query: QUERY },

  raw: {
    method: 'GET',
    path: '/raw/treasury/:clusterId',
    handler: (pool) =>
      rawHandler(async (req) => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const cluster = req.params.clusterId;
        const access = await pool.query({
          name: 'treasury-access',
          text: ACCESS_SQL,
          values: [createHash('sha256').update(token).digest('hex'), cluster],
        });
        if (access.rowCount === 0) return { errors: [{ message: 'Not allowed.', extensions: { code: 'FORBIDDEN' } }] };
        const today = isoDay(new Date());
        const { rows } = await pool.query<ReportRow>({
          name: 'treasury-report',
          text: REPORT_SQL,
          values: [cluster, today, addDays(today, 90)],
        });
        const [total, ...funders] = rows;
        return {
          data: {
            treasuryReport: {
              subsidies: total.subsidies,
              awarded: total.awarded,
              received: total.received,
              outstanding: total.outstanding,
              frozen: total.frozen,
              forgone: total.forgone,
              overpaid: total.overpaid,
              overdue: total.overdue,
              dueNext90Days: total.due_next_90_days,
              byFunder: funders.map((f) => ({
                funderId: f.funder_id,
                funderName: f.funder_name,
                subsidies: f.subsidies,
                awarded: f.awarded,
                received: f.received,
                outstanding: f.outstanding,
                frozen: f.frozen,
              })),
            },
          },
        };
      }),
  },
};
