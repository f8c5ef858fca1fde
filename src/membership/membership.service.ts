import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import { isoDay } from '../shared/scalars.js';
import { ClusterStatus } from './cluster.entity.js';
import { College } from './college.entity.js';
import { MembershipEvent, MembershipEventKind } from './membership-event.entity.js';
import { Membership, MembershipStatus } from './membership.entity.js';

/** How a lifecycle operation changes a membership. */
interface Transition {
  from: readonly MembershipStatus[];
  to: MembershipStatus;
  event: MembershipEventKind;
  /** Whether the membership ends (gets `endedOn`). */
  ends: boolean;
  reasonRequired: boolean;
}

export const TRANSITIONS = {
  suspend: {
    from: [MembershipStatus.ACTIVE],
    to: MembershipStatus.SUSPENDED,
    event: MembershipEventKind.SUSPENDED,
    ends: false,
    reasonRequired: true,
  },
  reinstate: {
    from: [MembershipStatus.SUSPENDED],
    to: MembershipStatus.ACTIVE,
    event: MembershipEventKind.REINSTATED,
    ends: false,
    reasonRequired: false,
  },
  resign: {
    from: [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED],
    to: MembershipStatus.RESIGNED,
    event: MembershipEventKind.RESIGNED,
    ends: true,
    reasonRequired: false,
  },
  exclude: {
    from: [MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED],
    to: MembershipStatus.EXCLUDED,
    event: MembershipEventKind.EXCLUDED,
    ends: true,
    reasonRequired: true,
  },
} as const satisfies Record<string, Transition>;

export type LifecycleOperation = keyof typeof TRANSITIONS;

/** Memberships' lifecycle. Every step is an event; ended memberships keep their dates. */
export class MembershipService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  private actorRef(em: EntityManager) {
    return this.actor.accountId ? em.getReference(Account, this.actor.accountId) : null;
  }

  async getMembership(id: string): Promise<Membership> {
    const membership = await this.em.findOne(Membership, { id }, { populate: ['college'] });
    if (!membership) throw new NotFoundError('Membership', id);
    return membership;
  }

  /** Suspends, reinstates, records a resignation or excludes. */
  async change(operation: LifecycleOperation, membershipId: string, reason?: string): Promise<Membership> {
    const transition: Transition = TRANSITIONS[operation];
    const why = reason?.trim() || null;
    if (transition.reasonRequired && !why) throw BadUserInputError.field('input.reason', `${operation} needs a reason`);
    return this.em.transactional(async (tx) => {
      const membership = await tx.findOne(Membership, { id: membershipId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!membership) throw new NotFoundError('Membership', membershipId);
      if (!transition.from.includes(membership.status)) {
        throw new ConflictError(`Cannot ${operation} a membership that is ${membership.status}.`, { status: membership.status });
      }
      const before = auditSnapshot(membership);
      const today = isoDay(this.clock());
      membership.status = transition.to;
      if (transition.ends) membership.endedOn = today;
      if (why && transition.ends) membership.endReason = why;
      tx.create(MembershipEvent, { membership, kind: transition.event, effectiveOn: today, reason: why, actor: this.actorRef(tx) });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: `membership.${operation}`,
        entityType: 'Membership',
        entityId: membership.id,
        before,
        after: auditSnapshot(membership),
      });
      return membership;
    });
  }

  /**
   * Moves a member to another collège of the same cluster: the old membership ends as
   * TRANSFERRED, a new one starts pointing to it, and seniority carries over.
   */
  async transfer(membershipId: string, toCollegeId: string, reason?: string): Promise<Membership> {
    return this.em.transactional(async (tx) => {
      const membership = await tx.findOne(
        Membership,
        { id: membershipId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['college'] },
      );
      if (!membership) throw new NotFoundError('Membership', membershipId);
      if (membership.status !== MembershipStatus.ACTIVE) {
        throw new ConflictError(`Only an ACTIVE membership can be transferred; this one is ${membership.status}.`, {
          status: membership.status,
        });
      }
      const target = await tx.findOne(College, { id: toCollegeId }, { populate: ['cluster'] });
      if (!target) throw new NotFoundError('College', toCollegeId);
      if (target.cluster.id !== membership.college.cluster.id) {
        throw BadUserInputError.field('input.toCollegeId', 'a transfer stays within the cluster (mergers move members between clusters)');
      }
      if (target.id === membership.college.id) throw BadUserInputError.field('input.toCollegeId', 'the member is already in this collège');
      if (target.cluster.status !== ClusterStatus.ACTIVE)
        throw new ConflictError(`Cluster ${target.cluster.slug} is ${target.cluster.status}.`);
      if (await tx.count(Membership, { organisation: membership.organisation, college: target, endedOn: null })) {
        throw new ConflictError(`The organisation is already a member of ${target.name}.`);
      }
      const before = auditSnapshot(membership);
      const today = isoDay(this.clock());
      const why = reason?.trim() || `transferred to ${target.name}`;
      membership.status = MembershipStatus.TRANSFERRED;
      membership.endedOn = today;
      membership.endReason = why;
      // The old one must end before the new one starts: one current membership per collège is a UNIQUE index.
      await tx.flush();
      const successor = tx.create(Membership, {
        organisation: membership.organisation,
        college: target,
        startedOn: today,
        memberSince: membership.memberSince,
        origin: membership,
      });
      const actor = this.actorRef(tx);
      tx.create(MembershipEvent, { membership, kind: MembershipEventKind.TRANSFERRED, effectiveOn: today, reason: why, actor });
      tx.create(MembershipEvent, { membership: successor, kind: MembershipEventKind.STARTED, effectiveOn: today, reason: why, actor });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'membership.transfer',
        entityType: 'Membership',
        entityId: membership.id,
        before,
        after: { ...auditSnapshot(membership), successor: successor.id },
      });
      await this.audit.record(tx, this.actor, {
        action: 'membership.start',
        entityType: 'Membership',
        entityId: successor.id,
        after: auditSnapshot(successor),
      });
      return successor;
    });
  }
}
