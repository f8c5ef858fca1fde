import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditSnapshot } from '../audit/audit.service.js';
import { Account } from '../auth/account.entity.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { CURRENT_STATUSES, Membership } from '../membership/membership.entity.js';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '../shared/errors.js';
import type { CancelProposalInput, CreateProposalInput, FusionPlanInput, OpenVotingInput } from './governance.inputs.js';
import {
  Elector,
  PartyVoteState,
  PendingApplications,
  Proposal,
  ProposalKind,
  ProposalParty,
  ProposalState,
  type FusionPlan,
} from './proposal.entity.js';
import { AssemblyDelegate, BodyKind, BoardMandate, VotingBody } from './voting-body.entity.js';

const YEAR_MS = 366 * 86_400_000;

/** Proposals: drafting, the fusion plan's validation, opening the vote (electorate snapshot), cancelling. */
export class ProposalService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  async getProposal(id: string, em: EntityManager = this.em): Promise<Proposal> {
    const proposal = await em.findOne(Proposal, { id });
    if (!proposal) throw new NotFoundError('Proposal', id);
    return proposal;
  }

  async parties(proposalId: string, em: EntityManager = this.em): Promise<ProposalParty[]> {
    return em.find(ProposalParty, { proposal: proposalId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** The party clusters a creation would have: what authorization checks before anything is written. */
  partyClusterIds(input: CreateProposalInput): string[] {
    if (input.kind === ProposalKind.FUSION) {
      if (!input.plan) throw BadUserInputError.field('input.plan', 'is required for a FUSION');
      return [input.plan.absorbingClusterId, ...input.plan.absorbed.map((a) => a.clusterId)];
    }
    const ids = input.partyClusterIds ?? [];
    if (input.kind === ProposalKind.PARTNERSHIP && new Set(ids).size < 2) {
      throw BadUserInputError.field('input.partyClusterIds', 'a partnership has at least two different parties');
    }
    if (!ids.length) throw BadUserInputError.field('input.partyClusterIds', 'name at least one cluster');
    return [...new Set(ids)];
  }

  async create(input: CreateProposalInput): Promise<Proposal> {
    if (input.kind !== ProposalKind.FUSION && input.plan) throw BadUserInputError.field('input.plan', 'only a FUSION carries a plan');
    if (input.kind !== ProposalKind.PARTNERSHIP && input.partnershipAxes?.length) {
      throw BadUserInputError.field('input.partnershipAxes', 'only a PARTNERSHIP has axes');
    }
    if (input.kind === ProposalKind.PARTNERSHIP && !input.partnershipAxes?.length) {
      throw BadUserInputError.field('input.partnershipAxes', 'name the axes of the convention');
    }
    const partyIds = this.partyClusterIds(input);
    if (!this.actor.accountId) throw new ConflictError('A proposal needs an author account.');
    const bodyKind = input.bodyKind ?? BodyKind.BOARD;
    return this.em.transactional(async (tx) => {
      const plan = input.plan ? await this.validatePlan(tx, input.plan) : null;
      const clusters = await tx.find(Cluster, { id: { $in: partyIds } });
      for (const id of partyIds) {
        const cluster = clusters.find((c) => c.id === id);
        if (!cluster) throw new NotFoundError('Cluster', id);
        if (cluster.status !== ClusterStatus.ACTIVE)
          throw BadUserInputError.field('input.partyClusterIds', `${cluster.name} is ${cluster.status}`);
      }
      const bodies = await tx.find(VotingBody, { cluster: { $in: partyIds }, kind: bodyKind });
      const proposal = tx.create(Proposal, {
        kind: input.kind,
        title: input.title.trim(),
        text: input.text,
        author: tx.getReference(Account, this.actor.accountId!),
        plan,
        partnershipAxes: (input.partnershipAxes ?? []).map((a) => a.trim()),
      });
      for (const id of partyIds) {
        const body = bodies.find((b) => b.cluster.id === id);
        if (!body)
          throw new ConflictError(`${clusters.find((c) => c.id === id)!.name} has no ${bodyKind} configured (configureVotingBody).`);
        tx.create(ProposalParty, { proposal, cluster: tx.getReference(Cluster, id), body });
      }
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'proposal.create',
        entityType: 'Proposal',
        entityId: proposal.id,
        after: { ...auditSnapshot(proposal), parties: partyIds, bodyKind },
      });
      return proposal;
    });
  }

  /**
   * A fusion plan: the clusters exist and are ACTIVE, none appears twice or absorbs itself, every
   * target collège belongs to the absorbing cluster, every moved collège to its absorbed cluster,
   * and each absorbed cluster's every collège has somewhere to go.
   */
  private async validatePlan(tx: EntityManager, plan: FusionPlanInput): Promise<FusionPlan> {
    const ids = [plan.absorbingClusterId, ...plan.absorbed.map((a) => a.clusterId)];
    const clusters = await tx.find(Cluster, { id: { $in: ids } });
    const colleges = await tx.find(College, { cluster: { $in: ids } });
    const problems: FieldProblem[] = [];
    const add = (field: string, message: string) => problems.push({ field: `input.plan.${field}`, messages: [message] });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(plan.effectiveDate) || Number.isNaN(Date.parse(`${plan.effectiveDate}T00:00:00Z`))) {
      add('effectiveDate', 'must be a date, YYYY-MM-DD');
    }
    const check = (id: string, field: string) => {
      const cluster = clusters.find((c) => c.id === id);
      if (!cluster) throw new NotFoundError('Cluster', id);
      if (cluster.status !== ClusterStatus.ACTIVE) add(field, `${cluster.name} is ${cluster.status}`);
    };
    check(plan.absorbingClusterId, 'absorbingClusterId');
    const seen = new Set<string>();
    plan.absorbed.forEach((absorbed, i) => {
      check(absorbed.clusterId, `absorbed.${i}.clusterId`);
      if (absorbed.clusterId === plan.absorbingClusterId) add(`absorbed.${i}.clusterId`, 'a cluster cannot absorb itself');
      if (seen.has(absorbed.clusterId)) add(`absorbed.${i}.clusterId`, 'appears twice');
      seen.add(absorbed.clusterId);
      const target = (id: string | undefined, field: string) => {
        if (id && colleges.find((c) => c.id === id)?.cluster.id !== plan.absorbingClusterId)
          add(field, 'is not a collège of the absorbing cluster');
      };
      target(absorbed.targetCollegeId, `absorbed.${i}.targetCollegeId`);
      const moved = new Set<string>();
      (absorbed.collegeMoves ?? []).forEach((move, j) => {
        if (colleges.find((c) => c.id === move.fromCollegeId)?.cluster.id !== absorbed.clusterId) {
          add(`absorbed.${i}.collegeMoves.${j}.fromCollegeId`, 'is not a collège of this absorbed cluster');
        }
        if (moved.has(move.fromCollegeId)) add(`absorbed.${i}.collegeMoves.${j}.fromCollegeId`, 'appears twice');
        moved.add(move.fromCollegeId);
        target(move.toCollegeId, `absorbed.${i}.collegeMoves.${j}.toCollegeId`);
      });
      const unmapped = colleges.filter((c) => c.cluster.id === absorbed.clusterId && !moved.has(c.id));
      if (unmapped.length && !absorbed.targetCollegeId) {
        add(`absorbed.${i}.targetCollegeId`, `is required: ${unmapped.map((c) => c.name).join(', ')} would have nowhere to go`);
      }
    });
    if (problems.length)
      throw new BadUserInputError(`Invalid fusion plan: ${problems.map((p) => `${p.field} ${p.messages[0]}`).join('; ')}`, problems);
    return {
      absorbingClusterId: plan.absorbingClusterId,
      effectiveDate: plan.effectiveDate,
      absorbed: plan.absorbed.map((a) => ({
        clusterId: a.clusterId,
        targetCollegeId: a.targetCollegeId ?? null,
        collegeMoves: (a.collegeMoves ?? []).map((m) => ({ fromCollegeId: m.fromCollegeId, toCollegeId: m.toCollegeId })),
        pendingApplications: a.pendingApplications ?? PendingApplications.MOVE,
      })),
    };
  }

  /**
   * Opens the vote of every party until `closesAt`: copies each body's rules and snapshots its
   * electorate (board: seat holders with a mandate in force, with their seat's collège; general
   * assembly: the current delegate of each active member organisation, with its collège).
   * Later changes to mandates or memberships do not change the open vote.
   */
  async open(input: OpenVotingInput): Promise<Proposal> {
    const now = this.clock();
    if (input.closesAt <= now) throw BadUserInputError.field('input.closesAt', 'must be in the future');
    if (input.closesAt.getTime() - now.getTime() > YEAR_MS) throw BadUserInputError.field('input.closesAt', 'must be within a year');
    return this.em.transactional(async (tx) => {
      const proposal = await tx.findOne(Proposal, { id: input.proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!proposal) throw new NotFoundError('Proposal', input.proposalId);
      if (proposal.state !== ProposalState.DRAFT)
        throw new ConflictError(`This proposal is ${proposal.state}: only a DRAFT opens.`, { currentState: proposal.state });
      const parties = await tx.find(ProposalParty, { proposal }, { populate: ['body', 'cluster'] });
      for (const party of parties) {
        if (party.cluster.status !== ClusterStatus.ACTIVE)
          throw new ConflictError(`${party.cluster.name} is ${party.cluster.status}: it can no longer vote.`);
        const electors = await this.electorate(tx, party.body, now);
        if (!electors.length) throw new ConflictError(`The ${party.body.kind} of ${party.cluster.name} has nobody to vote.`);
        for (const elector of electors)
          tx.create(Elector, {
            party,
            voter: tx.getReference(Account, elector.accountId),
            college: elector.collegeId ? tx.getReference(College, elector.collegeId) : null,
            weight: 1,
          });
        party.rules = party.body.rules;
        party.state = PartyVoteState.VOTING;
      }
      const before = auditSnapshot(proposal);
      proposal.state = ProposalState.VOTING;
      proposal.opensAt = now;
      proposal.closesAt = input.closesAt;
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'proposal.open',
        entityType: 'Proposal',
        entityId: proposal.id,
        before,
        after: auditSnapshot(proposal),
      });
      return proposal;
    });
  }

  private async electorate(tx: EntityManager, body: VotingBody, now: Date): Promise<{ accountId: string; collegeId: string | null }[]> {
    const byAccount = new Map<string, string | null>();
    if (body.kind === BodyKind.BOARD) {
      const mandates = await tx.find(
        BoardMandate,
        { body, startsAt: { $lte: now }, $or: [{ endsAt: null }, { endsAt: { $gt: now } }] },
        { orderBy: { startsAt: 'asc', id: 'asc' } },
      );
      for (const m of mandates) if (!byAccount.has(m.holder.id)) byAccount.set(m.holder.id, m.college.id);
    } else {
      const delegates = await tx.find(AssemblyDelegate, { body, replacedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      const memberships = await tx.find(
        Membership,
        {
          organisation: { $in: delegates.map((d) => d.organisation.id) },
          college: { cluster: body.cluster.id },
          status: { $in: [...CURRENT_STATUSES] },
        },
        { orderBy: { startedOn: 'asc', id: 'asc' } },
      );
      for (const d of delegates) {
        const membership = memberships.find((m) => m.organisation.id === d.organisation.id);
        if (membership && !byAccount.has(d.delegate.id)) byAccount.set(d.delegate.id, membership.college.id);
      }
    }
    return [...byAccount].map(([accountId, collegeId]) => ({ accountId, collegeId }));
  }

  async cancel(input: CancelProposalInput): Promise<Proposal> {
    return this.em.transactional(async (tx) => {
      const proposal = await tx.findOne(Proposal, { id: input.proposalId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!proposal) throw new NotFoundError('Proposal', input.proposalId);
      if (proposal.state !== ProposalState.DRAFT && proposal.state !== ProposalState.VOTING) {
        throw new ConflictError(`This proposal is ${proposal.state}: only a DRAFT or an open vote can be cancelled.`, {
          currentState: proposal.state,
        });
      }
      const parties = await tx.find(ProposalParty, { proposal }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (parties.some((p) => p.state === PartyVoteState.CLOSED))
        throw new ConflictError('A party has already closed its vote: it can no longer be cancelled.');
      const before = auditSnapshot(proposal);
      for (const party of parties) party.state = PartyVoteState.CANCELLED;
      proposal.state = ProposalState.CANCELLED;
      proposal.cancelledAt = this.clock();
      proposal.cancelReason = input.reason.trim();
      await tx.flush();
      await this.audit.record(tx, this.actor, {
        action: 'proposal.cancel',
        entityType: 'Proposal',
        entityId: proposal.id,
        before,
        after: auditSnapshot(proposal),
      });
      return proposal;
    });
  }
}
