import { Router, type Response } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { assistanceV1 } from '@shouwang/contracts';
import type { Identity } from '@shouwang/kit';
import { DEPARTMENTS, TASK_ACTIONS, TASK_STATES } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';
import { versionOf } from './households';
import type { Assistance } from './measures';
import {
  areaQuery,
  bodyOf,
  dateField,
  enumField,
  invalid,
  notFound,
  pageJson,
  pageQuery,
  queryText,
  RECORD_ID,
  textField,
  yuanField,
} from './workflow-input';

/** A task as the API returns it: every field present, a delivery's amount null when none was recorded. */
export function taskJson(t: assistanceV1.Task): Record<string, unknown> {
  return { ...t, deliveries: t.deliveries.map((d) => ({ ...d, amountYuan: d.amountYuan ?? null })) };
}

/** Answers with the task and its version as the ETag (the If-Match of the next action). */
function sendTask(res: Response, t: assistanceV1.Task | undefined): void {
  res.set('ETag', `"${t!.version}"`).json({ task: taskJson(t!) });
}

const TASK = { en: 'task', zh: '帮扶任务' };

function taskIdOf(raw: unknown): string {
  const id = String(raw);
  if (!RECORD_ID.test(id)) throw notFound('task', 'task_not_found', '未找到该帮扶任务');
  return id;
}

/**
 * The departments' work queues (DOMAIN.md §8): each measure of a plan is a task for each of its
 * responsible departments. A department officer sees and works their own department's tasks inside
 * their area (another department: 403); others read every department's. The assistance service
 * decides the department, the scope and what the task's state allows.
 */
export function tasksRouter(assistance: Assistance, callAs: (who: Identity) => Promise<Metadata>): Router {
  const router = Router();

  router.get('/tasks', authorize('assistance.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const department = enumField({ department: queryText(req.query, 'department') }, 'department', DEPARTMENTS, false);
    const state = enumField({ state: queryText(req.query, 'state') }, 'state', TASK_STATES, false);
    const overdue = queryText(req.query, 'overdue');
    if (overdue && overdue !== 'true' && overdue !== 'false')
      throw invalid('overdue', 'invalid_type', 'must be true or false', '须为true或false');
    const householdId = queryText(req.query, 'householdId', 64);
    if (householdId && !RECORD_ID.test(householdId))
      throw invalid('householdId', 'invalid_id', 'is not a valid id', '编号格式不正确');
    const page = await assistance.listTasks(
      {
        department,
        areaCode: areaQuery(req.query),
        state,
        overdueOnly: overdue === 'true',
        householdId,
        ...pageQuery(req.query),
      },
      { metadata: await callAs(user) },
    );
    res.json(pageJson('tasks', page.tasks.map(taskJson), page));
  });

  router.get('/tasks/:id', authorize('assistance.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const r = await assistance.getTask({ id: taskIdOf(req.params.id) }, { metadata: await callAs(user) });
    sendTask(res, r.task);
  });

  /** accept | deliver (date, amount within the measure's limit, note) | decline (reason), over the version read. */
  router.post('/tasks/:id/actions', authorize('assistance.tasks.work'), async (req, res) => {
    const user = currentUser(res.locals);
    const id = taskIdOf(req.params.id);
    const body = bodyOf(req.body, ['action', 'deliveredOn', 'amountYuan', 'note', 'reason', 'version']);
    const action = enumField(body, 'action', TASK_ACTIONS, true);
    const deliver = action === 'deliver';
    const deliveredOn = dateField(body, 'deliveredOn', deliver);
    const amountYuan = yuanField(body, 'amountYuan');
    if (!deliver && (deliveredOn || amountYuan !== undefined))
      throw invalid(deliveredOn ? 'deliveredOn' : 'amountYuan', 'not_allowed', 'only for deliver', '仅记录落实时填写');
    const reason = textField(body, 'reason', { required: action === 'decline' });
    if (action !== 'decline' && reason)
      throw invalid('reason', 'not_allowed', 'only for decline (use note)', '仅拒绝时填写理由（其他请填写备注）');
    const note = textField(body, 'note');
    const expectedVersion = versionOf(req.get('if-match'), body.version, TASK);
    const r = await assistance.actOnTask(
      { id, expectedVersion, action, deliveredOn, amountYuan, note, reason },
      { metadata: await callAs(user) },
    );
    sendTask(res, r.task);
  });

  return router;
}
