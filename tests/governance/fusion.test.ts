import { Role } from '../../src/auth/role.js';
import { FunderKind } from '../../src/finance/funder.entity.js';
import { InstalmentKind } from '../../src/finance/subsidy.entity.js';
import { trustedScope } from '../../src/auth/domain-service.js';
import { FusionService } from '../../src/fusion/fusion.service.js';
import { ProposalKind } from '../../src/governance/proposal.entity.js';
import { BodyKind } from '../../src/governance/voting-body.entity.js';
import { Majority, Secrecy, Weighting, type VotingRules } from '../../src/governance/voting-rules.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { errorCodes, startTestApp, type TestApp } from '../support/test-app.js';
import { refused } from './support.js';

/**
 * The documents' story: Media Cloud Cluster, Novae LR and PixLR merge into FrenchSouth.digital.
 * Every board adopts the fusion; its execution moves every member to the planned collège with
 * its seniority, releases the regional subsidy frozen until the merger, passes the associations'
 * subsidies on, and leaves everything of the past readable. Plus: double execution, failure
 * injection, missing funder agreement, effective date, stale plan.
 */
let app: TestApp;
const ids: Record<string, string> = {};
const MEMBERS = { media: 7, novae: 5, pixlr: 4 };
const RULES: VotingRules = {
  quorumBasisPoints: 0,
  majority: Majority.SIMPLE,
  abstentionsCount: false,
  weighting: Weighting.PER_VOTER,
  collegeWeights: [],
  doubleMajorityColleges: null,
  proxyLimit: 0,
  proxySameCollege: false,
  secrecy: Secrecy.NAMED,
};
let admin: { token: string; accountId: string };
const boardMembers: Record<string, { token: string; accountId: string }> = {};

const day = (offset: number) => new Date(app.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>(`select count(*)::int as n from (${sql}) x`, params);
  return n;
}

/** Everything a failed execution must leave exactly as it was. */
async function snapshot() {
  return {
    clusters: await app.sql('select id, status, successor_id from cluster order by id'),
    colleges: await app.sql('select id, successor_id from college order by id'),
    memberships: await app.sql('select id, status, ended_on, college_id from membership order by id'),
    ledger: await count('select 1 from ledger_entry'),
    subsidies: await app.sql('select id, cluster_id, state from subsidy order by id'),
    mandates: await app.sql('select id, ends_at from board_mandate order by id'),
    rights: await app.sql('select id, valid_to from role_assignment order by id'),
    proposal: await app.sql('select state from proposal where id = $1', [ids.proposal]),
  };
}

