import { Role } from '../../src/auth/role.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  cast,
  CANCEL,
  createBoard,
  FAST_HASHER,
  GRANT,
  MINUTES,
  ok,
  openResolution,
  refused,
  REVOKE,
  VERIFY,
  type Board,
  type Person,
} from './support.js';

/**
 * A vote past its `closesAt` is closed — tallied, its outcome decided — by every path that touches
 * it, not only by reading it: the list, one proposal, the minutes (query and download), a ballot,
 * a proxy given or revoked, a cancellation, a receipt check, the execution. Each test opens a vote
 * closing in ten minutes, casts ballots, moves the clock past it, touches it once by one path,
 * and finds it closed in the database.
 */
let app: TestApp;
let board: Board;
let admin: Person;

const TEN_MINUTES = 10 * 60_000;

/** An open resolution of the board, with three ballots FOR, whose closing time has just passed. */
async function pastItsClosingTime(): Promise<{ id: string; receipt: string }> {
  const id = await openResolution(app, board, new Date(app.clock.now().getTime() + TEN_MINUTES).toISOString());
  let receipt = '';
  for (const member of board.members.slice(0, 3)) receipt = ok(await cast(app, member.token, id, 'FOR')).castVote.receipt as string;
  app.clock.advance(TEN_MINUTES + 1_000);
  return { id, receipt };
}

/** The vote as stored: the proposal's state and its party's. */
async function stored(id: string): Promise<{ proposal: string; party: string; closes: number }> {
  const [row] = await app.sql<{ proposal: string; party: string }>(
    `select p.state as proposal, pp.state as party from proposal p join proposal_party pp on pp.proposal_id = p.id where p.id = $1`,
    [id],
  );
  const [{ n }] = await app.sql<{ n: number }>(
    `select count(*)::int as n from audit_entry where action = 'vote.close' and entity_id in (select id::text from proposal_party where proposal_id = $1)`,
    [id],
  );
  return { ...row, closes: n };
}

const CLOSED = { proposal: 'ADOPTED', party: 'CLOSED', closes: 1 };

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, app: { hasher: FAST_HASHER } });
  admin = await app.signUp({ role: Role.ADMIN });
  // 3 ballots of 5 voters: the quorum (50 %) is reached, the resolution adopted.
  board = await createBoard(app, { name: 'Closing time', colleges: 1, membersPerCollege: 5 });
});
afterAll(async () => {
  await app.close();
});

it('the proposals list closes it', async () => {
  const { id } = await pastItsClosingTime();
  const res = ok(
    await app.gql(
      `query($c: ID!) { proposals(clusterId: $c) { edges { node { id state } } } }`,
      { c: board.clusterId },
      { token: admin.token },
    ),
  );
  expect(res.proposals.edges).toContainEqual({ node: { id, state: 'ADOPTED' } });
  expect(await stored(id)).toEqual(CLOSED);
});

it('reading the proposal closes it', async () => {
  const { id } = await pastItsClosingTime();
  const res = ok(await app.gql(`query($id: ID!) { proposal(id: $id) { state } }`, { id }, { token: board.members[4].token }));
  expect(res.proposal.state).toBe('ADOPTED');
  expect(await stored(id)).toEqual(CLOSED);
});

it('the minutes query closes it, then writes its minutes', async () => {
  const { id } = await pastItsClosingTime();
  const minutes = ok(await app.gql(MINUTES, { id }, { token: board.admin.token })).minutes as string;
  expect(minutes).toContain('ADOPTÉE');
  expect(await stored(id)).toEqual(CLOSED);
});

