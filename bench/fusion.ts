/**
 * Fusion execution benchmark (issue 6): `npm run bench:fusion`. See bench/README.md.
 *
 * A one-shot timing, not a throughput run: it executes an adopted FUSION proposal through
 * `FusionService.execute` — the code behind `executeProposal` — on a database holding three
 * absorbed associations with 5 000 current memberships and 2 000 ledger entries, and prints the
 * wall-clock time and the number of SQL statements. The same is done first with 500 members:
 * the statement count must be the same at both sizes (the moves are batched, never one
 * statement per member).
 *
 * For each size:
 *   1. a fresh database on a throw-away embedded PostgreSQL (.tmp/bench-fusion-<pid>-<random>/,
 *      removed at the end, also on failure), migrated with the MikroORM migrator;
 *   2. the data, loaded set-based (one `insert … select from unnest(…)` per table): an absorbing
 *      cluster with 3 collèges and its own members, 3 absorbed clusters with 2, 1 and 2 collèges
 *      and together N current memberships (some organisations in two collèges that merge into
 *      the same one, some already members of their target collège, a few who joined after the
 *      effective date, resigned memberships kept as history), representative and board
 *      mandates (in force, and ended), rights without a mandate (administrator, treasurer, member;
 *      one ended), pending applications (a few whose organisation already
 *      applied to the target collège), 200 subsidies with 2 000 AWARD/RECEIPT entries, one of
 *      them FROZEN until this fusion, a partnership convention, and the FUSION proposal ADOPTED
 *      by the boards of its four parties with its plan (effective 30 days ago); then ANALYZE,
 *      as a database in service has statistics;
 *   3. a dry run (`dryRun: true`), timed and counted; the database must be unchanged after it;
 *   4. the execution, timed (wall clock around `execute`) and counted, by a cluster admin of the
 *      absorbing cluster, through an ORM built from `ormOptions` whose logger records every
 *      statement (begin/commit and savepoints included) with the time the ORM measured for it;
 *   5. verification with SQL: every membership continued in its mapped collège with its seniority,
 *      clusters MERGED, mandates ended at the effective date with their rights, every other right
 *      in the absorbed clusters ended, applications moved or closed, subsidies transferred with
 *      their ledger intact to the cent, the frozen subsidy released, the convention carried, the
 *      report as expected and equal to the dry run's, the audit chain intact.
 *
 * Printed: per size, the dry run's and the execution's time and statements, what moved, and the
 * execution's costliest statements (all of them with BENCH_FUSION_SQL=1). The exit code is
 * non-zero if a verification fails, if the statement count differs between the sizes, or if
 * the execution at the large size takes longer than the goal.
 *
 *   BENCH_FUSION_MEMBERS  5000  current memberships of the absorbed clusters (large size)
 *   BENCH_FUSION_SMALL    500   the same, small size (the statement count must not change)
 *   BENCH_FUSION_ENTRIES  2000  AWARD/RECEIPT ledger entries (a multiple of 10; 10 per subsidy)
 *   BENCH_FUSION_GOAL_MS  5000  the goal for the execution at the large size
 *   BENCH_FUSION_SQL      —     1: print every statement of each execution with its time
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { recordingOrmOptions, StatementRecorder, type Statement } from './statements.js';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { pino } from 'pino';
import { AuditService, type Actor } from '../src/audit/audit.service.js';
import { ensureDatabase } from '../src/database/database.js';
import { startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '../src/database/embedded-postgres.js';
import { ormOptions } from '../src/database/orm.config.js';
import { trustedScope } from '../src/auth/domain-service.js';
import { FusionService, type ExecutionReport } from '../src/fusion/fusion.service.js';
import { intEnv, PROJECT_ROOT, runMain } from './settings.js';
import { isoDay, addDays, hash } from './data.js';

const settings = {
  members: intEnv('BENCH_FUSION_MEMBERS', 5000, 100, 1_000_000),
  small: intEnv('BENCH_FUSION_SMALL', 500, 100, 1_000_000),
  entries: intEnv('BENCH_FUSION_ENTRIES', 2000, 10, 10_000_000),
  goalMs: intEnv('BENCH_FUSION_GOAL_MS', 5000, 1, 3_600_000),
  printSql: process.env.BENCH_FUSION_SQL === '1',
};
if (settings.entries % 10 !== 0) throw new Error('BENCH_FUSION_ENTRIES must be a multiple of 10 (one AWARD and nine RECEIPTs per subsidy)');

const log = (message: string) => process.stderr.write(`[bench:fusion] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Counting the ORM's statements: bench/statements.ts

// ---------------------------------------------------------------------------------------------
// The data

const atNoon = (day: string) => `${day}T12:00:00Z`;

type Column = [type: string, values: unknown[]];

/**
 * One set-based insert: `insert into table (…) select … from unnest($1::t1[], $2::t2[], …)`,
 * plus constant expressions (created_at and updated_at are now()).
 */
async function insert(client: pg.Client, table: string, columns: Record<string, Column>, constants: Record<string, string> = {}) {
  const names = Object.keys(columns);
  const lengths = new Set(names.map((n) => columns[n][1].length));
  if (lengths.size !== 1) throw new Error(`${table}: columns of different lengths`);
  if ([...lengths][0] === 0) return;
  const all = { created_at: 'now()', updated_at: 'now()', ...constants };
  const sql = `insert into "${table}" (${[...names, ...Object.keys(all)].map((n) => `"${n}"`).join(', ')})
    select ${[...names.map((n) => `u."${n}"`), ...Object.values(all)].join(', ')}
      from unnest(${names.map((n, i) => `$${i + 1}::${columns[n][0]}[]`).join(', ')}) as u(${names.map((n) => `"${n}"`).join(', ')})`;
  await client.query(
    sql,
    names.map((n) => columns[n][1]),
  );
}

/** Rows as columns: `columnsOf(rows, { id: 'uuid', … })`. */
function columnsOf<R extends object>(rows: R[], types: Partial<Record<keyof R & string, string>>): Record<string, Column> {
  return Object.fromEntries(
    Object.entries(types).map(([name, type]) => [name, [type as string, rows.map((r) => (r as Record<string, unknown>)[name])]]),
  );
}