async function adoptedFusion(effectiveOffset = -1): Promise<string> {
  const s = app.services(admin.accountId);
  const proposal = await s.proposals.create({
    kind: ProposalKind.FUSION,
    title: 'Fusion-absorption des associations dans FrenchSouth.digital',
    text: 'Les associations Media Cloud Cluster, Novae LR et PixLR fusionnent dans FrenchSouth.digital.',
    plan: {
      absorbingClusterId: ids.fsd,
      effectiveDate: day(effectiveOffset),
      absorbed: [
        { clusterId: ids.media, targetCollegeId: ids.cloud },
        { clusterId: ids.novae, targetCollegeId: ids.eco },
        { clusterId: ids.pixlr, targetCollegeId: ids.crea },
      ],
    },
  });
  await s.proposals.open({ proposalId: proposal.id, closesAt: new Date(app.clock.now().getTime() + 3_600_000) });
  for (const key of ['fsd', 'media', 'novae', 'pixlr']) {
    await app.services(boardMembers[key].accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids[key] });
    const [party] = await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1 and cluster_id = $2', [
      proposal.id,
      ids[key],
    ]);
    await app.services(admin.accountId).voting.close(party.id);
  }
  return proposal.id;
}

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } });
  const s = app.services();
  const cluster = async (key: string, name: string) => {
    ids[key] = (await s.clusters.createCluster({ name, slug: key, kind: ClusterKind.CLUSTER })).id;
  };
  await cluster('fsd', 'FrenchSouth.digital');
  await cluster('media', 'Media Cloud Cluster');
  await cluster('novae', 'Novae LR');
  await cluster('pixlr', 'PixLR');
  ids.cloud = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id;
  ids.eco = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Économie numérique', slug: 'eco', theme: 'digital economy' })).id;
  ids.crea = (await s.clusters.createCollege({ clusterId: ids.fsd, name: 'Création numérique', slug: 'crea', theme: 'creation' })).id;
  for (const key of ['media', 'novae', 'pixlr'] as const) {
    ids[`${key}College`] = (await s.clusters.createCollege({ clusterId: ids[key], name: 'Membres', slug: 'membres', theme: key })).id;
    // Members since 2015 + i, straight in SQL (the admission flow is tested elsewhere).
    await app.sql(
      `with orgs as (
         insert into organisation (id, created_at, updated_at, name, kind, headcount, departement, region, affiliations)
         select gen_random_uuid(), now(), now(), $2 || ' membre ' || i, 'COMPANY', 10 * i, '34', 'Occitanie', '{}' from generate_series(1, $3) as i
         returning id, name)
       insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
       select gen_random_uuid(), now(), now(), id, $1, 'ACTIVE', date '2020-01-01', make_date(2015 + (row_number() over (order by name))::int % 5, 3, 1) from orgs`,
      [ids[`${key}College`], key, MEMBERS[key]],
    );
  }
  // FrenchSouth.digital's administrator drafts, opens, closes and executes.
  admin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId: ids.fsd });
  for (const key of ['fsd', 'media', 'novae', 'pixlr']) {
    const college = key === 'fsd' ? ids.cloud : ids[`${key}College`];
    await s.bodies.configure({
      clusterId: ids[key],
      kind: BodyKind.BOARD,
      name: `Conseil ${key}`,
      rules: RULES,
      seats: [{ collegeId: college, seats: 3 }],
    });
    boardMembers[key] = await app.signUp();
    await s.bodies.appoint({ clusterId: ids[key], collegeId: college, accountId: boardMembers[key].accountId });
  }
  // Money: the Region's subsidy to FrenchSouth.digital frozen until the fusion, and Media Cloud's own subsidy.
  ids.region = (await s.funders.createFunder({ name: 'Région Occitanie', kind: FunderKind.REGION })).id;
  ids.fsdSubsidy = (
    await s.subsidies.recordSubsidy({
      clusterId: ids.fsd,
      funderId: ids.region,
      purpose: 'Animation du cluster fusionné',
      decisionDate: day(-60),
      amountAwarded: 18_000_000n,
    })
  ).id;
  ids.mediaSubsidy = (
    await s.subsidies.recordSubsidy({
      clusterId: ids.media,
      funderId: ids.region,
      purpose: 'Cloud souverain',
      decisionDate: day(-300),
      amountAwarded: 9_000_000n,
      instalments: [
        { kind: InstalmentKind.ADVANCE, amount: 4_000_000n, dueOn: day(-290) },
        { kind: InstalmentKind.BALANCE, amount: 5_000_000n, dueOn: day(60) },
      ],
      allocations: [{ collegeId: ids.mediaCollege, shareBasisPoints: 10_000 }],
    })
  ).id;
  await s.subsidies.recordReceipt({ subsidyId: ids.mediaSubsidy, amount: 4_000_000n, valueDate: day(-280), bankReference: 'VIR-MCC-1' });
});
afterAll(async () => {
  await app.close();
});

it('refuses to execute a proposal that is not adopted', async () => {
  const proposal = await app
    .services(admin.accountId)
    .proposals.create({ kind: ProposalKind.RESOLUTION, title: 'x', text: 'y', partyClusterIds: [ids.fsd] });
  const res = await app.gql(
    'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged } }',
    { id: proposal.id },
    { token: admin.token },
  );
  expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'PROPOSAL_NOT_ADOPTED' });
});

it('refuses to execute an adopted resolution: there is nothing to execute', async () => {
  const s = app.services(admin.accountId);
  const proposal = await s.proposals.create({ kind: ProposalKind.RESOLUTION, title: 'Résolution', text: 'y', partyClusterIds: [ids.fsd] });
  await app.sql(`update proposal set state = 'ADOPTED' where id = $1`, [proposal.id]);
  const res = await app.gql(
    'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged } }',
    { id: proposal.id },
    { token: admin.token },
  );
  expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'NOTHING_TO_EXECUTE' });
});

