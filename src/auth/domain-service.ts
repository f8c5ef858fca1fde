import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { isoDay } from '../shared/scalars.js';
import { Account } from './account.entity.js';
import { AuthReason, refuse } from './auth.reasons.js';
import { authorize, isAllowed, requireViewer, type Action, type Scope, type Viewer } from './permissions.js';

/**
 * What every domain service of one request is bound to: its EntityManager fork, who acts (for
 * the audit trail), who is asking (for authorization) and the shared collaborators.
 */
export interface ServiceScope {
  em: EntityManager;
  actor: Actor;
  /** The signed-in caller, or null for an anonymous request. */
  viewer: Viewer | null;
  /**
   * True only for code that acts on the system's behalf — the demo seed, scheduled jobs, a step
   * that another service already authorized, test set-up — never for a request: authorization
   * checks are then skipped, since there is nobody to refuse.
   */
  trusted: boolean;
  audit: AuditService;
  clock: () => Date;
}

/** A trusted scope: the system acting, as an account (the seed plays people) or as nobody. */
export function trustedScope(em: EntityManager, audit: AuditService, clock: () => Date, accountId: string | null = null): ServiceScope {
  return { em, actor: { accountId, requestId: null }, viewer: null, trusted: true, audit, clock };
}

/**
 * The base of the domain services. A service method loads (and, for a change, locks) the row,
 * derives the scope from it, then calls `authorize`: the check and the change see the same
 * data, and a resolver or an HTTP route only passes ids along.
 */
export abstract class DomainService {
  protected readonly em: EntityManager;
  protected readonly actor: Actor;
  protected readonly audit: AuditService;
  protected readonly clock: () => Date;

  constructor(protected readonly scope: ServiceScope) {
    this.em = scope.em;
    this.actor = scope.actor;
    this.audit = scope.audit;
    this.clock = scope.clock;
    // The audit service learns the database it anchors from the first scope it serves.
    scope.audit.attach(scope.em);
  }

  /** The signed-in caller, or null (anonymous, or the system). */
  protected get viewer(): Viewer | null {
    return this.scope.viewer;
  }

  /**
   * Refuses unless some grantee of `action` covers one of `scopes` (trusted callers pass). An
   * account whose email is not verified is refused first (FORBIDDEN, EMAIL_NOT_VERIFIED).
   */
  protected authorize(action: Action, ...scopes: Scope[]): void {
    if (this.scope.trusted) return;
    requireVerified(requireViewer(this.scope.viewer));
    authorize(this.scope.viewer, action, ...scopes);
  }

  /**
   * Whether the caller may do `action` on one of `scopes`, without refusing (to filter a list). An
   * unverified account may nothing its roles would allow (it sees what a visitor sees).
   */
  protected may(action: Action, ...scopes: Scope[]): boolean {
    if (this.scope.trusted) return true;
    const viewer = this.scope.viewer;
    return viewer !== null && viewer.emailVerified && scopes.some((scope) => isAllowed(viewer, action, scope));
  }

  /**
   * Refuses an anonymous caller (trusted callers pass, acting as their actor), and an account
   * whose email is not verified (FORBIDDEN, EMAIL_NOT_VERIFIED) unless the method says it serves
   * them too (`{ unverified: true }`): what an unverified account may do is only that — sign in,
   * read `viewer`, change its password, sign out, verify its email or ask for a new link, and
   * what a method opens to it this way.
   */
  protected requireSignedIn(options: { unverified?: boolean } = {}): void {
    if (this.scope.trusted) return;
    const viewer = requireViewer(this.scope.viewer);
    if (!options.unverified) requireVerified(viewer);
  }

  /** Appends the audit entry of a change to `entity` in the transaction `tx` (see AuditService.recordChange). */
  protected recordChange(
    tx: EntityManager,
    action: string,
    entity: { id: string },
    before?: Record<string, unknown> | null,
    extra?: Record<string, unknown>,
  ): Promise<{ seq: number; hash: string }> {
    return this.audit.recordChange(tx, this.actor, action, entity, before, extra);
  }

  /** The acting account as a reference for an `actor`/`decidedBy` column (null for the system). */
  protected actorAccount(em: EntityManager): Account | null {
    return this.actor.accountId ? em.getReference(Account, this.actor.accountId) : null;
  }

  /** Today, as the service's clock says, as an ISO day. */
  protected today(): string {
    return isoDay(this.clock());
  }
}

/** Refuses an account that has not verified its email yet (FORBIDDEN, EMAIL_NOT_VERIFIED). */
function requireVerified(viewer: Viewer): void {
  if (!viewer.emailVerified) {
    throw refuse(
      AuthReason.EMAIL_NOT_VERIFIED,
      'Confirm your email address first: open the link we sent to it when you registered, or ask for a new one (resendVerificationEmail).',
    );
  }
}
