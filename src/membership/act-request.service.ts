import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { DomainService } from '../auth/domain-service.js';
import { Action, collegeScope, organisationScope, type Scope } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError, UnauthenticatedError } from '../shared/errors.js';
import { loadChildren } from '../shared/loaders.js';
import { ActRequest, ActRequestStatus } from './act-request.entity.js';
import { ActRequestDecision } from './act-request.inputs.js';
import { Membership, MembershipStatus } from './membership.entity.js';
import { MembershipReason, refuse } from './membership.reasons.js';
import { Organisation } from './organisation.entity.js';
import { MEMBERSHIP_ORDER } from './organisation.service.js';
import { Person } from './person.entity.js';
import { announceActRequest, announceActRequestDecision } from './act-request-mail.js';

/** At most this many pending requests are listed per organisation, oldest first: decide them to see the next. */
export const PENDING_LISTED = 50;

/** At most this many of the caller's own requests are listed, newest first. */
export const OWN_LISTED = 100;

function alreadySettled(request: ActRequest) {
  const when = request.decidedAt ? ` on ${request.decidedAt.toISOString()}` : '';
  return refuse(MembershipReason.ACT_REQUEST_ALREADY_DECIDED, `This request was already ${request.status}${when}; that stands.`, {
    status: request.status,
  });
}

/**
 * "Ask to act for an organisation" (issue 13, item 3): an account asks to become one of the people
 * acting for an organisation already registered; its current contacts — or, while it is a member,
 * its collège's representatives and its cluster's administrators — or ADMIN approve or refuse.
 * Approval links a person to the account in the same transaction, so the rights that follow from
 * acting for the organisation (MEMBER, while its membership is ACTIVE) hold from the next request.
 */
export class ActRequestService extends DomainService {
  /** The signed-in account asking (trusted set-up: the account it acts as). */
  private requesterId(): string {
    this.requireSignedIn();
    const accountId = this.viewer?.accountId ?? this.actor.accountId;
    if (!accountId) throw new UnauthenticatedError('Only an account asks to act for an organisation.');
    return accountId;
  }

  /** Asks to act for an organisation; any signed-in account that does not act for it yet. */
  async requestToActFor(input: {
    organisationId: string;
    fullName: string;
    roleInOrganisation: string;
    message?: string;
  }): Promise<ActRequest> {
    const accountId = this.requesterId();
    return this.em.transactional(async (tx) => {
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      // One request at a time per account and organisation (the partial unique index is the last line).
      await tx.execute('select pg_advisory_xact_lock(hashtextextended(?, 3130003))', [`${organisation.id}/${accountId}`]);
      if (await tx.count(Person, { organisation, account: accountId })) {
        throw refuse(MembershipReason.ACCOUNT_ALREADY_CONTACT, `You already act for ${organisation.name}.`, {
          field: 'input.organisationId',
        });
      }
      const pending = await tx.findOne(ActRequest, { organisation, requester: accountId, status: ActRequestStatus.PENDING });
      if (pending) {
        throw refuse(
          MembershipReason.ACT_REQUEST_ALREADY_PENDING,
          `You already asked to act for ${organisation.name} on ${pending.createdAt.toISOString()}: wait for the decision, or withdraw that request first.`,
          { actRequestId: pending.id },
        );
      }
      const message = input.message?.trim();
      const request = tx.create(ActRequest, {
        organisation,
        requester: tx.getReference(Account, accountId),
        fullName: input.fullName.trim(),
        roleInOrganisation: input.roleInOrganisation.trim(),
        message: message || null,
      });
      await tx.flush();
      await this.recordChange(tx, 'act-request.create', request);
      await announceActRequest(tx, this.clock(), request.id);
      return request;
    });
  }

