import { createHash } from 'node:crypto';
import { PasswordHasher } from '../../src/auth/password.js';
import { Role } from '../../src/auth/role.js';
import { ballotListText, type PublishedBallot } from '../../src/governance/ballot-box.js';
import { storeTally } from '../../src/governance/tally-record.js';
import { tally, type CollegeCount } from '../../src/governance/tally.js';
import { Majority, Secrecy, Weighting, type VotingRules } from '../../src/governance/voting-rules.js';
import { Choice } from '../../src/governance/proposal.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { errorCodes, type GraphQLResponse, type TestApp } from '../support/test-app.js';

/**
 * Arranging board votes over HTTP for the governance tests: a cluster with collèges, its board
 * configured through `configureVotingBody`, seat holders appointed through `appointBoardMember`,
 * and the operations of the issue (createProposal, openVoting, castVote, grantProxy, revokeProxy,
 * closeVoting, cancelProposal, proposal, verifyReceipt, minutes).
 */

/** Argon2id at a tiny cost: these files sign up dozens of voters, and passwords are not what they test. */
export const FAST_HASHER = new PasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

export interface Person {
  accountId: string;
  token: string;
  email: string;
}

export interface BoardMember extends Person {
  collegeId: string;
  mandateId: string;
}

export interface Board {
  clusterId: string;
  /** Collège ids, in the order given. */
  colleges: string[];
  admin: Person;
  members: BoardMember[];
}

export const PARTY_FIELDS = `id state adopted closedAt ballotsDigest electorate participation cluster { id }
  rules { quorumBasisPoints majority abstentionsCount weighting collegeWeights { collegeId weightBasisPoints } doubleMajorityColleges proxyLimit proxySameCollege secrecy }
  tally { electorate ballots quorumReached for against abstain
    weightedFor { exact percent } weightedAgainst { exact percent } weightedAbstain { exact percent }
    majorityReached collegesWithMajority doubleMajorityReached adopted reason
    colleges { collegeId electorate ballots for against abstain weightBasisPoints effectiveShare { exact percent } majorityReached } }
  ballots { receiptDigest choice collegeId weight }`;

export const PROPOSAL_FIELDS = `id kind state title text opensAt closesAt closedAt cancelledAt partnershipAxes parties { ${PARTY_FIELDS} }`;

export const RULES_DEFAULT: VotingRules = {
  quorumBasisPoints: 5000,
  majority: Majority.SIMPLE,
  abstentionsCount: false,
  weighting: Weighting.PER_VOTER,
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 1,
  proxySameCollege: false,
  secrecy: Secrecy.NAMED,
};

/** Data of a response that must have succeeded. */
export function ok<T = Record<string, any>>(res: GraphQLResponse<T>): T {
  if (res.body.errors) throw new Error(`unexpected errors: ${JSON.stringify(res.body.errors)}`);
  return res.body.data!;
}

/** The one error of a refused response: its code, its reason and the fields it names (the message, for the tests about wording). */
export function refusal(res: GraphQLResponse): { code: string; reason: string; fields: string[]; message: string } {
  expect(res.body.errors).toHaveLength(1);
  const [error] = res.body.errors!;
  const fields = ((error.extensions?.fields ?? []) as { field: string }[]).map((f) => f.field);
  return { code: errorCodes(res)[0], reason: String(error.extensions?.reason), fields, message: error.message };
}

/** The code and reason of a refused response, to compare with `{ code, reason }`. */
export function refused(res: GraphQLResponse): { code: string; reason: string } {
  const { code, reason } = refusal(res);
  return { code, reason };
}

let serial = 0;

