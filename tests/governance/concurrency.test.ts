import pg from 'pg';
import { Secrecy } from '../../src/governance/voting-rules.js';
import { startTestApp, type GraphQLResponse, type TestApp } from '../support/test-app.js';
import {
  CANCEL,
  cast,
  CLOSE,
  countRows,
  createBoard,
  expectRecountMatches,
  FAST_HASHER,
  GRANT,
  ok,
  openResolution,
  READ,
  read,
  refused,
  REVOKE,
  sha256,
  type Board,
} from './support.js';

/**
 * Concurrency of board votes over HTTP: one ballot per voter under 100 parallel castVote calls,
 * ballots racing the administrator's close and the closing time (none counted after it, none
 * written that is not counted), proxies granted, used and revoked at the same time, closes
 * racing cancels and each other.
 */
let app: TestApp;
let board: Board;

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, app: { hasher: FAST_HASHER } });
  board = await createBoard(app, { name: 'FrenchSouth.digital', colleges: 2, membersPerCollege: [15, 15], seats: 15 });
});
afterAll(async () => {
  await app.close();
});

const succeeded = (res: GraphQLResponse) => !res.body.errors && !!res.body.data;
const VOTE_CLOSED = { code: 'CONFLICT', reason: 'VOTE_CLOSED' };

/** Participation, ballot rows, and the stored tally of a proposal's single party. */
async function stored(proposalId: string) {
  const [row] = await app.sql<{ tally: any; state: string }>('select tally, state from proposal_party where proposal_id = $1', [
    proposalId,
  ]);
  return {
    participations: await countRows(app, 'participation', proposalId),
    ballots: await countRows(app, 'ballot', proposalId),
    tally: row.tally,
    state: row.state,
  };
}

describe('one ballot per voter', () => {
  it('100 parallel castVote calls for one voter: one ballot, 99 CONFLICT', async () => {
    const id = await openResolution(app, board);
    const voter = board.members[0];
    const choices = ['FOR', 'AGAINST', 'ABSTAIN'];
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => cast(app, voter.token, id, choices[i % 3])));
    const wins = results.map((res, i) => ({ res, choice: choices[i % 3] })).filter(({ res }) => succeeded(res));
    expect(wins).toHaveLength(1);
    const losers = results.filter((res) => !succeeded(res));
    expect(losers.map((res) => refused(res))).toEqual(Array.from({ length: 99 }, () => ({ code: 'CONFLICT', reason: 'BALLOT_FINAL' })));
    expect(await countRows(app, 'participation', id)).toBe(1);
    expect(await countRows(app, 'ballot', id)).toBe(1);
    const [ballot] = await app.sql(
      'select choice, voter_id, receipt_digest from ballot where party_id in (select id from proposal_party where proposal_id = $1)',
      [id],
    );
    expect(ballot).toEqual({
      choice: wins[0].choice,
      voter_id: voter.accountId,
      receipt_digest: sha256(wins[0].res.body.data!.castVote.receipt),
    });
    const audited = await app.sql(
      `select count(*)::int as n from audit_entry where action = 'vote.cast' and after->>'voter' = $1 and after->>'party' in (select id::text from proposal_party where proposal_id = $2)`,
      [voter.accountId, id],
    );
    expect(audited[0].n).toBe(1);
  });

  it('a holder voting for the principal 30 times while the principal revokes: either the proxy is used once, or revoked and unused', async () => {
    for (let round = 0; round < 2; round += 1) {
      const id = await openResolution(app, board);
      const [principal, holder] = [board.members[1 + 2 * round], board.members[2 + 2 * round]];
      const proxy = ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: principal.token }))
        .grantProxy.proxy;
      const votes = Array.from({ length: 30 }, () => cast(app, holder.token, id, 'FOR', { onBehalfOf: principal.accountId }));
      const revoke = app.gql(REVOKE, { id: proxy.id }, { token: principal.token });
      const [results, revoked] = await Promise.all([Promise.all(votes), revoke]);
      const wins = results.filter(succeeded).length;
      const [row] = await app.sql('select state from proxy where id = $1', [proxy.id]);
      if (succeeded(revoked)) {
        expect(row.state).toBe('REVOKED');
        expect(wins).toBe(0);
        expect(await countRows(app, 'participation', id)).toBe(0);
      } else {
        expect(refused(revoked)).toEqual({ code: 'CONFLICT', reason: 'PROXY_NOT_STANDING' });
        expect(row.state).toBe('USED');
        expect(wins).toBe(1);
        expect(await countRows(app, 'participation', id)).toBe(1);
      }
      // Once used or revoked, the proxy is not held any more.
      for (const res of results.filter((r) => !succeeded(r))) expect(refused(res)).toEqual({ code: 'FORBIDDEN', reason: 'PROXY_NOT_HELD' });
      expect(await countRows(app, 'ballot', id)).toBe(await countRows(app, 'participation', id));
    }
  });

  it('proxies granted in parallel respect the cap, and a principal cannot both give a proxy and vote', async () => {
    const id = await openResolution(app, board);
    const holder = board.members[10];
    const principals = board.members.slice(11, 19);
    const grants = await Promise.all(
      principals.map((p) => app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: p.token })),
    );
    expect(grants.filter(succeeded)).toHaveLength(1); // proxyLimit 1
    for (const res of grants.filter((r) => !succeeded(r)))
      expect(refused(res)).toEqual({ code: 'CONFLICT', reason: 'PROXY_LIMIT_REACHED' });
    expect(await countRows(app, 'proxy', id)).toBe(1);

    // One principal, at once: 10 ballots of their own and proxies to 10 different holders.
    const principal = board.members[19];
    const holders = board.members.slice(20, 30);
    const mixed = await Promise.all([
      ...Array.from({ length: 10 }, () => cast(app, principal.token, id, 'AGAINST')),
      ...holders.map((h) => app.gql(GRANT, { input: { proposalId: id, holderAccountId: h.accountId } }, { token: principal.token })),
    ]);
    const ownBallots = mixed.slice(0, 10).filter(succeeded).length;
    const proxies = mixed.slice(10).filter(succeeded).length;
    expect(ownBallots + proxies).toBe(1);
    const [{ n }] = await app.sql(
      `select count(*)::int as n from proxy where principal_id = $1 and party_id in (select id from proposal_party where proposal_id = $2)`,
      [principal.accountId, id],
    );
    expect(n).toBe(proxies);
    const [{ p }] = await app.sql(
      `select count(*)::int as p from participation where voter_id = $1 and party_id in (select id from proposal_party where proposal_id = $2)`,
      [principal.accountId, id],
    );
    expect(p).toBe(ownBallots);
  });
});

