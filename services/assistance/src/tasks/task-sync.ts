import { assistanceEvents } from '@shouwang/contracts';
import { outboxEntry } from '@shouwang/kit';
import { taskIsOpen } from '@shouwang/domain';
import type { Actor, AssistanceDeps } from '../assistance-deps';
import { busy } from '../errors';
import type { PlanDoc } from '../plans/plan-store';
import { reconcileTasks } from './task-plan';
import type { TaskDoc } from './task-store';
import { taskToWire } from './task-wire';

type SyncDeps = Pick<AssistanceDeps, 'tasks' | 'audit' | 'clock' | 'taskDueDays' | 'onEventsWritten'>;

/** The audit view of a task. */
export function taskAuditView(t: TaskDoc) {
  return {
    householdId: t.householdId,
    measureCode: t.measureCode,
    department: t.department,
    state: t.state,
    startsOn: t.startsOn,
    dueOn: t.dueOn,
    deliveries: t.deliveries.length,
    declineReason: t.declineReason || null,
    closedReason: t.closedReason || null,
    version: t.version,
  };
}

/**
 * Makes the tasks follow the plan (task-plan.ts): opens the missing ones and closes those still to be
 * worked whose measure left the plan or whose plan closed. Idempotent: run after every plan change
 * and again for any change a crash interrupted.
 */
export async function syncTasks(
  deps: SyncDeps,
  plan: PlanDoc,
  actor: Actor,
): Promise<{ opened: number; closed: number }> {
  const now = deps.clock.now();
  const { create, close } = reconcileTasks(plan, await deps.tasks.ofHousehold(plan._id), {
    defaultDueDays: deps.taskDueDays,
    now,
  });
  const today = deps.clock.today();
  let opened = 0;
  for (const task of create) {
    const event = outboxEntry(
      assistanceEvents.taskOpened,
      task.householdId,
      { task: taskToWire(task, today), actorUsername: actor.username, at: now.toISOString() },
      'assistance',
    );
    if (!(await deps.tasks.insert(task, [event]))) continue;
    opened++;
    await deps.audit.append({
      aggregateType: 'task',
      aggregateId: task._id,
      actor: actor.audit,
      action: 'task.opened',
      areaCode: task.areaCode,
      after: taskAuditView(task),
    });
  }
  let closed = 0;
  for (const { task, reason } of close) if (await closeTask(deps, task._id, reason, actor)) closed++;
  if (opened + closed) deps.onEventsWritten();
  return { opened, closed };
}

/** Closes a task still to be worked; false when it is not (any more). Retries when it moves meanwhile. */
export async function closeTask(deps: SyncDeps, id: string, reason: string, actor: Actor): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await deps.tasks.get(id);
    if (!before || !taskIsOpen(before.state)) return false;
    const now = deps.clock.now();
    const today = deps.clock.today();
    const after = await deps.tasks.move(
      id,
      before.version,
      { state: 'closed', closedReason: reason, actedBy: actor.username },
      (t) => [
        outboxEntry(
          assistanceEvents.taskClosed,
          t.householdId,
          { task: taskToWire(t, today), actorUsername: actor.username, at: now.toISOString() },
          'assistance',
        ),
      ],
      now,
    );
    if (!after) continue;
    await deps.audit.append({
      aggregateType: 'task',
      aggregateId: id,
      actor: actor.audit,
      action: 'task.closed',
      areaCode: after.areaCode,
      before: taskAuditView(before),
      after: taskAuditView(after),
    });
    return true;
  }
  throw busy();
}