it('the minutes download closes it, then serves its minutes', async () => {
  const { id } = await pastItsClosingTime();
  const response = await fetch(`${app.url}/exports/proposals/${id}/minutes.md`, { headers: { authorization: `Bearer ${admin.token}` } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('ADOPTÉE');
  expect(await stored(id)).toEqual(CLOSED);
});

it('a ballot refused as late closes it', async () => {
  const { id } = await pastItsClosingTime();
  expect(refused(await cast(app, board.members[3].token, id, 'AGAINST'))).toEqual({ code: 'CONFLICT', reason: 'VOTE_CLOSED' });
  expect(await stored(id)).toEqual(CLOSED);
});

it('a proxy refused as late closes it', async () => {
  const { id } = await pastItsClosingTime();
  const res = await app.gql(
    GRANT,
    { input: { proposalId: id, holderAccountId: board.members[0].accountId } },
    { token: board.members[4].token },
  );
  expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'VOTE_CLOSED' });
  expect(await stored(id)).toEqual(CLOSED);
});

it('a revocation refused as late closes it', async () => {
  const id = await openResolution(app, board, new Date(app.clock.now().getTime() + TEN_MINUTES).toISOString());
  for (const member of board.members.slice(0, 3)) ok(await cast(app, member.token, id, 'FOR'));
  const proxy = ok(
    await app.gql(GRANT, { input: { proposalId: id, holderAccountId: board.members[0].accountId } }, { token: board.members[4].token }),
  ).grantProxy.proxy;
  app.clock.advance(TEN_MINUTES + 1_000);
  expect(refused(await app.gql(REVOKE, { id: proxy.id }, { token: board.members[4].token }))).toEqual({
    code: 'CONFLICT',
    reason: 'VOTE_CLOSED',
  });
  expect(await stored(id)).toEqual(CLOSED);
});

it('a cancellation closes it instead: a vote past its closing time is decided, not withdrawn', async () => {
  const { id } = await pastItsClosingTime();
  const res = await app.gql(CANCEL, { input: { proposalId: id, reason: 'Trop tard' } }, { token: board.admin.token });
  expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'PROPOSAL_NOT_CANCELLABLE' });
  expect(await stored(id)).toEqual(CLOSED);
});

it('checking a receipt closes it, and finds the ballot counted', async () => {
  const { id, receipt } = await pastItsClosingTime();
  const check = ok(await app.gql(VERIFY, { r: receipt }, { token: board.members[2].token })).verifyReceipt;
  expect(check).toMatchObject({ found: true, proposalId: id, choice: 'FOR', counted: true });
  expect(await stored(id)).toEqual(CLOSED);
});

it('executing it closes it first, then executes what it adopted', async () => {
  const partner = await createBoard(app, { name: 'Partner', colleges: 1, membersPerCollege: 1 });
  const created = ok(
    await app.gql(
      `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id } } }`,
      {
        input: {
          kind: 'PARTNERSHIP',
          title: 'Convention',
          text: 'Coopération.',
          partyClusterIds: [board.clusterId, partner.clusterId],
          partnershipAxes: ['innovation'],
        },
      },
      { token: admin.token },
    ),
  ).createProposal.proposal.id as string;
  ok(
    await app.gql(
      `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { id } } }`,
      { input: { proposalId: created, closesAt: new Date(app.clock.now().getTime() + TEN_MINUTES).toISOString() } },
      { token: admin.token },
    ),
  );
  for (const member of board.members.slice(0, 3)) ok(await cast(app, member.token, created, 'FOR', { clusterId: board.clusterId }));
  ok(await cast(app, partner.members[0].token, created, 'FOR', { clusterId: partner.clusterId }));
  app.clock.advance(TEN_MINUTES + 1_000);
  const executed = ok(
    await app.gql(
      `mutation($id: ID!) { executeProposal(proposalId: $id) { conventionId } }`,
      { id: created },
      { token: board.admin.token },
    ),
  );
  expect(executed.executeProposal.conventionId).toEqual(expect.any(String));
  const [row] = await app.sql<{ state: string }>('select state from proposal where id = $1', [created]);
  expect(row.state).toBe('EXECUTED');
  const parties = await app.sql<{ state: string }>('select state from proposal_party where proposal_id = $1', [created]);
  expect(parties.map((p) => p.state)).toEqual(['CLOSED', 'CLOSED']);
});
