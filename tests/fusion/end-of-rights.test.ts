import { Role } from '../../src/auth/role.js';
import { ProposalKind } from '../../src/governance/proposal.entity.js';
import { BodyKind } from '../../src/governance/voting-body.entity.js';
import { Majority, Secrecy, Weighting, type VotingRules } from '../../src/governance/voting-rules.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import { ok, refused } from '../governance/support.js';

/**
 * What a fusion does to the mandates and rights of the clusters it absorbs (issue 12, items 4 and
 * 13). The preview and the dry run show the plan's effective date, and say apart that executing
 * now would force it early. A mandate ends when the fusion takes effect — at the execution
 * instant when forced early, at the start of the effective date otherwise — never before an act
 * done under it (the boards voted on the fusion itself); one appointed for later never starts.
 * Every other right held in an absorbed cluster (administrator, treasurer, member) ends at the
 * execution: its holders can no longer act there, while the absorbing cluster's administrators
 * still read its history.
 */
let app: TestApp;
let platformAdmin: { token: string; accountId: string };
let fsdAdmin: { token: string; accountId: string };
let fsdVoter: { token: string; accountId: string };
const ids: Record<string, string> = {};
const RULES: VotingRules = {
  quorumBasisPoints: 0,
  majority: Majority.SIMPLE,
  abstentionsCount: false,
  weighting: Weighting.PER_VOTER,
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 0,
  proxySameCollege: false,
  secrecy: Secrecy.SECRET,
};
const REPORT = `proposalId kind dryRun effectiveDate earlyEffectiveDate clustersMerged membershipsMoved membershipsAlreadyInTarget
  representativeMandatesEnded boardMandatesEnded rolesEnded applicationsMoved applicationsClosed subsidiesTransferred
  subsidiesReleased conventionsCarried subsidiesAwaitingFunderAgreement conventionId`;
const PREVIEW = `query($id: ID!) { proposal(id: $id) { executionPreview { ${REPORT} } } }`;
const DRY_RUN = `mutation($id: ID!) { executeProposal(proposalId: $id, dryRun: true) { ${REPORT} } }`;
const STORED = `query($id: ID!) { proposal(id: $id) { executionReport { ${REPORT} } } }`;
const TREASURY = `query($id: ID!) { treasuryReport(clusterId: $id) { subsidies } }`;
const PROPOSALS = `query($id: ID!) { proposals(clusterId: $id) { edges { node { id } } } }`;
const UPDATE_CLUSTER = `mutation($id: ID!) { updateCluster(input: { id: $id, description: "Toujours là" }) { cluster { id } } }`;

const DAY = 86_400_000;
const day = (offset: number) => new Date(app.clock.now().getTime() + offset * DAY).toISOString().slice(0, 10);
const at = (offset: number) => new Date(app.clock.now().getTime() + offset * DAY);

/** An absorbed cluster with one collège and `members` member organisations (straight in SQL: admission is tested elsewhere). */
async function absorbedCluster(key: string, members: number): Promise<void> {
  const s = app.services();
  ids[key] = (await s.clusters.createCluster({ name: `Association ${key}`, slug: key, kind: ClusterKind.ASSOCIATION })).id;
  ids[`${key}College`] = (await s.clusters.createCollege({ clusterId: ids[key], name: 'Membres', slug: 'membres', theme: key })).id;
  await app.sql(
    `with orgs as (insert into organisation (id, created_at, updated_at, name, kind, affiliations)
                    select gen_random_uuid(), now(), now(), $2 || ' membre ' || i, 'COMPANY', '{}' from generate_series(1, $3) i returning id)
     insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
     select gen_random_uuid(), now(), now(), id, $1, 'ACTIVE', date '2019-01-01', date '2019-01-01' from orgs`,
    [ids[`${key}College`], key, members],
  );
  await s.bodies.configure({
    clusterId: ids[key],
    kind: BodyKind.BOARD,
    name: `Conseil ${key}`,
    rules: RULES,
    seats: [{ collegeId: ids[`${key}College`], seats: 3 }],
  });
}

/** Appoints a new account to the board of `key` from `startsAt`; returns the account. */
async function boardMember(key: string, startsAt?: Date) {
  const person = await app.signUp();
  await app.services().bodies.appoint({ clusterId: ids[key], collegeId: ids[`${key}College`], accountId: person.accountId, startsAt });
  return person;
}

