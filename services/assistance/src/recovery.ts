import { CLAIM_LEASE_MS, type VersionedWrites } from '@shouwang/kit';
import { SYSTEM, type AssistanceDeps } from './assistance-deps';
import { CatalogueStore } from './catalogue/catalogue-store';
import { PlanStore } from './plans/plan-store';
import { PointsStore } from './points/points-store';
import { syncTasks } from './tasks/task-sync';
import { TaskStore } from './tasks/task-store';

/**
 * At start, finishes what a crash interrupted: releases the events of moves that were written but not
 * released (VersionedWrites.recover), and makes the tasks of plans whose change was recorded but not
 * followed by their tasks follow them. Returns how many of each.
 */
export async function recoverAssistance(deps: AssistanceDeps): Promise<{ released: number; plansSynced: number }> {
  const released = await releaseInterrupted(deps.writes, deps);
  let plansSynced = 0;
  for (const { intentId, planId } of await deps.plans.unfinished(CLAIM_LEASE_MS)) {
    const plan = await deps.plans.get(planId);
    if (plan) {
      await syncTasks(deps, plan, SYSTEM);
      plansSynced++;
    }
    await deps.plans.done(intentId);
  }
  return { released, plansSynced };
}

function releaseInterrupted(writes: VersionedWrites, deps: AssistanceDeps): Promise<number> {
  return writes.recoverByType({
    [PlanStore.aggregate('')]: async (id) => (await deps.plans.get(id))?.version ?? null,
    [TaskStore.aggregate('')]: async (id) => (await deps.tasks.get(id))?.version ?? null,
    [CatalogueStore.aggregate('')]: async (id) => (await deps.measures.get(id))?.version ?? null,
    [PointsStore.aggregate('')]: async (id) => (await deps.points.get(id))?.version ?? null,
  });
}
