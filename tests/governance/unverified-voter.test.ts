import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { CAST, createBoard, GRANT, OPEN, type Board } from './support.js';

/**
 * An account whose email is not verified may look after itself, not act (issue 13, item 4): even
 * holding a board seat in the electorate of an open vote, it may neither vote nor give its proxy
 * until it confirms its email — then it may.
 */
let app: TestApp;
let board: Board;
let proposalId: string;

beforeAll(async () => {
  app = await startTestApp();
  board = await createBoard(app, { colleges: 1, membersPerCollege: 2 });
  const services = app.services(board.admin.accountId);
  const proposal = await services.proposals.create({
    kind: 'RESOLUTION' as never,
    title: 'Budget 2027',
    text: 'Adopté.',
    partyClusterIds: [board.clusterId],
  });
  const opened = await app.gql(
    OPEN,
    { input: { proposalId: proposal.id, closesAt: new Date(app.clock.now().getTime() + 86_400_000).toISOString() } },
    { token: board.admin.token },
  );
  expect(opened.body.errors).toBeUndefined();
  proposalId = proposal.id;
  // The first board member's email becomes unverified (as if registered over the API and not yet confirmed).
  await app.sql('update account set email_verified_at = null where id = $1', [board.members[0].accountId]);
});
afterAll(async () => {
  await app.close();
});

it('an unverified elector can neither vote nor give a proxy, and nothing is written; verified, it votes', async () => {
  const [voter, other] = board.members;
  const ballots = async () => (await app.sql<{ n: number }>('select count(*)::int as n from participation'))[0].n;
  const before = await ballots();
  expect(refusal(await app.gql(CAST, { input: { proposalId, choice: 'FOR' } }, { token: voter.token }))).toEqual({
    code: 'FORBIDDEN',
    reason: 'EMAIL_NOT_VERIFIED',
  });
  expect(refusal(await app.gql(GRANT, { input: { proposalId, holderAccountId: other.accountId } }, { token: voter.token }))).toEqual({
    code: 'FORBIDDEN',
    reason: 'EMAIL_NOT_VERIFIED',
  });
  expect(await ballots()).toBe(before);
  expect(await app.sql('select 1 from proxy where principal_id = $1', [voter.accountId])).toEqual([]);

  await app.sql('update account set email_verified_at = now() where id = $1', [voter.accountId]);
  const cast = await app.gql(CAST, { input: { proposalId, choice: 'FOR' } }, { token: voter.token });
  expect(cast.body.errors).toBeUndefined();
  expect(await ballots()).toBe(before + 1);
});
