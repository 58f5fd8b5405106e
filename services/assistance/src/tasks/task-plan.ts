/**
 * Which tasks a plan calls for (pure): one per active measure and responsible department, starting
 * with the measure, due `dueDays` (the measure's, else the service default) after it starts. Tasks of
 * measures that left the plan, or of a closed plan, close if still to be worked; delivered and
 * declined ones stay as they are (their history is kept).
 */
import { createHash } from 'node:crypto';
import { taskIsOpen } from '@shouwang/domain';
import type { PlanDoc } from '../plans/plan-store';
import type { TaskDoc } from './task-store';

/** Stable id of the task of a measure that became active at plan version `since`, for one department. */
export function taskId(householdId: string, code: string, since: number, department: string): string {
  const h = createHash('sha256').update(`task:${householdId}:${code}:${since}:${department}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** YYYY-MM-DD plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) throw new RangeError(`not a date: ${date}`);
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

export interface TaskReconciliation {
  create: TaskDoc[];
  close: { task: TaskDoc; reason: string }[];
}

/** Why an open task of a measure no longer in the plan closes. */
export const CAUSES_CHANGED = '致贫原因变化，计划调整 (causes changed)';

export function reconcileTasks(
  plan: PlanDoc,
  existing: readonly TaskDoc[],
  opts: { defaultDueDays: number; now: Date },
): TaskReconciliation {
  const wanted = new Map<string, TaskDoc>();
  if (plan.status === 'active')
    for (const m of plan.measures) {
      if (m.status !== 'active') continue;
      for (const department of m.departments) {
        const id = taskId(plan._id, m.code, m.since, department);
        wanted.set(id, {
          _id: id,
          householdId: plan._id,
          areaCode: plan.areaCode,
          headName: plan.headName,
          measureCode: m.code,
          department,
          state: 'open',
          since: m.since,
          startsOn: m.startsOn,
          dueOn: addDays(m.startsOn, m.dueDays ?? opts.defaultDueDays),
          amountLimitYuan: m.amountLimitYuan,
          deliveries: [],
          declineReason: '',
          closedReason: '',
          actedBy: '',
          createdAt: opts.now.toISOString(),
          updatedAt: opts.now.toISOString(),
          version: 1,
        });
      }
    }
  const have = new Set(existing.map((t) => t._id));
  const reasonFor = (t: TaskDoc) => {
    if (plan.status === 'closed') return plan.closedReason;
    const m = plan.measures.find((x) => x.code === t.measureCode);
    return m?.status === 'dropped' && m.dropReason ? m.dropReason : CAUSES_CHANGED;
  };
  return {
    create: [...wanted.values()].filter((t) => !have.has(t._id)),
    close: existing
      .filter((t) => taskIsOpen(t.state) && !wanted.has(t._id))
      .map((t) => ({ task: t, reason: reasonFor(t) })),
  };
}
