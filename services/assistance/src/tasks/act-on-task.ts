import { assistanceEvents, type assistanceV1 } from '@shouwang/contracts';
import {
  AppError,
  outboxEntry,
  requireInScope,
  requirePermission,
  type FieldIssue,
  type Identity,
} from '@shouwang/kit';
import { isValidDate, nextTaskState, TASK_ACTIONS, taskActions, type TaskAction } from '@shouwang/domain';
import { actorOf, type AssistanceDeps } from '../assistance-deps';
import { conflict, invalid, notFound, textIssue, throwIssues, versionConflict, versionRequired } from '../errors';
import { amountProblem } from '../plans/plan-measures';
import { taskAuditView } from './task-sync';
import type { DeliveryDoc, TaskChange, TaskDoc } from './task-store';
import { deliveryToWire, taskToWire } from './task-wire';

const TASK_ID = /^[\w-]{1,64}$/;

const EVENT_OF = {
  accept: assistanceEvents.taskAccepted,
  deliver: assistanceEvents.taskDelivered,
  decline: assistanceEvents.taskDeclined,
} as const;

function wrongDepartment(department: string): AppError {
  return new AppError('permission_denied', `this task is for the ${department.replace(/_/g, ' ')} department`, {
    code: 'wrong_department',
    messageZh: '该任务不属于您所在的部门',
    details: { department },
  });
}

/**
 * A department officer's step on a task of their own department inside their area: accept, deliver
 * (date not in the future nor before the task starts, amount within the measure's limit; a delivered
 * task may be delivered again, in instalments) or decline with a reason. 404 outside the area, 403
 * for another department, 428 without the version read, 412 when it moved, 409 when the state does
 * not allow the action.
 */
export async function actOnTask(
  deps: AssistanceDeps,
  who: Identity,
  req: assistanceV1.ActOnTaskRequest,
): Promise<TaskDoc> {
  if (!(TASK_ACTIONS as readonly string[]).includes(req.action))
    throw invalid('action', 'invalid_enum', `must be one of ${TASK_ACTIONS.join(', ')}`, '操作不在允许范围内');
  const action = req.action as TaskAction;
  requirePermission(who, 'assistance.tasks.work');
  const before = TASK_ID.test(req.id) ? await deps.tasks.get(req.id) : null;
  if (!before) throw notFound('task');
  requireInScope(who, before.areaCode, 'task');
  if (who.department !== before.department) throw wrongDepartment(before.department);
  if (!req.expectedVersion) throw versionRequired();
  if (before.version !== req.expectedVersion) throw versionConflict(before.version);
  const to = nextTaskState(before.state, action);
  if (!to) {
    const allowed = taskActions(before.state);
    throw conflict(
      'illegal_transition',
      `${action} is not allowed while the task is ${before.state}; allowed: ${allowed.join(', ') || 'none'}`,
      `任务当前状态（${before.state}）不允许此操作`,
      { state: before.state, allowedActions: allowed.join(',') },
    );
  }

  const now = deps.clock.now();
  const today = deps.clock.today();
  const change: TaskChange = { state: to, actedBy: who.username };
  let delivery: DeliveryDoc | undefined;
  const issues: (FieldIssue | undefined)[] = [textIssue('note', req.note)];
  if (action === 'decline') {
    issues.push(textIssue('reason', req.reason, '拒绝的理由'));
    change.declineReason = req.reason.trim();
  }
  if (action === 'deliver') {
    if (!req.deliveredOn)
      issues.push({
        field: 'deliveredOn',
        code: 'required',
        message: 'deliveredOn is required',
        messageZh: '请填写落实日期',
      });
    else if (!isValidDate(req.deliveredOn))
      issues.push({
        field: 'deliveredOn',
        code: 'invalid_date',
        message: 'must be a YYYY-MM-DD date',
        messageZh: '日期格式应为YYYY-MM-DD',
      });
    else if (req.deliveredOn > today)
      issues.push({
        field: 'deliveredOn',
        code: 'in_future',
        message: 'must not be in the future',
        messageZh: '落实日期不得晚于今天',
      });
    else if (req.deliveredOn < before.startsOn)
      issues.push({
        field: 'deliveredOn',
        code: 'before_start',
        message: `must not be before the task starts (${before.startsOn})`,
        messageZh: `落实日期不得早于任务开始日${before.startsOn}`,
      });
    const problem = req.amountYuan === undefined ? null : amountProblem(req.amountYuan, before.amountLimitYuan);
    if (problem) issues.push({ field: 'amountYuan', ...problem });
    delivery = {
      deliveredOn: req.deliveredOn,
      amountYuan: req.amountYuan ?? null,
      note: req.note.trim(),
      recordedBy: who.username,
      recordedAt: now.toISOString(),
    };
  }
  throwIssues(issues);

  const after = await deps.tasks.move(
    before._id,
    before.version,
    change,
    (t) => [
      outboxEntry(
        EVENT_OF[action],
        t.householdId,
        {
          task: taskToWire(t, today),
          delivery: delivery ? deliveryToWire(delivery) : undefined,
          actorUsername: who.username,
          at: now.toISOString(),
        },
        'assistance',
      ),
    ],
    now,
    delivery,
  );
  if (!after) throw versionConflict((await deps.tasks.get(before._id))?.version ?? before.version);
  deps.onEventsWritten();
  await deps.audit.append({
    aggregateType: 'task',
    aggregateId: after._id,
    actor: actorOf(who).audit,
    action: `task.${action === 'accept' ? 'accepted' : action === 'deliver' ? 'delivered' : 'declined'}`,
    areaCode: after.areaCode,
    before: taskAuditView(before),
    after: { ...taskAuditView(after), ...(delivery ? { delivery } : {}) },
  });
  return after;
}