/** A cluster with collèges and a configured BOARD, its admin, and `membersPerCollege` appointed seat holders per collège. */
export async function createBoard(
  app: TestApp,
  options: {
    name?: string;
    colleges?: number;
    membersPerCollege?: number | number[];
    seats?: number;
    rules?: Partial<VotingRules>;
    /** For COLLEGE_WEIGHTED: basis points per collège, in order. */
    weights?: number[];
  } = {},
): Promise<Board> {
  serial += 1;
  const name = options.name ?? `Cluster ${serial}`;
  const s = app.services();
  const clusterId = (await s.clusters.createCluster({ name, slug: `cluster-${serial}`, kind: ClusterKind.CLUSTER })).id;
  const colleges: string[] = [];
  for (let i = 0; i < (options.colleges ?? 2); i += 1) {
    colleges.push(
      (
        await app
          .services()
          .clusters.createCollege({ clusterId, name: `Collège ${serial}.${i}`, slug: `college-${i}`, theme: `theme-${i}` })
      ).id,
    );
  }
  const admin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
  const rules = { ...RULES_DEFAULT, ...options.rules };
  if (rules.weighting === Weighting.COLLEGE_WEIGHTED && !options.rules?.collegeWeights) {
    const weights =
      options.weights ??
      colleges.map((_, i) =>
        i === 0 ? 10_000 - Math.floor(10_000 / colleges.length) * (colleges.length - 1) : Math.floor(10_000 / colleges.length),
      );
    rules.collegeWeights = colleges.map((collegeId, i) => ({ collegeId, weightBasisPoints: weights[i] }));
  }
  await configureBoard(app, admin.token, clusterId, colleges, rules, options.seats ?? 10);
  const members: BoardMember[] = [];
  for (const [i, collegeId] of colleges.entries()) {
    const count = Array.isArray(options.membersPerCollege) ? options.membersPerCollege[i] : (options.membersPerCollege ?? 2);
    for (let j = 0; j < count; j += 1) members.push(await appoint(app, admin.token, clusterId, collegeId));
  }
  return { clusterId, colleges, admin, members };
}

export async function configureBoard(
  app: TestApp,
  token: string,
  clusterId: string,
  colleges: string[],
  rules: VotingRules,
  seats = 10,
): Promise<void> {
  ok(
    await app.gql(
      `mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id } } }`,
      {
        input: {
          clusterId,
          kind: 'BOARD',
          name: 'Conseil d’administration',
          rules,
          seats: colleges.map((collegeId) => ({ collegeId, seats })),
        },
      },
      { token },
    ),
  );
}

/** A new account appointed to a seat of `collegeId` on the cluster's board. */
export async function appoint(app: TestApp, adminToken: string, clusterId: string, collegeId: string): Promise<BoardMember> {
  const person = await app.signUp();
  const data = ok(
    await app.gql(
      `mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { id } } }`,
      { input: { clusterId, collegeId, accountId: person.accountId } },
      { token: adminToken },
    ),
  );
  return { ...person, collegeId, mandateId: data.appointBoardMember.mandate.id };
}

export const CREATE = `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { ${PROPOSAL_FIELDS} } } }`;
export const OPEN = `mutation($input: OpenVotingInput!) { openVoting(input: $input) { proposal { ${PROPOSAL_FIELDS} } } }`;
export const CAST = `mutation($input: CastVoteInput!) { castVote(input: $input) { receipt proposal { id state } } }`;
export const GRANT = `mutation($input: GrantProxyInput!) { grantProxy(input: $input) { proxy { id state principal { id } holder { id } } } }`;
export const REVOKE = `mutation($id: ID!) { revokeProxy(proxyId: $id) { proxy { id state revokedAt } } }`;
export const CLOSE = `mutation($input: CloseVotingInput!) { closeVoting(input: $input) { proposal { ${PROPOSAL_FIELDS} } } }`;
export const CANCEL = `mutation($input: CancelProposalInput!) { cancelProposal(input: $input) { proposal { id state } } }`;
export const READ = `query($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} } }`;
export const VERIFY = `query($r: String!) { verifyReceipt(receipt: $r) { found proposalId clusterId choice collegeId weight counted } }`;
export const MINUTES = `query($id: ID!) { minutes(proposalId: $id) }`;

