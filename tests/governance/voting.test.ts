import { randomUUID } from 'node:crypto';
import { Role } from '../../src/auth/role.js';
import { Majority, Secrecy, Weighting } from '../../src/governance/voting-rules.js';
import { DecisionMode } from '../../src/membership/admission-rule-set.entity.js';
import { ClusterKind } from '../../src/membership/cluster.entity.js';
import { OrganisationKind } from '../../src/membership/organisation-kind.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  appoint,
  cast,
  CANCEL,
  close,
  CLOSE,
  configureBoard,
  countRows,
  CREATE,
  createBoard,
  draft,
  FAST_HASHER,
  expectRecountMatches,
  GRANT,
  MINUTES,
  ok,
  open,
  OPEN,
  openResolution,
  PROPOSAL_FIELDS,
  read,
  refusal,
  refused,
  REVOKE,
  RULES_DEFAULT,
  sha256,
  VERIFY,
  type Board,
  type Person,
} from './support.js';

/**
 * The journeys and bad inputs of issue 5 (board votes), over HTTP: the voting window, one ballot
 * per voter, proxies, cancelled and closed proposals, the electorate snapshot, the fusion plan's
 * validation, the rules' validation, partnerships voted by each party, the general assembly,
 * minutes, receipts, and a recount of every closed vote from its published ballots.
 */
let app: TestApp;
let admin: Person;
let board: Board;

const codeOf = (res: Awaited<ReturnType<typeof cast>>) => refusal(res).code;
const reasonOf = refused;
const NOT_OPEN = { code: 'CONFLICT', reason: 'VOTE_NOT_OPEN' };
const CLOSED = { code: 'CONFLICT', reason: 'VOTE_CLOSED' };
const BALLOT_FINAL = { code: 'CONFLICT', reason: 'BALLOT_FINAL' };
const PROXY_STANDING = { code: 'CONFLICT', reason: 'PROXY_STANDING' };
const PROXY_NOT_STANDING = { code: 'CONFLICT', reason: 'PROXY_NOT_STANDING' };
const PROXY_NOT_HELD = { code: 'FORBIDDEN', reason: 'PROXY_NOT_HELD' };
const NOT_IN_ELECTORATE = { code: 'FORBIDDEN', reason: 'NOT_IN_ELECTORATE' };
const NOT_CANCELLABLE = { code: 'CONFLICT', reason: 'PROPOSAL_NOT_CANCELLABLE' };
const RIGHT_MISSING = { code: 'FORBIDDEN', reason: 'RIGHT_MISSING' };

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, app: { hasher: FAST_HASHER } });
  admin = await app.signUp({ role: Role.ADMIN });
  board = await createBoard(app, { name: 'FrenchSouth.digital', membersPerCollege: [3, 3] });
});
afterAll(async () => {
  await app.close();
});