/** A fusion of `key` into FrenchSouth.digital, effective on `effectiveDate`, opened, voted FOR by `voters` and closed. */
async function adoptedFusion(key: string, effectiveDate: string, voters: { accountId: string }[]): Promise<string> {
  const s = app.services(platformAdmin.accountId);
  const proposal = await s.proposals.create({
    kind: ProposalKind.FUSION,
    title: `Fusion-absorption de ${key}`,
    text: `L’association ${key} fusionne dans FrenchSouth.digital.`,
    plan: { absorbingClusterId: ids.fsd, effectiveDate, absorbed: [{ clusterId: ids[key], targetCollegeId: ids.cloud }] },
  });
  ids[`${key}Proposal`] = proposal.id;
  await s.proposals.open({ proposalId: proposal.id, closesAt: at(1) });
  await app.services(fsdVoter.accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids.fsd });
  for (const voter of voters)
    await app.services(voter.accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids[key] });
  for (const party of await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [proposal.id]))
    await s.voting.close(party.id);
  return proposal.id;
}

interface MandateRow {
  holder_id: string;
  starts_at: Date;
  ends_at: Date;
  ended_early_reason: string | null;
  valid_to: Date;
}

/** The board mandates of `key`, each with its right's end. */
async function boardMandates(key: string): Promise<MandateRow[]> {
  return app.sql<MandateRow>(
    `select bm.holder_id, bm.starts_at, bm.ends_at, bm.ended_early_reason, r.valid_to
       from board_mandate bm join voting_body b on b.id = bm.body_id join role_assignment r on r.id = bm.role_assignment_id
      where b.cluster_id = $1`,
    [ids[key]],
  );
}

async function executedAt(proposalId: string): Promise<Date> {
  const [row] = await app.sql<{ executed_at: Date }>('select executed_at from proposal where id = $1', [proposalId]);
  return row.executed_at;
}

const report = (res: GraphQLResponse) => ok(res).executeProposal as Record<string, unknown>;

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
  const s = app.services();
  ids.fsd = (await s.clusters.createCluster({ name: 'FrenchSouth.digital', slug: 'fsd', kind: ClusterKind.CLUSTER })).id;
  ids.cloud = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  await s.bodies.configure({
    clusterId: ids.fsd,
    kind: BodyKind.BOARD,
    name: 'Conseil FSD',
    rules: RULES,
    seats: [{ collegeId: ids.cloud, seats: 3 }],
  });
  fsdVoter = await app.signUp();
  await s.bodies.appoint({ clusterId: ids.fsd, collegeId: ids.cloud, accountId: fsdVoter.accountId });
  platformAdmin = await app.signUp({ role: Role.ADMIN });
  fsdAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ids.fsd });
  await absorbedCluster('media', 4);
  await absorbedCluster('novae', 3);
});
afterAll(async () => {
  await app.close();
});

