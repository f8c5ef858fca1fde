import type { EntityManager } from '@mikro-orm/postgresql';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import { College } from '../membership/college.entity.js';
import { BadUserInputError, NotFoundError, type FieldProblem } from '../shared/errors.js';
import type { FusionPlanInput } from './governance.inputs.js';
import { PendingApplications, type FusionPlan } from './proposal.entity.js';

/**
 * A fusion plan as drafted: the clusters exist and are ACTIVE, none appears twice or absorbs
 * itself, every target collège belongs to the absorbing cluster, every moved collège to its
 * absorbed cluster, and each absorbed cluster's every collège has somewhere to go. Returns the
 * plan as stored on the proposal; refuses with every problem found (BAD_USER_INPUT, by field).
 */
export async function validatedPlan(tx: EntityManager, plan: FusionPlanInput): Promise<FusionPlan> {
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
  if (problems.length) throw BadUserInputError.of(problems);
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

/** The clusters party to a fusion: the absorbing one, then the absorbed ones. */
export function fusionPartyIds(plan: { absorbingClusterId: string; absorbed: readonly { clusterId: string }[] }): string[] {
  return [plan.absorbingClusterId, ...plan.absorbed.map((a) => a.clusterId)];
}