describe('votes racing the close', () => {
  it('closeVoting amid 30 ballots (then 16 in a secret vote): every ballot written is counted, every accepted ballot is in the tally, the rest are CONFLICT', async () => {
    for (const secrecy of ['NAMED', 'SECRET']) {
      const raceBoard =
        secrecy === 'NAMED'
          ? board
          : await createBoard(app, { colleges: 2, membersPerCollege: [8, 8], seats: 8, rules: { secrecy: Secrecy.SECRET } });
      const id = await openResolution(app, raceBoard);
      const voters = raceBoard.members;
      // Ballots leave every 10 ms; the close leaves with the third. How many get in before the close
      // varies (see the next test); the invariants below must hold whatever the interleaving.
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const votes = voters.map((v, i) => sleep(i * 10).then(() => cast(app, v.token, id, i % 4 === 0 ? 'AGAINST' : 'FOR')));
      const closing = sleep(20).then(() => app.gql(CLOSE, { input: { proposalId: id } }, { token: raceBoard.admin.token }));
      const [results, closed] = await Promise.all([Promise.all(votes), closing]);
      ok(closed);

      const accepted = results.map((res, i) => ({ res, voter: voters[i] })).filter(({ res }) => succeeded(res));
      for (const res of results.filter((r) => !succeeded(r))) expect(refused(res)).toEqual(VOTE_CLOSED);
      const after = await stored(id);
      expect(after.state).toBe('CLOSED');
      expect(after.tally.ballots).toBe(accepted.length);
      expect(after.ballots).toBe(accepted.length);
      expect(after.participations).toBe(accepted.length);
      // Each accepted receipt is in the published, counted list.
      const proposal = await read(app, raceBoard.members[0].token, id);
      const published = new Set(proposal.parties[0].ballots.map((b: any) => b.receiptDigest));
      for (const { res } of accepted) expect(published.has(sha256(res.body.data!.castVote.receipt))).toBe(true);
      expectRecountMatches(proposal.parties[0]);
      if (secrecy === 'NAMED') {
        const named = await app.sql<{ voter_id: string }>(
          'select voter_id from ballot where party_id in (select id from proposal_party where proposal_id = $1)',
          [id],
        );
        expect(named.map((b) => b.voter_id).sort()).toEqual(accepted.map(({ voter }) => voter.accountId).sort());
      }
      // Ballots after the close: all refused, nothing written.
      const late = await Promise.all(voters.map((v) => cast(app, v.token, id, 'FOR')));
      for (const res of late) expect(refused(res)).toEqual(VOTE_CLOSED);
      expect(await countRows(app, 'ballot', id)).toBe(accepted.length);
    }
  });

  it('a ballot sent while closeVoting waits for the ballots in flight does not overtake the close', async () => {
    const id = await openResolution(app, board);
    ok(await cast(app, board.members[0].token, id, 'FOR'));
    // A ballot in flight, held open: a transaction holding the party row's share lock, as castVote does.
    const inFlight = new pg.Client({ connectionString: app.databaseUrl });
    await inFlight.connect();
    try {
      await inFlight.query('begin');
      await inFlight.query('select id from proposal_party where proposal_id = $1 for share', [id]);
      const closing = app.gql(CLOSE, { input: { proposalId: id } }, { token: board.admin.token });
      // Wait until the close is queued on the party row's lock.
      for (let i = 0; ; i += 1) {
        const waiting = await app.sql(
          `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike '%proposal_party%for update%'`,
        );
        if (waiting.length) break;
        if (i > 200) throw new Error('the close never waited for the lock');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The close has been asked for and is waiting: a ballot sent now must wait for it, then be refused.
      const late = cast(app, board.members[1].token, id, 'AGAINST');
      const overtook = await Promise.race([
        late.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
      ]);
      await inFlight.query('commit');
      const [closed, lateResult] = await Promise.all([closing, late]);
      ok(closed);
      // Whatever happened, what was written is what was counted.
      const after = await stored(id);
      expect(after.tally.ballots).toBe(after.ballots);
      expect(after.participations).toBe(after.ballots);
      expect({ overtook, late: refused(lateResult), ballots: after.ballots }).toEqual({
        overtook: false,
        late: VOTE_CLOSED,
        ballots: 1,
      });
    } finally {
      await inFlight.end();
    }
  });

  it('a close racing a cancel: exactly one of them wins', async () => {
    for (let round = 0; round < 4; round += 1) {
      const id = await openResolution(app, board);
      ok(await cast(app, board.members[round].token, id, 'FOR'));
      const [closed, cancelled] = await Promise.all([
        app.gql(CLOSE, { input: { proposalId: id } }, { token: board.admin.token }),
        app.gql(CANCEL, { input: { proposalId: id, reason: 'Retiré' } }, { token: board.admin.token }),
      ]);
      expect([succeeded(closed), succeeded(cancelled)].filter(Boolean)).toHaveLength(1);
      const loser = succeeded(closed) ? cancelled : closed;
      // Whichever lost finds the other's outcome: a cancelled vote does not close, a closed one is not cancelled.
      expect(refused(loser)).toEqual(
        succeeded(closed) ? { code: 'CONFLICT', reason: 'PROPOSAL_NOT_CANCELLABLE' } : { code: 'CONFLICT', reason: 'VOTE_NOT_OPEN' },
      );
      const proposal = await read(app, board.admin.token, id);
      expect(proposal.state).toBe(succeeded(closed) ? 'REJECTED' : 'CANCELLED'); // 1 ballot of 30: no quorum
      expect(proposal.parties[0].state).toBe(succeeded(closed) ? 'CLOSED' : 'CANCELLED');
    }
  });

  it('two closes at once: one tallies, the other is a CONFLICT', async () => {
    const id = await openResolution(app, board);
    ok(await cast(app, board.members[0].token, id, 'FOR'));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => app.gql(CLOSE, { input: { proposalId: id } }, { token: board.admin.token })),
    );
    expect(results.filter(succeeded)).toHaveLength(1);
    for (const res of results.filter((r) => !succeeded(r))) expect(refused(res)).toEqual(VOTE_CLOSED);
    const [{ n }] = await app.sql(
      `select count(*)::int as n from audit_entry where action = 'vote.close' and entity_id in (select id::text from proposal_party where proposal_id = $1)`,
      [id],
    );
    expect(n).toBe(1);
  });
});