describe('the voting window', () => {
  it('refuses a ballot and a proxy on a DRAFT, and writes nothing', async () => {
    const { id } = await draft(app, board.admin.token, [board.clusterId]);
    expect(reasonOf(await cast(app, board.members[0].token, id, 'FOR'))).toEqual(NOT_OPEN);
    const proxy = await app.gql(
      GRANT,
      { input: { proposalId: id, holderAccountId: board.members[1].accountId } },
      { token: board.members[0].token },
    );
    expect(reasonOf(proxy)).toEqual(NOT_OPEN);
    expect(await countRows(app, 'participation', id)).toBe(0);
    expect(await countRows(app, 'ballot', id)).toBe(0);
    expect(await countRows(app, 'proxy', id)).toBe(0);
  });

  it('refuses a ballot from closesAt on, closing and tallying the vote, which reading the proposal then shows', async () => {
    const closesAt = new Date(app.clock.now().getTime() + 10 * 60_000).toISOString();
    const id = await openResolution(app, board, closesAt);
    for (const member of board.members.slice(0, 3)) ok(await cast(app, member.token, id, 'FOR'));
    app.clock.advance(10 * 60_000 + 1_000);

    expect(reasonOf(await cast(app, board.members[3].token, id, 'FOR'))).toEqual(CLOSED);
    expect(await countRows(app, 'participation', id)).toBe(3);
    expect(await countRows(app, 'ballot', id)).toBe(3);
    // The refused ballot closed it: every path that touches a vote past its closing time closes it.
    expect((await app.sql('select state from proposal where id = $1', [id]))[0].state).toBe('ADOPTED');

    const proposal = await read(app, board.members[0].token, id);
    expect(proposal.state).toBe('ADOPTED');
    const [party] = proposal.parties;
    expect(party.state).toBe('CLOSED');
    expect(party.tally).toMatchObject({ electorate: 6, ballots: 3, for: 3, quorumReached: true, reason: 'ADOPTED' });
    expectRecountMatches(party);
    expect(reasonOf(await cast(app, board.members[4].token, id, 'FOR'))).toEqual(CLOSED);
    expect(await countRows(app, 'ballot', id)).toBe(3);
  });

  it('refuses closing times in the past, and opens only a DRAFT', async () => {
    const { id } = await draft(app, board.admin.token, [board.clusterId]);
    const past = await app.gql(
      OPEN,
      { input: { proposalId: id, closesAt: new Date(app.clock.now().getTime() - 1000).toISOString() } },
      { token: board.admin.token },
    );
    expect(refusal(past)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.closesAt'] });
    expect(await countRows(app, 'elector', id)).toBe(0);

    const opened = await open(app, board.admin.token, id);
    expect(opened.state).toBe('VOTING');
    expect(opened.parties[0]).toMatchObject({ state: 'VOTING', electorate: 6, participation: 0, tally: null, ballots: [] });
    const again = await app.gql(
      OPEN,
      { input: { proposalId: id, closesAt: new Date(app.clock.now().getTime() + 7_200_000).toISOString() } },
      { token: board.admin.token },
    );
    expect(reasonOf(again)).toEqual({ code: 'CONFLICT', reason: 'PROPOSAL_NOT_DRAFT' });
    expect(await countRows(app, 'elector', id)).toBe(6);
    const [row] = await app.sql('select closes_at from proposal where id = $1', [id]);
    expect(new Date(row.closes_at).toISOString()).toBe(opened.closesAt);
  });

  it('freezes the text: no operation of the API rewrites a proposal, and the rules are those copied at opening', async () => {
    // Introspection: no mutation that names an existing proposal takes a title or a text.
    const schema = ok(
      await app.gql(
        `{ __schema { mutationType { fields { name args { name type { name ofType { name } } } } } } }`,
        {},
        { token: admin.token },
      ),
    );
    const touching: string[] = [];
    for (const field of schema.__schema.mutationType.fields as { name: string; args: { name: string; type: any }[] }[]) {
      for (const arg of field.args) {
        const type = arg.type.name ?? arg.type.ofType?.name;
        const t = ok(
          await app.gql(`query($n: String!) { __type(name: $n) { inputFields { name } } }`, { n: type }, { token: admin.token }),
        );
        const fields: string[] = (t.__type?.inputFields ?? []).map((f: { name: string }) => f.name);
        if (fields.includes('proposalId') || arg.name === 'proposalId') {
          touching.push(field.name);
          expect(fields).not.toContain('text');
          expect(fields).not.toContain('title');
        }
      }
    }
    expect(touching).toEqual(expect.arrayContaining(['cancelProposal', 'castVote', 'closeVoting', 'grantProxy', 'openVoting']));

    // A board whose statutes change while a vote is open: the vote keeps the rules it copied.
    const other = await createBoard(app, { colleges: 1, membersPerCollege: 2 });
    const id = await openResolution(app, other);
    const [before] = await app.sql('select text, title from proposal where id = $1', [id]);
    await configureBoard(app, other.admin.token, other.clusterId, other.colleges, {
      ...RULES_DEFAULT,
      majority: Majority.THREE_QUARTERS,
      quorumBasisPoints: 10_000,
    });
    ok(await cast(app, other.members[0].token, id, 'FOR'));
    const closed = await close(app, other.admin.token, id);
    expect(closed.parties[0].rules).toMatchObject({ majority: 'SIMPLE', quorumBasisPoints: 5000 });
    expect(closed.parties[0].tally.reason).toBe('ADOPTED');
    expect((await app.sql('select text, title from proposal where id = $1', [id]))[0]).toEqual(before);
  });
});

describe('one ballot per voter', () => {
  it('refuses a second ballot: the first one stands', async () => {
    const id = await openResolution(app, board);
    const first = ok(await cast(app, board.members[0].token, id, 'FOR'));
    expect(first.castVote.receipt).toEqual(expect.any(String));
    expect(reasonOf(await cast(app, board.members[0].token, id, 'AGAINST'))).toEqual(BALLOT_FINAL);
    expect(reasonOf(await cast(app, board.members[0].token, id, 'FOR'))).toEqual(BALLOT_FINAL);
    expect(await countRows(app, 'participation', id)).toBe(1);
    const ballots = await app.sql(
      'select choice, voter_id from ballot where party_id in (select id from proposal_party where proposal_id = $1)',
      [id],
    );
    expect(ballots).toEqual([{ choice: 'FOR', voter_id: board.members[0].accountId }]);
  });
});

describe('the castVote payload', () => {
  it('shows the proposal as the proposal query does, every field', async () => {
    const id = await openResolution(app, board);
    const voted = ok(
      await app.gql(
        `mutation($input: CastVoteInput!) { castVote(input: $input) { receipt proposal { ${PROPOSAL_FIELDS} author { id } } } }`,
        { input: { proposalId: id, choice: 'ABSTAIN' } },
        { token: board.members[1].token },
      ),
    );
    const readBack = ok(
      await app.gql(`query($id: ID!) { proposal(id: $id) { ${PROPOSAL_FIELDS} author { id } } }`, { id }, { token: admin.token }),
    );
    expect(voted.castVote.proposal).toEqual(readBack.proposal);
    expect(voted.castVote.proposal).toMatchObject({ id, state: 'VOTING', opensAt: expect.any(String), closesAt: expect.any(String) });
  });
});

describe('a refused ballot', () => {
  /** Everything a ballot could write, for one proposal, and the audit trail's length. */
  async function footprint(id: string) {
    const [row] = await app.sql(
      `select (select count(*)::int from participation where party_id in (select id from proposal_party where proposal_id = $1)) as participations,
              (select count(*)::int from ballot where party_id in (select id from proposal_party where proposal_id = $1)) as ballots,
              (select json_agg(json_build_object('id', id, 'state', state, 'used_at', used_at) order by id) from proxy
                where party_id in (select id from proposal_party where proposal_id = $1)) as proxies,
              (select count(*)::int from audit_entry) as audit_entries`,
      [id],
    );
    return row;
  }

  it('writes nothing at all, not even an audit entry, whatever the refusal', async () => {
    const id = await openResolution(app, board);
    const [voted, principal, holder, other] = board.members;
    ok(await cast(app, voted.token, id, 'FOR'));
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: principal.token }));
    const outsider = await app.signUp();
    const drafted = (await draft(app, board.admin.token, [board.clusterId])).id;
    const before = await footprint(id);
    const beforeDraft = await footprint(drafted);

    expect(reasonOf(await cast(app, voted.token, id, 'AGAINST'))).toEqual(BALLOT_FINAL); // twice: the unique participation
    expect(reasonOf(await cast(app, principal.token, id, 'FOR'))).toEqual(PROXY_STANDING); // standing proxy given
    expect(reasonOf(await cast(app, other.token, id, 'FOR', { onBehalfOf: voted.accountId }))).toEqual(PROXY_NOT_HELD); // no proxy held
    expect(reasonOf(await cast(app, outsider.token, id, 'FOR'))).toEqual(NOT_IN_ELECTORATE); // not in the electorate
    expect(reasonOf(await cast(app, other.token, drafted, 'FOR'))).toEqual(NOT_OPEN); // not open yet
    expect(codeOf(await cast(app, other.token, randomUUID(), 'FOR'))).toBe('NOT_FOUND');
    expect(await footprint(id)).toEqual(before);
    expect(await footprint(drafted)).toEqual({ ...beforeDraft, audit_entries: before.audit_entries });

    // The holder's vote for the principal, refused because the vote has closed meanwhile, does not use the proxy.
    app.clock.advance(2 * 3_600_000);
    expect(reasonOf(await cast(app, holder.token, id, 'FOR', { onBehalfOf: principal.accountId }))).toEqual(CLOSED);
    const after = await footprint(id);
    expect(after.proxies).toEqual(before.proxies);
    expect(after.participations).toBe(before.participations);
  });
});

