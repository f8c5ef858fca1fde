import type { FusionInstants } from '../auth/fusion-steps.js';
import { Cluster, ClusterStatus } from '../membership/cluster.entity.js';
import type { College } from '../membership/college.entity.js';
import type { CollegeMap } from '../membership/fusion-steps.js';
import { PendingApplications, type FusionPlan } from '../governance/proposal.entity.js';
import { FusionReason, refuse } from './fusion.reasons.js';

/**
 * What a stored fusion plan means on the day it is executed (or previewed): the date it takes
 * effect (and whether that is forced early), when mandates end, that its clusters are still ACTIVE, and where each collège of the absorbed clusters —
 * and its pending applications — go. Shared by the execution and the read-only preview, so both
 * decide alike.
 */

/**
 * Before the plan's effective date: today, the day the fusion takes effect if executed now —
 * which only a platform administrator may force, with a reason. Null on or after the plan's date.
 */
export function earlyEffectiveDate(plan: FusionPlan, today: string): string | null {
  return plan.effectiveDate > today ? today : null;
}

/** The day the fusion takes effect when executed today: the plan's date, or today when forced before it. */
export function takesEffectOn(plan: FusionPlan, today: string): string {
  return earlyEffectiveDate(plan, today) ?? plan.effectiveDate;
}

/**
 * When the fusion ends the absorbed clusters' mandates and rights, executed at `now`: it takes
 * effect at the start of the plan's effective day (UTC) when executed on or after it, at `now`
 * when forced before it. Each mandate's end follows from these (auth's `fusionEndOf`).
 */
export function fusionInstants(plan: FusionPlan, now: Date): FusionInstants {
  const start = new Date(`${plan.effectiveDate}T00:00:00Z`);
  return { now, takesEffectAt: start > now ? now : start };
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
