import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { endMandateNow } from '../auth/mandate.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { Role } from '../auth/role.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { CURRENT_STATUSES, Membership } from '../membership/membership.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { AppointBoardMemberInput, ConfigureVotingBodyInput, DesignateDelegateInput } from './governance.inputs.js';
import { AssemblyDelegate, BodyKind, BoardMandate, VotingBody } from './voting-body.entity.js';
import { votingRulesProblems } from './voting-rules.js';

/** Voting bodies, board seats and mandates, general-assembly delegates. */
export class BodyService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async getBody(clusterId: string, kind: BodyKind, em: EntityManager = this.em): Promise<VotingBody> {
    const body = await em.findOne(VotingBody, { cluster: clusterId, kind });
    if (!body) throw new NotFoundError(`VotingBody ${kind} of cluster`, clusterId);
    return body;
  }

  async configure(input: ConfigureVotingBodyInput): Promise<VotingBody> {
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId });
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      if (cluster.status !== ClusterStatus.ACTIVE) throw new ConflictError(`Cluster ${cluster.slug} is ${cluster.status}.`);
      const collegeIds = (await tx.find(College, { cluster }, { fields: ['id'] })).map((c) => c.id);
      const problems = votingRulesProblems(input.rules, collegeIds, 'input.rules');
      (input.seats ?? []).forEach((seat, i) => {
        if (!collegeIds.includes(seat.collegeId))
          problems.push({ field: `input.seats.${i}.collegeId`, messages: ['is not a collège of this cluster'] });
      });
      if (input.kind === BodyKind.GENERAL_ASSEMBLY && input.seats?.length) {
        problems.push({ field: 'input.seats', messages: ['a general assembly has no seats: every member organisation votes'] });
      }
      if (problems.length)
        throw new BadUserInputError(`Invalid voting body: ${problems.map((p) => `${p.field} ${p.messages[0]}`).join('; ')}`, problems);
      const rules = {
        ...input.rules,
        collegeWeights: input.rules.collegeWeights.map((w) => ({ ...w })),
        doubleMajorityColleges: input.rules.doubleMajorityColleges ?? null,
      };
      let body = await tx.findOne(VotingBody, { cluster, kind: input.kind }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const before = body ? auditSnapshot(body) : null;
      if (body) {
        body.name = input.name.trim();
        body.rules = rules;
        body.seats = (input.seats ?? []).map((s) => ({ ...s }));
      } else {
        body = tx.create(VotingBody, {
          cluster,
          kind: input.kind,
          name: input.name.trim(),
          rules,
          seats: (input.seats ?? []).map((s) => ({ ...s })),
        });
      }
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'voting-body.configure',
        entityType: 'VotingBody',
        entityId: body.id,
        before,
        after: auditSnapshot(body),
      });
      return body;
    });
  }

  /** A board seat holder's mandate; the BOARD_MEMBER right follows it exactly. Seats per collège are respected. */
  async appoint(input: AppointBoardMemberInput): Promise<BoardMandate> {
    const startsAt = input.startsAt ?? this.clock();
    if (input.endsAt && input.endsAt <= startsAt) throw BadUserInputError.field('input.endsAt', 'must be after startsAt');
    return this.em.transactional(async (tx) => {
      const body = await tx.findOne(
        VotingBody,
        { cluster: input.clusterId, kind: BodyKind.BOARD },
        { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['cluster'] },
      );
      if (!body) throw new NotFoundError('Board of cluster', input.clusterId);
      const college = await tx.findOne(College, { id: input.collegeId, cluster: input.clusterId });
      if (!college) throw new NotFoundError('College', input.collegeId);
      const account = await tx.findOne(Account, { id: input.accountId });
      if (!account) throw new NotFoundError('Account', input.accountId);
      const seats = body.seats.find((s) => s.collegeId === college.id)?.seats ?? 0;
      const overlapping = {
        body,
        college,
        $or: [{ endsAt: null }, { endsAt: { $gt: startsAt } }],
        ...(input.endsAt ? { startsAt: { $lt: input.endsAt } } : {}),
      };
      if ((await tx.count(BoardMandate, overlapping)) >= seats) {
        throw new ConflictError(`${college.name} holds ${seats} seat(s) on this board, all taken for that period.`);
      }
      if (await tx.count(BoardMandate, { ...overlapping, holder: account })) {
        throw new ConflictError(`${account.displayName} already holds a seat of ${college.name} for part of that period.`);
      }
      const roleAssignment = tx.create(RoleAssignment, {
        account,
        role: Role.BOARD_MEMBER,
        cluster: body.cluster,
        college: null,
        validFrom: startsAt,
        validTo: input.endsAt ?? null,
        grantedBy: this.actor.accountId ? tx.getReference(Account, this.actor.accountId) : null,
      });
      const mandate = tx.create(BoardMandate, { body, college, holder: account, startsAt, endsAt: input.endsAt ?? null, roleAssignment });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'board.appoint',
        entityType: 'BoardMandate',
        entityId: mandate.id,
        after: auditSnapshot(mandate),
      });
      return mandate;
    });
  }

  async getMandate(id: string): Promise<BoardMandate> {
    const mandate = await this.em.findOne(BoardMandate, { id }, { populate: ['body'] });
    if (!mandate) throw new NotFoundError('BoardMandate', id);
    return mandate;
  }

  /** Ends a board mandate now; the BOARD_MEMBER right ends with it. */
  async endMandate(mandateId: string, reason?: string): Promise<BoardMandate> {
    return this.em.transactional(async (tx) => {
      const mandate = await tx.findOne(BoardMandate, { id: mandateId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!mandate) throw new NotFoundError('BoardMandate', mandateId);
      const before = auditSnapshot(mandate);
      await endMandateNow(tx, mandate, this.clock(), reason);
      await this.audit.record(tx, this.actor, {
        action: 'board.end',
        entityType: 'BoardMandate',
        entityId: mandate.id,
        before,
        after: auditSnapshot(mandate),
      });
      return mandate;
    });
  }

  /** Designates (or replaces) the delegate of a member organisation in the cluster's general assembly. */
  async designateDelegate(input: DesignateDelegateInput): Promise<AssemblyDelegate> {
    return this.em.transactional(async (tx) => {
      const body = await tx.findOne(
        VotingBody,
        { cluster: input.clusterId, kind: BodyKind.GENERAL_ASSEMBLY },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!body) throw new NotFoundError('General assembly of cluster', input.clusterId);
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      const member = await tx.count(Membership, {
        organisation,
        college: { cluster: input.clusterId },
        status: { $in: [...CURRENT_STATUSES] },
      });
      if (!member) throw new ConflictError(`${organisation.name} is not a member of this cluster.`);
      const account = await tx.findOne(Account, { id: input.accountId });
      if (!account) throw new NotFoundError('Account', input.accountId);
      // One account casts one ballot per vote: it cannot speak for two organisations.
      const elsewhere = await tx.findOne(
        AssemblyDelegate,
        { body, delegate: account, replacedAt: null, organisation: { $ne: organisation.id } },
        { populate: ['organisation'] },
      );
      if (elsewhere)
        throw new ConflictError(
          `${account.displayName} is already the delegate of ${elsewhere.organisation.name}: one delegate votes for one organisation.`,
        );
      const current = await tx.findOne(AssemblyDelegate, { body, organisation, replacedAt: null });
      if (current) {
        current.replacedAt = this.clock();
        await tx.flush();
      }
      const delegate = tx.create(AssemblyDelegate, { body, organisation, delegate: account });
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'assembly.delegate',
        entityType: 'AssemblyDelegate',
        entityId: delegate.id,
        after: auditSnapshot(delegate),
      });
      return delegate;
    });
  }
}