describe('a fusion forced before its effective date', () => {
  const people: Record<string, { token: string; accountId: string }> = {};
  let proposalId: string;
  let effectiveDate: string;

  beforeAll(async () => {
    effectiveDate = day(120);
    // The board: one votes on the fusion, one does not, one is appointed from a later date.
    people.voter = await boardMember('media');
    people.silent = await boardMember('media');
    people.later = await boardMember('media', at(10));
    people.representative = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: ids.media, collegeId: ids.mediaCollege });
    // Rights without a mandate: the association's administrator, its treasurer, a member of its collège.
    people.admin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ids.media });
    people.treasurer = await app.signUp({ role: Role.TREASURER, clusterId: ids.media });
    people.member = await app.signUp({ role: Role.MEMBER, clusterId: ids.media, collegeId: ids.mediaCollege });
  });

  it('is previewed with the plan’s effective date, saying apart that executing now would force it early', async () => {
    const s = app.services(platformAdmin.accountId);
    const draft = await s.proposals.create({
      kind: ProposalKind.FUSION,
      title: 'Projet',
      text: 'Projet de fusion.',
      plan: { absorbingClusterId: ids.fsd, effectiveDate, absorbed: [{ clusterId: ids.media, targetCollegeId: ids.cloud }] },
    });
    const preview = ok(await app.gql(PREVIEW, { id: draft.id }, { token: platformAdmin.token })).proposal.executionPreview;
    expect(preview).toMatchObject({
      effectiveDate,
      earlyEffectiveDate: day(0),
      boardMandatesEnded: 3,
      representativeMandatesEnded: 1,
      rolesEnded: 3,
      membershipsMoved: 4,
    });
    expect(report(await app.gql(DRY_RUN, { id: draft.id }, { token: platformAdmin.token }))).toEqual(preview);
    await s.proposals.cancel({ proposalId: draft.id, reason: 'Remplacé' });
  });

  it('ends the absorbed board’s mandates at the execution, after the votes cast under them, and every right in the cluster', async () => {
    // Before the fusion, each right works in the absorbed cluster.
    ok(await app.gql(TREASURY, { id: ids.media }, { token: people.treasurer.token }));
    ok(await app.gql(UPDATE_CLUSTER, { id: ids.media }, { token: people.admin.token }));
    ok(await app.gql(PROPOSALS, { id: ids.media }, { token: people.member.token }));

    proposalId = await adoptedFusion('media', effectiveDate, [people.voter]);
    const preview = ok(await app.gql(PREVIEW, { id: proposalId }, { token: platformAdmin.token })).proposal.executionPreview;
    const executed = report(
      await app.gql(
        `mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "La Région le demande") { ${REPORT} } }`,
        { id: proposalId },
        {
          token: platformAdmin.token,
        },
      ),
    );
    // The report keeps the plan's date and says the fusion was forced to take effect today.
    expect(executed).toEqual({ ...preview, dryRun: false });
    expect(executed).toMatchObject({
      effectiveDate,
      earlyEffectiveDate: day(0),
      boardMandatesEnded: 3,
      representativeMandatesEnded: 1,
      rolesEnded: 3,
    });
    expect(ok(await app.gql(STORED, { id: proposalId }, { token: platformAdmin.token })).proposal.executionReport).toEqual(executed);

    const instant = await executedAt(proposalId);
    // The votes on the fusion were cast under mandates still in force: they end at the execution, after every ballot.
    const participations = await app.sql<{ voter_id: string; created_at: Date }>(
      `select pa.voter_id, pa.created_at from participation pa join proposal_party p on p.id = pa.party_id
        where p.proposal_id = $1 and p.cluster_id = $2`,
      [proposalId, ids.media],
    );
    expect(participations.map((p) => p.voter_id)).toEqual([people.voter.accountId]);
    const mandates = await boardMandates('media');
    const of = (accountId: string) => mandates.find((m) => m.holder_id === accountId)!;
    expect(of(people.voter.accountId).ends_at.getTime()).toBeGreaterThanOrEqual(participations[0].created_at.getTime());
    for (const key of ['voter', 'silent'] as const) {
      const mandate = of(people[key].accountId);
      expect(mandate.ends_at).toEqual(instant);
      expect(mandate.ends_at.getTime()).toBeGreaterThan(mandate.starts_at.getTime() + 1);
      expect(mandate.valid_to).toEqual(mandate.ends_at);
    }
    // Appointed from a later date, the third mandate never starts: ended at its start (+1 ms, as the period check requires), said cancelled.
    const later = of(people.later.accountId);
    expect(later.ends_at.getTime()).toBe(later.starts_at.getTime() + 1);
    expect(later.ended_early_reason).toMatch(/^Cancelled before it started: Fusion into FrenchSouth\.digital/);
    expect(later.valid_to).toEqual(later.ends_at);
    const [representative] = await app.sql<{ ends_at: Date; valid_to: Date }>(
      `select rm.ends_at, r.valid_to from representative_mandate rm join role_assignment r on r.id = rm.role_assignment_id where rm.representative_id = $1`,
      [people.representative.accountId],
    );
    expect(representative).toEqual({ ends_at: instant, valid_to: instant });
    // Forced early, memberships move today.
    const ended = await app.sql<{ ended_on: string }>(`select distinct ended_on::text from membership where college_id = $1`, [
      ids.mediaCollege,
    ]);
    expect(ended).toEqual([{ ended_on: day(0) }]);
    // The absorbing cluster's board is untouched.
    const [fsd] = await boardMandates('fsd');
    expect(fsd.ends_at).toBeNull();

    // Every other right in the absorbed cluster ended at the execution instant.
    const rights = await app.sql<{ account_id: string; valid_to: Date }>(
      'select account_id, valid_to from role_assignment where account_id = any($1::uuid[])',
      [[people.admin.accountId, people.treasurer.accountId, people.member.accountId]],
    );
    expect(rights).toHaveLength(3);
    for (const right of rights) expect(right.valid_to).toEqual(instant);
  });

  it('leaves the absorbed cluster’s administrator, treasurer and members no right there; the absorbing cluster’s administrators still read its history', async () => {
    expect(refused(await app.gql(TREASURY, { id: ids.media }, { token: people.treasurer.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    expect(refused(await app.gql(UPDATE_CLUSTER, { id: ids.media }, { token: people.admin.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    expect(refused(await app.gql(PROPOSALS, { id: ids.media }, { token: people.member.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    expect(refused(await app.gql(PROPOSALS, { id: ids.media }, { token: people.voter.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    // FrenchSouth.digital's administrator reads what remains of the association (and may not change a MERGED cluster).
    ok(await app.gql(TREASURY, { id: ids.media }, { token: fsdAdmin.token }));
    const proposals = ok(await app.gql(PROPOSALS, { id: ids.media }, { token: fsdAdmin.token })).proposals.edges;
    expect(proposals.map((e: { node: { id: string } }) => e.node.id)).toContain(proposalId);
    expect(refused(await app.gql(UPDATE_CLUSTER, { id: ids.media }, { token: fsdAdmin.token }))).toMatchObject({ code: 'CONFLICT' });
  });
});

describe('a fusion executed after its effective date', () => {
  it('ends the mandates at the start of the effective date, but those acted under or begun since at the execution', async () => {
    const effectiveDate = day(-3);
    const takesEffectAt = new Date(`${effectiveDate}T00:00:00Z`);
    // In office before the effective date: one votes on the fusion (after it), one does nothing but sign in.
    const voter = await boardMember('novae', at(-10));
    const idle = await boardMember('novae', at(-10));
    // Appointed after the effective date (the association was still ACTIVE here).
    const newcomer = await boardMember('novae');
    const representative = await app.signUp();
    await app.services().representatives.appoint({ collegeId: ids.novaeCollege, accountId: representative.accountId, startsAt: at(-10) });
    const treasurer = await app.signUp({ role: Role.TREASURER, clusterId: ids.novae });

    const proposalId = await adoptedFusion('novae', effectiveDate, [voter]);
    const dry = report(await app.gql(DRY_RUN, { id: proposalId }, { token: fsdAdmin.token }));
    const executed = report(
      await app.gql(`mutation($id: ID!) { executeProposal(proposalId: $id) { ${REPORT} } }`, { id: proposalId }, { token: fsdAdmin.token }),
    );
    expect(executed).toEqual({ ...dry, dryRun: false });
    expect(executed).toMatchObject({
      effectiveDate,
      earlyEffectiveDate: null,
      boardMandatesEnded: 3,
      representativeMandatesEnded: 1,
      rolesEnded: 1,
    });

    const instant = await executedAt(proposalId);
    const mandates = await boardMandates('novae');
    const of = (accountId: string) => mandates.find((m) => m.holder_id === accountId)!;
    expect(of(idle.accountId)).toMatchObject({ ends_at: takesEffectAt, valid_to: takesEffectAt });
    expect(of(voter.accountId)).toMatchObject({ ends_at: instant, valid_to: instant });
    expect(of(newcomer.accountId)).toMatchObject({ ends_at: instant, valid_to: instant });
    const [vote] = await app.sql<{ created_at: Date }>(
      `select pa.created_at from participation pa join proposal_party p on p.id = pa.party_id where p.proposal_id = $1 and pa.voter_id = $2`,
      [proposalId, voter.accountId],
    );
    expect(instant.getTime()).toBeGreaterThanOrEqual(vote.created_at.getTime());
    const [rep] = await app.sql<{ ends_at: Date }>('select ends_at from representative_mandate where representative_id = $1', [
      representative.accountId,
    ]);
    expect(rep.ends_at).toEqual(takesEffectAt);
    const [right] = await app.sql<{ valid_to: Date }>('select valid_to from role_assignment where account_id = $1', [treasurer.accountId]);
    expect(right.valid_to).toEqual(instant);
    expect(refused(await app.gql(TREASURY, { id: ids.novae }, { token: treasurer.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'RIGHT_MISSING',
    });
    // Memberships move on the plan's date.
    const ended = await app.sql<{ ended_on: string }>('select distinct ended_on::text from membership where college_id = $1', [
      ids.novaeCollege,
    ]);
    expect(ended).toEqual([{ ended_on: effectiveDate }]);
  });
});
