import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { auditSnapshot } from '../audit/audit.service.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, collegeScope, organisationScope } from '../auth/permissions.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { ClusterStatus } from './cluster.entity.js';
import { clusterNotActive } from './cluster.service.js';
import { College } from './college.entity.js';
import { MembershipEvent, MembershipEventKind } from './membership-event.entity.js';
import { Membership, MembershipStatus } from './membership.entity.js';
import { MembershipReason, refuse } from './membership.reasons.js';
import { Organisation } from './organisation.entity.js';

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

/** Memberships' lifecycle and lineage. Every step is an event; ended memberships keep their dates. */
export class MembershipService extends DomainService {
  /** Per request: the lineages asked for in one tick, read together (see `lineage`). */
  private lineages?: DataLoader<string, Membership[]>;

  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** Locks a membership for a change and loads its collège (whose name the refusals use). */
  private async lockMembership(tx: EntityManager, membershipId: string): Promise<{ membership: Membership; college: College }> {
    const membership = await tx.findOne(Membership, { id: membershipId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!membership) throw new NotFoundError('Membership', membershipId);
    const college = await tx.findOneOrFail(College, membership.college.id);
    return { membership, college };
  }

  /**
   * Suspends, reinstates, records a resignation or excludes: the collège's representatives,
   * its cluster's administrators, ADMIN — and, for a resignation, the member's contacts.
   */
  async change(operation: LifecycleOperation, membershipId: string, reason?: string): Promise<Membership> {
    const transition: Transition = TRANSITIONS[operation];
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const { membership, college } = await this.lockMembership(tx, membershipId);
      const scope = collegeScope(college.cluster.id, college.id, college.name);
      if (operation === 'resign') {
        const organisation = await tx.findOneOrFail(Organisation, membership.organisation.id);
        this.authorize(Action.ResignMembership, scope, organisationScope(organisation.id, organisation.name));
      } else {
        this.authorize(Action.ManageMembership, scope);
      }
      const why = reason?.trim() || null;
      if (transition.reasonRequired && !why) {
        throw BadUserInputError.field('input.reason', `${operation} needs a reason`, MembershipReason.MEMBERSHIP_REASON_REQUIRED);
      }
      if (!transition.from.includes(membership.status)) {
        throw refuse(MembershipReason.MEMBERSHIP_STATUS_FORBIDS, `Cannot ${operation} a membership that is ${membership.status}.`, {
          status: membership.status,
        });
      }
      const before = auditSnapshot(membership);
      const today = this.today();
      membership.status = transition.to;
      if (transition.ends) membership.endedOn = today;
      if (why && transition.ends) membership.endReason = why;
      tx.create(MembershipEvent, { membership, kind: transition.event, effectiveOn: today, reason: why, actor: this.actorAccount(tx) });
      await tx.flush();
      await this.recordChange(tx, `membership.${operation}`, membership, before);
      return membership;
    });
  }

  /**
   * Moves a member to another collège of the same cluster: the old membership ends as
   * TRANSFERRED, a new one starts pointing to it, and seniority carries over. The source
   * collège's representatives, its cluster's administrators, ADMIN.
   */
  async transfer(membershipId: string, toCollegeId: string, reason?: string): Promise<Membership> {
    this.requireSignedIn();
    return this.em.transactional(async (tx) => {
      const { membership, college } = await this.lockMembership(tx, membershipId);
      this.authorize(Action.ManageMembership, collegeScope(college.cluster.id, college.id, college.name));
      if (membership.status !== MembershipStatus.ACTIVE) {
        throw refuse(
          MembershipReason.MEMBERSHIP_STATUS_FORBIDS,
          `Only an ACTIVE membership can be transferred; this one is ${membership.status}.`,
          { status: membership.status },
        );
      }
      const target = await tx.findOne(College, { id: toCollegeId }, { populate: ['cluster'] });
      if (!target) throw new NotFoundError('College', toCollegeId);
      if (target.cluster.id !== college.cluster.id) {
        throw BadUserInputError.field(
          'input.toCollegeId',
          'a transfer stays within the cluster (mergers move members between clusters)',
          MembershipReason.TRANSFER_OUTSIDE_CLUSTER,
        );
      }
      if (target.id === college.id) {
        throw BadUserInputError.field(
          'input.toCollegeId',
          'the member is already in this collège',
          MembershipReason.TRANSFER_TO_SAME_COLLEGE,
        );
      }
      if (target.cluster.status !== ClusterStatus.ACTIVE) throw clusterNotActive(target.cluster, '.');
      if (await tx.count(Membership, { organisation: membership.organisation, college: target, endedOn: null })) {
        throw refuse(MembershipReason.ALREADY_MEMBER, `The organisation is already a member of ${target.name}.`);
      }
      const before = auditSnapshot(membership);
      const today = this.today();
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
      const actor = this.actorAccount(tx);
      tx.create(MembershipEvent, { membership, kind: MembershipEventKind.TRANSFERRED, effectiveOn: today, reason: why, actor });
      tx.create(MembershipEvent, { membership: successor, kind: MembershipEventKind.STARTED, effectiveOn: today, reason: why, actor });
      await tx.flush();
      await this.recordChange(tx, 'membership.transfer', membership, before, { successor: successor.id });
      await this.recordChange(tx, 'membership.start', successor);
      return successor;
    });
  }

  /**
   * The chain of memberships `membershipId` continues, across transfers and fusions: the first
   * one first, it last. The lineages asked for in one tick (a page of members) are read by two
   * statements in all: the chains, then their memberships.
   */
  lineage(membershipId: string): Promise<Membership[]> {
    this.lineages ??= new DataLoader(
      async (ids: readonly string[]) => {
        const rows = await this.em.execute<{ start_id: string; id: string }[]>(
          `with recursive chain as (
             select id as start_id, id, origin_id, 0 as depth from membership where id in (?)
             union all
             select chain.start_id, m.id, m.origin_id, chain.depth + 1
               from membership m join chain on m.id = chain.origin_id where chain.depth < 100)
           select start_id, id from chain order by start_id, depth desc`,
          [[...ids]],
        );
        const found = await this.em.find(Membership, { id: { $in: [...new Set(rows.map((r) => r.id))] } });
        const byId = new Map(found.map((m) => [m.id, m]));
        const chains = new Map(ids.map((id) => [id, [] as Membership[]]));
        for (const row of rows) {
          const membership = byId.get(row.id);
          if (membership) chains.get(row.start_id)?.push(membership);
        }
        return ids.map((id) => chains.get(id) ?? []);
      },
      // A later change of the same request must read fresh chains.
      { cache: false },
    );
    return this.lineages.load(membershipId);
  }
}