it('executes the adopted fusion: members move with their seniority, the frozen subsidy is released, the past stays readable', async () => {
  ids.proposal = await adoptedFusion();
  await app
    .services()
    .subsidies.freeze({ subsidyId: ids.fsdSubsidy, reason: "gelée dans l'attente de ce regroupement", untilProposalId: ids.proposal });
  const treasuryBefore = await app.services().treasury.report(ids.media);
  const seniorityBefore = await app.sql<{ organisation_id: string; member_since: string }>(
    `select m.organisation_id, m.member_since::text from membership m join college c on c.id = m.college_id
      where c.cluster_id = any($1::uuid[]) and m.ended_on is null order by 1`,
    [[ids.media, ids.novae, ids.pixlr]],
  );
  const dry = await app.gql(
    `mutation($id: ID!) { executeProposal(proposalId: $id, dryRun: true) { dryRun membershipsMoved subsidiesReleased } }`,
    { id: ids.proposal },
    { token: boardMembers.fsd.token },
  );
  expect(dry.body.data!.executeProposal).toEqual({ dryRun: true, membershipsMoved: 16, subsidiesReleased: 1 });
  expect(await count(`select 1 from cluster where status = 'MERGED'`)).toBe(0);

  const res = await app.gql(
    `mutation($id: ID!) { executeProposal(proposalId: $id) { dryRun clustersMerged membershipsMoved membershipsAlreadyInTarget boardMandatesEnded subsidiesTransferred subsidiesReleased subsidiesAwaitingFunderAgreement } }`,
    { id: ids.proposal },
    { token: admin.token },
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data!.executeProposal).toEqual({
    dryRun: false,
    clustersMerged: 3,
    membershipsMoved: 16,
    membershipsAlreadyInTarget: 0,
    boardMandatesEnded: 3,
    subsidiesTransferred: 1,
    subsidiesReleased: 1,
    subsidiesAwaitingFunderAgreement: [],
  });

  // Members: every one continues in the planned collège, same seniority, origin pointing back.
  const after = await app.sql<{ organisation_id: string; member_since: string; college_id: string; origin_status: string }>(
    `select m.organisation_id, m.member_since::text, m.college_id, o.status as origin_status
       from membership m join membership o on o.id = m.origin_id where m.college_id = any($1::uuid[]) and m.ended_on is null order by 1`,
    [[ids.cloud, ids.eco, ids.crea]],
  );
  expect(after.map((m) => ({ organisation_id: m.organisation_id, member_since: m.member_since }))).toEqual(seniorityBefore);
  expect(after.every((m) => m.origin_status === 'MERGED')).toBe(true);
  expect(after.filter((m) => m.college_id === ids.cloud)).toHaveLength(MEMBERS.media);

  // Clusters: MERGED, with their successor; the absorbing cluster lists its predecessors.
  const lineage = await app.gql(`query($id: ID!) { cluster(id: $id) { predecessors { name status successor { name } } } }`, {
    id: ids.fsd,
  });
  expect(lineage.body.data!.cluster.predecessors.map((c: { name: string }) => c.name).sort()).toEqual([
    'Media Cloud Cluster',
    'Novae LR',
    'PixLR',
  ]);
  expect(
    lineage.body.data!.cluster.predecessors.every(
      (c: { status: string; successor: { name: string } }) => c.status === 'MERGED' && c.successor.name === 'FrenchSouth.digital',
    ),
  ).toBe(true);

  // Money: the frozen subsidy is released; Media Cloud's subsidy now belongs to FrenchSouth.digital, its history kept.
  const [fsdSubsidy] = await app.sql('select state from subsidy where id = $1', [ids.fsdSubsidy]);
  expect(fsdSubsidy.state).toBe('AWARDED');
  const subsidy = await app.gql(
    `query($id: ID!) { subsidy(id: $id) { cluster { name } transfers { kind clusterId counterpartClusterId } balance { awarded received } } }`,
    { id: ids.mediaSubsidy },
    { token: admin.token },
  );
  expect(subsidy.body.data!.subsidy).toEqual({
    cluster: { name: 'FrenchSouth.digital' },
    transfers: [{ kind: 'TRANSFER', clusterId: ids.media, counterpartClusterId: ids.fsd }],
    balance: { awarded: '9000000', received: '4000000' },
  });
  // Totals reconcile to the cent: the absorbing cluster now carries what Media Cloud had.
  const fsdAfter = await app.services().treasury.report(ids.fsd);
  expect(fsdAfter.awarded).toBe(18_000_000n + treasuryBefore.awarded);
  expect(fsdAfter.received).toBe(treasuryBefore.received);
  // The fusion took effect yesterday: as of the day before, Media Cloud's report and members are as they were.
  const mediaThen = await app.services().treasury.report(ids.media, {}, day(-2));
  expect(mediaThen.awarded).toBe(treasuryBefore.awarded);
  const membersThen = await app.gql(
    `query($id: ID!, $asOf: LocalDate) { college(id: $id) { members(first: 50, filter: { asOf: $asOf }) { totalCount } } }`,
    { id: ids.mediaCollege, asOf: day(-2) },
    { token: admin.token },
  );
  expect(membersThen.body.data!.college.members.totalCount).toBe(MEMBERS.media);
  // An organisation's history across the merger.
  const [moved] = after;
  const history = await app.gql(
    `query($id: ID!) { organisation(id: $id) { memberships { status college { name } lineage { status college { name } } } } }`,
    { id: moved.organisation_id },
    { token: admin.token },
  );
  const current = history.body.data!.organisation.memberships.find((m: { status: string }) => m.status === 'ACTIVE');
  expect(current.lineage.map((m: { status: string }) => m.status)).toEqual(['MERGED', 'ACTIVE']);
  // The votes stay readable.
  const votes = await app.gql(
    `query($id: ID!) { proposal(id: $id) { state parties { adopted tally { for } } } }`,
    { id: ids.proposal },
    { token: admin.token },
  );
  expect(votes.body.data!.proposal.state).toBe('EXECUTED');
  expect(votes.body.data!.proposal.parties).toHaveLength(4);
});

