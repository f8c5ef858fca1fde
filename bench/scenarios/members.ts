import { createHash } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import pg from 'pg';
import { insertFrenchSouthDigital, rawHandler, type Scenario } from '../scenario.js';

/**
 * The member directory a representative pages through: the first page (50, with organisation
 * fields) of a collège of 2 000 current members, signed in as its representative — inside a
 * registry of 2 000 organisations (every one a member) and of 200 000 (`sizes`, see
 * `BENCH_SIZES`).
 *
 * The data is the planner's worst case, not its best: organisations inserted in an order unrelated
 * to their names; the collège's members' names sort after almost every other organisation's (so
 * walking organisations by name to find the collège's first 50 members reads nearly all of
 * them); beside it, a collège holding a quarter of the registry and a small one, both overlapping
 * it; 200 ended memberships (an earlier membership of a tenth of the members) and 5 % suspended
 * members in the collège itself; `VACUUM ANALYZE` after loading.
 *
 * The baseline is what a hand-written endpoint must do for the same answer, with the same
 * technique as the API: one statement to check the token and the role, one for the page — the
 * API's own SQL shape, read from the same index `membership_directory` (college_id, sort_name, id)
 * where ended_on is null, with the same next-page probe (51 rows for a page of 50) —, both
 * prepared as the app prepares its authentication and its directory page, shaped into the same
 * JSON with `pg`.
 */
const SIZES = [2_000, 200_000];
const MEMBERS = 2_000;
const PAGE = 50;
const TOKEN = 'bench-representative-token-0000000000000000';

let collegeId = '';

const TYPENAME = '{ __typename }';

/** A bare Apollo Server 4 on express (its defaults), the reference for the app's per-request cost. */
async function bareApollo() {
  const server = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } });
  await server.start();
  return expressMiddleware(server);
}

const QUERY = `query Members($college: ID!) {
  college(id: $college) {
    members(first: ${PAGE}) {
      edges { node { id status memberSince organisation { id name kind headcount sizeClass departement } } }
    }
  }
}`;

// The same shape as the API's directory query: the page's keys read in the index's order, its
// columns read for those rows only.
const PAGE_SQL = `with page as (
    select m.id, m.sort_name
      from membership m
     where m.college_id = $1 and m.ended_on is null
     order by m.sort_name, m.id
     limit ${PAGE + 1})
  select m.id, m.status, to_char(m.member_since, 'YYYY-MM-DD') as member_since,
         o.id as organisation_id, o.name, o.kind, o.headcount, o.size_class, o.departement
    from page join membership m on m.id = page.id join organisation o on o.id = m.organisation_id
   order by page.sort_name, page.id`;

// What any endpoint serving a representative's directory must do first: the bearer token's
// session is live, its account enabled and its email verified, and one of its roles in force reaches the collège.
const ACCESS_SQL = `select 1
    from session s join account a on a.id = s.account_id
    join role_assignment r on r.account_id = a.id
    join college c on c.id = $2
   where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and not a.disabled and a.email_verified_at is not null
     and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
     and (r.role = 'ADMIN' or (r.cluster_id = c.cluster_id and (r.college_id is null or r.college_id = c.id)))
   limit 1`;

/**
 * The organisations, set-based, numbered in a temporary table: organisation i (1…size) is a
 * member of the measured collège when i ≤ 2 000. Its name: for a member, a word from the end of
 * the alphabet; for the others, one from its beginning; then a second word and a code from a hash
 * of i, so that names do not follow i. Inserted in the order of another hash of i.
 */
const NUMBERED_SQL = `
  create temporary table bench_org on commit drop as
  select i, gen_random_uuid() as id,
         case when i <= $2
              then (array['Tramontane', 'Ubiquité', 'Vertige', 'Wattson', 'Xénon', 'Yuzu', 'Zéphyr'])[1 + i % 7]
              else (array['Agence', 'Alpha', 'Atelier', 'Bio', 'Cabinet', 'Data', 'Ecole', 'Forge', 'Groupe', 'Hexa', 'Innov',
                          'Labo', 'Micro', 'Nova', 'Optima', 'Pixel', 'Quantum', 'Réseau', 'Solutions'])[1 + i % 19]
         end || ' ' || (array['Numérique', 'Cloud', 'Data', 'Logiciel', 'Créa', 'Conseil', 'Systèmes'])[1 + (i / 7) % 7]
             || ' ' || upper(substr(md5(i::text), 1, 6)) as name,
         (array['COMPANY', 'COMPANY', 'COMPANY', 'HIGHER_EDUCATION', 'RESEARCH_LAB', 'ASSOCIATION'])[1 + i % 6]::organisation_kind as kind,
         (array[3, 12, 48, 180, 420, 6000])[1 + i % 6] as headcount,
         (array['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'])[1 + i % 13] as departement
    from generate_series(1, $1::int) as i`;

const ORGANISATIONS_SQL = `
  insert into organisation (id, created_at, updated_at, name, kind, headcount, departement, region, affiliations)
  select id, now(), now(), name, kind, headcount, departement, 'Occitanie', '{}' from bench_org order by md5('order' || i)`;

