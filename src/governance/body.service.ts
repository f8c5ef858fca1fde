import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { checkAccountChoice, findChosenAccount } from '../auth/account-lookup.js';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { endMandateNow } from '../auth/mandate.js';
import { Action, clusterScope, organisationScope, withinCluster } from '../auth/permissions.js';
import { RoleAssignment } from '../auth/role-assignment.entity.js';
import { Role } from '../auth/role.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { CURRENT_STATUSES, Membership } from '../membership/membership.entity.js';
import { Organisation } from '../membership/organisation.entity.js';
import { BadUserInputError, NotFoundError } from '../shared/errors.js';
import { loadChildren } from '../shared/loaders.js';
import type { AppointBoardMemberInput, ConfigureVotingBodyInput, DesignateDelegateInput } from './governance.inputs.js';
import { GovernanceReason, refuse } from './governance.reasons.js';
import { AssemblyDelegate, BodyKind, BoardMandate, VotingBody } from './voting-body.entity.js';
import { votingRulesProblems } from './voting-rules.js';

/**
 * Voting bodies, board seats and mandates, general-assembly delegates. Each change loads (and
 * locks) the body or mandate, then authorizes on the cluster (or organisation) it loaded.
 */
export class BodyService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** A cluster's board or general assembly, or null: public. */
  find(clusterId: string, kind: BodyKind): Promise<VotingBody | null> {
    return this.em.findOne(VotingBody, { cluster: clusterId, kind }, { populate: ['cluster'] });
  }

  /** A board's seat holders' mandates, current and past, newest first: the cluster's people (ReadProposals) and ADMIN. */
  mandatesOf(body: VotingBody): Promise<BoardMandate[]> {
    this.authorize(Action.ReadProposals, withinCluster(body.cluster.id, body.cluster.name));
    return loadChildren(this.em, BoardMandate, 'body', body.id, { startsAt: 'desc', id: 'asc' });
  }

  /** Creates a cluster's body, or replaces its rules and seats: the cluster's administrators (or ADMIN). */
  async configure(input: ConfigureVotingBodyInput): Promise<VotingBody> {
    return this.em.transactional(async (tx) => {
      const cluster = await tx.findOne(Cluster, { id: input.clusterId });
      this.authorize(Action.ConfigureVotingBody, clusterScope(input.clusterId, cluster?.name));
      if (!cluster) throw new NotFoundError('Cluster', input.clusterId);
      if (cluster.status !== ClusterStatus.ACTIVE)
        throw refuse(GovernanceReason.VOTING_CLUSTER_NOT_ACTIVE, `${cluster.name} is ${cluster.status}: its bodies can no longer change.`);
      const collegeIds = (await tx.find(College, { cluster }, { fields: ['id'] })).map((c) => c.id);
      const problems = votingRulesProblems(input.rules, collegeIds, 'input.rules');
      (input.seats ?? []).forEach((seat, i) => {
        if (!collegeIds.includes(seat.collegeId))
          problems.push({ field: `input.seats.${i}.collegeId`, messages: ['is not a collège of this cluster'] });
      });
      if (input.kind === BodyKind.GENERAL_ASSEMBLY && input.seats?.length) {
        problems.push({ field: 'input.seats', messages: ['a general assembly has no seats: every member organisation votes'] });
      }
      if (problems.length) throw BadUserInputError.of(problems);
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
      await this.recordChange(tx, 'voting-body.configure', body, before);
      return body;
    });
  }

  /**
   * A board seat holder's mandate (the cluster's administrators, or ADMIN); the BOARD_MEMBER right
   * follows it exactly. Seats per collège are respected. The holder is named by account id or
   * sign-in email, looked up once the caller is authorized.
   */
  async appoint(input: AppointBoardMemberInput): Promise<BoardMandate> {
    checkAccountChoice(input);
    const startsAt = input.startsAt ?? this.clock();
    if (input.endsAt && input.endsAt <= startsAt) throw BadUserInputError.field('input.endsAt', 'must be after startsAt');
    return this.em.transactional(async (tx) => {
      const body = await this.lockedBody(tx, input.clusterId, BodyKind.BOARD);
      this.authorize(Action.ManageBoard, clusterScope(body.cluster.id, body.cluster.name));
      const college = await tx.findOne(College, { id: input.collegeId, cluster: input.clusterId });
      if (!college) throw new NotFoundError('College', input.collegeId);
      const account = await findChosenAccount(tx, input);
      const seats = body.seats.find((s) => s.collegeId === college.id)?.seats ?? 0;
      const overlapping = {
        body,
        college,
        $or: [{ endsAt: null }, { endsAt: { $gt: startsAt } }],
        ...(input.endsAt ? { startsAt: { $lt: input.endsAt } } : {}),
      };
      if ((await tx.count(BoardMandate, overlapping)) >= seats) {
        throw refuse(
          GovernanceReason.BOARD_SEATS_TAKEN,
          `${college.name} holds ${seats} seat(s) on this board, all taken for that period.`,
        );
      }
      if (await tx.count(BoardMandate, { ...overlapping, holder: account })) {
        throw refuse(
          GovernanceReason.BOARD_SEAT_ALREADY_HELD,
          `${account.displayName} already holds a seat of ${college.name} for part of that period.`,
        );
      }
      const roleAssignment = tx.create(RoleAssignment, {
        account,
        role: Role.BOARD_MEMBER,
        cluster: body.cluster,
        college: null,
        validFrom: startsAt,
        validTo: input.endsAt ?? null,
        grantedBy: this.actorAccount(tx),
      });
      const mandate = tx.create(BoardMandate, { body, college, holder: account, startsAt, endsAt: input.endsAt ?? null, roleAssignment });
      await tx.flush();
      await this.recordChange(tx, 'board.appoint', mandate);
      return mandate;
    });
  }

  /** Ends a board mandate now (the cluster's administrators, or ADMIN); the BOARD_MEMBER right ends with it. */
  async endMandate(mandateId: string, reason?: string): Promise<BoardMandate> {
    return this.em.transactional(async (tx) => {
      const mandate = await tx.findOne(BoardMandate, { id: mandateId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!mandate) throw new NotFoundError('BoardMandate', mandateId);
      const body = await tx.findOneOrFail(VotingBody, { id: mandate.body.id }, { populate: ['cluster'] });
      this.authorize(Action.ManageBoard, clusterScope(body.cluster.id, body.cluster.name));
      const before = auditSnapshot(mandate);
      await endMandateNow(tx, mandate, this.clock(), reason);
      await this.recordChange(tx, 'board.end', mandate, before);
      return mandate;
    });
  }

  /**
   * Designates (or replaces) the delegate of a member organisation in the cluster's general
   * assembly: the organisation's contacts, the cluster's administrators, or ADMIN.
   */
  async designateDelegate(input: DesignateDelegateInput): Promise<AssemblyDelegate> {
    return this.em.transactional(async (tx) => {
      const body = await this.lockedBody(tx, input.clusterId, BodyKind.GENERAL_ASSEMBLY);
      const organisation = await tx.findOne(Organisation, { id: input.organisationId });
      this.authorize(
        Action.DesignateDelegate,
        organisationScope(input.organisationId, organisation?.name),
        clusterScope(body.cluster.id, body.cluster.name),
      );
      if (!organisation) throw new NotFoundError('Organisation', input.organisationId);
      const member = await tx.count(Membership, {
        organisation,
        college: { cluster: input.clusterId },
        status: { $in: [...CURRENT_STATUSES] },
      });
      if (!member) throw refuse(GovernanceReason.DELEGATE_ORGANISATION_NOT_MEMBER, `${organisation.name} is not a member of this cluster.`);
      const account = await tx.findOne(Account, { id: input.accountId });
      if (!account) throw new NotFoundError('Account', input.accountId);
      // One account casts one ballot per vote: it cannot speak for two organisations.
      const elsewhere = await tx.findOne(
        AssemblyDelegate,
        { body, delegate: account, replacedAt: null, organisation: { $ne: organisation.id } },
        { populate: ['organisation'] },
      );
      if (elsewhere)
        throw refuse(
          GovernanceReason.DELEGATE_SPEAKS_FOR_ANOTHER,
          `${account.displayName} is already the delegate of ${elsewhere.organisation.name}: one delegate votes for one organisation.`,
        );
      const current = await tx.findOne(AssemblyDelegate, { body, organisation, replacedAt: null });
      if (current) {
        current.replacedAt = this.clock();
        await tx.flush();
      }
      const delegate = tx.create(AssemblyDelegate, { body, organisation, delegate: account });
      await tx.flush();
      await this.recordChange(tx, 'assembly.delegate', delegate);
      return delegate;
    });
  }

  /** A cluster's body of `kind`, locked, with its cluster (for the refusal's words). */
  private async lockedBody(tx: EntityManager, clusterId: string, kind: BodyKind): Promise<VotingBody> {
    const body = await tx.findOne(
      VotingBody,
      { cluster: clusterId, kind },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['cluster'] },
    );
    if (!body) throw new NotFoundError(kind === BodyKind.BOARD ? 'Board of cluster' : 'General assembly of cluster', clusterId);
    return body;
  }
}