  /**
   * Approves or refuses a pending request: the organisation's contacts, the representatives of the
   * collèges where it is an ACTIVE member and their cluster's administrators, or ADMIN — never the
   * requester. Approval links a person (the requester's name, role and email) to their account.
   */
  async decideActRequest(input: { requestId: string; decision: ActRequestDecision; reason?: string }): Promise<ActRequest> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const request = await tx.findOne(ActRequest, { id: input.requestId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!request) throw new NotFoundError('ActRequest', input.requestId);
      if (this.actor.accountId === request.requester.id) {
        throw refuse(MembershipReason.ACT_REQUEST_OWN, 'You cannot decide your own request: another person who may decide it will.');
      }
      const organisation = await tx.findOneOrFail(Organisation, request.organisation.id);
      this.authorize(Action.DecideActRequest, ...(await this.decisionScopes(tx, organisation)));
      const reason = input.reason?.trim() || null;
      if (input.decision === ActRequestDecision.REFUSE && !reason) {
        throw BadUserInputError.field('input.reason', 'a refusal needs a reason', MembershipReason.REJECTION_REASON_REQUIRED);
      }
      if (request.status !== ActRequestStatus.PENDING) throw alreadySettled(request);
      const before = auditSnapshot(request);
      request.decidedAt = this.clock();
      request.decidedBy = this.actorAccount(tx);
      request.reason = reason;
      if (input.decision === ActRequestDecision.REFUSE) {
        request.status = ActRequestStatus.REFUSED;
        await tx.flush();
        await this.recordChange(tx, 'act-request.refuse', request, before);
        await announceActRequestDecision(tx, this.clock(), request.id);
        return request;
      }
      const requester = await tx.findOneOrFail(Account, request.requester.id);
      // Added meanwhile by a contact (addPerson): the approval stands on that person.
      let person = await tx.findOne(Person, { organisation, account: requester });
      const added = !person;
      person ??= tx.create(Person, {
        organisation,
        account: requester,
        fullName: request.fullName,
        email: requester.email,
        roleInOrganisation: request.roleInOrganisation,
      });
      request.status = ActRequestStatus.APPROVED;
      request.person = person;
      await tx.flush();
      if (added) await this.recordChange(tx, 'person.add', person, null, { actRequestId: request.id });
      await this.recordChange(tx, 'act-request.approve', request, before);
      await announceActRequestDecision(tx, this.clock(), request.id);
      return request;
    });
  }

  /** Withdraws a pending request: its requester only. */
  async withdrawActRequest(requestId: string): Promise<ActRequest> {
    const accountId = this.requesterId();
    return this.em.transactional(async (tx) => {
      const request = await tx.findOne(ActRequest, { id: requestId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!request) throw new NotFoundError('ActRequest', requestId);
      if (request.requester.id !== accountId) {
        throw refuse(MembershipReason.ACT_REQUEST_NOT_YOURS, 'Only the account that made this request withdraws it.');
      }
      if (request.status !== ActRequestStatus.PENDING) throw alreadySettled(request);
      const before = auditSnapshot(request);
      request.status = ActRequestStatus.WITHDRAWN;
      request.decidedAt = this.clock();
      request.decidedBy = tx.getReference(Account, accountId);
      await tx.flush();
      await this.recordChange(tx, 'act-request.withdraw', request, before);
      return request;
    });
  }

  /**
   * Where a decision on this organisation's requests is allowed: the organisation (its contacts)
   * and each collège where it holds an ACTIVE membership (representatives, cluster admins).
   */
  private async decisionScopes(em: EntityManager, organisation: Organisation): Promise<Scope[]> {
    const memberships = await em.find(
      Membership,
      { organisation, status: MembershipStatus.ACTIVE, endedOn: null },
      { populate: ['college'], orderBy: { id: 'asc' } },
    );
    return [
      organisationScope(organisation.id, organisation.name),
      ...memberships.map((m) => collegeScope(m.college.cluster.id, m.college.id, m.college.name)),
    ];
  }

  /**
   * An organisation's pending requests, oldest first, at most PENDING_LISTED — for those who may
   * decide them; empty for anyone else. Batched over a list of organisations: one query for their
   * memberships (shared with `people`), one for their requests.
   */
  async pendingFor(organisation: Organisation): Promise<ActRequest[]> {
    if (!this.scope.trusted && !this.viewer) return [];
    const memberships = await loadChildren(this.em, Membership, 'organisation', organisation.id, MEMBERSHIP_ORDER, ['college']);
    const scopes = [
      organisationScope(organisation.id),
      ...memberships.filter((m) => m.status === MembershipStatus.ACTIVE).map((m) => collegeScope(m.college.cluster.id, m.college.id)),
    ];
    if (!this.may(Action.DecideActRequest, ...scopes)) return [];
    return this.pendingLoader.load(organisation.id);
  }

  /** Per request: the pending requests of the organisations asked for in one tick, PENDING_LISTED each. */
  private readonly pendingLoader = new DataLoader<string, ActRequest[]>(
    async (organisationIds) => {
      const rows = await this.em.execute<Record<string, unknown>[]>(
        `select r.* from act_request r
           join (select id, row_number() over (partition by organisation_id order by created_at, id) as rank
                   from act_request where status = 'PENDING' and organisation_id = any(?::uuid[])) ranked on ranked.id = r.id
          where ranked.rank <= ?
          order by r.created_at, r.id`,
        [`{${organisationIds.join(',')}}`, PENDING_LISTED],
      );
      const byOrganisation = new Map(organisationIds.map((id) => [id, [] as ActRequest[]]));
      for (const row of rows) byOrganisation.get(row.organisation_id as string)?.push(this.em.map(ActRequest, row));
      return organisationIds.map((id) => byOrganisation.get(id) ?? []);
    },
    { cache: false },
  );

  /** The account's own requests, newest first, at most OWN_LISTED: the account itself only. */
  ownRequests(accountId: string): Promise<ActRequest[]> {
    return this.em.find(ActRequest, { requester: accountId }, { orderBy: { createdAt: 'desc', id: 'asc' }, limit: OWN_LISTED });
  }
}
