import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainService, type ServiceScope } from '../auth/domain-service.js';
import { Action, clusterScope, GLOBAL, withinCluster } from '../auth/permissions.js';
import { ClusterStatus } from '../membership/cluster.entity.js';
import { BadUserInputError, NotFoundError, type FieldProblem } from '../shared/errors.js';
import { loadChildren } from '../shared/loaders.js';
import { GovernanceReason, refuse } from './governance.reasons.js';
import type { SetBodyStatutesInput } from './statutes.inputs.js';
import { BodyStatutes } from './statutes.entity.js';
import { VotingBody } from './voting-body.entity.js';

const BASIS_POINTS = { min: 0, max: 10_000 };

/** Every problem of a statutes input, each on its field (INVALID_INPUT names them all at once). */
function statutesProblems(input: SetBodyStatutesInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const check = (field: string, value: number | null | undefined, min: number, max: number) => {
    if (value == null) return;
    if (!Number.isInteger(value) || value < min || value > max)
      problems.push({ field, messages: [`must be a whole number from ${min} to ${max}`] });
  };
  check('input.noticeDays', input.noticeDays, 0, 366);
  check('input.quorumFirstBasisPoints', input.quorumFirstBasisPoints, BASIS_POINTS.min, BASIS_POINTS.max);
  check('input.quorumSecondBasisPoints', input.quorumSecondBasisPoints, BASIS_POINTS.min, BASIS_POINTS.max);
  check('input.pouvoirsPerHolder', input.pouvoirsPerHolder, 0, 1000);
  if (input.quorumSecondBasisPoints != null && input.quorumSecondBasisPoints > input.quorumFirstBasisPoints) {
    problems.push({
      field: 'input.quorumSecondBasisPoints',
      messages: ['must not exceed the first convocation’s quorum: a second convocation is held because the first one was not met'],
    });
  }
  if (!input.dissolution) {
    problems.push({ field: 'input.dissolution', messages: ['is required: the body, quorum and majority that decide a dissolution'] });
  } else {
    check('input.dissolution.quorumBasisPoints', input.dissolution.quorumBasisPoints, BASIS_POINTS.min, BASIS_POINTS.max);
  }
  if (input.note != null && input.note.length > 500) problems.push({ field: 'input.note', messages: ['must be at most 500 characters'] });
  return problems;
}

/**
 * The statutory meeting rules of a body, versioned: setting them adds a version (the highest is
 * in force), never changes one; a meeting keeps the version it was convened under.
 */
export class StatutesService extends DomainService {
  constructor(scope: ServiceScope) {
    super(scope);
  }

  /** Adds a version of a body's statutes: the cluster's administrators (or ADMIN); the cluster must be ACTIVE. */
  async set(input: SetBodyStatutesInput): Promise<BodyStatutes> {
    return this.em.transactional(async (tx) => {
      // The body locked: two versions set at once get 1 and 2, not 1 twice.
      const body = await tx.findOne(VotingBody, { id: input.bodyId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (body) await tx.populate(body, ['cluster']);
      // An unknown body: NOT_FOUND for a platform administrator, FORBIDDEN for anyone else.
      this.authorize(Action.SetBodyStatutes, body ? clusterScope(body.cluster.id, body.cluster.name) : GLOBAL);
      if (!body) throw new NotFoundError('VotingBody', input.bodyId);
      if (body.cluster.status !== ClusterStatus.ACTIVE) {
        throw refuse(
          GovernanceReason.VOTING_CLUSTER_NOT_ACTIVE,
          `${body.cluster.name} is ${body.cluster.status}: the rules of its bodies can no longer change.`,
        );
      }
      const problems = statutesProblems(input);
      if (input.dissolution && input.dissolution.body !== body.kind) {
        const named = await tx.count(VotingBody, { cluster: body.cluster, kind: input.dissolution.body });
        if (!named)
          problems.push({ field: 'input.dissolution.body', messages: [`this cluster has no ${input.dissolution.body} configured`] });
      }
      if (problems.length) throw BadUserInputError.of(problems);
      const dissolution = input.dissolution!;
      const last = await this.latest(tx, body.id);
      const statutes = tx.create(BodyStatutes, {
        body,
        version: (last?.version ?? 0) + 1,
        noticeDays: input.noticeDays,
        quorumFirstBasisPoints: input.quorumFirstBasisPoints,
        quorumSecondBasisPoints: input.quorumSecondBasisPoints ?? null,
        quorumBasis: input.quorumBasis,
        remoteCountsAsPresent: input.remoteCountsAsPresent,
        pouvoirsPerHolder: input.pouvoirsPerHolder,
        dissolutionBody: dissolution.body,
        dissolutionQuorumBasisPoints: dissolution.quorumBasisPoints,
        dissolutionMajority: dissolution.majority,
        note: input.note?.trim() || null,
        createdBy: this.actorAccount(tx),
      });
      await tx.flush();
      await this.recordChange(tx, 'statutes.set', statutes, null, { bodyId: body.id, version: statutes.version });
      return statutes;
    });
  }

  /** The version in force of a body's statutes (the highest), or null; `em` may be a transaction. */
  latest(em: EntityManager, bodyId: string): Promise<BodyStatutes | null> {
    return em.findOne(BodyStatutes, { body: bodyId }, { orderBy: { version: 'desc' } });
  }

  /** The version in force, for the cluster's people (ReadMeetings); batched over a list of bodies. */
  async inForce(body: VotingBody): Promise<BodyStatutes | null> {
    const versions = await this.history(body);
    return versions.at(-1) ?? null;
  }

  /** Every version, oldest first, for the cluster's people (ReadMeetings); batched over a list of bodies. */
  async history(body: VotingBody): Promise<BodyStatutes[]> {
    this.authorize(Action.ReadMeetings, withinCluster(body.cluster.id, body.cluster.name));
    return loadChildren(this.em, BodyStatutes, 'body', body.id, { version: 'asc' });
  }
}