describe('proxies', () => {
  it('refuses a ballot for someone who gave you no proxy (FORBIDDEN), and one for yourself as principal', async () => {
    const id = await openResolution(app, board);
    const [a, b] = board.members;
    expect(reasonOf(await cast(app, b.token, id, 'FOR', { onBehalfOf: a.accountId }))).toEqual(PROXY_NOT_HELD);
    expect(refusal(await cast(app, b.token, id, 'FOR', { onBehalfOf: b.accountId }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.onBehalfOf'],
    });
    // A proxy given to someone else does not let b vote for a either.
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: board.members[2].accountId } }, { token: a.token }));
    expect(reasonOf(await cast(app, b.token, id, 'FOR', { onBehalfOf: a.accountId }))).toEqual(PROXY_NOT_HELD);
    expect(await countRows(app, 'participation', id)).toBe(0);
    expect(await countRows(app, 'ballot', id)).toBe(0);
  });

  it('refuses a proxy beyond the cap, to oneself, to a non-voter, or a second standing one; the holder votes once per principal', async () => {
    const id = await openResolution(app, board);
    const [a, b, holder, c] = board.members;
    const grant = (from: Person, to: string) => app.gql(GRANT, { input: { proposalId: id, holderAccountId: to } }, { token: from.token });
    const first = ok(await grant(a, holder.accountId)).grantProxy.proxy;
    expect(first).toMatchObject({ state: 'ACTIVE', principal: { id: a.accountId }, holder: { id: holder.accountId } });
    expect(reasonOf(await grant(b, holder.accountId))).toEqual({ code: 'CONFLICT', reason: 'PROXY_LIMIT_REACHED' }); // proxyLimit 1
    expect(reasonOf(await grant(a, c.accountId))).toEqual(PROXY_STANDING); // a already gave one
    expect(refusal(await grant(b, b.accountId))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.holderAccountId'] });
    const outsider = await app.signUp();
    expect(refusal(await grant(b, outsider.accountId))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.holderAccountId'] });
    expect(reasonOf(await grant(outsider, b.accountId))).toEqual(NOT_IN_ELECTORATE);
    expect(await countRows(app, 'proxy', id)).toBe(1);

    ok(await cast(app, holder.token, id, 'FOR'));
    ok(await cast(app, holder.token, id, 'AGAINST', { onBehalfOf: a.accountId }));
    expect(reasonOf(await cast(app, holder.token, id, 'FOR', { onBehalfOf: b.accountId }))).toEqual(PROXY_NOT_HELD);
    const rows = await app.sql(
      `select voter_id, cast_by_id from participation where party_id in (select id from proposal_party where proposal_id = $1) order by voter_id`,
      [id],
    );
    expect(rows).toEqual(
      [
        { voter_id: a.accountId, cast_by_id: holder.accountId },
        { voter_id: holder.accountId, cast_by_id: holder.accountId },
      ].sort((x, y) => (x.voter_id < y.voter_id ? -1 : 1)),
    );
    const [proxy] = await app.sql('select state, used_at from proxy where id = $1', [first.id]);
    expect(proxy.state).toBe('USED');
    expect(proxy.used_at).not.toBeNull();
  });

  it('a principal with a standing proxy cannot vote; after revoking it they can, and the holder no longer can for them', async () => {
    const id = await openResolution(app, board);
    const [a, holder] = board.members;
    const proxy = ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: a.token })).grantProxy
      .proxy;
    expect(reasonOf(await cast(app, a.token, id, 'FOR'))).toEqual(PROXY_STANDING);
    expect(await countRows(app, 'participation', id)).toBe(0);
    // Only the principal revokes.
    expect(reasonOf(await app.gql(REVOKE, { id: proxy.id }, { token: holder.token }))).toEqual({
      code: 'FORBIDDEN',
      reason: 'PROXY_PRINCIPAL_ONLY',
    });
    const revoked = ok(await app.gql(REVOKE, { id: proxy.id }, { token: a.token })).revokeProxy.proxy;
    expect(revoked.state).toBe('REVOKED');
    expect(revoked.revokedAt).toEqual(expect.any(String));
    expect(reasonOf(await app.gql(REVOKE, { id: proxy.id }, { token: a.token }))).toEqual(PROXY_NOT_STANDING);
    expect(reasonOf(await cast(app, holder.token, id, 'FOR', { onBehalfOf: a.accountId }))).toEqual(PROXY_NOT_HELD);
    ok(await cast(app, a.token, id, 'AGAINST'));
    expect(await countRows(app, 'participation', id)).toBe(1);
    // Once a has voted, a new proxy is refused.
    expect(reasonOf(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: a.token }))).toEqual(
      BALLOT_FINAL,
    );
    expect(refusal(await app.gql(REVOKE, { id: randomUUID() }, { token: a.token })).code).toBe('NOT_FOUND');
  });

  it('a proxy is revocable until used: revoking a used proxy is a CONFLICT, and the principal cannot vote again', async () => {
    const id = await openResolution(app, board);
    const [a, holder] = board.members;
    const proxy = ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: a.token })).grantProxy
      .proxy;
    ok(await cast(app, holder.token, id, 'FOR', { onBehalfOf: a.accountId }));
    expect(reasonOf(await app.gql(REVOKE, { id: proxy.id }, { token: a.token }))).toEqual(PROXY_NOT_STANDING);
    expect((await app.sql('select state from proxy where id = $1', [proxy.id]))[0].state).toBe('USED');
    expect(reasonOf(await cast(app, a.token, id, 'AGAINST'))).toEqual(BALLOT_FINAL);
    expect(reasonOf(await cast(app, holder.token, id, 'AGAINST', { onBehalfOf: a.accountId }))).toEqual(PROXY_NOT_HELD);
    expect(await countRows(app, 'ballot', id)).toBe(1);
  });

  it('follows the statutes: no proxies at all, or only within the collège', async () => {
    const none = await createBoard(app, { colleges: 1, membersPerCollege: 2, rules: { proxyLimit: 0 } });
    const id = await openResolution(app, none);
    const refused = await app.gql(
      GRANT,
      { input: { proposalId: id, holderAccountId: none.members[1].accountId } },
      { token: none.members[0].token },
    );
    expect(reasonOf(refused)).toEqual({ code: 'CONFLICT', reason: 'PROXIES_NOT_ALLOWED' });

    const same = await createBoard(app, { colleges: 2, membersPerCollege: 2, rules: { proxySameCollege: true } });
    const id2 = await openResolution(app, same);
    const [a, a2, b] = same.members; // a, a2: collège 0; b: collège 1
    const wrong = await app.gql(GRANT, { input: { proposalId: id2, holderAccountId: b.accountId } }, { token: a.token });
    expect(refusal(wrong)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.holderAccountId'] });
    ok(await app.gql(GRANT, { input: { proposalId: id2, holderAccountId: a2.accountId } }, { token: a.token }));
    expect(await countRows(app, 'proxy', id2)).toBe(1);
  });
});