it('refuses a second execution, changing nothing', async () => {
  const before = await snapshot();
  const res = await app.gql(
    'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged } }',
    { id: ids.proposal },
    { token: admin.token },
  );
  expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'PROPOSAL_ALREADY_EXECUTED' });
  expect(await snapshot()).toEqual(before);
});

it('lets the representatives of the collège an absorbed collège’s members moved to read what was allocated to it', async () => {
  // Media Cloud's members went to Cloud; Novae LR's to Économie numérique.
  const cloudRep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: ids.fsd, collegeId: ids.cloud });
  const ecoRep = await app.signUp({ role: Role.COLLEGE_REPRESENTATIVE, clusterId: ids.fsd, collegeId: ids.eco });
  const lineage = await app.gql(
    `query($from: ID!, $to: ID!) {
      from: college(id: $from) { successor { name cluster { name } } }
      to: college(id: $to) { successor { name } predecessors { name cluster { name } } }
    }`,
    { from: ids.mediaCollege, to: ids.cloud },
  );
  expect(lineage.body.data).toEqual({
    from: { successor: { name: 'Cloud', cluster: { name: 'FrenchSouth.digital' } } },
    to: { successor: null, predecessors: [{ name: 'Membres', cluster: { name: 'Media Cloud Cluster' } }] },
  });

  const LIST = `query($cluster: ID!, $college: ID) { subsidies(clusterId: $cluster, collegeId: $college) { edges { node { id } } } }`;
  const ONE = `query($id: ID!) { subsidy(id: $id) { purpose allocations { shareBasisPoints college { name successor { name } } } } }`;
  const listed = await app.gql(LIST, { cluster: ids.fsd, college: ids.cloud }, { token: cloudRep.token });
  expect(listed.body.data!.subsidies.edges).toEqual([{ node: { id: ids.mediaSubsidy } }]);
  const read = await app.gql(ONE, { id: ids.mediaSubsidy }, { token: cloudRep.token });
  // The allocation still names the collège it was made to: history is not rewritten.
  expect(read.body.data!.subsidy).toEqual({
    purpose: 'Cloud souverain',
    allocations: [{ shareBasisPoints: 10_000, college: { name: 'Membres', successor: { name: 'Cloud' } } }],
  });
  const report = await app.services().treasury.report(ids.fsd, { collegeId: ids.cloud });
  expect(report.awarded).toBe(9_000_000n);
  expect(report.received).toBe(4_000_000n);

  // Bad input: the absorbed collège named with the absorbing cluster, an unknown collège, a malformed id.
  for (const [college, code] of [
    [ids.mediaCollege, 'NOT_FOUND'],
    ['11111111-1111-4111-8111-111111111111', 'NOT_FOUND'],
    ['not-a-uuid', 'BAD_USER_INPUT'],
  ]) {
    expect(errorCodes(await app.gql(LIST, { cluster: ids.fsd, college }, { token: cloudRep.token }))).toEqual([code]);
  }

  // The representatives of another collège of the absorbing cluster do not.
  expect((await app.gql(LIST, { cluster: ids.fsd, college: ids.eco }, { token: ecoRep.token })).body.data!.subsidies.edges).toEqual([]);
  expect(errorCodes(await app.gql(ONE, { id: ids.mediaSubsidy }, { token: ecoRep.token }))).toEqual(['FORBIDDEN']);
  expect((await app.services().treasury.report(ids.fsd, { collegeId: ids.eco })).awarded).toBe(0n);
});

