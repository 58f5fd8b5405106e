import type { assistanceV1 } from '@shouwang/contracts';
import {
  AppError,
  keysetToken,
  pageRequest,
  requireInScope,
  requirePermission,
  type FieldIssue,
  type Identity,
  notOneOf,
} from '@shouwang/kit';
import { areaLevel, DEPARTMENTS, isWithin, TASK_STATES } from '@shouwang/domain';
import type { AssistanceDeps } from '../assistance-deps';
import { notFound } from '../errors';
import type { TaskDoc } from './task-store';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
const ID = /^[\w-]{1,64}$/;

function otherDepartment(): AppError {
  return new AppError('permission_denied', "a department officer sees their own department's tasks only", {
    code: 'wrong_department',
    messageZh: '只能查看本部门的帮扶任务',
  });
}

/**
 * A queue of tasks inside the caller's area, in due order: a department officer's is their own
 * department's (another department: 403); others see every department unless they pick one.
 * Filters: area (any level), state, overdue (still to be worked after the due day, judged today),
 * household. Keyset pages with the filter's total.
 */
export async function listTasks(
  deps: Pick<AssistanceDeps, 'tasks' | 'clock'>,
  who: Identity,
  req: assistanceV1.ListTasksRequest,
): Promise<{ docs: TaskDoc[]; nextPageToken: string; total: number }> {
  requirePermission(who, 'assistance.read');
  let department = req.department;
  if (who.role === 'department_officer') {
    if (!who.department || (department && department !== who.department)) throw otherDepartment();
    department = who.department;
  }
  const issues: FieldIssue[] = [];
  if (department && !(DEPARTMENTS as readonly string[]).includes(department))
    issues.push(notOneOf('department', DEPARTMENTS, '部门'));
  const areaCode = req.areaCode || who.areaCode;
  if (!areaLevel(areaCode))
    issues.push({
      field: 'areaCode',
      code: 'invalid_area',
      message: 'not an area code',
      messageZh: '不是有效的区划代码',
    });
  if (req.state && !(TASK_STATES as readonly string[]).includes(req.state))
    issues.push(notOneOf('state', TASK_STATES, '任务状态'));
  if (req.householdId && !ID.test(req.householdId))
    issues.push({
      field: 'householdId',
      code: 'invalid_id',
      message: 'is not a household id',
      messageZh: '农户编号无效',
    });
  const page = pageRequest(req, { defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, ({ key, id }) => ({
    dueOn: key,
    id,
  }));
  issues.push(...page.issues);
  const { size, after } = page;
  if (issues.length) throw AppError.invalid(issues);
  // Outside the caller's area there is nothing to list (and nothing to tell about).
  if (!isWithin(who.areaCode, areaCode)) return { docs: [], nextPageToken: '', total: 0 };

  const { docs, total } = await deps.tasks.list(
    {
      areaPrefix: areaCode,
      department: department || undefined,
      state: req.state || undefined,
      householdId: req.householdId || undefined,
      overdueOn: req.overdueOnly ? deps.clock.today() : undefined,
    },
    { size, after },
  );
  const last = docs.at(-1);
  return {
    docs,
    nextPageToken: last && docs.length === size ? keysetToken(last.dueOn, last._id) : '',
    total,
  };
}

/** One task in the caller's area (404 otherwise). */
export async function getTask(deps: Pick<AssistanceDeps, 'tasks'>, who: Identity, id: string): Promise<TaskDoc> {
  requirePermission(who, 'assistance.read');
  const task = ID.test(id) ? await deps.tasks.get(id) : null;
  if (!task) throw notFound('task');
  requireInScope(who, task.areaCode, 'task');
  return task;
}
