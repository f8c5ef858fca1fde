import { startTestApp, type TestApp } from '../support/test-app.js';
import { createBoard, FAST_HASHER, type Board } from './support.js';

/**
 * The `proposals` list costs the same number of SQL statements for a page of 10 proposals as for
 * a page of 200, with their parties, electorate, participation, published ballots, participants
 * and everything else a list item shows (issue 11 point 6): no per-row query.
 */
let app: TestApp;
let board: Board;

const LIST = `query($c: ID!, $first: Int!) {
  proposals(clusterId: $c, first: $first) {
    totalCount
    edges { cursor node {
      id kind state title author { id displayName } plan { absorbingClusterId } executionPreview { clustersMerged } executionReport { clustersMerged }
      parties {
        state adopted electorate participation cluster { name } body { name kind } rules { majority secrecy } tally { ballots adopted }
        ballots { receiptDigest choice collegeId weight } participants { id displayName }
      }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

beforeAll(async () => {
  // A page of 200 with its nested lists is what this file compares: above the default cost limit, raised here.
  app = await startTestApp({
    env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', GRAPHQL_MAX_COST: '1000000' },
    app: { hasher: FAST_HASHER },
  });
  board = await createBoard(app, { name: 'Bulk', colleges: 2, membersPerCollege: [2, 2] });
  // 200 resolutions of the board, straight in SQL: every other one adopted (closed, its ballots
  // published), the others open; each with the board's four electors, two of whom took part.
  await app.sql(
    `with body as (select id, rules from voting_body where cluster_id = $1 and kind = 'BOARD'),
     author as (select account_id as id from role_assignment where cluster_id = $1 and role = 'CLUSTER_ADMIN' limit 1),
     made as (
       insert into proposal (id, created_at, updated_at, kind, title, text, author_id, state, partnership_axes, opens_at, closes_at, closed_at)
       select gen_random_uuid(), now() - make_interval(secs => i), now(), 'RESOLUTION', 'Résolution ' || i, 'Texte ' || i, author.id,
              (case when i % 2 = 0 then 'ADOPTED' else 'VOTING' end)::proposal_state, '{}', now() - interval '1 hour', now() + interval '1 day',
              case when i % 2 = 0 then now() end
         from generate_series(1, 200) as i, author
       returning id, state)
     insert into proposal_party (id, created_at, updated_at, proposal_id, cluster_id, body_id, state, rules, adopted, closed_at)
     select gen_random_uuid(), now(), now(), made.id, $1, body.id,
            (case when made.state = 'ADOPTED' then 'CLOSED' else 'VOTING' end)::party_vote_state, body.rules,
            case when made.state = 'ADOPTED' then true end, case when made.state = 'ADOPTED' then now() end
       from made, body`,
    [board.clusterId],
  );
  await app.sql(
    `insert into elector (id, created_at, updated_at, party_id, voter_id, college_id, weight)
     select gen_random_uuid(), now(), now(), pp.id, bm.holder_id, bm.college_id, 1
       from proposal_party pp join voting_body b on b.id = pp.body_id join board_mandate bm on bm.body_id = b.id
      where pp.cluster_id = $1 and pp.proposal_id in (select id from proposal where title like 'Résolution %')`,
    [board.clusterId],
  );
  await app.sql(
    `with took as (
       select e.party_id, e.voter_id, e.college_id, row_number() over (partition by e.party_id order by e.voter_id) as n
         from elector e join proposal_party pp on pp.id = e.party_id where pp.cluster_id = $1)
     insert into participation (id, created_at, updated_at, party_id, voter_id, cast_by_id)
     select gen_random_uuid(), now(), now(), party_id, voter_id, voter_id from took where n <= 2`,
    [board.clusterId],
  );
  await app.sql(
    `insert into ballot (id, party_id, choice, college_id, weight, receipt_digest, voter_id)
     select gen_random_uuid(), p.party_id, 'FOR', e.college_id, 1, encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), p.voter_id
       from participation p join elector e on e.party_id = p.party_id and e.voter_id = p.voter_id
       join proposal_party pp on pp.id = p.party_id where pp.state = 'CLOSED' and pp.cluster_id = $1`,
    [board.clusterId],
  );
});
afterAll(async () => {
  await app.close();
});

it('proposals: the same number of statements for 10 and for 200 proposals with their parties, electorate, participation and ballots', async () => {
  const count = async (first: number) => {
    app.resetSqlCount();
    const res = await app.gql(LIST, { c: board.clusterId, first }, { token: board.admin.token });
    const statements = app.sqlCount();
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data!.proposals.edges.map((e: { node: any }) => e.node);
    expect(nodes).toHaveLength(first);
    for (const node of nodes) {
      const [party] = node.parties;
      expect(party).toMatchObject({ electorate: 4, participation: 2, cluster: { name: 'Bulk' } });
      expect(party.ballots).toHaveLength(party.state === 'CLOSED' ? 2 : 0);
      expect(party.participants).toHaveLength(party.state === 'CLOSED' ? 2 : 0);
      expect(node.executionPreview).toBeNull();
    }
    return statements;
  };
  await count(10); // warm-up: metadata, session bookkeeping
  const ten = await count(10);
  const twoHundred = await count(200);
  expect(twoHundred).toBe(ten);
});