describe('cancelled and closed proposals', () => {
  it('refuses ballots, proxies, opening and closing on a cancelled proposal', async () => {
    const id = await openResolution(app, board);
    ok(await cast(app, board.members[0].token, id, 'FOR'));
    const proxy = ok(
      await app.gql(GRANT, { input: { proposalId: id, holderAccountId: board.members[2].accountId } }, { token: board.members[1].token }),
    ).grantProxy.proxy;
    // Only a cluster admin cancels; a reason is required.
    expect(reasonOf(await app.gql(CANCEL, { input: { proposalId: id, reason: 'non' } }, { token: board.members[0].token }))).toEqual(
      RIGHT_MISSING,
    );
    expect(refusal(await app.gql(CANCEL, { input: { proposalId: id, reason: '' } }, { token: board.admin.token }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: ['input.reason'],
    });
    const cancelled = ok(await app.gql(CANCEL, { input: { proposalId: id, reason: 'Texte à revoir' } }, { token: board.admin.token }));
    expect(cancelled.cancelProposal.proposal.state).toBe('CANCELLED');

    expect(reasonOf(await cast(app, board.members[3].token, id, 'FOR'))).toEqual(NOT_OPEN);
    expect(reasonOf(await cast(app, board.members[2].token, id, 'FOR', { onBehalfOf: board.members[1].accountId }))).toEqual(NOT_OPEN);
    expect(
      reasonOf(
        await app.gql(GRANT, { input: { proposalId: id, holderAccountId: board.members[5].accountId } }, { token: board.members[4].token }),
      ),
    ).toEqual(NOT_OPEN);
    expect(reasonOf(await app.gql(REVOKE, { id: proxy.id }, { token: board.members[1].token }))).toEqual(NOT_OPEN);
    expect(
      reasonOf(
        await app.gql(
          OPEN,
          { input: { proposalId: id, closesAt: new Date(app.clock.now().getTime() + 3_600_000).toISOString() } },
          { token: board.admin.token },
        ),
      ),
    ).toEqual({ code: 'CONFLICT', reason: 'PROPOSAL_NOT_DRAFT' });
    expect(reasonOf(await app.gql(CLOSE, { input: { proposalId: id } }, { token: board.admin.token }))).toEqual(NOT_OPEN);
    expect(reasonOf(await app.gql(CANCEL, { input: { proposalId: id, reason: 'encore' } }, { token: board.admin.token }))).toEqual(
      NOT_CANCELLABLE,
    );
    expect(await countRows(app, 'participation', id)).toBe(1);
    expect(await countRows(app, 'ballot', id)).toBe(1);
    const proposal = await read(app, board.members[0].token, id);
    expect(proposal).toMatchObject({ state: 'CANCELLED', cancelledAt: expect.any(String) });
    expect(proposal.parties[0]).toMatchObject({ state: 'CANCELLED', tally: null, ballots: [] });
  });

  it('refuses ballots, proxies, a second close and a cancel on a closed proposal', async () => {
    const id = await openResolution(app, board);
    ok(await cast(app, board.members[0].token, id, 'FOR'));
    ok(await cast(app, board.members[1].token, id, 'AGAINST'));
    ok(await cast(app, board.members[3].token, id, 'FOR'));
    // Only a cluster admin closes.
    expect(reasonOf(await app.gql(CLOSE, { input: { proposalId: id } }, { token: board.members[0].token }))).toEqual(RIGHT_MISSING);
    const closed = await close(app, board.admin.token, id);
    expect(closed.state).toBe('ADOPTED');
    expect(closed.parties[0].tally).toMatchObject({ electorate: 6, ballots: 3, for: 2, against: 1, reason: 'ADOPTED' });
    expectRecountMatches(closed.parties[0]);

    expect(reasonOf(await cast(app, board.members[2].token, id, 'FOR'))).toEqual(CLOSED);
    expect(
      reasonOf(
        await app.gql(GRANT, { input: { proposalId: id, holderAccountId: board.members[5].accountId } }, { token: board.members[4].token }),
      ),
    ).toEqual(CLOSED);
    expect(reasonOf(await app.gql(CLOSE, { input: { proposalId: id } }, { token: board.admin.token }))).toEqual(CLOSED);
    expect(reasonOf(await app.gql(CANCEL, { input: { proposalId: id, reason: 'trop tard' } }, { token: board.admin.token }))).toEqual(
      NOT_CANCELLABLE,
    );
    expect(await countRows(app, 'ballot', id)).toBe(3);
    expect((await read(app, board.members[0].token, id)).state).toBe('ADOPTED');
  });
});

describe('refusals in plain words', () => {
  it('FORBIDDEN names who may, of which cluster', async () => {
    const id = await openResolution(app, board);
    const res = await app.gql(CLOSE, { input: { proposalId: id } }, { token: board.members[0].token });
    expect(reasonOf(res)).toEqual(RIGHT_MISSING);
    expect(refusal(res).message).toBe(
      'Only the administrators of FrenchSouth.digital (or a platform administrator) may open, close or cancel the votes of this cluster.',
    );
  });
});

describe('the electorate', () => {
  it('refuses voters outside the electorate: a stranger, the cluster admin, another board’s member', async () => {
    const id = await openResolution(app, board);
    const stranger = await app.signUp();
    const other = await createBoard(app, { colleges: 1, membersPerCollege: 1 });
    for (const person of [stranger, board.admin, other.members[0], admin]) {
      expect(reasonOf(await cast(app, person.token, id, 'FOR'))).toEqual(NOT_IN_ELECTORATE);
    }
    expect(await countRows(app, 'participation', id)).toBe(0);
    expect(await countRows(app, 'ballot', id)).toBe(0);
  });

  it('is snapshotted at opening: an ended mandate still votes in the open vote, a later appointee does not', async () => {
    const small = await createBoard(app, { colleges: 1, membersPerCollege: 3, seats: 3 });
    const id = await openResolution(app, small);
    const [leaving, staying] = small.members;
    const ended = await app.gql(
      `mutation($id: ID!, $reason: String) { endBoardMandate(mandateId: $id, reason: $reason) { mandate { id endsAt } } }`,
      { id: leaving.mandateId, reason: 'Démission' },
      { token: small.admin.token },
    );
    ok(ended);
    const newcomer = await appoint(app, small.admin.token, small.clusterId, small.colleges[0]);

    ok(await cast(app, leaving.token, id, 'AGAINST'));
    expect(reasonOf(await cast(app, newcomer.token, id, 'FOR'))).toEqual(NOT_IN_ELECTORATE);
    ok(await cast(app, staying.token, id, 'FOR'));
    const closed = await close(app, small.admin.token, id);
    expect(closed.parties[0]).toMatchObject({ electorate: 3, participation: 2 });
    expect(closed.parties[0].tally).toMatchObject({ electorate: 3, ballots: 2, for: 1, against: 1, reason: 'MAJORITY_NOT_REACHED' });
    expect(closed.state).toBe('REJECTED');
    expectRecountMatches(closed.parties[0]);

    // The next vote takes the board as it now is.
    const next = await openResolution(app, small);
    expect(reasonOf(await cast(app, leaving.token, next, 'FOR'))).toEqual(NOT_IN_ELECTORATE);
    ok(await cast(app, newcomer.token, next, 'FOR'));
    const electors = await app.sql<{ voter_id: string }>(
      'select voter_id from elector where party_id in (select id from proposal_party where proposal_id = $1)',
      [next],
    );
    expect(electors.map((e) => e.voter_id).sort()).toEqual([staying.accountId, small.members[2].accountId, newcomer.accountId].sort());
  });
});

describe('fusion plans', () => {
  let absorbing: Board;
  let absorbed: Board;
  let second: Board;
  let merged: Board;

  const plan = (overrides: Record<string, unknown> = {}, absorbedList?: unknown[]) => ({
    absorbingClusterId: absorbing.clusterId,
    effectiveDate: '2027-01-01',
    absorbed: absorbedList ?? [{ clusterId: absorbed.clusterId, targetCollegeId: absorbing.colleges[0] }],
    ...overrides,
  });
  const create = (fusionPlan: unknown) =>
    app.gql(
      CREATE,
      { input: { kind: 'FUSION', title: 'Fusion', text: 'Fusion par absorption.', plan: fusionPlan } },
      { token: admin.token },
    );
  const counts = async () =>
    (
      await app.sql<{ p: number; pp: number; a: number }>(
        `select (select count(*)::int from proposal) as p, (select count(*)::int from proposal_party) as pp,
              (select count(*)::int from audit_entry where action = 'proposal.create') as a`,
      )
    )[0];

  beforeAll(async () => {
    absorbing = await createBoard(app, { name: 'Absorbante', colleges: 2, membersPerCollege: 0 });
    absorbed = await createBoard(app, { name: 'Absorbée', colleges: 2, membersPerCollege: 0 });
    second = await createBoard(app, { name: 'Seconde', colleges: 1, membersPerCollege: 0 });
    merged = await createBoard(app, { name: 'Déjà fusionnée', colleges: 1, membersPerCollege: 0 });
    await app.sql(`update cluster set status = 'MERGED', successor_id = $2 where id = $1`, [merged.clusterId, second.clusterId]);
  });

  it('accepts a valid plan: the parties are the absorbing and absorbed clusters', async () => {
    const created = ok(
      await create(
        plan({}, [
          {
            clusterId: absorbed.clusterId,
            collegeMoves: [
              { fromCollegeId: absorbed.colleges[0], toCollegeId: absorbing.colleges[0] },
              { fromCollegeId: absorbed.colleges[1], toCollegeId: absorbing.colleges[1] },
            ],
          },
          { clusterId: second.clusterId, targetCollegeId: absorbing.colleges[1], pendingApplications: 'CLOSE' },
        ]),
      ),
    ).createProposal.proposal;
    expect(created).toMatchObject({ kind: 'FUSION', state: 'DRAFT' });
    expect(created.parties.map((p: any) => p.cluster.id).sort()).toEqual(
      [absorbing.clusterId, absorbed.clusterId, second.clusterId].sort(),
    );
    const [row] = await app.sql('select plan from proposal where id = $1', [created.id]);
    expect(row.plan).toMatchObject({ absorbingClusterId: absorbing.clusterId, effectiveDate: '2027-01-01' });
    expect(row.plan.absorbed[1]).toEqual({
      clusterId: second.clusterId,
      targetCollegeId: absorbing.colleges[1],
      collegeMoves: [],
      pendingApplications: 'CLOSE',
    });
  });

  const cases: [string, () => unknown, string, string[]][] = [
    ['an unknown absorbed cluster', () => plan({}, [{ clusterId: randomUUID(), targetCollegeId: absorbing.colleges[0] }]), 'NOT_FOUND', []],
    ['an unknown absorbing cluster', () => plan({ absorbingClusterId: randomUUID() }), 'NOT_FOUND', []],
    [
      'a merged absorbed cluster',
      () => plan({}, [{ clusterId: merged.clusterId, targetCollegeId: absorbing.colleges[0] }]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.clusterId'],
    ],
    [
      'a merged absorbing cluster',
      () => ({
        absorbingClusterId: merged.clusterId,
        effectiveDate: '2027-01-01',
        absorbed: [{ clusterId: absorbed.clusterId, targetCollegeId: merged.colleges[0] }],
      }),
      'BAD_USER_INPUT',
      ['input.plan.absorbingClusterId'],
    ],
    [
      'a target collège of another cluster',
      () => plan({}, [{ clusterId: absorbed.clusterId, targetCollegeId: second.colleges[0] }]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.targetCollegeId'],
    ],
    [
      'a target collège of the absorbed cluster itself',
      () => plan({}, [{ clusterId: absorbed.clusterId, targetCollegeId: absorbed.colleges[0] }]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.targetCollegeId'],
    ],
    [
      'a collège move towards another cluster',
      () =>
        plan({}, [
          {
            clusterId: absorbed.clusterId,
            targetCollegeId: absorbing.colleges[0],
            collegeMoves: [{ fromCollegeId: absorbed.colleges[0], toCollegeId: second.colleges[0] }],
          },
        ]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.collegeMoves.0.toCollegeId'],
    ],
    [
      'a collège move from a collège that is not the absorbed cluster’s',
      () =>
        plan({}, [
          {
            clusterId: absorbed.clusterId,
            targetCollegeId: absorbing.colleges[0],
            collegeMoves: [{ fromCollegeId: second.colleges[0], toCollegeId: absorbing.colleges[0] }],
          },
        ]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.collegeMoves.0.fromCollegeId'],
    ],
    [
      'a cluster absorbing itself',
      () => plan({}, [{ clusterId: absorbing.clusterId, targetCollegeId: absorbing.colleges[0] }]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.clusterId'],
    ],
    [
      'an absorbed cluster listed twice',
      () =>
        plan({}, [
          { clusterId: absorbed.clusterId, targetCollegeId: absorbing.colleges[0] },
          { clusterId: absorbed.clusterId, targetCollegeId: absorbing.colleges[1] },
        ]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.1.clusterId'],
    ],
    [
      'an absorbed collège with nowhere to go',
      () =>
        plan({}, [
          { clusterId: absorbed.clusterId, collegeMoves: [{ fromCollegeId: absorbed.colleges[0], toCollegeId: absorbing.colleges[0] }] },
        ]),
      'BAD_USER_INPUT',
      ['input.plan.absorbed.0.targetCollegeId'],
    ],
    ['no absorbed cluster', () => plan({}, []), 'BAD_USER_INPUT', ['input.plan.absorbed']],
  ];

  it.each(cases)('refuses %s with a coded error naming the field, writing nothing', async (_, makePlan, code, fields) => {
    const before = await counts();
    const error = refusal(await create(makePlan()));
    expect(error.code).toBe(code);
    for (const field of fields) expect(error.fields).toContain(field);
    if (code === 'BAD_USER_INPUT') expect(error.fields.length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });

  it('refuses a FUSION without a plan and a plan on another kind', async () => {
    const before = await counts();
    const noPlan = await app.gql(CREATE, { input: { kind: 'FUSION', title: 'F', text: 'T' } }, { token: admin.token });
    expect(refusal(noPlan)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.plan'] });
    const planOnResolution = await app.gql(
      CREATE,
      { input: { kind: 'RESOLUTION', title: 'R', text: 'T', partyClusterIds: [absorbing.clusterId], plan: plan() } },
      { token: admin.token },
    );
    expect(refusal(planOnResolution)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.plan'] });
    expect(await counts()).toEqual(before);
  });
});

describe('voting rules of a body', () => {
  const configure = (clusterId: string, colleges: string[], rules: Record<string, unknown>, token: string) =>
    app.gql(
      `mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id } } }`,
      {
        input: {
          clusterId,
          kind: 'BOARD',
          name: 'CA',
          rules: { ...RULES_DEFAULT, ...rules },
          seats: colleges.map((collegeId) => ({ collegeId, seats: 2 })),
        },
      },
      { token },
    );

  it('refuses collège weights that do not add up to 100 % and quorums outside 0–100 %, naming the field, writing nothing', async () => {
    const s = app.services();
    const clusterId = (await s.clusters.createCluster({ name: 'Sans conseil', slug: 'sans-conseil', kind: ClusterKind.CLUSTER })).id;
    const colleges = [
      (await app.services().clusters.createCollege({ clusterId, name: 'A', slug: 'a', theme: 'a' })).id,
      (await app.services().clusters.createCollege({ clusterId, name: 'B', slug: 'b', theme: 'b' })).id,
    ];
    const clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
    const weighted = (a: number, b: number) => ({
      weighting: 'COLLEGE_WEIGHTED',
      collegeWeights: [
        { collegeId: colleges[0], weightBasisPoints: a },
        { collegeId: colleges[1], weightBasisPoints: b },
      ],
    });
    const bodies = async () => (await app.sql('select count(*)::int as n from voting_body where cluster_id = $1', [clusterId]))[0].n;

    const bad: [Record<string, unknown>, string][] = [
      [weighted(6000, 3000), 'input.rules.collegeWeights'],
      [weighted(6000, 5000), 'input.rules.collegeWeights'],
      [
        { weighting: 'COLLEGE_WEIGHTED', collegeWeights: [{ collegeId: colleges[0], weightBasisPoints: 10_000 }] },
        'input.rules.collegeWeights',
      ],
      [{ quorumBasisPoints: 10_001 }, 'input.rules.quorumBasisPoints'],
      [{ quorumBasisPoints: -1 }, 'input.rules.quorumBasisPoints'],
    ];
    for (const [rules, field] of bad) {
      const error = refusal(await configure(clusterId, colleges, rules, clusterAdmin.token));
      expect(error.code).toBe('BAD_USER_INPUT');
      expect(error.fields).toContain(field);
    }
    expect(await bodies()).toBe(0);

    // The bounds themselves are fine; and a body already configured keeps its rules when a change is refused.
    ok(await configure(clusterId, colleges, { ...weighted(6000, 4000), quorumBasisPoints: 10_000 }, clusterAdmin.token));
    ok(await configure(clusterId, colleges, { quorumBasisPoints: 0 }, clusterAdmin.token));
    const [stored] = await app.sql('select rules from voting_body where cluster_id = $1', [clusterId]);
    expect(refusal(await configure(clusterId, colleges, weighted(5000, 4999), clusterAdmin.token)).code).toBe('BAD_USER_INPUT');
    expect(refusal(await configure(clusterId, colleges, { quorumBasisPoints: 20_000 }, clusterAdmin.token)).code).toBe('BAD_USER_INPUT');
    expect((await app.sql('select rules from voting_body where cluster_id = $1', [clusterId]))[0]).toEqual(stored);
    expect(await bodies()).toBe(1);
  });
});

describe('a partnership, voted by each party’s body', () => {
  let left: Board;
  let right: Board;
  /** Sits on both boards. */
  let dual: Person;

  beforeAll(async () => {
    left = await createBoard(app, { name: 'DigitalPlace', colleges: 1, membersPerCollege: 3 });
    right = await createBoard(app, { name: 'FSD bis', colleges: 2, membersPerCollege: 2 });
    dual = await appoint(app, left.admin.token, left.clusterId, left.colleges[0]);
    ok(
      await app.gql(
        `mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { id } } }`,
        { input: { clusterId: right.clusterId, collegeId: right.colleges[1], accountId: dual.accountId } },
        { token: right.admin.token },
      ),
    );
  });

  const partnership = async () =>
    ok(
      await app.gql(
        CREATE,
        {
          input: {
            kind: 'PARTNERSHIP',
            title: 'Convention de partenariat',
            text: 'Les deux clusters coopèrent.',
            partyClusterIds: [left.clusterId, right.clusterId],
            partnershipAxes: ['innovation', 'international', 'financing growth', 'pooled services'],
          },
        },
        { token: left.admin.token },
      ),
    ).createProposal.proposal;

  it('refuses a partnership without axes or with a single party', async () => {
    const noAxes = await app.gql(
      CREATE,
      { input: { kind: 'PARTNERSHIP', title: 'P', text: 'T', partyClusterIds: [left.clusterId, right.clusterId] } },
      { token: left.admin.token },
    );
    expect(refusal(noAxes)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.partnershipAxes'] });
    const single = await app.gql(
      CREATE,
      {
        input: {
          kind: 'PARTNERSHIP',
          title: 'P',
          text: 'T',
          partyClusterIds: [left.clusterId, left.clusterId],
          partnershipAxes: ['innovation'],
        },
      },
      { token: left.admin.token },
    );
    expect(refusal(single)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.partyClusterIds'] });
  });

  it('is ADOPTED only once both bodies have closed and adopted it; closing needs clusterId', async () => {
    const created = await partnership();
    expect(created.partnershipAxes).toEqual(['innovation', 'international', 'financing growth', 'pooled services']);
    expect(created.parties).toHaveLength(2);
    const opened = await open(app, left.admin.token, created.id);
    expect(opened.parties.map((p: any) => [p.cluster.id, p.electorate])).toEqual(
      expect.arrayContaining([
        [left.clusterId, 4],
        [right.clusterId, 5],
      ]),
    );
    for (const m of left.members) ok(await cast(app, m.token, created.id, 'FOR'));
    for (const m of right.members.slice(0, 3)) ok(await cast(app, m.token, created.id, 'FOR'));
    // A voter of both bodies says which one they vote in, and votes in each.
    expect(refusal(await cast(app, dual.token, created.id, 'FOR'))).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.clusterId'] });
    ok(await cast(app, dual.token, created.id, 'FOR', { clusterId: left.clusterId }));
    expect(reasonOf(await cast(app, dual.token, created.id, 'AGAINST', { clusterId: left.clusterId }))).toEqual(BALLOT_FINAL);
    ok(await cast(app, dual.token, created.id, 'FOR', { clusterId: right.clusterId }));
    expect(refusal(await cast(app, dual.token, created.id, 'FOR', { clusterId: board.clusterId })).code).toBe('NOT_FOUND');

    const ambiguous = await app.gql(CLOSE, { input: { proposalId: created.id } }, { token: admin.token });
    expect(refusal(ambiguous)).toMatchObject({ code: 'BAD_USER_INPUT', fields: ['input.clusterId'] });
    // Each party's admin closes their own party's vote only.
    const foreign = await app.gql(CLOSE, { input: { proposalId: created.id, clusterId: right.clusterId } }, { token: left.admin.token });
    expect(reasonOf(foreign)).toEqual(RIGHT_MISSING);
    const notParty = await app.gql(CLOSE, { input: { proposalId: created.id, clusterId: board.clusterId } }, { token: admin.token });
    expect(refusal(notParty).code).toBe('NOT_FOUND');

    const half = await close(app, left.admin.token, created.id, left.clusterId);
    expect(half.state).toBe('VOTING');
    const byCluster = (p: any, id: string) => p.parties.find((x: any) => x.cluster.id === id);
    expect(byCluster(half, left.clusterId)).toMatchObject({ state: 'CLOSED', adopted: true });
    expect(byCluster(half, right.clusterId)).toMatchObject({ state: 'VOTING', adopted: null, tally: null });
    // The right party's vote goes on.
    ok(await cast(app, right.members[3].token, created.id, 'AGAINST'));
    const done = await close(app, right.admin.token, created.id, right.clusterId);
    expect(done.state).toBe('ADOPTED');
    expect(byCluster(done, left.clusterId).tally).toMatchObject({ electorate: 4, ballots: 4, for: 4, adopted: true });
    expect(byCluster(done, right.clusterId).tally).toMatchObject({ electorate: 5, ballots: 5, for: 4, against: 1, adopted: true });
    for (const party of done.parties) expectRecountMatches(party);
  });

  it('is REJECTED when one party rejects it, even if the other adopts it', async () => {
    const created = await partnership();
    await open(app, right.admin.token, created.id);
    for (const m of left.members) ok(await cast(app, m.token, created.id, 'FOR'));
    for (const m of right.members) ok(await cast(app, m.token, created.id, m === right.members[0] ? 'FOR' : 'AGAINST'));
    await close(app, right.admin.token, created.id, right.clusterId);
    const done = await close(app, admin.token, created.id, left.clusterId);
    expect(done.state).toBe('REJECTED');
    const adopted = Object.fromEntries(done.parties.map((p: any) => [p.cluster.id, p.adopted]));
    expect(adopted).toEqual({ [left.clusterId]: true, [right.clusterId]: false });
    for (const party of done.parties) expectRecountMatches(party);
  });
});

describe('a general assembly', () => {
  it('lets each member organisation vote through its designated delegate', async () => {
    const s = app.services();
    const clusterId = (await s.clusters.createCluster({ name: 'Assemblée', slug: 'assemblee', kind: ClusterKind.CLUSTER })).id;
    const colleges = [
      (await app.services().clusters.createCollege({ clusterId, name: 'Start-ups', slug: 'startups', theme: 'start-ups' })).id,
      (await app.services().clusters.createCollege({ clusterId, name: 'Cloud', slug: 'cloud', theme: 'cloud' })).id,
    ];
    for (const collegeId of colleges) {
      await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
    }
    const clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
    ok(
      await app.gql(
        `mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id kind } } }`,
        {
          input: {
            clusterId,
            kind: 'GENERAL_ASSEMBLY',
            name: 'Assemblée générale',
            rules: {
              ...RULES_DEFAULT,
              majority: 'ABSOLUTE',
              weighting: 'COLLEGE_WEIGHTED',
              collegeWeights: [
                { collegeId: colleges[0], weightBasisPoints: 5000 },
                { collegeId: colleges[1], weightBasisPoints: 5000 },
              ],
            },
          },
        },
        { token: clusterAdmin.token },
      ),
    );
    const organisations: { orgId: string; contact: Person; collegeId: string }[] = [];
    for (const [i, collegeId] of [colleges[0], colleges[0], colleges[1], colleges[1]].entries()) {
      const contact = await app.signUp();
      const org = await app
        .services()
        .organisations.createOrganisation({ name: `Membre ${i}`, kind: OrganisationKind.COMPANY }, contact.accountId);
      const application = await app.services().admission.submitApplication(org.id, collegeId);
      expect(application.state).toBe('APPROVED');
      organisations.push({ orgId: org.id, contact, collegeId });
    }
    const designate = (organisationId: string, accountId: string, token: string) =>
      app.gql(
        `mutation($input: DesignateDelegateInput!) { designateDelegate(input: $input) { delegate { id organisation { id } delegate { id } } } }`,
        { input: { clusterId, organisationId, accountId } },
        { token },
      );
    // Three organisations name their contact; the fourth's contact names someone else.
    for (const o of organisations.slice(0, 3)) ok(await designate(o.orgId, o.contact.accountId, clusterAdmin.token));
    const delegate = await app.signUp();
    ok(await designate(organisations[3].orgId, organisations[3].contact.accountId, organisations[3].contact.token));
    ok(await designate(organisations[3].orgId, delegate.accountId, organisations[3].contact.token));
    // A stranger cannot name delegates, nor can a non-member organisation have one.
    const stranger = await app.signUp();
    expect(reasonOf(await designate(organisations[0].orgId, stranger.accountId, stranger.token))).toEqual(RIGHT_MISSING);
    const outsiderOrg = await app
      .services()
      .organisations.createOrganisation({ name: 'Non membre', kind: OrganisationKind.COMPANY }, stranger.accountId);
    expect(reasonOf(await designate(outsiderOrg.id, stranger.accountId, clusterAdmin.token))).toEqual({
      code: 'CONFLICT',
      reason: 'DELEGATE_ORGANISATION_NOT_MEMBER',
    });

    // A BOARD proposal needs a board; this one is put to the general assembly.
    const noBoard = await app.gql(
      CREATE,
      { input: { kind: 'RESOLUTION', title: 'R', text: 'T', partyClusterIds: [clusterId] } },
      { token: clusterAdmin.token },
    );
    expect(reasonOf(noBoard)).toEqual({ code: 'CONFLICT', reason: 'VOTING_BODY_MISSING' });
    const proposal = await draft(app, clusterAdmin.token, [clusterId], { bodyKind: 'GENERAL_ASSEMBLY' });
    const opened = await open(app, clusterAdmin.token, proposal.id);
    expect(opened.parties[0].electorate).toBe(4);

    // A delegate named after the opening does not vote in it; the one in the snapshot does.
    const late = await app.signUp();
    ok(await designate(organisations[2].orgId, late.accountId, clusterAdmin.token));
    expect(reasonOf(await cast(app, late.token, proposal.id, 'FOR'))).toEqual(NOT_IN_ELECTORATE);
    ok(await cast(app, organisations[2].contact.token, proposal.id, 'FOR'));
    ok(await cast(app, organisations[0].contact.token, proposal.id, 'FOR'));
    ok(await cast(app, organisations[1].contact.token, proposal.id, 'AGAINST'));
    ok(await cast(app, delegate.token, proposal.id, 'FOR'));
    // The replaced delegate no longer votes, nor does a stranger.
    expect(reasonOf(await cast(app, organisations[3].contact.token, proposal.id, 'FOR'))).toEqual(NOT_IN_ELECTORATE);
    expect(reasonOf(await cast(app, stranger.token, proposal.id, 'FOR'))).toEqual(NOT_IN_ELECTORATE);
    expect(reasonOf(await cast(app, delegate.token, proposal.id, 'FOR'))).toEqual(BALLOT_FINAL);

    const closed = await close(app, clusterAdmin.token, proposal.id);
    const party = closed.parties[0];
    // Start-ups (50 %): 1 FOR, 1 AGAINST; Cloud (50 %): 2 FOR of 2 → FOR = 1/4 + 1/2 = 3/4.
    expect(party.tally).toMatchObject({ electorate: 4, ballots: 4, for: 3, against: 1, quorumReached: true, reason: 'ADOPTED' });
    expect(party.tally.weightedFor.exact).toBe('3/4');
    const perCollege = Object.fromEntries(party.tally.colleges.map((c: any) => [c.collegeId, [c.electorate, c.ballots]]));
    expect(perCollege).toEqual({ [colleges[0]]: [2, 2], [colleges[1]]: [2, 2] });
    expect(closed.state).toBe('ADOPTED');
    expectRecountMatches(party);
  });
});

describe('a general assembly delegate of two organisations', () => {
  it('does not silently cost an organisation its vote when one account is named delegate of two organisations', async () => {
    const s = app.services();
    const clusterId = (await s.clusters.createCluster({ name: 'Assemblée 2', slug: 'assemblee-2', kind: ClusterKind.CLUSTER })).id;
    const collegeId = (await app.services().clusters.createCollege({ clusterId, name: 'Tous', slug: 'tous', theme: 'tous' })).id;
    await app.services().admission.setAdmissionRules({ collegeId, criteria: {}, decisionMode: DecisionMode.AUTOMATIC });
    const clusterAdmin = await app.signUp({ role: Role.CLUSTER_ADMIN, clusterId });
    ok(
      await app.gql(
        `mutation($input: ConfigureVotingBodyInput!) { configureVotingBody(input: $input) { body { id } } }`,
        { input: { clusterId, kind: 'GENERAL_ASSEMBLY', name: 'AG', rules: RULES_DEFAULT } },
        { token: clusterAdmin.token },
      ),
    );
    const orgs: string[] = [];
    for (const name of ['Alpha', 'Beta']) {
      const org = await app.services().organisations.createOrganisation({ name, kind: OrganisationKind.COMPANY }, clusterAdmin.accountId);
      await app.services().admission.submitApplication(org.id, collegeId);
      orgs.push(org.id);
    }
    const delegate = await app.signUp();
    const designate = (organisationId: string) =>
      app.gql(
        `mutation($input: DesignateDelegateInput!) { designateDelegate(input: $input) { delegate { id } } }`,
        { input: { clusterId, organisationId, accountId: delegate.accountId } },
        { token: clusterAdmin.token },
      );
    ok(await designate(orgs[0]));
    const second = await designate(orgs[1]);
    if (second.body.errors) {
      expect(reasonOf(second)).toEqual({ code: 'CONFLICT', reason: 'DELEGATE_SPEAKS_FOR_ANOTHER' });
      return;
    }
    // Accepted: then both organisations must be in the electorate — but one account casts one ballot per party.
    const proposal = await draft(app, clusterAdmin.token, [clusterId], { bodyKind: 'GENERAL_ASSEMBLY' });
    const opened = await open(app, clusterAdmin.token, proposal.id);
    expect(opened.parties[0].electorate).toBe(2);
  });
});

describe('minutes', () => {
  const minutesOf = async (id: string, token: string) => ok(await app.gql(MINUTES, { id }, { token })).minutes as string;

  it('refuses minutes before the close', async () => {
    const id = await openResolution(app, board);
    expect(reasonOf(await app.gql(MINUTES, { id }, { token: board.members[0].token }))).toEqual({
      code: 'CONFLICT',
      reason: 'MINUTES_NOT_READY',
    });
  });

  it('of a NAMED vote list the voters with their choices, proxies included', async () => {
    const id = await openResolution(app, board);
    const [a, b, holder] = board.members;
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: holder.accountId } }, { token: a.token }));
    ok(await cast(app, holder.token, id, 'FOR', { onBehalfOf: a.accountId }));
    ok(await cast(app, holder.token, id, 'ABSTAIN'));
    ok(await cast(app, b.token, id, 'AGAINST'));
    const closed = await close(app, board.admin.token, id);
    const text = await minutesOf(id, b.token);
    expect(text).toContain('### Votes nominatifs');
    expect(text).toContain(`- ${a.email} (par procuration à ${holder.email}) : FOR`);
    expect(text).toContain(`- ${holder.email} : ABSTAIN`);
    expect(text).toContain(`- ${b.email} : AGAINST`);
    expect(text).not.toContain(board.members[3].email);
    expect(text).toContain(closed.parties[0].ballotsDigest);
    expect(text).toContain('Scrutin : nominatif');
  });

  it('of a SECRET vote list the participants only, never a choice', async () => {
    const secret = await createBoard(app, { colleges: 2, membersPerCollege: 2, rules: { secrecy: Secrecy.SECRET } });
    const id = await openResolution(app, secret);
    const [a, b, c] = secret.members;
    ok(await cast(app, a.token, id, 'FOR'));
    ok(await cast(app, b.token, id, 'AGAINST'));
    ok(await cast(app, c.token, id, 'ABSTAIN'));
    const closed = await close(app, secret.admin.token, id);
    const text = await minutesOf(id, a.token);
    expect(text).toContain('### Ont pris part au vote (scrutin secret)');
    const section = text.slice(text.indexOf('### Ont pris part'), text.indexOf('Empreinte'));
    const lines = section.split('\n').filter((line) => line.startsWith('- '));
    expect(lines.sort()).toEqual([a, b, c].map((m) => `- ${m.email}`).sort());
    expect(section).not.toMatch(/FOR|AGAINST|ABSTAIN|Pour|Contre/);
    expect(text).not.toContain(secret.members[3].email);
    expect(text).toContain('Scrutin : secret');
    expect(text).toContain(closed.parties[0].ballotsDigest);
    // The API says who took part, not how.
    const participants = ok(
      await app.gql(`query($id: ID!) { proposal(id: $id) { parties { participants { id } } } }`, { id }, { token: a.token }),
    );
    expect(participants.proposal.parties[0].participants.map((p: any) => p.id).sort()).toEqual([a, b, c].map((m) => m.accountId).sort());
    const download = await fetch(`${app.url}/exports/proposals/${id}/minutes.md`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(text);
  });
});

describe('receipts and the recount', () => {
  it('verifyReceipt of an unknown receipt says found: false, as data', async () => {
    const res = await app.gql(VERIFY, { r: 'not-a-receipt-of-anything' }, { token: board.members[0].token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.verifyReceipt).toEqual({
      found: false,
      proposalId: null,
      clusterId: null,
      choice: null,
      collegeId: null,
      weight: null,
      counted: false,
    });
  });

  it('recomputes a secret, collège-weighted vote with proxies and a double majority from its published ballots', async () => {
    const weighted = await createBoard(app, {
      colleges: 3,
      membersPerCollege: [4, 3, 2],
      weights: [5000, 3000, 2000],
      rules: {
        weighting: Weighting.COLLEGE_WEIGHTED,
        majority: Majority.TWO_THIRDS,
        abstentionsCount: true,
        doubleMajorityColleges: 2,
        secrecy: Secrecy.SECRET,
        proxyLimit: 2,
      },
    });
    const id = await openResolution(app, weighted);
    const m = weighted.members; // 0–3: collège 0; 4–6: collège 1; 7–8: collège 2
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: m[0].accountId } }, { token: m[1].token }));
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: m[0].accountId } }, { token: m[4].token }));
    const votes: [Person, string, string?][] = [
      [m[0], 'FOR'],
      [m[0], 'FOR', m[1].accountId],
      [m[0], 'AGAINST', m[4].accountId],
      [m[2], 'ABSTAIN'],
      [m[5], 'FOR'],
      [m[6], 'FOR'],
      [m[7], 'AGAINST'],
    ];
    const receipts: { receipt: string; choice: string }[] = [];
    for (const [voter, choice, onBehalfOf] of votes) {
      const res = ok(await cast(app, voter.token, id, choice, onBehalfOf ? { onBehalfOf } : {}));
      receipts.push({ receipt: res.castVote.receipt, choice });
    }
    const pending = ok(await app.gql(VERIFY, { r: receipts[0].receipt }, { token: m[0].token })).verifyReceipt;
    expect(pending).toMatchObject({ found: true, proposalId: id, clusterId: weighted.clusterId, choice: 'FOR', counted: false });

    const closed = await close(app, weighted.admin.token, id);
    const party = closed.parties[0];
    expect(party.tally).toMatchObject({ electorate: 9, ballots: 7, for: 4, against: 2, abstain: 1, quorumReached: true });
    expect(party.ballots).toHaveLength(7);
    expectRecountMatches(party);
    // Every receipt is in the published list, with its choice, and reports itself counted.
    const published = new Map(party.ballots.map((b: any) => [b.receiptDigest, b.choice]));
    for (const { receipt, choice } of receipts) {
      expect(published.get(sha256(receipt))).toBe(choice);
      const check = ok(await app.gql(VERIFY, { r: receipt }, { token: m[8].token })).verifyReceipt;
      expect(check).toMatchObject({ found: true, choice, counted: true, weight: 1 });
    }
    // Collège 0: 2 FOR, 1 ABSTAIN of 3 → 2/3 reached (abstentions in the base); collège 1: 2 FOR 1 AGAINST → reached; collège 2: 0 of 1.
    expect(party.tally.collegesWithMajority).toBe(2);
  });

  it('recomputes a vote that missed its quorum, and one where a collège cast no ballot and dropped out', async () => {
    const weighted = await createBoard(app, {
      colleges: 3,
      membersPerCollege: [2, 3, 1],
      weights: [5000, 3000, 2000],
      rules: { weighting: Weighting.COLLEGE_WEIGHTED, quorumBasisPoints: 6000 },
    });
    const low = await openResolution(app, weighted);
    ok(await cast(app, weighted.members[0].token, low, 'FOR'));
    ok(await cast(app, weighted.members[1].token, low, 'FOR'));
    const missed = (await close(app, weighted.admin.token, low)).parties[0];
    expect(missed.tally).toMatchObject({ electorate: 6, ballots: 2, quorumReached: false, reason: 'QUORUM_NOT_REACHED', adopted: false });
    expectRecountMatches(missed);

    const dropped = await openResolution(app, weighted);
    for (const member of weighted.members.slice(2, 5)) ok(await cast(app, member.token, dropped, 'AGAINST'));
    ok(await cast(app, weighted.members[0].token, dropped, 'FOR'));
    const party = (await close(app, weighted.admin.token, dropped)).parties[0];
    // Collège 2 cast nothing and drops out: collège 0 weighs 5/8 (1 FOR), collège 1 3/8 (3 AGAINST).
    expect(party.tally).toMatchObject({ ballots: 4, quorumReached: true, reason: 'ADOPTED' });
    expect(party.tally.weightedFor.exact).toBe('5/8');
    expect(party.tally.weightedAgainst.exact).toBe('3/8');
    const third = party.tally.colleges.find((c: any) => c.collegeId === weighted.colleges[2]);
    expect(third).toMatchObject({ electorate: 1, ballots: 0, effectiveShare: { exact: '0' } });
    expectRecountMatches(party);
  });
});