/** Drafts a RESOLUTION of the given clusters (as their admin). */
export async function draft(
  app: TestApp,
  token: string,
  partyClusterIds: string[],
  extra: Record<string, unknown> = {},
): Promise<{ id: string; [key: string]: any }> {
  serial += 1;
  const data = ok(
    await app.gql(
      CREATE,
      {
        input: { kind: 'RESOLUTION', title: `Résolution ${serial}`, text: `Texte de la résolution ${serial}.`, partyClusterIds, ...extra },
      },
      { token },
    ),
  );
  return data.createProposal.proposal;
}

/** When voting closes by default: an hour from the app's clock. */
export const inAnHour = (app: TestApp) => new Date(app.clock.now().getTime() + 3_600_000).toISOString();

export async function open(app: TestApp, token: string, proposalId: string, closesAt = inAnHour(app)) {
  return ok(await app.gql(OPEN, { input: { proposalId, closesAt } }, { token })).openVoting.proposal;
}

/** A drafted and opened RESOLUTION of one board. */
export async function openResolution(app: TestApp, board: Board, closesAt?: string): Promise<string> {
  const proposal = await draft(app, board.admin.token, [board.clusterId]);
  await open(app, board.admin.token, proposal.id, closesAt);
  return proposal.id;
}

export function cast(app: TestApp, token: string, proposalId: string, choice: string, extra: Record<string, unknown> = {}) {
  return app.gql(CAST, { input: { proposalId, choice, ...extra } }, { token });
}

export async function close(app: TestApp, token: string, proposalId: string, clusterId?: string) {
  return ok(await app.gql(CLOSE, { input: { proposalId, clusterId } }, { token })).closeVoting.proposal;
}

export async function read(app: TestApp, token: string, proposalId: string) {
  return ok(await app.gql(READ, { id: proposalId }, { token })).proposal;
}

/** Rows of a table for one proposal's parties (participation, ballot, elector, proxy). */
export async function countRows(
  app: TestApp,
  table: 'participation' | 'ballot' | 'elector' | 'proxy',
  proposalId: string,
): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>(
    `select count(*)::int as n from ${table} where party_id in (select id from proposal_party where proposal_id = $1)`,
    [proposalId],
  );
  return n;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Recounts a closed party from what is published: its ballots, the rules it applied and the
 * electorate per collège of its tally, with the pure `tally()`; returns the recount in the stored
 * shape, and the digest of the published ballot list.
 */
export function recount(party: {
  rules: VotingRules;
  tally: { colleges: { collegeId: string | null; electorate: number }[] };
  ballots: PublishedBallot[];
}): { tally: ReturnType<typeof storeTally>; digest: string } {
  const byCollege = new Map<string | null, CollegeCount>();
  for (const c of party.tally.colleges)
    byCollege.set(c.collegeId, { collegeId: c.collegeId, electorate: c.electorate, for: 0, against: 0, abstain: 0 });
  for (const b of party.ballots) {
    const count = byCollege.get(b.collegeId) ?? { collegeId: b.collegeId, electorate: 0, for: 0, against: 0, abstain: 0 };
    byCollege.set(b.collegeId, count);
    const key = b.choice === Choice.FOR ? 'for' : b.choice === Choice.AGAINST ? 'against' : 'abstain';
    count[key] += b.weight;
  }
  const counts = [...byCollege.values()].sort((a, b) =>
    a.collegeId === b.collegeId ? 0 : a.collegeId === null ? 1 : b.collegeId === null ? -1 : a.collegeId < b.collegeId ? -1 : 1,
  );
  const rules = { ...party.rules, collegeWeights: party.rules.collegeWeights ?? [] };
  return { tally: storeTally(tally(rules, counts)), digest: sha256(ballotListText(party.ballots)) };
}

/** Asserts that a closed party's stored tally and digest are exactly what its published ballots give. */
export function expectRecountMatches(party: any): void {
  const { tally: recounted, digest } = recount(party);
  expect(party.ballots).toHaveLength(party.tally.ballots);
  expect(JSON.parse(JSON.stringify(recounted))).toEqual(party.tally);
  expect(digest).toBe(party.ballotsDigest);
}