describe('another fusion', () => {
  beforeAll(async () => {
    // Fresh absorbed clusters for the remaining cases.
    const s = app.services();
    for (const key of ['media', 'novae', 'pixlr'] as const) {
      ids[key] = (await s.clusters.createCluster({ name: `${key} bis`, slug: `${key}-bis`, kind: ClusterKind.CLUSTER })).id;
      ids[`${key}College`] = (await s.clusters.createCollege({ clusterId: ids[key], name: 'Membres', slug: 'membres', theme: key })).id;
      await app.sql(
        `with orgs as (insert into organisation (id, created_at, updated_at, name, kind, affiliations)
                        select gen_random_uuid(), now(), now(), $2 || ' bis ' || i, 'COMPANY', '{}' from generate_series(1, 3) i returning id)
         insert into membership (id, created_at, updated_at, organisation_id, college_id, status, started_on, member_since)
         select gen_random_uuid(), now(), now(), id, $1, 'ACTIVE', date '2021-01-01', date '2021-01-01' from orgs`,
        [ids[`${key}College`], key],
      );
      await s.bodies.configure({
        clusterId: ids[key],
        kind: BodyKind.BOARD,
        name: `Conseil ${key} bis`,
        rules: RULES,
        seats: [{ collegeId: ids[`${key}College`], seats: 3 }],
      });
      boardMembers[key] = await app.signUp();
      await s.bodies.appoint({ clusterId: ids[key], collegeId: ids[`${key}College`], accountId: boardMembers[key].accountId });
    }
    ids.bisSubsidy = (
      await s.subsidies.recordSubsidy({
        clusterId: ids.novae,
        funderId: ids.region,
        purpose: 'Needs the funder’s agreement',
        decisionDate: day(-10),
        amountAwarded: 100_000n,
        transferRequiresFunderAgreement: true,
      })
    ).id;
  });

  it('leaves the database exactly as before when a step fails after partial writes', async () => {
    ids.proposal = await adoptedFusion();
    await app.services().subsidies.recordFunderTransferAgreement(ids.bisSubsidy, 'Lettre de la Région du 2 novembre');
    const before = await snapshot();
    for (const step of ['memberships', 'rights', 'subsidies', 'conventions'] as const) {
      const { audit } = app.collegia.deps;
      const failing = new FusionService(
        trustedScope(app.collegia.orm.em.fork(), audit, () => app.clock.now(), admin.accountId),
        {
          afterStep: (done) => {
            if (done === step) throw new Error(`injected failure after ${step}`);
          },
        },
      );
      await expect(failing.execute(ids.proposal)).rejects.toThrow(`injected failure after ${step}`);
      expect(await snapshot()).toEqual(before);
    }
  });

  it('refuses while a funder’s agreement is missing, naming the subsidies, and before the effective date unless an ADMIN forces it', async () => {
    const s = app.services();
    const strict = (
      await s.subsidies.recordSubsidy({
        clusterId: ids.pixlr,
        funderId: ids.region,
        purpose: 'Strict',
        decisionDate: day(-5),
        amountAwarded: 50_000n,
        transferRequiresFunderAgreement: true,
      })
    ).id;
    const before = await snapshot();
    const res = await app.gql(
      'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged } }',
      { id: ids.proposal },
      { token: admin.token },
    );
    expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'FUNDER_AGREEMENT_MISSING' });
    expect(res.body.errors![0].extensions!.subsidyIds).toEqual([strict]);
    expect(await snapshot()).toEqual(before);
    await s.subsidies.recordFunderTransferAgreement(strict, 'Accord de la Région');

    const future = await adoptedFusionLater();
    const early = await app.gql(
      'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged } }',
      { id: future },
      { token: admin.token },
    );
    expect(refused(early)).toEqual({ code: 'CONFLICT', reason: 'FUSION_NOT_YET_EFFECTIVE' });
    const notAdmin = await app.gql(
      `mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "urgent") { clustersMerged } }`,
      { id: future },
      { token: admin.token },
    );
    expect(refused(notAdmin)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
    // The refusal says in plain words who may.
    expect(notAdmin.body.errors![0].message).toBe('Only platform administrators may execute a fusion before its effective date.');
  });

  it('refuses a plan naming a cluster merged meanwhile', async () => {
    await app.sql(`update cluster set status = 'MERGED', successor_id = $2, merged_at = now() where id = $1`, [ids.pixlr, ids.fsd]);
    try {
      const res = await app.gql(
        'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged } }',
        { id: ids.proposal },
        { token: admin.token },
      );
      expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'PLAN_CLUSTER_NOT_ACTIVE' });
    } finally {
      await app.sql(`update cluster set status = 'ACTIVE', successor_id = null, merged_at = null where id = $1`, [ids.pixlr]);
    }
    const ok = await app.gql(
      'mutation($id: ID!) { executeProposal(proposalId: $id) { clustersMerged membershipsMoved } }',
      { id: ids.proposal },
      { token: admin.token },
    );
    expect(ok.body.data!.executeProposal).toEqual({ clustersMerged: 3, membershipsMoved: 9 });
  });
});

