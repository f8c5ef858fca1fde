import { Role } from '../../src/auth/role.js';
import { Secrecy, Weighting } from '../../src/governance/voting-rules.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { cast, close, createBoard, FAST_HASHER, GRANT, ok, openResolution, sha256, type Board, type Person } from './support.js';

/**
 * A SECRET ballot cannot be joined to its voter from the database: the ballot table has no
 * voter, time or sequence, its keys are random, it shares no value with the participations but
 * the party, collège and weight, the close rewrites the box under new keys, and the audit trail
 * says who took part, never how. A NAMED ballot, by contrast, names its voter.
 */
let app: TestApp;
let secret: Board;
let named: Board;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

beforeAll(async () => {
  app = await startTestApp({ env: { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' }, app: { hasher: FAST_HASHER } });
  await app.signUp({ role: Role.ADMIN });
  secret = await createBoard(app, {
    name: 'Secret',
    colleges: 2,
    membersPerCollege: [3, 3],
    rules: { secrecy: Secrecy.SECRET, weighting: Weighting.COLLEGE_WEIGHTED },
    weights: [6000, 4000],
  });
  named = await createBoard(app, { name: 'Nominatif', colleges: 1, membersPerCollege: 3 });
});
afterAll(async () => {
  await app.close();
});

const partyRows = <R extends Record<string, any>>(table: string, columns: string, proposalId: string) =>
  app.sql<R>(`select ${columns} from ${table} where party_id in (select id from proposal_party where proposal_id = $1)`, [proposalId]);

/** A SECRET vote with five ballots, one cast by proxy; returns the receipts. */
async function secretVote(): Promise<{ id: string; receipts: string[]; voters: Person[] }> {
  const id = await openResolution(app, secret);
  const m = secret.members;
  ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: m[0].accountId } }, { token: m[3].token }));
  const votes: [Person, string, string?][] = [
    [m[0], 'FOR'],
    [m[0], 'AGAINST', m[3].accountId],
    [m[1], 'ABSTAIN'],
    [m[2], 'FOR'],
    [m[4], 'AGAINST'],
  ];
  const receipts: string[] = [];
  for (const [voter, choice, onBehalfOf] of votes) {
    receipts.push(ok(await cast(app, voter.token, id, choice, onBehalfOf ? { onBehalfOf } : {})).castVote.receipt);
  }
  return { id, receipts, voters: [m[0], m[3], m[1], m[2], m[4]] };
}

