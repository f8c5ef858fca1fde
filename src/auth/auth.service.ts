import { LockMode } from '@mikro-orm/core';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainService, type ServiceScope } from './domain-service.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { queryPrepared, runScript } from '../shared/sql-script.js';
import { BadUserInputError } from '../shared/errors.js';
import { Account } from './account.entity.js';
import { sendLink } from './account-links.js';
import { AccountTokenPurpose } from './account-token.entity.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { deceptiveEmail, emailSkeleton, normaliseEmail } from './email-identity.js';
import type { LinkTokens } from './link-tokens.js';
import type { LoginThrottle } from './login-throttle.js';
import type { SecurityMail } from './security-mail.port.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordHasher } from './password.js';
import { Action, GLOBAL, requireViewer, type Grant, type Viewer } from './permissions.js';
import { RoleAssignment } from './role-assignment.entity.js';
import { Role } from './role.js';
import { scopeEntity } from './scope-directory.js';
import { Session } from './session.entity.js';

export { normaliseEmail } from './email-identity.js';

/** Same message for an unknown email and a wrong password, so neither can be told apart. */
const INVALID_CREDENTIALS = 'Invalid email or password.';

/** How often a session's `lastUsedAt` is refreshed at most (it is bookkeeping, not audited). */
const LAST_USE_RESOLUTION_MS = 60_000;

/** What signing in needs beyond a service's scope. */
export interface AuthDeps {
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  sessionTtlHours: number;
  /** Security mail, through the notification layer's outbox (bound by the composition root). */
  mail: SecurityMail;
  /** The secrets of single-use links. */
  linkTokens: LinkTokens;
}

export interface LoginResult {
  token: string;
  expiresAt: Date;
  account: Account;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a registration attempt turned out to be; the caller sees the same answer for all three. */
type RegistrationOutcome = 'created' | 'known' | 'lookalike';

/** Accounts, passwords and sessions. */
export class AuthService extends DomainService {
  // A real hash to verify against when the email is unknown, so both paths cost the same.
  private static dummyHash: Promise<string> | undefined;

  constructor(
    scope: ServiceScope,
    private readonly deps: AuthDeps,
  ) {
    super(scope);
  }

  private dummyHash(): Promise<string> {
    AuthService.dummyHash ??= this.deps.hasher.hash(randomBytes(16).toString('hex'));
    return AuthService.dummyHash;
  }

  /**
   * Creates an account, for trusted callers (the seed, `admin:create`, tests): a known email or a
   * look-alike of an existing account is refused, saying so. The API's `registerAccount` goes
   * through `registerAccount`, which never tells. The caller vouches for the email: the account is
   * verified at its creation, and no mail is sent — unless `verified: false`, when it gets the
   * verification link a registration over the API gets.
   */
  async register(input: { email: string; password: string; displayName: string }, options: { verified?: boolean } = {}): Promise<Account> {
    const email = checkedEmail(input.email);
    checkPassword(input.password);
    const passwordHash = await this.deps.hasher.hash(input.password);
    const verified = options.verified ?? true;
    const { outcome, account } = await this.createUnlessKnown(email, input.displayName, passwordHash, {
      verified,
      created: verified ? undefined : (tx, created) => this.sendVerificationLink(tx, created),
    });
    if (outcome === 'known') throw refuse(AuthReason.EMAIL_TAKEN, 'An account with this email already exists.', { field: 'input.email' });
    if (outcome === 'lookalike') {
      throw refuse(AuthReason.EMAIL_LOOKALIKE, 'This email looks like the email of an existing account.', { field: 'input.email' });
    }
    return account;
  }

