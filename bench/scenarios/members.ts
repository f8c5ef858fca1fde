import { createHash } from 'node:crypto';
import pg from 'pg';
import { insertFrenchSouthDigital, rawHandler, type Scenario } from '../scenario.js';

/**
 * The member directory a representative pages through: a collège of 2 000 members (Telecom
 * Valley scale ×13), a page of 50 with organisation fields, signed in as the collège's
 * representative. The baseline is what a hand-written endpoint must do for the same answer: one
 * statement to check the token and the role, one for the page (the API's own SQL shape), shaped
 * into the same JSON with `pg`.
 */
const MEMBERS = 2000;
const PAGE = 50;
const TOKEN = 'bench-representative-token-0000000000000000';
const KINDS = ['COMPANY', 'COMPANY', 'COMPANY', 'HIGHER_EDUCATION', 'RESEARCH_LAB', 'ASSOCIATION'];
const DEPARTEMENTS = ['09', '11', '12', '30', '31', '32', '34', '46', '48', '65', '66', '81', '82'];

let collegeId = '';

const QUERY = `query Members($college: ID!) {
  college(id: $college) {
    members(first: ${PAGE}) {
      edges { node { id status memberSince organisation { id name kind headcount sizeClass departement } } }
    }
  }
}`;

// The same shape as the API's directory query: the page's keys sorted first, its columns read for
// those rows only (computing them for every match before the sort costs more than the sort).
const PAGE_SQL = `with page as (
    select m.id, o.name
      from membership m join organisation o on o.id = m.organisation_id
     where m.college_id = $1 and m.status in ('ACTIVE', 'SUSPENDED')
     order by o.name, m.id
     limit ${PAGE})
  select m.id, m.status, to_char(m.member_since, 'YYYY-MM-DD') as member_since,
         o.id as organisation_id, o.name, o.kind, o.headcount, o.size_class, o.departement
    from page join membership m on m.id = page.id join organisation o on o.id = m.organisation_id
   order by page.name, page.id`;

// What any endpoint serving a representative's directory must do first: the bearer token's
// session is live, its account enabled, and one of its roles in force reaches the collège.
const ACCESS_SQL = `select 1
    from session s join account a on a.id = s.account_id
    join role_assignment r on r.account_id = a.id
    join college c on c.id = $2
   where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and not a.disabled
     and r.valid_from <= now() and (r.valid_to is null or r.valid_to > now())
     and (r.role = 'ADMIN' or (r.cluster_id = c.cluster_id and (r.college_id is null or r.college_id = c.id)))
   limit 1`;

export const members: Scenario = {
  name: 'members',
  description: `college.members(first: ${PAGE}) with organisation fields over ${MEMBERS} members, as a representative, vs the same page in SQL`,

  async load(databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const clusterId = await insertFrenchSouthDigital(client);
      const college = await client.query<{ id: string }>(
        `insert into college (id, created_at, updated_at, cluster_id, name, slug, theme)
         values (gen_random_uuid(), now(), now(), $1, 'Économie numérique', 'economie-numerique', 'digital economy') returning id`,
        [clusterId],
      );
      collegeId = college.rows[0].id;
      const names: string[] = [];
      const kinds: string[] = [];
      const headcounts: number[] = [];
      const departements: string[] = [];
      for (let i = 0; i < MEMBERS; i += 1) {
        names.push(
          `Entreprise ${String((i * 7919) % MEMBERS).padStart(4, '0')} ${['Numérique', 'Cloud', 'Data', 'Logiciel', 'Créa'][i % 5]}`,
        );
        kinds.push(KINDS[i % KINDS.length]);
        headcounts.push([3, 12, 48, 180, 420, 6000][i % 6]);
        departements.push(DEPARTEMENTS[i % DEPARTEMENTS.length]);
      }
      await client.query(
        `with orgs as (
           insert into organisation (id, created_at, updated_at, name, kind, headcount, departement, region, affiliations)
           select gen_random_uuid(), now(), now(), name, kind::organisation_kind, headcount, departement, 'Occitanie', '{}'
             from unnest($1::text[], $2::text[], $3::int[], $4::text[]) as t(name, kind, headcount, departement)
           returning id)
         insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
         select gen_random_uuid(), now(), now(), id, $5, 'ACTIVE', date '2020-01-01', date '2019-01-01' from orgs`,
        [names, kinds, headcounts, departements, collegeId],
      );
      // The representative: an account, a role over the collège, and a session whose token the harness sends.
      const account = await client.query<{ id: string }>(
        `insert into account (id, created_at, updated_at, email, display_name, password_hash)
         values (gen_random_uuid(), now(), now(), 'rep@bench.example', 'Bench representative', 'x') returning id`,
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
    } finally {
      await client.end();
    }
    return { variables: { college: collegeId }, headers: { authorization: `Bearer ${TOKEN}` }, rawPath: `/raw/members/${collegeId}` };
  },

  graphql: { query: QUERY },

  raw: {
    method: 'GET',
    path: '/raw/members/:collegeId',
    handler: (pool) =>
      rawHandler(async (req) => {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const access = await pool.query(ACCESS_SQL, [createHash('sha256').update(token).digest('hex'), req.params.collegeId]);
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
        }>(PAGE_SQL, [req.params.collegeId]);
        return {
          data: {
            college: {
              members: {
                edges: rows.map((r) => ({
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