describe('the ballot table', () => {
  it('has no column that could name a voter other than the NAMED voter_id, no time, no sequence, no default', async () => {
    const columns = await app.sql<{
      column_name: string;
      data_type: string;
      column_default: string | null;
      is_identity: string;
      is_nullable: string;
    }>(
      `select column_name, data_type, column_default, is_identity, is_nullable from information_schema.columns
        where table_schema = current_schema() and table_name = 'ballot' order by column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['choice', 'college_id', 'id', 'party_id', 'receipt_digest', 'voter_id', 'weight']);
    for (const c of columns) {
      expect(c.data_type).not.toMatch(/time|date|interval|serial/i);
      expect(c.column_default).toBeNull();
      expect(c.is_identity).toBe('NO');
    }
    expect(columns.find((c) => c.column_name === 'voter_id')!.is_nullable).toBe('YES');
    expect(columns.find((c) => c.column_name === 'id')!.data_type).toBe('uuid');
    // No sequence owned by the table, no trigger that could copy a ballot elsewhere, and nothing refers to a ballot.
    const sequences = await app.sql(
      `select s.relname from pg_class s join pg_depend d on d.objid = s.oid join pg_class t on t.oid = d.refobjid
        where s.relkind = 'S' and t.relname = 'ballot'`,
    );
    expect(sequences).toEqual([]);
    expect(await app.sql(`select tgname from pg_trigger where tgrelid = 'ballot'::regclass and not tgisinternal`)).toEqual([]);
    const references = await app.sql(`select conname from pg_constraint where contype = 'f' and confrelid = 'ballot'::regclass`);
    expect(references).toEqual([]);
  });
});

describe('a SECRET vote', () => {
  it('keeps no voter on its ballots, random v4 keys, and nothing shared with the participations but party, collège and weight', async () => {
    const { id, receipts, voters } = await secretVote();
    const ballots = await partyRows<Record<string, any>>('ballot', '*', id);
    expect(ballots).toHaveLength(5);
    for (const b of ballots) {
      expect(b.voter_id).toBeNull();
      expect(b.id).toMatch(UUID_V4);
    }
    expect(ballots.map((b) => b.receipt_digest).sort()).toEqual(receipts.map(sha256).sort());

    const participations = await partyRows<Record<string, any>>('participation', '*', id);
    expect(participations.map((p) => p.voter_id).sort()).toEqual(voters.map((v) => v.accountId).sort());
    const values = (rows: Record<string, any>[], except: string[]) =>
      new Set(
        rows.flatMap((row) =>
          Object.entries(row)
            .filter(([key, value]) => !except.includes(key) && value !== null)
            .map(([, value]) => (value instanceof Date ? value.toISOString() : String(value))),
        ),
      );
    const fromBallots = values(ballots, ['party_id', 'college_id', 'weight']);
    const fromParticipations = values(participations, ['party_id']);
    expect([...fromBallots].filter((v) => fromParticipations.has(v))).toEqual([]);
    // Neither do the proxies (the one used was for this vote) or the electors carry a ballot's key or digest.
    const others = values(
      [...(await partyRows('proxy', '*', id)), ...(await partyRows('elector', '*', id))],
      ['party_id', 'college_id', 'weight'],
    );
    expect([...fromBallots].filter((v) => others.has(v))).toEqual([]);
  });

  it('is sealed at the close: every ballot gets a new key, the counted list is unchanged', async () => {
    const { id } = await secretVote();
    const before = await partyRows<{ id: string; receipt_digest: string; choice: string; college_id: string; weight: number }>(
      'ballot',
      'id, receipt_digest, choice, college_id, weight',
      id,
    );
    await close(app, secret.admin.token, id);
    const after = await partyRows<{ id: string; receipt_digest: string; choice: string; college_id: string; weight: number }>(
      'ballot',
      'id, receipt_digest, choice, college_id, weight',
      id,
    );
    expect(after).toHaveLength(before.length);
    const oldIds = new Set(before.map((b) => b.id));
    for (const b of after) {
      expect(oldIds.has(b.id)).toBe(false);
      expect(b.id).toMatch(UUID_V4);
    }
    const content = (rows: typeof before) =>
      rows.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.receipt_digest.localeCompare(b.receipt_digest));
    expect(content(after)).toEqual(content(before));
    // The rewritten rows all come from the closing transaction: none shares a transaction id with a participation.
    const ballotXids = await partyRows<{ x: string }>('ballot', 'xmin::text as x', id);
    expect(new Set(ballotXids.map((b) => b.x)).size).toBe(1);
    const participationXids = new Set((await partyRows<{ x: string }>('participation', 'xmin::text as x', id)).map((p) => p.x));
    expect(participationXids.has(ballotXids[0].x)).toBe(false);
  });

  it('while voting is open, a ballot cannot be joined to its participation through the rows’ transaction id (xmin)', async () => {
    const { id } = await secretVote();
    const joined = await app.sql(
      `select p.voter_id, b.choice from participation p join ballot b on b.xmin = p.xmin
        where p.party_id in (select id from proposal_party where proposal_id = $1) and b.party_id = p.party_id`,
      [id],
    );
    expect(joined).toEqual([]);
  });

  it('leaves an audit trail of who took part, never of the choice, the receipt or the ballot', async () => {
    const { id, receipts } = await secretVote();
    await close(app, secret.admin.token, id);
    const ballots = await partyRows<{ id: string; receipt_digest: string }>('ballot', 'id, receipt_digest', id);
    const participations = await partyRows<{ id: string; voter_id: string }>('participation', 'id, voter_id', id);
    const cast = await app.sql<{ entity_id: string; before: unknown; after: Record<string, unknown> }>(
      `select entity_id, before, after from audit_entry where action = 'vote.cast' and entity_id = any($1::text[])`,
      [participations.map((p) => p.id)],
    );
    expect(cast).toHaveLength(5);
    for (const entry of cast) {
      const text = JSON.stringify(entry);
      expect(text).not.toMatch(/FOR|AGAINST|ABSTAIN/);
      expect(entry.after).not.toHaveProperty('choice');
      expect(Object.keys(entry.after).sort()).toEqual(['castBy', 'party', 'voter']);
    }
    // Nowhere in the whole trail: no receipt, receipt digest or ballot key.
    const [{ trail }] = await app.sql<{ trail: string }>(
      `select string_agg(coalesce(before::text, '') || coalesce(after::text, ''), ' ') as trail from audit_entry`,
    );
    for (const secretValue of [
      ...receipts,
      ...receipts.map(sha256),
      ...ballots.map((b) => b.id),
      ...ballots.map((b) => b.receipt_digest),
    ]) {
      expect(trail).not.toContain(secretValue);
    }
  });
});

describe('a NAMED vote', () => {
  it('names the voter on every ballot, and the audit trail records the choice', async () => {
    const id = await openResolution(app, named);
    const [a, b, c] = named.members;
    ok(await app.gql(GRANT, { input: { proposalId: id, holderAccountId: b.accountId } }, { token: c.token }));
    const choices = new Map([
      [a.accountId, 'FOR'],
      [b.accountId, 'AGAINST'],
      [c.accountId, 'ABSTAIN'],
    ]);
    ok(await cast(app, a.token, id, 'FOR'));
    ok(await cast(app, b.token, id, 'AGAINST'));
    ok(await cast(app, b.token, id, 'ABSTAIN', { onBehalfOf: c.accountId }));
    await close(app, named.admin.token, id);
    const ballots = await partyRows<{ voter_id: string; choice: string }>('ballot', 'voter_id, choice', id);
    expect(new Map(ballots.map((row) => [row.voter_id, row.choice]))).toEqual(choices);
    const audited = await app.sql<{ after: { voter: string; choice: string } }>(
      `select after from audit_entry where action = 'vote.cast' and after->>'party' in (select id::text from proposal_party where proposal_id = $1)`,
      [id],
    );
    expect(new Map(audited.map((row) => [row.after.voter, row.after.choice]))).toEqual(choices);
  });
});