export const members: Scenario = {
  name: 'members',
  description: `college.members(first: ${PAGE}) with organisation fields, a collège of ${MEMBERS} members among all the organisations (names sorting after nearly all others), as its representative, vs the same page in SQL`,
  sizes: SIZES,
  sizeUnit: 'organisations',

  async load(databaseUrl, _run, size = SIZES[1]) {
    const organisations = Math.max(size, MEMBERS);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const clusterId = await insertFrenchSouthDigital(client);
      const colleges = await client.query<{ id: string; slug: string }>(
        `insert into college (id, created_at, updated_at, cluster_id, name, slug, theme)
         values (gen_random_uuid(), now(), now(), $1, 'Économie numérique', 'economie-numerique', 'digital economy'),
                (gen_random_uuid(), now(), now(), $1, 'Grand collège', 'grand-college', 'everything'),
                (gen_random_uuid(), now(), now(), $1, 'Petit collège', 'petit-college', 'a niche')
         returning id, slug`,
        [clusterId],
      );
      const college = (slug: string) => colleges.rows.find((row) => row.slug === slug)!.id;
      collegeId = college('economie-numerique');
      await client.query(NUMBERED_SQL, [organisations, MEMBERS]);
      await client.query(ORGANISATIONS_SQL);
      await client.query(
        `insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since, ended_on, end_reason)
         -- The measured collège: 2 000 current members, 5 % of them suspended…
         select gen_random_uuid(), now(), now(), id, $1::uuid, case when i % 20 = 0 then 'SUSPENDED' else 'ACTIVE' end::membership_status,
                date '2020-01-01', date '2019-01-01', null::date, null::text
           from bench_org where i <= $4::int
         -- …and a tenth of them with an earlier, ended membership (history the page must skip).
         union all
         select gen_random_uuid(), now(), now(), id, $1, 'RESIGNED', date '2015-01-01', date '2015-01-01', date '2018-12-31', 'Left, came back'
           from bench_org where i <= $4 and i % 10 = 0
         -- A collège of a quarter of the registry, and a small one, both overlapping the measured one.
         union all
         select gen_random_uuid(), now(), now(), id, $2::uuid, 'ACTIVE', date '2021-01-01', date '2021-01-01', null, null
           from bench_org where i % 4 = 1
         union all
         select gen_random_uuid(), now(), now(), id, $3::uuid, 'ACTIVE', date '2022-01-01', date '2022-01-01', null, null
           from bench_org where i % 97 = 3`,
        [collegeId, college('grand-college'), college('petit-college'), MEMBERS],
      );
      // The representative: an account, a role over the collège, and a session whose token the harness sends.
      const account = await client.query<{ id: string }>(
        `insert into account (id, created_at, updated_at, email, display_name, password_hash, email_verified_at)
         values (gen_random_uuid(), now(), now(), 'rep@bench.example', 'Bench representative', 'x', now()) returning id`,
      );
      await client.query(
        `insert into role_assignment (id, created_at, updated_at, account_id, role, cluster_id, college_id, valid_from)
         values (gen_random_uuid(), now(), now(), $1, 'COLLEGE_REPRESENTATIVE', $2, $3, now() - interval '1 day')`,
        [account.rows[0].id, clusterId, collegeId],
      );
      await client.query(
        `insert into session (id, created_at, updated_at, account_id, token_hash, expires_at, last_used_at)
         values (gen_random_uuid(), now(), now(), $1, $2, now() + interval '1 day', now())`,
        [account.rows[0].id, createHash('sha256').update(TOKEN).digest('hex')],
      );
      await client.query('commit');
      // Statistics and visibility maps, as a database in use has them (autovacuum's work).
      await client.query('vacuum analyze organisation, membership, college, account, session, role_assignment');
    } finally {
      await client.end();
    }
    return { variables: { college: collegeId }, headers: { authorization: `Bearer ${TOKEN}` }, rawPath: `/raw/members/${collegeId}` };
  },

  graphql: { query: QUERY },

  // The GraphQL layer's own cost per request: the app answering `{ __typename }` to the
  // representative (authentication included: every request pays for it) against a bare Apollo
  // Server on express answering the same document with no schema of ours (goal: within 1.5×).
  anchors: [
    {
      name: 'bare apollo',
      on: 'raw',
      graphql: { query: TYPENAME },
      raw: { method: 'POST', path: '/raw/bare-apollo', handler: bareApollo },
    },
    { name: 'app __typename', on: 'graphql', graphql: { query: TYPENAME }, versus: 'bare apollo' },
    // The same without a token: what authentication costs is the difference between the two.
    { name: 'app __typename, anonymous', on: 'graphql', graphql: { query: TYPENAME }, headers: {}, versus: 'bare apollo' },
  ],

  raw: {
    method: 'GET',
    path: '/raw/members/:collegeId',
    handler: (pool) =>
      rawHandler(async (req) => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const access = await pool.query({
          name: 'bench_members_access',
          text: ACCESS_SQL,
          values: [createHash('sha256').update(token).digest('hex'), req.params.collegeId],
        });
        if (access.rowCount === 0) return { errors: [{ message: 'Not allowed.', extensions: { code: 'FORBIDDEN' } }] };
        const { rows } = await pool.query<{
          id: string;
          status: string;
          member_since: string;
          organisation_id: string;
          name: string;
          kind: string;
          headcount: number | null;
          size_class: string | null;
          departement: string | null;
        }>({ name: 'bench_members_page', text: PAGE_SQL, values: [req.params.collegeId] });
        return {
          data: {
            college: {
              members: {
                edges: rows.slice(0, PAGE).map((r) => ({
                  node: {
                    id: r.id,
                    status: r.status,
                    memberSince: r.member_since,
                    organisation: {
                      id: r.organisation_id,
                      name: r.name,
                      kind: r.kind,
                      headcount: r.headcount,
                      sizeClass: r.size_class,
                      departement: r.departement,
                    },
                  },
                })),
              },
            },
          },
        };
      }),
  },
};
