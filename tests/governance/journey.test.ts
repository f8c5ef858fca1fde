import { Role } from '../../src/auth/role.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { refused } from './support.js';

/** A board's vote from configuration to minutes, over HTTP. */
let app: TestApp;
let clusterId: string;
let startups: string;
let cloud: string;
let admin: { token: string; accountId: string };
const members: { token: string; accountId: string }[] = [];

const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
  const res = await app.gql(query, variables, { token });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
};

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
  const s = app.services();
  clusterId = (await s.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  startups = (await s.clusters.createCollege({ clusterId, name: 'Start-ups', slug: 'startups', theme: 'start-ups' })).id;
  cloud = (await s.clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  admin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
  await gql(
    `mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id kind rules { majority weighting } } } }`,
    {
      input: {
        clusterId,
        kind: 'BOARD',
        name: 'Conseil d’administration',
        rules: {
          quorumBasisPoints: 5000,
          majority: 'TWO_THIRDS',
          abstentionsCount: false,
          weighting: 'COLLEGE_WEIGHTED',
          collegeWeights: [
            { collegeId: startups, weightBasisPoints: 6000 },
            { collegeId: cloud, weightBasisPoints: 4000 },
          ],
          proxyLimit: 1,
          proxySameCollege: false,
          secrecy: 'SECRET',
        },
        seats: [
          { collegeId: startups, seats: 3 },
          { collegeId: cloud, seats: 2 },
        ],
      },
    },
    admin.token,
  );
  for (const collegeId of [startups, startups, startups, cloud, cloud]) {
    const member = await app.signUp();
    await gql(
      `mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { id } } }`,
      { input: { clusterId, collegeId, accountId: member.accountId } },
      admin.token,
    );
    members.push(member);
  }
});
afterAll(async () => {
  await app.close();
});

it('runs a secret, collège-weighted vote from draft to minutes', async () => {
  const { createProposal } = await gql(
    `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { id state } } }`,
    { input: { kind: 'RESOLUTION', title: 'Budget 2027', text: 'Le budget 2027 est adopté.', partyClusterIds: [clusterId] } },
    admin.token,
  );
  const proposalId = createProposal.proposal.id;
  const closesAt = new Date(app.clock.now().getTime() + 3_600_000).toISOString();
  await gql(
    `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { state } } }`,
    { input: { proposalId, closesAt } },
    admin.token,
  );
  const cast = (token: string, choice: string, onBehalfOf?: string) =>
    app.gql(
      `mutation($input: CastVoteInput!) { castVote(input: $input) { receipt proposal { id } } }`,
      { input: { proposalId, choice, onBehalfOf } },
      { token },
    );
  const receipts: string[] = [];
  for (const [i, choice] of ['FOR', 'FOR', 'AGAINST'].entries()) {
    const res = await cast(members[i].token, choice);
    expect(res.body.errors).toBeUndefined();
    receipts.push(res.body.data!.castVote.receipt);
  }
  expect(refused(await cast(members[0].token, 'AGAINST'))).toEqual({ code: 'CONFLICT', reason: 'BALLOT_FINAL' });
  const outsider = await app.signUp();
  expect(refused(await cast(outsider.token, 'FOR'))).toEqual({ code: 'FORBIDDEN', reason: 'NOT_IN_ELECTORATE' });
  // Cloud member 4 gives a proxy to member 5, who votes for both.
  await gql(
    `mutation($input: GrantProxyInput!) { grantProxy(input: $input) { proxy { id state } } }`,
    { input: { proposalId, holderAccountId: members[4].accountId } },
    members[3].token,
  );
  expect(refused(await cast(members[3].token, 'FOR'))).toEqual({ code: 'CONFLICT', reason: 'PROXY_STANDING' });
  expect((await cast(members[4].token, 'FOR')).body.errors).toBeUndefined();
  expect((await cast(members[4].token, 'FOR', members[3].accountId)).body.errors).toBeUndefined();

  const closed = await gql(
    `mutation($input: CloseVotingInput!) { closeVoting(input: $input) { proposal { state parties { state adopted ballotsDigest electorate participation tally { electorate ballots quorumReached for against abstain weightedFor { exact } majorityReached adopted reason colleges { collegeId ballots effectiveShare { exact } } } ballots { receiptDigest choice collegeId weight } } } } }`,
    { input: { proposalId } },
    admin.token,
  );
  const party = closed.closeVoting.proposal.parties[0];
  expect(closed.closeVoting.proposal.state).toBe('ADOPTED');
  expect(party.tally).toMatchObject({
    electorate: 5,
    ballots: 5,
    quorumReached: true,
    for: 4,
    against: 1,
    abstain: 0,
    majorityReached: true,
    adopted: true,
    reason: 'ADOPTED',
  });
  // Start-ups (60 %): 2 FOR of 3 → 2/5 of the result; Cloud (40 %): 2 FOR of 2 → 2/5. FOR = 4/5.
  expect(party.tally.weightedFor.exact).toBe('4/5');
  expect(party.ballots).toHaveLength(5);
  expect(refused(await cast(members[2].token, 'FOR'))).toEqual({ code: 'CONFLICT', reason: 'VOTE_CLOSED' });

  const check = await gql(
    `query($r: String!) { verifyReceipt(receipt: $r) { found choice counted } }`,
    { r: receipts[2] },
    members[2].token,
  );
  expect(check.verifyReceipt).toEqual({ found: true, choice: 'AGAINST', counted: true });

  const minutes = await gql(`query($id: ID!) { minutes(proposalId: $id) }`, { id: proposalId }, members[0].token);
  expect(minutes.minutes).toContain('# Procès-verbal — Budget 2027');
  expect(minutes.minutes).toContain(party.ballotsDigest);
  const download = await fetch(`${app.url}/exports/proposals/${proposalId}/minutes.md`, {
    headers: { authorization: `Bearer ${members[0].token}` },
  });
  expect(download.status).toBe(200);
  expect(await download.text()).toBe(minutes.minutes);
});
