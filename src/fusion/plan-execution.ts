import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import type { College } from '../membership/college.entity.js';
import type { CollegeMap } from '../membership/fusion-steps.js';
import { PendingApplications, type FusionPlan } from '../governance/proposal.entity.js';
import { FusionReason, refuse } from './fusion.reasons.js';

/**
 * What a stored fusion plan means on the day it is executed (or previewed): the date it takes
 * effect, that its clusters are still ACTIVE, and where each collège of the absorbed clusters —
 * and its pending applications — go. Shared by the execution and the read-only preview, so both
 * decide alike.
 */

/** The day the fusion takes effect: the plan's date, or today when executed (forced) before it. */
export function effectiveDate(plan: FusionPlan, today: string): string {
  return plan.effectiveDate > today ? today : plan.effectiveDate;
}

/** When mandates end: the start of the effective day, or now if that is later (a fusion forced early). */
export function mandatesEndAt(date: string, now: Date): Date {
  const start = new Date(`${date}T00:00:00Z`);
  return start > now ? now : start;
}

/** Refuses a plan naming a cluster that is no longer ACTIVE (merged or dissolved since it was drafted). */
export function requireActiveClusters(clusters: readonly Cluster[]): void {
  for (const cluster of clusters) {
    if (cluster.status !== ClusterStatus.ACTIVE) {
      throw refuse(
        FusionReason.PLAN_CLUSTER_NOT_ACTIVE,
        `The plan names ${cluster.name}, which is ${cluster.status} since it was drafted: it cannot be executed as is.`,
        { clusterId: cluster.id },
      );
    }
  }
}

export interface PlanMoves {
  /** Every collège of the absorbed clusters → its target collège. */
  map: CollegeMap;
  /** The collèges whose pending applications move (with their targets). */
  move: CollegeMap;
  /** The collèges whose pending applications are closed. */
  close: string[];
}

/** Where each collège of the absorbed clusters goes, as the plan says; refuses a collège it gives nowhere to go (created after it). */
export function planMoves(plan: FusionPlan, colleges: readonly College[]): PlanMoves {
  const moves: PlanMoves = { map: { from: [], to: [] }, move: { from: [], to: [] }, close: [] };
  for (const absorbed of plan.absorbed) {
    for (const college of colleges.filter((c) => c.cluster.id === absorbed.clusterId)) {
      const target = absorbed.collegeMoves.find((m) => m.fromCollegeId === college.id)?.toCollegeId ?? absorbed.targetCollegeId;
      if (!target) {
        throw refuse(FusionReason.PLAN_COLLEGE_UNMAPPED, `The plan gives ${college.name} nowhere to go (it was created after the plan).`, {
          collegeId: college.id,
        });
      }
      moves.map.from.push(college.id);
      moves.map.to.push(target);
      if (absorbed.pendingApplications === PendingApplications.MOVE) {
        moves.move.from.push(college.id);
        moves.move.to.push(target);
      } else moves.close.push(college.id);
    }
  }
  return moves;
}