const VOTING_RULES = {
  quorumBasisPoints: 5000,
  majority: 'TWO_THIRDS',
  abstentionsCount: false,
  weighting: 'PER_VOTER',
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 1,
  proxySameCollege: false,
  secrecy: 'SECRET',
};

/** What was loaded, and what the execution must do with it. */
interface Fixture {
  members: number;
  entries: number;
  effectiveDate: string;
  actor: Actor;
  proposalId: string;
  absorbingId: string;
  absorbedIds: string[];
  /** Each absorbed collège and the absorbing collège the plan sends its members to. */
  fromColleges: string[];
  toColleges: string[];
  currentMembershipIds: string[];
  /** Their status before the fusion (ACTIVE or SUSPENDED), which the membership started by the fusion keeps. */
  currentStatuses: string[];
  historyMembershipIds: string[];
  ownMembersOfAbsorbing: number;
  subsidyIds: string[];
  frozenSubsidyId: string;
  /** Sum of the AWARD and RECEIPT entries, in cents. */
  ledgerSum: string;
  expected: Omit<
    ExecutionReport,
    'proposalId' | 'kind' | 'dryRun' | 'subsidiesAwaitingFunderAgreement' | 'conventionId' | 'effectiveDate' | 'earlyEffectiveDate'
  >;
}

interface Account {
  id: string;
  email: string;
}

