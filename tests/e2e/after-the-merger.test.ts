import { Choice } from '../../src/governance/proposal.entity.js';
import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { csvRecords, centsFromFrench, download } from '../finance/exports-support.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Issues 11 and 12 at the seams, over HTTP on the demo data, as the people concerned meet them:
 * a visitor reads what is public and no more; the merger is executed by the platform
 * administrator; FrenchSouth.digital's treasurer opens the ledger in French Excel and it explains
 * the report, the absorbed associations' history included; Media Cloud Cluster's treasurer no
 * longer acts for a cluster that is gone, and is told so in plain words with a reason to switch on.
 */
let app: TestApp;
const cluster: Record<string, string> = {};

async function signIn(email: string): Promise<string> {
  const res = await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email, password: DEMO_PASSWORD },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.login.token as string;
}

beforeAll(async () => {
  app = await startTestApp();
  await app.seedDemo();
  for (const row of await app.sql<{ id: string; slug: string }>('select id, slug from cluster')) cluster[row.slug] = row.id;
});
afterAll(async () => {
  await app.close();
});

it('a visitor reads the public programmes and representatives, never a SIREN, a headcount or an email', async () => {
  const res = await app.gql(`{ programmes { name laureates { organisation { name siren headcount memberships { id } } } }
    college(clusterSlug: "frenchsouth-digital", slug: "startups-entrepreneurs") { representativeMandates { representative { displayName email lastLoginAt } } } }`);
  expect(res.body.errors).toBeUndefined();
  const laureates = res.body.data!.programmes.flatMap((p: any) => p.laureates);
  expect(laureates.length).toBeGreaterThan(0);
  for (const { organisation } of laureates) expect(organisation).toMatchObject({ siren: null, headcount: null, memberships: [] });
  const representatives = res.body.data!.college.representativeMandates.map((m: any) => m.representative);
  expect(representatives.map((r: any) => r.displayName)).toContain('Maryam Bini (Soledge)');
  for (const representative of representatives) expect(representative).toMatchObject({ email: null, lastLoginAt: null });
});

it('after the merger, the treasurer’s French ledger explains the report, and the absorbed treasurer is told the right is gone', async () => {
  // The boards adopt the seeded fusion (each elector votes FOR; set-up through the services).
  const [fusion] = await app.sql<{ id: string }>(`select id from proposal where kind = 'FUSION'`);
  const [fsdAdmin] = await app.sql<{ id: string }>(`select id from account where email = 'cluster-admin@frenchsouth.example'`);
  await app.services(fsdAdmin.id).proposals.open({ proposalId: fusion.id, closesAt: new Date(app.clock.now().getTime() + 86_400_000) });
  const electors = await app.sql<{ voter_id: string; cluster_id: string }>(
    'select e.voter_id, p.cluster_id from elector e join proposal_party p on p.id = e.party_id where p.proposal_id = $1',
    [fusion.id],
  );
  for (const e of electors)
    await app.services(e.voter_id).voting.cast({ proposalId: fusion.id, choice: Choice.FOR, clusterId: e.cluster_id });
  for (const party of await app.sql<{ id: string }>('select id from proposal_party where proposal_id = $1', [fusion.id])) {
    await app.services(fsdAdmin.id).voting.close(party.id);
  }

  // Media Cloud Cluster's treasurer, before: reads their cluster's treasury.
  const mccTreasurer = await signIn('treasurer@mediacloudcluster.example');
  const TREASURY = 'query($id: ID!) { treasuryReport(clusterId: $id) { awarded received } }';
  expect((await app.gql(TREASURY, { id: cluster['media-cloud-cluster'] }, { token: mccTreasurer })).body.errors).toBeUndefined();

  // The platform administrator executes it before its date, with a reason; the report says what ended.
  const admin = await signIn('admin@collegia.example');
  const executed = await app.gql(
    `mutation($id: ID!) { executeProposal(proposalId: $id, forceReason: "Demandé par la Région") {
       effectiveDate earlyEffectiveDate clustersMerged rolesEnded boardMandatesEnded } }`,
    { id: fusion.id },
    { token: admin },
  );
  expect(executed.body.errors).toBeUndefined();
  const report = executed.body.data!.executeProposal;
  expect(report.clustersMerged).toBe(3);
  expect(report.effectiveDate > report.earlyEffectiveDate).toBe(true);
  expect(report.rolesEnded).toBeGreaterThan(0);

  // FrenchSouth.digital's treasurer: the ledger, as French Excel opens it, adds up to the report.
  const treasurer = await signIn('treasurer@frenchsouth.example');
  const reported = (await app.gql(TREASURY, { id: cluster['frenchsouth-digital'] }, { token: treasurer })).body.data!.treasuryReport;
  const file = await download(app, `/exports/clusters/${cluster['frenchsouth-digital']}/ledger.csv?format=excel-fr`, treasurer);
  expect(file.status).toBe(200);
  const entries = csvRecords((await file.text()).replace(/^\uFEFF/, ''), ';');
  const sum = (column: string) => entries.reduce((total, entry) => total + centsFromFrench(entry[column]), 0n);
  expect(sum('Effet sur l’attribué (€)')).toBe(BigInt(reported.awarded));
  expect(sum('Effet sur le reçu (€)')).toBe(BigInt(reported.received));
  expect(entries.some((entry) => entry['Cluster d’origine'] === 'Media Cloud Cluster')).toBe(true);

  // Media Cloud Cluster's treasurer, after: the right ended with the cluster; FrenchSouth's treasurer reads its history.
  const refused = await app.gql(TREASURY, { id: cluster['media-cloud-cluster'] }, { token: mccTreasurer });
  expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
  expect(refused.body.errors?.[0].message).toMatch(/^Only the treasurers, administrators or board members of Media Cloud Cluster/);
  expect((await app.gql(TREASURY, { id: cluster['media-cloud-cluster'] }, { token: treasurer })).body.errors).toBeUndefined();
});
