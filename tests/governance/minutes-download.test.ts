import { startTestApp, type TestApp } from '../support/test-app.js';
import { cast, close, createBoard, FAST_HASHER, openResolution, type Board } from './support.js';

/**
 * The minutes download of a vote that is not closed (issue 12, item 6): a coded 409 saying the
 * minutes are not ready, not a 500; once closed, the procès-verbal.
 */
let app: TestApp;
let board: Board;
beforeAll(async () => {
  app = await startTestApp({ app: { hasher: FAST_HASHER } });
  board = await createBoard(app);
});
afterAll(async () => {
  await app.close();
});

const download = (proposalId: string, token: string) =>
  fetch(`${app.url}/exports/proposals/${proposalId}/minutes.md`, { headers: { authorization: `Bearer ${token}` } });

it('answers 409 MINUTES_NOT_READY while the vote is open, and the minutes once it is closed', async () => {
  const proposalId = await openResolution(app, board);
  const open = await download(proposalId, board.members[0].token);
  expect(open.status).toBe(409);
  expect(((await open.json()) as any).errors[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'MINUTES_NOT_READY' });

  await cast(app, board.members[0].token, proposalId, 'FOR');
  await close(app, board.admin.token, proposalId);
  const closed = await download(proposalId, board.members[0].token);
  expect(closed.status).toBe(200);
  expect(await closed.text()).toMatch(/Résolution/);
});