/** Loads the fusion's data set-based and returns what the checks need. */
async function load(client: pg.Client, members: number, entries: number, tag: string): Promise<Fixture> {
  const today = isoDay(new Date());
  const effectiveDate = addDays(today, -30);
  const accounts: Account[] = [];
  const newAccount = (label: string) => {
    const account = { id: randomUUID(), email: `${label}-${accounts.length}@${tag}.bench.test` };
    accounts.push(account);
    return account.id;
  };
  const adminId = newAccount('admin');

  // Clusters: the absorbing one, three absorbed, and a neighbour party to a convention.
  const cluster = (name: string, kind: string) => ({
    id: randomUUID(),
    name,
    slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    kind,
  });
  const absorbing = cluster('FrenchSouth digital', 'CLUSTER');
  const absorbed = [
    cluster('Association A', 'ASSOCIATION'),
    cluster('Association B', 'ASSOCIATION'),
    cluster('Association C', 'ASSOCIATION'),
  ];
  const neighbour = cluster('Neighbour cluster', 'CLUSTER');
  const clusters = [absorbing, ...absorbed, neighbour];

  // Collèges: 3 in the absorbing cluster; 2, 1 and 2 in the absorbed ones; 1 in the neighbour.
  const college = (clusterId: string, name: string) => ({
    id: randomUUID(),
    cluster_id: clusterId,
    name,
    slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
  });
  const targets = ['Companies', 'Education and research', 'Public bodies'].map((n) => college(absorbing.id, n));
  const absorbedColleges = [
    { college: college(absorbed[0].id, 'Companies'), share: 0.25, target: targets[0] },
    { college: college(absorbed[0].id, 'Start-ups'), share: 0.2, target: targets[0] },
    { college: college(absorbed[1].id, 'Members'), share: 0.3, target: targets[1] },
    { college: college(absorbed[2].id, 'Companies'), share: 0.15, target: targets[2] },
    { college: college(absorbed[2].id, 'Users'), share: 0.1, target: targets[2] },
  ];
  const neighbourCollege = college(neighbour.id, 'Members');
  const colleges = [...targets, ...absorbedColleges.map((c) => c.college), neighbourCollege];
  const ruleSetOf = new Map(colleges.map((c) => [c.id, randomUUID()]));

  // Organisations and memberships.
  const organisations: { id: string; name: string; kind: string; headcount: number }[] = [];
  const newOrganisation = () => {
    const i = organisations.length;
    const kinds = ['COMPANY', 'COMPANY', 'COMPANY', 'HIGHER_EDUCATION', 'RESEARCH_LAB', 'ASSOCIATION', 'PUBLIC_BODY'];
    organisations.push({
      id: randomUUID(),
      name: `Organisation ${i + 1}`,
      kind: kinds[hash(i, 1) % kinds.length],
      headcount: 1 + (hash(i, 2) % 900),
    });
    return organisations[i].id;
  };
  interface MembershipRow {
    id: string;
    organisation_id: string;
    college_id: string;
    status: string;
    started_on: string;
    member_since: string;
    ended_on: string | null;
    end_reason: string | null;
  }
  const memberships: MembershipRow[] = [];
  const current: MembershipRow[] = [];
  const history: MembershipRow[] = [];
  let alreadyInTarget = 0;
  let ownMembers = 0;

  // The absorbing cluster's own members.
  const own = Math.max(100, Math.round(members / 10));
  for (let i = 0; i < own; i++) {
    const startedOn = addDays(today, -(60 + (hash(i, 3) % 3000)));
    memberships.push({
      id: randomUUID(),
      organisation_id: newOrganisation(),
      college_id: targets[i % 3].id,
      status: 'ACTIVE',
      started_on: startedOn,
      member_since: startedOn,
      ended_on: null,
      end_reason: null,
    });
    ownMembers++;
  }

  // The absorbed clusters' current members, collège by collège.
  let index = 0;
  const firstOfCollege: MembershipRow[][] = [];
  absorbedColleges.forEach((slot, c) => {
    const count = c === absorbedColleges.length - 1 ? members - index : Math.round(members * slot.share);
    firstOfCollege[c] = [];
    for (let j = 0; j < count; j++, index++) {
      let organisationId: string;
      if (c === 1 && j % 40 === 0 && j < firstOfCollege[0].length) {
        // Also a member of the cluster's other collège: both go to the same target collège.
        organisationId = firstOfCollege[0][j].organisation_id;
        alreadyInTarget++;
      } else {
        organisationId = newOrganisation();
        if (c === 2 && j % 100 === 0) {
          // Already a member of the absorbing collège the plan sends this collège to.
          memberships.push({
            id: randomUUID(),
            organisation_id: organisationId,
            college_id: slot.target.id,
            status: 'ACTIVE',
            started_on: addDays(today, -400),
            member_since: addDays(today, -400),
            ended_on: null,
            end_reason: null,
          });
          ownMembers++;
          alreadyInTarget++;
        }
      }
      // Joined a month to 10 years ago; 1 % after the effective date (they move on the day they joined).
      const startedOn = index % 100 === 7 ? addDays(today, -(hash(index, 4) % 29)) : addDays(today, -(31 + (hash(index, 5) % 3650)));
      const memberSince = index % 10 === 0 ? addDays(startedOn, -(hash(index, 6) % 1000)) : startedOn;
      const row: MembershipRow = {
        id: randomUUID(),
        organisation_id: organisationId,
        college_id: slot.college.id,
        status: index % 50 === 3 ? 'SUSPENDED' : 'ACTIVE',
        started_on: startedOn,
        member_since: memberSince,
        ended_on: null,
        end_reason: null,
      };
      memberships.push(row);
      current.push(row);
      firstOfCollege[c].push(row);
      if (index % 20 === 0) {
        // An earlier membership of the same organisation in the same collège, resigned: history, left alone.
        const ended = addDays(memberSince, -200);
        const started = addDays(ended, -(300 + (hash(index, 7) % 1000)));
        const old: MembershipRow = {
          id: randomUUID(),
          organisation_id: organisationId,
          college_id: slot.college.id,
          status: 'RESIGNED',
          started_on: started,
          member_since: started,
          ended_on: ended,
          end_reason: 'Resigned',
        };
        memberships.push(old);
        history.push(old);
      }
    }
  });

  // Pending applications to the absorbed collèges; some applicants already applied to the target collège.
  interface ApplicationRow {
    id: string;
    organisation_id: string;
    college_id: string;
    rule_set_id: string;
    state: string;
  }
  const applications: ApplicationRow[] = [];
  const pending = Math.max(20, Math.round(members / 50));
  let conflicting = 0;
  for (let i = 0; i < pending; i++) {
    const slot = absorbedColleges[i % absorbedColleges.length];
    const organisationId = newOrganisation();
    const state = i % 3 === 0 ? 'UNDER_REVIEW' : 'SUBMITTED';
    applications.push({
      id: randomUUID(),
      organisation_id: organisationId,
      college_id: slot.college.id,
      rule_set_id: ruleSetOf.get(slot.college.id)!,
      state,
    });
    if (i % 10 === 4) {
      applications.push({
        id: randomUUID(),
        organisation_id: organisationId,
        college_id: slot.target.id,
        rule_set_id: ruleSetOf.get(slot.target.id)!,
        state: 'SUBMITTED',
      });
      conflicting++;
    }
  }

  // Mandates: a representative per collège (in force) and a former one (ended); a board per
  // cluster, 6 mandates in force (half with a term ending in the future) and 2 ended.
  const roles: {
    id: string;
    account_id: string;
    role: string;
    cluster_id: string | null;
    college_id: string | null;
    valid_from: string;
    valid_to: string | null;
  }[] = [
    {
      id: randomUUID(),
      account_id: adminId,
      role: 'CLUSTER_ADMIN',
      cluster_id: absorbing.id,
      college_id: null,
      valid_from: atNoon(addDays(today, -900)),
      valid_to: null,
    },
  ];
  const reps: {
    id: string;
    college_id: string;
    representative_id: string;
    starts_at: string;
    ends_at: string | null;
    role_assignment_id: string;
  }[] = [];
  for (const c of [...targets, ...absorbedColleges.map((s) => s.college)]) {
    for (const inForce of [false, true]) {
      const accountId = newAccount('rep');
      const startsAt = atNoon(addDays(today, inForce ? -700 : -1500));
      const endsAt = inForce ? null : atNoon(addDays(today, -700));
      const roleId = randomUUID();
      roles.push({
        id: roleId,
        account_id: accountId,
        role: 'COLLEGE_REPRESENTATIVE',
        cluster_id: c.cluster_id,
        college_id: c.id,
        valid_from: startsAt,
        valid_to: endsAt,
      });
      reps.push({
        id: randomUUID(),
        college_id: c.id,
        representative_id: accountId,
        starts_at: startsAt,
        ends_at: endsAt,
        role_assignment_id: roleId,
      });
    }
  }
  const bodies = [absorbing, ...absorbed].map((cl) => ({
    id: randomUUID(),
    cluster_id: cl.id,
    kind: 'BOARD',
    name: `Board of ${cl.name}`,
    rules: JSON.stringify(VOTING_RULES),
    seats: JSON.stringify(colleges.filter((c) => c.cluster_id === cl.id).map((c) => ({ collegeId: c.id, seats: 4 }))),
  }));
  const boards: {
    id: string;
    body_id: string;
    college_id: string;
    holder_id: string;
    starts_at: string;
    ends_at: string | null;
    role_assignment_id: string;
  }[] = [];
  for (const body of bodies) {
    const bodyColleges = colleges.filter((c) => c.cluster_id === body.cluster_id);
    for (let k = 0; k < 8; k++) {
      const inForce = k < 6;
      const accountId = newAccount('board');
      const startsAt = atNoon(addDays(today, inForce ? -500 : -2000));
      const endsAt = inForce ? (k % 2 === 0 ? null : atNoon(addDays(today, 600))) : atNoon(addDays(today, -900));
      const roleId = randomUUID();
      roles.push({
        id: roleId,
        account_id: accountId,
        role: 'BOARD_MEMBER',
        cluster_id: body.cluster_id,
        college_id: null,
        valid_from: startsAt,
        valid_to: endsAt,
      });
      boards.push({
        id: randomUUID(),
        body_id: body.id,
        college_id: bodyColleges[k % bodyColleges.length].id,
        holder_id: accountId,
        starts_at: startsAt,
        ends_at: endsAt,
        role_assignment_id: roleId,
      });
    }
  }

  // Rights without a mandate in each absorbed cluster: an administrator, a treasurer and a member
  // of its first collège in force (the fusion ends them), and a former treasurer (history, untouched).
  let otherRights = 0;
  for (const cl of absorbed) {
    const firstCollege = colleges.find((c) => c.cluster_id === cl.id)!;
    for (const [role, collegeId, inForce] of [
      ['CLUSTER_ADMIN', null, true],
      ['TREASURER', null, true],
      ['MEMBER', firstCollege.id, true],
      ['TREASURER', null, false],
    ] as const) {
      roles.push({
        id: randomUUID(),
        account_id: newAccount(role.toLowerCase()),
        role,
        cluster_id: cl.id,
        college_id: collegeId,
        valid_from: atNoon(addDays(today, inForce ? -400 : -1200)),
        valid_to: inForce ? null : atNoon(addDays(today, -800)),
      });
      if (inForce) otherRights++;
    }
  }

  // Subsidies of the absorbed clusters: an AWARD and nine RECEIPTs each (45 % received).
  const funders = [
    { id: randomUUID(), name: 'Région Occitanie', kind: 'REGION' },
    { id: randomUUID(), name: 'Département de l’Hérault', kind: 'DEPARTMENT' },
    { id: randomUUID(), name: 'Union européenne — FEDER', kind: 'EU_ERDF' },
  ];
  const proposalId = randomUUID();
  const subsidyCount = entries / 10;
  const subsidies: {
    id: string;
    cluster_id: string;
    funder_id: string;
    purpose: string;
    decision_date: string;
    amount_awarded: string;
    state: string;
    transfer_requires_funder_agreement: boolean;
    funder_transfer_agreement: string | null;
  }[] = [];
  const ledger: {
    id: string;
    subsidy_id: string;
    cluster_id: string;
    kind: string;
    amount: string;
    value_date: string;
    bank_reference: string | null;
    reason: string | null;
  }[] = [];
  let ledgerSum = 0n;
  for (let s = 0; s < subsidyCount; s++) {
    const clusterId = absorbed[s % 3].id;
    const decisionDate = addDays(today, -(400 + (hash(s, 8) % 1500)));
    const amount = BigInt(20_000 + (hash(s, 9) % 480_000)) * 100n;
    const needsAgreement = s % 10 === 5;
    const id = randomUUID();
    subsidies.push({
      id,
      cluster_id: clusterId,
      funder_id: funders[s % funders.length].id,
      purpose: `Programme ${s + 1}`,
      decision_date: decisionDate,
      amount_awarded: amount.toString(),
      state: s === 1 ? 'FROZEN' : 'PARTLY_RECEIVED',
      transfer_requires_funder_agreement: needsAgreement,
      funder_transfer_agreement: needsAgreement ? `Funder's letter of ${addDays(today, -45)} agreeing to the transfer` : null,
    });
    ledger.push({
      id: randomUUID(),
      subsidy_id: id,
      cluster_id: clusterId,
      kind: 'AWARD',
      amount: amount.toString(),
      value_date: decisionDate,
      bank_reference: null,
      reason: `Decision ${s + 1}`,
    });
    ledgerSum += amount;
    for (let r = 1; r <= 9; r++) {
      const part = amount / 20n;
      ledger.push({
        id: randomUUID(),
        subsidy_id: id,
        cluster_id: clusterId,
        kind: 'RECEIPT',
        amount: part.toString(),
        value_date: addDays(decisionDate, 30 * r),
        bank_reference: `VIR-${s + 1}-${r}`,
        reason: null,
      });
      ledgerSum += part;
    }
  }
  const frozen = subsidies[1];
  // The FREEZE marker of the frozen subsidy (amount 0), beside the AWARD/RECEIPT entries.
  const freezeDay = addDays(today, -90);
  ledger.push({
    id: randomUUID(),
    subsidy_id: frozen.id,
    cluster_id: frozen.cluster_id,
    kind: 'FREEZE',
    amount: '0',
    value_date: freezeDay,
    bank_reference: null,
    reason: 'Frozen until the fusion',
  });

  // The FUSION proposal, adopted by the boards of its four parties, and its plan.
  const plan = {
    absorbingClusterId: absorbing.id,
    effectiveDate,
    absorbed: absorbed.map((cl) => ({
      clusterId: cl.id,
      targetCollegeId: absorbedColleges.find((s) => s.college.cluster_id === cl.id)!.target.id,
      collegeMoves: [],
      pendingApplications: 'MOVE',
    })),
  };
  const partnershipId = randomUUID();
  const conventionId = randomUUID();

  await client.query('begin');
  await insert(
    client,
    'account',
    columnsOf(
      accounts.map((a) => ({ ...a, display_name: a.email })),
      { id: 'uuid', email: 'text', display_name: 'text' },
    ),
    {
      password_hash: `'not-a-hash'`,
    },
  );
  await insert(client, 'cluster', columnsOf(clusters, { id: 'uuid', name: 'text', slug: 'text', kind: 'cluster_kind' }));
  await insert(client, 'college', columnsOf(colleges, { id: 'uuid', cluster_id: 'uuid', name: 'text', slug: 'text' }), {
    theme: `'Digital'`,
  });
  await insert(
    client,
    'admission_rule_set',
    columnsOf(
      colleges.map((c) => ({ id: ruleSetOf.get(c.id)!, college_id: c.id })),
      { id: 'uuid', college_id: 'uuid' },
    ),
    { version: '1', criteria: `'[]'::jsonb`, decision_mode: `'REPRESENTATIVE'` },
  );
  await insert(
    client,
    'organisation',
    columnsOf(organisations, { id: 'uuid', name: 'text', kind: 'organisation_kind', headcount: 'int' }),
    {
      affiliations: `'{}'::text[]`,
    },
  );
  await insert(
    client,
    'membership',
    columnsOf(memberships, {
      id: 'uuid',
      organisation_id: 'uuid',
      college_id: 'uuid',
      status: 'membership_status',
      started_on: 'date',
      member_since: 'date',
      ended_on: 'date',
      end_reason: 'text',
    }),
  );
  await client.query(
    `insert into membership_event (id, created_at, updated_at, membership_id, kind, effective_on)
     select gen_random_uuid(), now(), now(), id, 'STARTED'::membership_event_kind, started_on from membership
     union all
     select gen_random_uuid(), now(), now(), id, 'RESIGNED', ended_on from membership where status = 'RESIGNED'`,
  );
  await insert(
    client,
    'application',
    columnsOf(applications, { id: 'uuid', organisation_id: 'uuid', college_id: 'uuid', rule_set_id: 'uuid', state: 'application_state' }),
    {
      criteria_results: `'[]'::jsonb`,
    },
  );
  await insert(
    client,
    'role_assignment',
    columnsOf(roles, {
      id: 'uuid',
      account_id: 'uuid',
      role: 'role',
      cluster_id: 'uuid',
      college_id: 'uuid',
      valid_from: 'timestamptz',
      valid_to: 'timestamptz',
    }),
  );
  await insert(
    client,
    'representative_mandate',
    columnsOf(reps, {
      id: 'uuid',
      college_id: 'uuid',
      representative_id: 'uuid',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      role_assignment_id: 'uuid',
    }),
  );
  await insert(
    client,
    'voting_body',
    columnsOf(bodies, { id: 'uuid', cluster_id: 'uuid', kind: 'body_kind', name: 'text', rules: 'jsonb', seats: 'jsonb' }),
  );
  await insert(
    client,
    'board_mandate',
    columnsOf(boards, {
      id: 'uuid',
      body_id: 'uuid',
      college_id: 'uuid',
      holder_id: 'uuid',
      starts_at: 'timestamptz',
      ends_at: 'timestamptz',
      role_assignment_id: 'uuid',
    }),
  );
  await insert(client, 'funder', columnsOf(funders, { id: 'uuid', name: 'text', kind: 'funder_kind' }));
  await client.query(
    `insert into proposal (id, created_at, updated_at, kind, title, text, author_id, state, opens_at, closes_at, closed_at, plan, partnership_axes)
     values ($1, now(), now(), 'FUSION', 'Fusion of the three associations into FrenchSouth digital', 'The associations merge by absorption.', $2,
             'ADOPTED', $3, $4, $4, $5::jsonb, '{}'),
            ($6, now(), now(), 'PARTNERSHIP', 'Training partnership', 'A partnership convention.', $2,
             'EXECUTED', $7, $8, $8, null, '{Training}')`,
    [
      proposalId,
      adminId,
      atNoon(addDays(today, -75)),
      atNoon(addDays(today, -60)),
      JSON.stringify(plan),
      partnershipId,
      atNoon(addDays(today, -400)),
      atNoon(addDays(today, -380)),
    ],
  );
  await insert(
    client,
    'proposal_party',
    columnsOf(
      bodies.map((b) => ({
        id: randomUUID(),
        proposal_id: proposalId,
        cluster_id: b.cluster_id,
        body_id: b.id,
        rules: JSON.stringify(VOTING_RULES),
      })),
      { id: 'uuid', proposal_id: 'uuid', cluster_id: 'uuid', body_id: 'uuid', rules: 'jsonb' },
    ),
    { state: `'CLOSED'`, adopted: 'true', closed_at: `'${atNoon(addDays(today, -60))}'::timestamptz` },
  );
  await insert(
    client,
    'subsidy',
    columnsOf(subsidies, {
      id: 'uuid',
      cluster_id: 'uuid',
      funder_id: 'uuid',
      purpose: 'text',
      decision_date: 'date',
      amount_awarded: 'bigint',
      state: 'subsidy_state',
      transfer_requires_funder_agreement: 'boolean',
      funder_transfer_agreement: 'text',
    }),
  );
  await insert(
    client,
    'ledger_entry',
    columnsOf(ledger, {
      id: 'uuid',
      subsidy_id: 'uuid',
      cluster_id: 'uuid',
      kind: 'ledger_kind',
      amount: 'bigint',
      value_date: 'date',
      bank_reference: 'text',
      reason: 'text',
    }),
  );
  await client.query(
    `insert into subsidy_freeze (id, created_at, updated_at, subsidy_id, reason, frozen_at, until_proposal_id, state_before, frozen_by_id)
     values ($1, now(), now(), $2, 'Frozen by the Region until the fusion is executed', $3, $4, 'PARTLY_RECEIVED', null)`,
    [randomUUID(), frozen.id, atNoon(freezeDay), proposalId],
  );
  await client.query(
    `insert into convention (id, created_at, updated_at, proposal_id, title, axes, signed_on, duration_months, ends_on)
     values ($1, now(), now(), $2, 'Training partnership', '{Training}', $3, 36, ($3::date + interval '36 months' - interval '1 day')::date)`,
    [conventionId, partnershipId, addDays(today, -380)],
  );
  await insert(
    client,
    'convention_party',
    columnsOf(
      [absorbed[0].id, neighbour.id].map((clusterId) => ({
        id: randomUUID(),
        convention_id: conventionId,
        cluster_id: clusterId,
        bound_since: addDays(today, -380),
      })),
      { id: 'uuid', convention_id: 'uuid', cluster_id: 'uuid', bound_since: 'date' },
    ),
  );
  await client.query('commit');
  await client.query('analyze');

  const absorbedIds = absorbed.map((c) => c.id);
  return {
    members: current.length,
    entries: ledger.filter((e) => e.kind === 'AWARD' || e.kind === 'RECEIPT').length,
    effectiveDate,
    actor: { accountId: adminId, requestId: null },
    proposalId,
    absorbingId: absorbing.id,
    absorbedIds,
    fromColleges: absorbedColleges.map((s) => s.college.id),
    toColleges: absorbedColleges.map((s) => s.target.id),
    currentMembershipIds: current.map((m) => m.id),
    currentStatuses: current.map((m) => m.status),
    historyMembershipIds: history.map((m) => m.id),
    ownMembersOfAbsorbing: ownMembers,
    subsidyIds: subsidies.map((s) => s.id),
    frozenSubsidyId: frozen.id,
    ledgerSum: ledgerSum.toString(),
    expected: {
      clustersMerged: 3,
      membershipsMoved: current.length - alreadyInTarget,
      membershipsAlreadyInTarget: alreadyInTarget,
      representativeMandatesEnded: absorbedColleges.length,
      boardMandatesEnded: 6 * absorbed.length,
      rolesEnded: otherRights,
      applicationsMoved: pending - conflicting,
      applicationsClosed: conflicting,
      subsidiesTransferred: subsidyCount,
      subsidiesReleased: 1,
      conventionsCarried: 1,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Counts that any write of the fusion changes: equal before and after a dry run. */
async function fingerprint(client: pg.Client): Promise<Record<string, unknown>> {
  const { rows } = await client.query(`select
      (select count(*) from membership)::int as memberships,
      (select count(*) from membership where ended_on is null)::int as current_memberships,
      (select count(*) from membership_event)::int as membership_events,
      (select string_agg(status::text || ':' || coalesce(successor_id::text, '-'), ',' order by id) from cluster) as clusters,
      (select count(*) from representative_mandate where ends_at is null)::int as open_reps,
      (select count(*) from board_mandate where ends_at is null)::int as open_boards,
      (select count(*) from role_assignment where valid_to is null)::int as open_roles,
      (select string_agg(state::text || ':' || college_id::text, ',' order by id) from application) as applications,
      (select string_agg(cluster_id::text || ':' || state::text, ',' order by id) from subsidy) as subsidies,
      (select count(*) from ledger_entry)::int as ledger_entries,
      (select count(*) from subsidy_freeze where released_at is null)::int as open_freezes,
      (select count(*) from subsidy_event)::int as subsidy_events,
      (select count(*) from convention_party)::int as convention_parties,
      (select string_agg(state::text, ',' order by id) from proposal) as proposals,
      (select count(*) from audit_entry)::int as audit_entries`);
  return rows[0] as Record<string, unknown>;
}

/** Checks the database after the execution; returns the problems found (none: all is well). */
async function verify(client: pg.Client, orm: MikroORM, f: Fixture, report: ExecutionReport): Promise<string[]> {
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (!isDeepStrictEqual(actual, expected)) problems.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  const one = async (sql: string, params: unknown[] = []) =>
    Object.values((await client.query(sql, params)).rows[0] as Record<string, unknown>)[0];

  for (const [key, value] of Object.entries(f.expected)) expect(`report.${key}`, report[key as keyof ExecutionReport], value);
  expect('report.subsidiesAwaitingFunderAgreement', report.subsidiesAwaitingFunderAgreement, []);
  expect('report.effectiveDate', report.effectiveDate, f.effectiveDate);
  expect('report.earlyEffectiveDate (executed after the effective date)', report.earlyEffectiveDate, null);

  expect(
    'absorbed clusters MERGED into the absorbing one',
    await one(
      `select count(*)::int from cluster where id = any($1) and status = 'MERGED' and successor_id = $2 and merged_at is not null`,
      [f.absorbedIds, f.absorbingId],
    ),
    3,
  );
  expect('absorbing cluster still ACTIVE', await one(`select status::text from cluster where id = $1`, [f.absorbingId]), 'ACTIVE');

  // Memberships.
  expect(
    'current memberships of the absorbed clusters ended MERGED',
    await one(
      `select count(*)::int from membership where id = any($1) and status = 'MERGED' and ended_on is not null and end_reason is not null`,
      [f.currentMembershipIds],
    ),
    f.members,
  );
  expect(
    'absorbed memberships without a current one in their mapped collège',
    await one(
      `select count(*)::int from membership o join unnest($2::uuid[], $3::uuid[]) as map(from_college, to_college) on map.from_college = o.college_id
        where o.id = any($1) and not exists (select 1 from membership n where n.organisation_id = o.organisation_id and n.college_id = map.to_college and n.ended_on is null)`,
      [f.currentMembershipIds, f.fromColleges, f.toColleges],
    ),
    0,
  );
  const continued = (
    await client.query(
      `select count(*)::int as started,
              count(*) filter (where n.member_since <> o.member_since)::int as seniority_lost,
              count(*) filter (where n.started_on <> greatest(o.started_on, $2::date) or o.ended_on <> n.started_on)::int as wrong_dates,
              count(*) filter (where n.ended_on is not null or n.status::text <> was.status)::int as wrong_status
         from membership n join membership o on o.id = n.origin_id
         join unnest($1::uuid[], $3::text[]) as was(id, status) on was.id = o.id`,
      [f.currentMembershipIds, f.effectiveDate, f.currentStatuses],
    )
  ).rows[0] as { started: number; seniority_lost: number; wrong_dates: number; wrong_status: number };
  expect('memberships started by the fusion', continued.started, f.expected.membershipsMoved);
  expect('started memberships that lost their seniority', continued.seniority_lost, 0);
  expect('started memberships with a wrong start or end date', continued.wrong_dates, 0);
  expect('started memberships not current or with another status', continued.wrong_status, 0);
  expect(
    'current memberships of the absorbing cluster',
    await one(
      `select count(*)::int from membership m join college c on c.id = m.college_id where c.cluster_id = $1 and m.ended_on is null`,
      [f.absorbingId],
    ),
    f.ownMembersOfAbsorbing + f.expected.membershipsMoved,
  );
  expect(
    'current memberships left in the absorbed clusters',
    await one(
      `select count(*)::int from membership m join college c on c.id = m.college_id where c.cluster_id = any($1) and m.ended_on is null`,
      [f.absorbedIds],
    ),
    0,
  );
  expect(
    'resigned memberships (history) untouched',
    await one(`select count(*)::int from membership where id = any($1) and status = 'RESIGNED' and end_reason = 'Resigned'`, [
      f.historyMembershipIds,
    ]),
    f.historyMembershipIds.length,
  );
  expect(
    'MERGED and STARTED membership events',
    await one(
      `select (count(*) filter (where e.kind = 'MERGED' and e.membership_id = any($1)) = $2
               and count(*) filter (where e.kind = 'STARTED' and m.origin_id = any($1)) = $3)
         from membership_event e join membership m on m.id = e.membership_id`,
      [f.currentMembershipIds, f.members, f.expected.membershipsMoved],
    ),
    true,
  );

  // Mandates and the rights that follow them.
  expect(
    'representative mandates of the absorbed clusters still in force',
    await one(
      `select count(*)::int from representative_mandate rm join college c on c.id = rm.college_id
        where c.cluster_id = any($1) and (rm.ends_at is null or rm.ends_at > now())`,
      [f.absorbedIds],
    ),
    0,
  );
  expect(
    'board mandates of the absorbed clusters still in force',
    await one(
      `select count(*)::int from board_mandate bm join voting_body b on b.id = bm.body_id
        where b.cluster_id = any($1) and (bm.ends_at is null or bm.ends_at > now())`,
      [f.absorbedIds],
    ),
    0,
  );
  expect(
    'mandates the fusion ended at the start of the effective date, with their rights (nobody acted since)',
    await one(
      `select count(*)::int from (
         select rm.ends_at, rm.role_assignment_id from representative_mandate rm join college c on c.id = rm.college_id
          where c.cluster_id = any($1) and rm.ended_early_reason is not null
         union all
         select bm.ends_at, bm.role_assignment_id from board_mandate bm join voting_body b on b.id = bm.body_id
          where b.cluster_id = any($1) and bm.ended_early_reason is not null) m
         join role_assignment r on r.id = m.role_assignment_id
        where m.ends_at = $2::date::timestamp at time zone 'UTC' and r.valid_to = m.ends_at`,
      [f.absorbedIds, f.effectiveDate],
    ),
    f.expected.representativeMandatesEnded + f.expected.boardMandatesEnded,
  );
  expect(
    'rights in the absorbed clusters still in force',
    await one(`select count(*)::int from role_assignment where cluster_id = any($1) and (valid_to is null or valid_to > now())`, [
      f.absorbedIds,
    ]),
    0,
  );
  expect(
    'mandates of the absorbing cluster still in force',
    await one(
      `select (select count(*) from representative_mandate rm join college c on c.id = rm.college_id where c.cluster_id = $1 and rm.ends_at is null)::int
            + (select count(*) from board_mandate bm join voting_body b on b.id = bm.body_id where b.cluster_id = $1 and (bm.ends_at is null or bm.ends_at > now()))::int`,
      [f.absorbingId],
    ),
    3 + 6,
  );

  // Applications.
  expect(
    'pending applications left in the absorbed clusters',
    await one(
      `select count(*)::int from application a join college c on c.id = a.college_id where c.cluster_id = any($1) and a.state in ('SUBMITTED', 'UNDER_REVIEW')`,
      [f.absorbedIds],
    ),
    0,
  );

  // Subsidies and the ledger.
  expect(
    'subsidies left in the absorbed clusters',
    await one(`select count(*)::int from subsidy where cluster_id = any($1)`, [f.absorbedIds]),
    0,
  );
  expect(
    'TRANSFER entries',
    await one(
      `select count(distinct subsidy_id)::int from ledger_entry where kind = 'TRANSFER' and counterpart_cluster_id = $1 and cluster_id = any($2) and subsidy_id = any($3)`,
      [f.absorbingId, f.absorbedIds, f.subsidyIds],
    ),
    f.subsidyIds.length,
  );
  expect(
    'AWARD and RECEIPT entries (count, sum in cents), still booked to the absorbed clusters',
    (
      await client.query(
        `select count(*)::int as n, sum(amount)::text as total from ledger_entry where kind in ('AWARD', 'RECEIPT') and cluster_id = any($1)`,
        [f.absorbedIds],
      )
    ).rows[0],
    { n: f.entries, total: f.ledgerSum },
  );
  const frozen = (
    await client.query(
      `select s.state::text as state, s.cluster_id = $2 as moved,
              (select count(*)::int from subsidy_freeze z where z.subsidy_id = s.id and z.released_at is null) as open_freezes,
              (select count(*)::int from ledger_entry e where e.subsidy_id = s.id and e.kind = 'RELEASE') as releases
         from subsidy s where s.id = $1`,
      [f.frozenSubsidyId, f.absorbingId],
    )
  ).rows[0] as Record<string, unknown>;
  expect('the subsidy frozen until the fusion', frozen, { state: 'PARTLY_RECEIVED', moved: true, open_freezes: 0, releases: 1 });

  // Conventions, the proposal, the audit trail.
  expect(
    'conventions binding the absorbing cluster, carried from an absorbed one',
    await one(`select count(*)::int from convention_party where cluster_id = $1 and carried_from_id = any($2)`, [
      f.absorbingId,
      f.absorbedIds,
    ]),
    1,
  );
  expect(
    'proposal EXECUTED with its report',
    await one(`select state = 'EXECUTED' and executed_at is not null and execution_report is not null from proposal where id = $1`, [
      f.proposalId,
    ]),
    true,
  );
  const audit = await new AuditService().verify(orm.em.fork());
  if (!audit.intact) problems.push(`audit chain broken at ${audit.firstBrokenSeq}: ${audit.reason}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------
// One size

interface Timed {
  ms: number;
  statements: Statement[];
  report: ExecutionReport;
}

interface SizeResult {
  fixture: Fixture;
  loadMs: number;
  dry: Timed;
  run: Timed;
  problems: string[];
}

/** A database of its own on the run's throw-away server; its URL. */
async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await ensureDatabase(serverUrl, name);
  return withDatabase(serverUrl, name);
}

async function runSize(postgres: EmbeddedDatabase, members: number): Promise<SizeResult> {
  const databaseUrl = await createDatabase(postgres.url, `bench_fusion_${members}`);
  const recorder = new StatementRecorder();
  const orm = await MikroORM.init(
    ormOptions(databaseUrl, undefined, {
      preferTs: true,
      ...recordingOrmOptions(recorder),
    }),
  );
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    log(`${members} members: migrating`);
    await orm.migrator.up();
    log(`${members} members: loading`);
    const loadStart = performance.now();
    const fixture = await load(client, members, settings.entries, `m${members}`);
    const loadMs = performance.now() - loadStart;

    const clock = () => new Date();
    const audit = new AuditService(clock);
    const execute = async (dryRun: boolean): Promise<Timed> => {
      const service = new FusionService(trustedScope(orm.em.fork(), audit, clock, fixture.actor.accountId));
      recorder.start();
      const start = performance.now();
      let report: ExecutionReport;
      try {
        report = await service.execute(fixture.proposalId, { dryRun });
      } finally {
        recorder.stop();
      }
      return { ms: performance.now() - start, statements: recorder.statements, report };
    };

    log(`${members} members: dry run`);
    const before = await fingerprint(client);
    const dry = await execute(true);
    const after = await fingerprint(client);
    const problems: string[] = [];
    for (const key of Object.keys(before)) {
      if (!isDeepStrictEqual(before[key], after[key])) problems.push(`the dry run changed ${key}`);
    }

    log(`${members} members: execution`);
    const run = await execute(false);
    problems.push(...(await verify(client, orm, fixture, run.report)));
    const { dryRun: _dry, ...dryReport } = dry.report;
    const { dryRun: _run, ...runReport } = run.report;
    if (!isDeepStrictEqual(dryReport, runReport)) {
      problems.push(`the dry run's report differs from the execution's: ${JSON.stringify(dryReport)} vs ${JSON.stringify(runReport)}`);
    }
    if (!dry.report.dryRun || run.report.dryRun) problems.push('report.dryRun is wrong');
    return { fixture, loadMs, dry, run, problems };
  } finally {
    await client.end();
    await orm.close(true);
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n: number) => n.toLocaleString('en-US');
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** The statement as a short line: its first words, parameters elided. */
function shortSql(sql: string, width = 110): string {
  const line = sql.replace(/'[0-9a-f-]{36}'(, '[0-9a-f-]{36}')+/g, "'…uuids…'");
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

function printStatements(label: string, statements: Statement[], all: boolean) {
  const measured = statements.filter((s) => s.took !== null);
  const total = measured.reduce((sum, s) => sum + (s.took ?? 0), 0);
  const largest = statements.reduce((max, s) => Math.max(max, s.formatted.length), 0);
  console.log(
    `  ${label}: ${statements.length} statements, ${total} ms inside them as the ORM measured (1 ms resolution); ` +
      `the largest sent is ${(largest / 1024).toFixed(1)} kB of SQL (the ORM inlines the parameters)`,
  );
  const shown = all ? statements : [...statements].sort((a, b) => (b.took ?? 0) - (a.took ?? 0)).slice(0, 6);
  for (const s of shown) console.log(`    ${String(s.took ?? '-').padStart(5)} ms  ${shortSql(s.sql)}`);
}

function printSize(result: SizeResult) {
  const { fixture: f, dry, run } = result;
  const r = run.report;
  console.log(
    `${fmt(f.members)} members, ${fmt(f.entries)} ledger entries (${f.subsidyIds.length} subsidies), loaded in ${ms(result.loadMs)}:`,
  );
  console.log(`  dry run    ${ms(dry.ms).padStart(8)}   ${String(dry.statements.length).padStart(3)} SQL statements`);
  console.log(`  execution  ${ms(run.ms).padStart(8)}   ${String(run.statements.length).padStart(3)} SQL statements`);
  console.log(
    `  moved: ${fmt(r.membershipsMoved + r.membershipsAlreadyInTarget)} memberships continued (${fmt(r.membershipsMoved)} started, ` +
      `${fmt(r.membershipsAlreadyInTarget)} already in the target collège), ${r.clustersMerged} clusters merged, ` +
      `${r.representativeMandatesEnded} representative and ${r.boardMandatesEnded} board mandates ended, ${r.rolesEnded} other rights ended, ` +
      `${r.applicationsMoved} applications moved and ${r.applicationsClosed} closed, ${r.subsidiesTransferred} subsidies transferred, ` +
      `${r.subsidiesReleased} released, ${r.conventionsCarried} convention carried`,
  );
  printStatements(settings.printSql ? 'execution, every statement' : 'execution, costliest statements', run.statements, settings.printSql);
  if (settings.printSql) printStatements('dry run, every statement', dry.statements, true);
  console.log(`  verification: ${result.problems.length ? `FAILED\n    - ${result.problems.join('\n    - ')}` : 'ok'}`);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const dataDir = path.join(PROJECT_ROOT, '.tmp', `bench-fusion-${process.pid}-${randomBytes(4).toString('hex')}`);
  // Last resort on any exit (Ctrl-C included: embedded-postgres' exit hook stops the server first).
  process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));
  // Each run's throw-away databases reuse their names: their audit checkpoints go with the run,
  // not into .data/ where the next run's trail would contradict them.
  process.env.AUDIT_CHECKPOINT_DIR ??= path.join(dataDir, 'audit-checkpoints');
  const sizes = [...new Set([settings.small, settings.members])].sort((a, b) => a - b);
  const results: SizeResult[] = [];
  let postgres: EmbeddedDatabase | undefined;
  try {
    await mkdir(dataDir, { recursive: true });
    log(`starting embedded PostgreSQL in ${path.relative(PROJECT_ROOT, dataDir)}`);
    postgres = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'silent' }), persistent: false });
    for (const members of sizes) results.push(await runSize(postgres, members));
  } finally {
    if (postgres) {
      const stopping = postgres.stop();
      await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
    }
    await rm(dataDir, { recursive: true, force: true });
  }

  console.log('');
  console.log(
    `Fusion execution (FusionService.execute, one transaction), node ${process.version}; ` +
      'times are wall clock around execute(), statements are every SQL statement the ORM sent (begin/commit included)',
  );
  console.log('');
  for (const result of results) {
    printSize(result);
    console.log('');
  }

  const failures: string[] = [];
  for (const result of results) {
    if (result.problems.length) failures.push(`${fmt(result.fixture.members)} members: ${result.problems.length} verification problem(s)`);
  }
  const small = results[0];
  const large = results[results.length - 1];
  if (results.length > 1) {
    const same = small.run.statements.length === large.run.statements.length && small.dry.statements.length === large.dry.statements.length;
    console.log(
      `statements: ${small.run.statements.length} at ${fmt(small.fixture.members)} members, ${large.run.statements.length} at ` +
        `${fmt(large.fixture.members)} (dry run ${small.dry.statements.length} and ${large.dry.statements.length}): ` +
        (same ? 'constant' : 'they GROW with the members'),
    );
    if (!same) failures.push('the number of statements grows with the members');
  }
  const within = large.run.ms <= settings.goalMs;
  console.log(
    `time at ${fmt(large.fixture.members)} members: ${ms(large.run.ms)} (dry run ${ms(large.dry.ms)}); goal under ${ms(settings.goalMs)}: ` +
      (within ? 'met' : 'MISSED'),
  );
  if (!within) failures.push(`the execution took ${ms(large.run.ms)}, over the ${ms(settings.goalMs)} goal`);
  if (failures.length) {
    log(`failed: ${failures.join('; ')}`);
    return 1;
  }
  return 0;
}

runMain(main, log);