  /**
   * Registration over the API. The answer is the same whether the email is new, already has an
   * account, or looks like one that has (a Cyrillic "а" for a Latin "a", an accent added): an
   * account with the email and name given. Only a new email creates one; for the others nothing
   * is created, the returned account is not stored (its id is a fresh one), and the attempt is
   * in the audit trail. Counted per client address (`LoginThrottle.countRegistration`), before
   * anything else; the password is hashed in every case, so the three cost the same. A new account
   * is sent a verification link (48 hours), the owner of a known or looked-like email a warning
   * (at most one a day), each in the transaction that decided which: either way one message is
   * queued.
   */
  async registerAccount(input: { email: string; password: string; displayName: string }, client: { address: string }): Promise<Account> {
    await this.deps.throttle.countRegistration(this.em, client.address);
    const email = checkedEmail(input.email);
    checkPassword(input.password);
    const passwordHash = await this.deps.hasher.hash(input.password);
    const { outcome, account } = await this.createUnlessKnown(email, input.displayName, passwordHash, {
      verified: false,
      created: (tx, created) => this.sendVerificationLink(tx, created),
      existing: (tx, existing) => this.tellOwnerOfRegistrationAttempt(tx, existing),
    });
    const now = this.clock();
    const answer =
      outcome === 'created'
        ? account
        : Object.assign(Object.create(Account.prototype) as Account, {
            id: randomUUID(),
            email,
            displayName: input.displayName.trim(),
            disabled: false,
            lastLoginAt: null,
            createdAt: now,
            updatedAt: now,
          });
    // The registrant reads back the email they typed (it tells them nothing they did not know).
    this.ownAccounts.add(answer.id);
    return answer;
  }