describe('the closing time', () => {
  // Last in the file: it moves the app's clock forward.
  it('from closesAt castVote is refused, and reading the proposal closes it once, counting exactly the ballots written', async () => {
    const closesAt = new Date(app.clock.now().getTime() + 60_000).toISOString();
    const id = await openResolution(app, board, closesAt);
    const voters = board.members;
    let firstAccepted!: () => void;
    const first = new Promise<void>((resolve) => (firstAccepted = resolve));
    const votes = voters.map((v) =>
      cast(app, v.token, id, 'FOR').then((res) => {
        if (succeeded(res)) firstAccepted();
        return res;
      }),
    );
    await first;
    app.clock.advance(61_000);
    // Readers close it while ballots are still in flight.
    const readers = Array.from({ length: 5 }, () => app.gql(READ, { id }, { token: voters[0].token }));
    const [results, reads] = await Promise.all([Promise.all(votes), Promise.all(readers)]);
    const accepted = results.filter(succeeded);
    // Everyone reads the same outcome: all FOR, adopted if the quorum (50 % of 30) was reached in time.
    const outcome = accepted.length >= 15 ? 'ADOPTED' : 'REJECTED';
    for (const res of reads) expect(ok(res).proposal.state).toBe(outcome);
    for (const res of results.filter((r) => !succeeded(r))) expect(refused(res)).toEqual(VOTE_CLOSED);

    const after = await stored(id);
    expect(after.state).toBe('CLOSED');
    expect(after.tally.ballots).toBe(accepted.length);
    expect(after.ballots).toBe(accepted.length);
    expect(after.participations).toBe(accepted.length);
    const [{ n }] = await app.sql(
      `select count(*)::int as n from audit_entry where action = 'vote.close' and entity_id in (select id::text from proposal_party where proposal_id = $1)`,
      [id],
    );
    expect(n).toBe(1);
    // After closesAt: refused, nothing written.
    const late = await Promise.all(voters.map((v) => cast(app, v.token, id, 'AGAINST')));
    for (const res of late) expect(refused(res)).toEqual(VOTE_CLOSED);
    expect(await countRows(app, 'ballot', id)).toBe(accepted.length);
    expectRecountMatches((await read(app, voters[0].token, id)).parties[0]);
  });
});
