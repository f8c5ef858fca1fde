import { ProposalKind } from '../../src/governance/proposal.entity.js';
import { DEMO_PASSWORD } from '../../seeds/membership-data.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * "My space" on the demo data, over HTTP (issue 13, item 1, begun): people find their own things
 * from `viewer`, without knowing an id — the organisation they act for, its applications and
 * memberships, their mandates, and the votes waiting for them.
 */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.seedDemo();
});
afterAll(async () => {
  await app.close();
});

async function signIn(email: string): Promise<string> {
  const res = await app.gql('mutation($input: LoginInput!) { login(input: $input) { token } }', {
    input: { email, password: DEMO_PASSWORD },
  });
  return res.body.data!.login.token as string;
}

const MY_SPACE = `{ viewer {
  account { displayName email }
  roles { role college { name } }
  organisations { name }
  applications { state college { name } }
  memberships { status college { name } }
  representativeMandates { college { name } }
  boardMandates { college { name } }
  pendingBallots { id title closesAt } } }`;

it('a member finds her organisation, its membership and the right it gives, without an id', async () => {
  const res = await app.gql(MY_SPACE, {}, { token: await signIn('member@nelis.example') });
  expect(res.body.errors).toBeUndefined();
  const me = res.body.data!.viewer;
  expect(me.account).toEqual({ displayName: 'Katia Vidic (Nelis)', email: 'member@nelis.example' });
  expect(me.organisations).toEqual([{ name: 'Nelis' }]);
  expect(me.memberships).toContainEqual({ status: 'ACTIVE', college: { name: 'Start-ups & Entrepreneurs' } });
  expect(me.applications).toContainEqual({ state: 'APPROVED', college: { name: 'Start-ups & Entrepreneurs' } });
  // The MEMBER right follows Nelis's membership: nothing was granted by hand.
  expect(me.roles).toContainEqual({ role: 'MEMBER', college: { name: 'Start-ups & Entrepreneurs' } });
});

it('a representative finds the mandate; a board member finds the seat, then the ballot waiting, gone once cast', async () => {
  const maryam = (await app.gql(MY_SPACE, {}, { token: await signIn('maryam.bini@soledge.example') })).body.data!.viewer;
  expect(maryam.representativeMandates).toContainEqual({ college: { name: 'Start-ups & Entrepreneurs' } });
  expect(maryam.organisations).toEqual([{ name: 'Soledge' }]);

  const board = await signIn('board@frenchsouth.example');
  const before = (await app.gql(MY_SPACE, {}, { token: board })).body.data!.viewer;
  expect(before.boardMandates.length).toBeGreaterThan(0);
  expect(before.pendingBallots).toEqual([]);

  // FrenchSouth.digital's administrator opens a vote of its board.
  const [admin] = await app.sql<{ id: string }>(`select id from account where email = 'cluster-admin@frenchsouth.example'`);
  const [fsd] = await app.sql<{ id: string }>(`select id from cluster where slug = 'frenchsouth-digital'`);
  const proposal = await app.services(admin.id).proposals.create({
    kind: ProposalKind.RESOLUTION,
    title: 'Budget 2027',
    text: 'Le conseil adopte le budget 2027.',
    partyClusterIds: [fsd.id],
  });
  const closesAt = new Date(app.clock.now().getTime() + 86_400_000);
  await app.services(admin.id).proposals.open({ proposalId: proposal.id, closesAt });

  const waiting = (await app.gql(MY_SPACE, {}, { token: board })).body.data!.viewer.pendingBallots;
  expect(waiting).toEqual([{ id: proposal.id, title: 'Budget 2027', closesAt: closesAt.toISOString() }]);
  const cast = await app.gql(
    'mutation($input: CastVoteInput!) { castVote(input: $input) { receipt } }',
    { input: { proposalId: proposal.id, choice: 'FOR' } },
    { token: board },
  );
  expect(cast.body.errors).toBeUndefined();
  expect((await app.gql(MY_SPACE, {}, { token: board })).body.data!.viewer.pendingBallots).toEqual([]);
});