  /**
   * In one transaction, serialised per skeleton (two look-alikes registering at once cannot both
   * pass): the account with this email, or one whose email looks the same, or else a new
   * account. An attempt on an existing account is audited against that account. `then` says
   * whether a new account starts verified and what else the same transaction does.
   */
  private async createUnlessKnown(
    email: string,
    displayName: string,
    passwordHash: string,
    then: {
      verified: boolean;
      created?: (tx: EntityManager, account: Account) => Promise<unknown>;
      existing?: (tx: EntityManager, account: Account) => Promise<unknown>;
    },
  ): Promise<{ outcome: RegistrationOutcome; account: Account }> {
    const skeleton = emailSkeleton(email);
    return this.em.transactional(async (tx) => {
      await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 7262018))', [skeleton]);
      const existing =
        (await tx.findOne(Account, { email })) ??
        (await tx.findOne(Account, { emailSkeleton: skeleton }, { orderBy: { createdAt: 'asc' } }));
      if (existing) {
        const outcome = existing.email === email ? 'known' : 'lookalike';
        await this.audit.record(tx, this.actor, {
          action: outcome === 'known' ? 'account.register.known' : 'account.register.lookalike',
          entityType: 'Account',
          entityId: existing.id,
          after: { attemptedEmail: email, ...(outcome === 'lookalike' ? { lookalikeOf: existing.email } : {}) },
        });
        await then.existing?.(tx, existing);
        return { outcome, account: existing };
      }
      const account = tx.create(Account, {
        email,
        emailSkeleton: skeleton,
        displayName: displayName.trim(),
        passwordHash,
        emailVerifiedAt: then.verified ? this.clock() : null,
      });
      await tx.flush();
      // Registering oneself (nobody signed in): the new account is the actor of its own creation.
      await this.audit.recordChange(tx, { ...this.actor, accountId: this.actor.accountId ?? account.id }, 'account.register', account);
      await then.created?.(tx, account);
      return { outcome: 'created', account };
    });
  }

  /**
   * Tells the owner of `account` by mail, in the transaction `tx` that audited the attempt, that
   * someone tried to register their email (or a look-alike of it), and what to do if it was them:
   * at most one such mail a day per account (SecurityMail.registrationAttempt), none to a disabled
   * account.
   */
  private async tellOwnerOfRegistrationAttempt(tx: EntityManager, account: Account): Promise<void> {
    if (account.disabled) return;
    await this.deps.mail.registrationAttempt(tx, this.clock(), { accountId: account.id, email: account.email });
  }

  /** Stores a new account's verification link and queues its mail, in the registration's transaction. */
  private async sendVerificationLink(tx: EntityManager, account: Account): Promise<void> {
    await sendLink(tx, this.deps, account, AccountTokenPurpose.EMAIL_VERIFICATION, this.clock());
  }

  /**
   * Checks the password and opens a session. Each attempt is counted by the login throttle
   * against the email from this address, the email from anywhere, and this address (see
   * LoginThrottle): admitted before the password is checked, settled after, so that concurrent
   * and aliased attempts are each counted, without holding a lock while the password hashes.
   */
  async login(input: { email: string; password: string }, client: { address: string; userAgent: string | null }): Promise<LoginResult> {
    const email = normaliseEmail(input.email);
    const throttle = this.deps.throttle;
    const admitted = await throttle.admit(this.em, throttle.keysOf(email, client.address));
    let account: Account | null;
    try {
      account = await this.em.findOne(Account, { email }, { populate: ['passwordHash'] });
      const valid = await this.deps.hasher.verify(account?.passwordHash ?? (await this.dummyHash()), input.password);
      if (!account || !valid || input.password.length > PASSWORD_MAX_LENGTH) account = null;
    } catch (error) {
      await throttle.settle(this.em, admitted, 'abandoned');
      throw error;
    }
    await throttle.settle(this.em, admitted, account ? 'success' : 'failure');
    if (!account) throw refuse(AuthReason.INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    if (account.disabled) throw refuse(AuthReason.ACCOUNT_DISABLED, 'This account is disabled.');
    return this.openSession(account, input.password, client);
  }

  /**
   * Opens the session in one script (`runScript`: one round trip) — the account's last sign-in,
   * the session, the audit entry — so that the audit trail's lock, which every sign-in takes, is
   * held only while PostgreSQL runs it, never while this process is busy elsewhere.
   */
  private async openSession(
    account: Account,
    password: string,
    client: { address: string; userAgent: string | null },
  ): Promise<LoginResult> {
    const now = this.clock();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.deps.sessionTtlHours * 3_600_000);
    const rehash = this.deps.hasher.needsRehash(account.passwordHash) ? await this.deps.hasher.hash(password) : null;
    const sessionId = randomUUID();
    // As the entities' defaults and onUpdate hooks write them.
    const written = new Date();
    const [, accountRows] = await runScript(this.em, [
      { sql: 'begin' },
      {
        sql: 'update account set last_login_at = ?, password_hash = coalesce(?::text, password_hash), updated_at = ? where id = ? returning *',
        params: [now, rehash, written, account.id],
      },
      {
        sql: `insert into session (id, created_at, updated_at, account_id, token_hash, expires_at, last_used_at, client_address, user_agent)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        params: [
          sessionId,
          now,
          written,
          account.id,
          hashToken(token),
          expiresAt,
          now,
          client.address,
          client.userAgent?.slice(0, 500) ?? null,
        ],
      },
      ...this.audit.appendStatements(
        { ...this.actor, accountId: account.id },
        {
          action: 'session.open',
          entityType: 'Session',
          entityId: sessionId,
          after: {
            account: account.id,
            expiresAt: expiresAt.toISOString(),
            clientAddress: client.address,
            passwordRehashed: rehash !== null,
          },
        },
      ),
      { sql: 'commit' },
    ]);
    // Signed in by this very request: the caller reads their own account's details in the answer.
    this.ownAccounts.add(account.id);
    return { token, expiresAt, account: this.em.map(Account, accountRows[0]) };
  }

  /**
   * Changes the caller's password (issue 13): the old one is checked — counted by the login
   * throttle like a sign-in, so a stolen session cannot guess it — the new one hashed, and every
   * other session of the account revoked at once (this one stays signed in). Audited without
   * either password.
   */
  async changePassword(
    input: { oldPassword: string; newPassword: string },
    client: { address: string },
  ): Promise<{ sessionsRevoked: number }> {
    const viewer = requireViewer(this.viewer);
    checkPassword(input.newPassword, 'input.newPassword');
    const account = await this.em.findOneOrFail(Account, viewer.accountId, { populate: ['passwordHash'] });
    const throttle = this.deps.throttle;
    const admitted = await throttle.admit(this.em, throttle.keysOf(account.email, client.address));
    let valid: boolean;
    try {
      valid = input.oldPassword.length <= PASSWORD_MAX_LENGTH && (await this.deps.hasher.verify(account.passwordHash, input.oldPassword));
    } catch (error) {
      await throttle.settle(this.em, admitted, 'abandoned');
      throw error;
    }
    await throttle.settle(this.em, admitted, valid ? 'success' : 'failure');
    if (!valid)
      throw refuse(AuthReason.WRONG_PASSWORD, 'The current password is not this one: nothing was changed.', { field: 'input.oldPassword' });
    const passwordHash = await this.deps.hasher.hash(input.newPassword);
    return this.em.transactional(async (tx) => {
      const locked = await tx.findOneOrFail(Account, viewer.accountId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      locked.passwordHash = passwordHash;
      const now = this.clock();
      const sessionsRevoked = await tx.nativeUpdate(
        Session,
        { account: viewer.accountId, id: { $ne: viewer.sessionId }, revokedAt: null },
        { revokedAt: now },
      );
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'account.password.change',
        entityType: 'Account',
        entityId: locked.id,
        after: { otherSessionsRevoked: sessionsRevoked },
      });
      return { sessionsRevoked };
    });
  }

  /** Revokes the session whose token authenticates this request. */
  async logout(): Promise<void> {
    const viewer = requireViewer(this.viewer);
    await this.em.transactional(async (tx) => {
      const session = await tx.findOneOrFail(Session, viewer.sessionId);
      session.revokedAt = this.clock();
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'session.revoke',
        entityType: 'Session',
        entityId: session.id,
        after: { revokedAt: session.revokedAt.toISOString() },
      });
    });
  }

  /** The signed-in caller's account and the roles in force now; null for an anonymous caller. */
  async viewerProfile(): Promise<{ account: Account; roles: RoleAssignment[] } | null> {
    const viewer = this.viewer;
    if (!viewer) return null;
    const account = await this.em.findOneOrFail(Account, viewer.accountId);
    return { account, roles: await this.currentRoles(viewer.accountId) };
  }

  /**
   * Resolves a bearer token to a viewer. A token that is unknown, expired, revoked or whose
   * account is disabled is refused: presenting a bad token is an error, not anonymity.
   */
  async authenticate(token: string): Promise<Viewer> {
    const now = this.clock();
    // One statement per request: the session, its account, the roles in force and the
    // organisations the account acts for. Authentication runs before every signed-in read.
    // The MEMBER right is not granted by hand: it follows the ACTIVE memberships of the
    // organisations the account acts for, in their collèges (a suspension, resignation,
    // exclusion, transfer or fusion moves or ends it at once), read here with the other rights.
    // Prepared on each connection (planning it costs PostgreSQL more than running it).
    const [row] = await queryPrepared<AuthenticationRow>(this.em, {
      sql: `select s.id, s.revoked_at, s.expires_at, s.last_used_at, a.id as account_id, a.disabled,
              a.email_verified_at is not null as email_verified,
              coalesce((select jsonb_agg(jsonb_build_object('role', r.role, 'clusterId', r.cluster_id, 'collegeId', r.college_id,
                                                          'predecessorIds', case when r.cluster_id is not null and r.college_id is null then
                                                            (with recursive absorbed(id) as (
                                                               select id from cluster where successor_id = r.cluster_id
                                                               union select c.id from cluster c join absorbed on c.successor_id = absorbed.id)
                                                             select json_agg(id) from absorbed) end)
                                        order by r.valid_from, r.id)
                          from role_assignment r
                         where r.account_id = a.id and r.valid_from <= ? and (r.valid_to is null or r.valid_to > ?)), '[]'::jsonb)
              || coalesce((select jsonb_agg(jsonb_build_object('role', 'MEMBER', 'clusterId', c.cluster_id, 'collegeId', c.id)
                                            order by m.started_on, m.id)
                             from person p join membership m on m.organisation_id = p.organisation_id
                             join college c on c.id = m.college_id
                            where p.account_id = a.id and m.status = 'ACTIVE' and m.ended_on is null), '[]'::jsonb) as roles,
              array(select p.organisation_id from person p where p.account_id = a.id order by p.organisation_id) as organisation_ids
         from session s join account a on a.id = s.account_id
        where s.token_hash = ?`,
      params: [now, now, hashToken(token)],
    });
    if (!row) throw refuse(AuthReason.TOKEN_INVALID, 'This token is not valid.');
    // A disabled account first: its sessions were revoked with it, and "disabled" is what its owner needs to hear.
    if (row.disabled) throw refuse(AuthReason.SESSION_ACCOUNT_DISABLED, 'This account is disabled.');
    if (row.revoked_at) throw refuse(AuthReason.SESSION_REVOKED, 'This session was signed out.');
    if (new Date(row.expires_at) <= now) throw refuse(AuthReason.SESSION_EXPIRED, 'This session has expired; sign in again.');
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > LAST_USE_RESOLUTION_MS) {
      await this.em.nativeUpdate(Session, { id: row.id }, { lastUsedAt: now });
    }
    return {
      accountId: row.account_id,
      sessionId: row.id,
      roles: row.roles,
      organisationIds: row.organisation_ids,
      emailVerified: row.email_verified,
    };
  }

  /**
   * Whether the caller reads `account`'s sign-in details (email, last sign-in, creation date,
   * state) — on every path that reaches an account (a representative's mandate, a proposal's
   * author, a role's holder): the account itself and ADMIN; anyone else reads its display name.
   */
  readsDetailsOf(account: { id: string }): boolean {
    return (
      this.scope.trusted ||
      this.viewer?.accountId === account.id ||
      this.ownAccounts.has(account.id) ||
      this.may(Action.ReadAccountDetails, GLOBAL)
    );
  }

  /** Accounts the caller proved to be theirs in this request (sign-in, registration): not yet the viewer. */
  private readonly ownAccounts = new Set<string>();

  /**
   * The rights of an account in force now, with their scopes loaded: its role assignments, then
   * the MEMBER right each ACTIVE membership of an organisation it acts for gives it on that
   * membership's collège (not stored: it carries the membership's id and start).
   */
  async currentRoles(accountId: string): Promise<RoleAssignment[]> {
    const now = this.clock();
    const assigned = await this.em.find(
      RoleAssignment,
      { account: accountId, validFrom: { $lte: now }, $or: [{ validTo: null }, { validTo: { $gt: now } }] },
      { populate: ['cluster', 'college'], orderBy: { validFrom: 'asc', id: 'asc' } },
    );
    const memberships = await this.em.execute<
      { id: string; cluster_id: string; college_id: string; started_on: string; created_at: Date }[]
    >(
      `select m.id, c.cluster_id, c.id as college_id, m.started_on::text as started_on, m.created_at
         from person p join membership m on m.organisation_id = p.organisation_id join college c on c.id = m.college_id
        where p.account_id = ? and m.status = 'ACTIVE' and m.ended_on is null
        order by m.started_on, m.id`,
      [accountId],
    );
    const followed = memberships.map((m) =>
      Object.assign(Object.create(RoleAssignment.prototype) as RoleAssignment, {
        id: m.id,
        role: Role.MEMBER,
        account: this.em.getReference(Account, accountId),
        cluster: this.em.getReference(scopeEntity('cluster') as EntityClass<{ id: string }>, m.cluster_id),
        college: this.em.getReference(scopeEntity('college') as EntityClass<{ id: string }>, m.college_id),
        validFrom: new Date(`${m.started_on}T00:00:00Z`),
        validTo: null,
        grantedBy: null,
        createdAt: new Date(m.created_at),
        updatedAt: new Date(m.created_at),
      }),
    );
    return [...assigned, ...followed];
  }
}

interface AuthenticationRow {
  id: string;
  revoked_at: Date | string | null;
  expires_at: Date | string;
  last_used_at: Date | string | null;
  account_id: string;
  disabled: boolean;
  email_verified: boolean;
  roles: Grant[];
  organisation_ids: string[];
}

/** The normalised email, refused when it hides characters or mixes scripts (see email-identity.ts). */
function checkedEmail(raw: string): string {
  const email = normaliseEmail(raw);
  const deceptive = deceptiveEmail(email);
  if (deceptive?.kind === 'hidden') {
    throw BadUserInputError.field(
      'input.email',
      `holds a character that does not show (${deceptive.detail})`,
      AuthReason.EMAIL_HIDDEN_CHARACTERS,
    );
  }
  if (deceptive?.kind === 'mixed') {
    throw BadUserInputError.field(
      'input.email',
      `mixes ${deceptive.scripts.join(' and ')} letters in its ${deceptive.part}`,
      AuthReason.EMAIL_MIXED_SCRIPTS,
    );
  }
  return email;
}

/** Password policy: 12 to 256 characters (NIST SP 800-63B: length over composition rules). */
export function checkPassword(password: string, field = 'input.password'): void {
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw BadUserInputError.field(
      field,
      `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`,
      AuthReason.PASSWORD_LENGTH,
    );
  }
}
