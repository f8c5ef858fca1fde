import { Role } from '../../src/auth/role.js';
import { createBoard, type Board } from '../governance/support.js';
import { refusal } from '../support/refusals.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Appointments and grants name an account by its sign-in email (issue 13, item 4): what an
 * administrator knows of a person, where nobody could discover an account id. Exactly one of
 * `accountId` and `accountEmail`; an unknown email is said only to a caller allowed to appoint,
 * so that nobody else can probe who has an account.
 */
let app: TestApp;
let board: Board;
let user: { accountId: string; token: string };

beforeAll(async () => {
  app = await startTestApp();
  board = await createBoard(app, { name: 'Par courriel', colleges: 1, membersPerCollege: 0 });
  user = await app.signUp();
});
afterAll(async () => {
  await app.close();
});

interface Appointment {
  name: string;
  document: string;
  /** The input without the account. */
  input: () => Record<string, unknown>;
  /** The role the account holds once appointed. */
  role: Role;
}

const APPOINTMENTS: Appointment[] = [
  {
    name: 'grantRole',
    document: 'mutation($input: GrantRoleInput!) { grantRole(input: $input) { roleAssignment { role account { id } } } }',
    input: () => ({ role: Role.TREASURER, clusterId: board.clusterId }),
    role: Role.TREASURER,
  },
  {
    name: 'appointRepresentative',
    document:
      'mutation($input: AppointRepresentativeInput!) { appointRepresentative(input: $input) { mandate { representative { id } } } }',
    input: () => ({ collegeId: board.colleges[0] }),
    role: Role.COLLEGE_REPRESENTATIVE,
  },
  {
    name: 'appointBoardMember',
    document: 'mutation($input: AppointBoardMemberInput!) { appointBoardMember(input: $input) { mandate { holder { id } } } }',
    input: () => ({ clusterId: board.clusterId, collegeId: board.colleges[0] }),
    role: Role.BOARD_MEMBER,
  },
];

/** What an appointment could write. */
async function written(): Promise<Record<string, number>> {
  const [row] = await app.sql<Record<string, number>>(
    `select (select count(*) from audit_entry)::int as audit,
            (select count(*) from role_assignment)::int as roles,
            (select count(*) from representative_mandate)::int as representatives,
            (select count(*) from board_mandate)::int as board`,
  );
  return row;
}

async function rolesOf(accountId: string): Promise<string[]> {
  const rows = await app.sql<{ role: string }>('select role::text from role_assignment where account_id = $1', [accountId]);
  return rows.map((r) => r.role);
}

describe.each(APPOINTMENTS)('$name', ({ document, input, role }) => {
  it('names the account by its email, typed in any case with spaces around', async () => {
    const person = await app.signUp({ email: `Person-${role.toLowerCase()}@Example.test`.toLowerCase() });
    const res = await app.gql(
      document,
      { input: { ...input(), accountEmail: `  ${person.email.toUpperCase()} ` } },
      { token: board.admin.token },
    );
    expect(res.body.errors).toBeUndefined();
    expect(JSON.stringify(res.body.data)).toContain(person.accountId);
    expect(await rolesOf(person.accountId)).toEqual([role]);
  });

  it('still names it by id', async () => {
    const person = await app.signUp();
    const res = await app.gql(document, { input: { ...input(), accountId: person.accountId } }, { token: board.admin.token });
    expect(res.body.errors).toBeUndefined();
    expect(await rolesOf(person.accountId)).toEqual([role]);
  });

  it('refuses both an id and an email, or neither (INVALID_INPUT naming both fields); nothing written', async () => {
    const person = await app.signUp();
    const before = await written();
    for (const account of [{ accountId: person.accountId, accountEmail: person.email }, {}, { accountEmail: '  ' }]) {
      const res = await app.gql(document, { input: { ...input(), ...account } }, { token: board.admin.token });
      expect(refusal(res)).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT' });
      expect(res.body.errors![0].extensions!.fields.map((f: { field: string }) => f.field)).toEqual([
        'input.accountId',
        'input.accountEmail',
      ]);
    }
    expect(await written()).toEqual(before);
  });

  it('an unknown email: NOT_FOUND (ACCOUNT_EMAIL_UNKNOWN) to an authorized caller; nothing written', async () => {
    const before = await written();
    const res = await app.gql(document, { input: { ...input(), accountEmail: 'nobody@example.test' } }, { token: board.admin.token });
    expect(refusal(res)).toEqual({ code: 'NOT_FOUND', reason: 'ACCOUNT_EMAIL_UNKNOWN' });
    expect(res.body.errors![0].extensions!.field).toBe('input.accountEmail');
    expect(await written()).toEqual(before);
  });

  it('an unauthorized caller is FORBIDDEN whether the email is known or not (nothing to probe); anonymous, UNAUTHENTICATED', async () => {
    const person = await app.signUp();
    const before = await written();
    for (const accountEmail of [person.email, 'nobody@example.test']) {
      const res = await app.gql(document, { input: { ...input(), accountEmail } }, { token: user.token });
      expect(refusal(res)).toEqual({ code: 'FORBIDDEN', reason: 'RIGHT_MISSING' });
      expect(refusal(await app.gql(document, { input: { ...input(), accountEmail } }))).toEqual({
        code: 'UNAUTHENTICATED',
        reason: 'SIGN_IN_REQUIRED',
      });
    }
    expect(await written()).toEqual(before);
  });
});
