import { LockMode } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { auditSnapshot } from '../audit/audit.service.js';
import { NotFoundError } from '../shared/errors.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { DomainService, type ServiceScope } from './domain-service.js';
import { Action, GLOBAL } from './permissions.js';
import { Session } from './session.entity.js';

/** At most this many open sessions are listed per account, the most recently used first. */
export const SESSIONS_LISTED = 100;

/** An open session as its account (or ADMIN) sees it: never its token or the token's hash. */
export interface OpenSession {
  id: string;
  accountId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date;
  clientAddress: string | null;
  userAgent: string | null;
  /** Whether this session authenticates the request that reads it. */
  current: boolean;
}

interface SessionRow {
  id: string;
  account_id: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date;
  client_address: string | null;
  user_agent: string | null;
}

/**
 * The sessions of an account, seen and signed out by the account itself or by ADMIN
 * (Action.ManageSessions). Open means neither revoked nor expired.
 */
export class SessionService extends DomainService {
  private loader: DataLoader<string, OpenSession[]> | undefined;

  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** Whether the caller sees and signs out `accountId`'s sessions: the account itself, or ADMIN. */
  private managesSessionsOf(accountId: string): boolean {
    return this.viewer?.accountId === accountId || this.may(Action.ManageSessions, GLOBAL);
  }

  /**
   * An account's open sessions, the most recently used first (at most SESSIONS_LISTED): the
   * account itself and ADMIN; null for anyone else. Every account of one request tick is read
   * in one statement (a page of accounts with their sessions costs one more, whatever its size).
   */
  openSessionsOf(accountId: string): Promise<OpenSession[]> | null {
    if (!this.managesSessionsOf(accountId)) return null;
    this.loader ??= new DataLoader((ids: readonly string[]) => this.openSessionsOfAll(ids), { cache: false });
    return this.loader.load(accountId);
  }

  private async openSessionsOfAll(accountIds: readonly string[]): Promise<OpenSession[][]> {
    const rows = await this.em.execute<SessionRow[]>(
      `select id, account_id, created_at, last_used_at, expires_at, client_address, user_agent
         from (select s.*, row_number() over (partition by s.account_id
                                              order by s.last_used_at desc nulls last, s.created_at desc, s.id) as n
                 from session s
                where s.account_id = any(?::uuid[]) and s.revoked_at is null and s.expires_at > ?) listed
        where n <= ?
        order by account_id, n`,
      [`{${accountIds.join(',')}}`, this.clock(), SESSIONS_LISTED],
    );
    const byAccount = new Map(accountIds.map((id) => [id, [] as OpenSession[]]));
    for (const row of rows) byAccount.get(row.account_id)?.push(this.openSession(row));
    return accountIds.map((id) => byAccount.get(id) ?? []);
  }

  private openSession(row: SessionRow): OpenSession {
    return {
      id: row.id,
      accountId: row.account_id,
      createdAt: new Date(row.created_at),
      lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
      expiresAt: new Date(row.expires_at),
      clientAddress: row.client_address,
      userAgent: row.user_agent,
      current: row.id === this.viewer?.sessionId,
    };
  }

  /**
   * Signs a session out now: its account (any of its sessions, this one included) or ADMIN.
   * Audited; an unknown, already revoked or expired session is refused and nothing is written.
   */
  async revoke(sessionId: string): Promise<OpenSession> {
    // An account whose email is not verified yet may still sign its own sessions out.
    this.requireSignedIn({ unverified: true });
    return this.em.transactional(async (tx) => {
      const session = await tx.findOne(Session, { id: sessionId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!session) throw new NotFoundError('Session', sessionId);
      if (!this.managesSessionsOf(session.account.id)) this.authorize(Action.ManageSessions, GLOBAL);
      const now = this.clock();
      if (session.revokedAt) {
        throw refuse(AuthReason.SESSION_ALREADY_REVOKED, 'This session was already signed out.', {
          revokedAt: session.revokedAt.toISOString(),
        });
      }
      if (session.expiresAt <= now) {
        throw refuse(AuthReason.SESSION_ALREADY_EXPIRED, 'This session has already expired: its token no longer works.', {
          expiresAt: session.expiresAt.toISOString(),
        });
      }
      const before = auditSnapshot(session);
      session.revokedAt = now;
      await tx.flush();
      await this.recordChange(tx, 'session.revoke', session, before);
      return this.openSession({
        id: session.id,
        account_id: session.account.id,
        created_at: session.createdAt,
        last_used_at: session.lastUsedAt ?? null,
        expires_at: session.expiresAt,
        client_address: session.clientAddress ?? null,
        user_agent: session.userAgent ?? null,
      });
    });
  }
}