/** An adopted fusion of the "bis" clusters taking effect in 30 days (its clusters are not otherwise used). */
async function adoptedFusionLater(): Promise<string> {
  const s = app.services();
  const later: Record<string, string> = {};
  for (const key of ['later']) {
    later.cluster = (await s.clusters.createCluster({ name: 'Later', slug: key, kind: ClusterKind.CLUSTER })).id;
    later.college = (await s.clusters.createCollege({ clusterId: later.cluster, name: 'Membres', slug: 'membres', theme: key })).id;
    await s.bodies.configure({
      clusterId: later.cluster,
      kind: BodyKind.BOARD,
      name: 'Conseil later',
      rules: RULES,
      seats: [{ collegeId: later.college, seats: 3 }],
    });
    later.member = (await app.signUp()).accountId;
    await s.bodies.appoint({ clusterId: later.cluster, collegeId: later.college, accountId: later.member });
  }
  const proposal = await app.services(admin.accountId).proposals.create({
    kind: ProposalKind.FUSION,
    title: 'Later',
    text: 'Later.',
    plan: { absorbingClusterId: ids.fsd, effectiveDate: day(30), absorbed: [{ clusterId: later.cluster, targetCollegeId: ids.cloud }] },
  });
  await app
    .services(admin.accountId)
    .proposals.open({ proposalId: proposal.id, closesAt: new Date(app.clock.now().getTime() + 3_600_000) });
  await app.services(boardMembers.fsd.accountId).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: ids.fsd });
  await app.services(later.member).voting.cast({ proposalId: proposal.id, choice: 'FOR' as never, clusterId: later.cluster });
  for (const party of await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [proposal.id])) {
    await app.services(admin.accountId).voting.close(party.id);
  }
  return proposal.id;
}
