import { assistanceEvents, assistanceV1 } from '@shouwang/contracts';
import type { AppError } from '@shouwang/kit';
import {
  addHousehold,
  cadre,
  componentEnv,
  COUNTY,
  countyOfficer,
  dropEnvironments,
  identifiedEvent,
  NO_LABOUR,
  officerOf,
  OTHER_COUNTY,
  released,
  TOWNSHIP,
  VILLAGE,
  type ComponentEnv,
} from '../testing/component-env';
import { planIdentified } from '../plans/identification-events';
import { actOnTask } from './act-on-task';
import { getTask, listTasks } from './list-tasks';
import type { TaskDoc } from './task-store';
import { taskToWire } from './task-wire';

jest.setTimeout(120000);
afterAll(dropEnvironments);

const appError = (kind: string, code: string, more: object = {}) =>
  expect.objectContaining({ kind, code, ...more }) as unknown as AppError;

const civil = officerOf('civil_affairs');
const medical = officerOf('medical_insurance');

/** A household with an F4 plan (M4: medical_insurance, civil_affairs, health; M8; M9; M7) in `village`. */
async function plannedF4(env: ComponentEnv, village = VILLAGE): Promise<string> {
  const id = await addHousehold(env, [NO_LABOUR], village);
  await planIdentified(env.deps, identifiedEvent(id, ['F4'], { areaCode: village }));
  return id;
}

async function taskOf(env: ComponentEnv, householdId: string, department: string, code = 'M4'): Promise<TaskDoc> {
  const t = (await env.deps.tasks.ofHousehold(householdId)).find(
    (x) => x.department === department && x.measureCode === code,
  );
  if (!t) throw new Error(`no ${code} task for ${department}`);
  return t;
}

function act(
  env: ComponentEnv,
  who: typeof civil,
  t: Pick<TaskDoc, '_id' | 'version'>,
  over: Partial<assistanceV1.ActOnTaskRequest>,
) {
  return actOnTask(
    env.deps,
    who,
    assistanceV1.ActOnTaskRequest.fromPartial({ id: t._id, expectedVersion: t.version, ...over }),
  );
}

describe('a department task: accept → deliver → deliver again, or decline', () => {
  it('walks the lifecycle with an event and an audit entry per step', async () => {
    const env = await componentEnv();
    const id = await plannedF4(env);
    env.clock.set('2026-07-20T02:00:00Z');
    let t = await taskOf(env, id, 'civil_affairs');
    expect(taskToWire(t, env.clock.today()).allowedActions).toEqual(['accept', 'decline']);

    t = await act(env, civil, t, { action: 'accept', note: '已联系农户' });
    expect(t).toMatchObject({ state: 'accepted', version: 2, actedBy: 'dept.civil_affairs' });
    t = await act(env, civil, t, { action: 'deliver', deliveredOn: '2026-07-18', amountYuan: 600, note: '7月低保金' });
    expect(t).toMatchObject({ state: 'delivered', version: 3 });
    // Instalments: a delivered task is delivered again.
    t = await act(env, civil, t, { action: 'deliver', deliveredOn: '2026-07-20', amountYuan: 600.5 });
    expect(t.deliveries).toEqual([
      {
        deliveredOn: '2026-07-18',
        amountYuan: 600,
        note: '7月低保金',
        recordedBy: 'dept.civil_affairs',
        recordedAt: expect.any(String),
      },
      {
        deliveredOn: '2026-07-20',
        amountYuan: 600.5,
        note: '',
        recordedBy: 'dept.civil_affairs',
        recordedAt: expect.any(String),
      },
    ]);
    expect(taskToWire(t, env.clock.today())).toMatchObject({
      state: 'delivered',
      overdue: false,
      allowedActions: ['deliver'],
    });

    const events = (await released(env, `task:${t._id}`)).map((e) => e.type);
    expect(events).toEqual([
      assistanceEvents.taskOpened.type,
      assistanceEvents.taskAccepted.type,
      assistanceEvents.taskDelivered.type,
      assistanceEvents.taskDelivered.type,
    ]);
    const last = (await released(env, `task:${t._id}`)).at(-1)!;
    expect(assistanceV1.TaskEvent.decode(last.envelope.payload)).toMatchObject({
      delivery: { deliveredOn: '2026-07-20', amountYuan: 600.5 },
      actorUsername: 'dept.civil_affairs',
      task: { id: t._id, state: 'delivered', version: 4 },
    });
    const audit = await env.deps.audit.list({ aggregateId: t._id }, { limit: 10 });
    expect(audit.entries.map((e) => e.action).reverse()).toEqual([
      'task.opened',
      'task.accepted',
      'task.delivered',
      'task.delivered',
    ]);
    // Nothing more to do with it but deliver.
    await expect(act(env, civil, t, { action: 'decline', reason: '不符合条件' })).rejects.toEqual(
      appError('conflict', 'illegal_transition', { details: { state: 'delivered', allowedActions: 'deliver' } }),
    );
  });

  it('declines only with a reason', async () => {
    const env = await componentEnv();
    const id = await plannedF4(env);
    const t = await taskOf(env, id, 'medical_insurance');
    await expect(act(env, medical, t, { action: 'decline', reason: ' ' })).rejects.toEqual(
      appError('invalid_argument', 'validation_failed', { field: 'reason' }),
    );
    expect((await env.deps.tasks.get(t._id))!.version).toBe(1);
    const declined = await act(env, medical, t, { action: 'decline', reason: '已在他县参保' });
    expect(declined).toMatchObject({ state: 'declined', declineReason: '已在他县参保' });
    await expect(act(env, medical, declined, { action: 'accept' })).rejects.toEqual(
      appError('conflict', 'illegal_transition', { details: { state: 'declined', allowedActions: '' } }),
    );
  });

  it('refuses with a clear 4xx and changes nothing', async () => {
    const env = await componentEnv();
    const id = await plannedF4(env);
    env.clock.set('2026-07-20T02:00:00Z');
    const open = await taskOf(env, id, 'civil_affairs');
    const accepted = await act(env, civil, open, { action: 'accept' });
    const refusals: [typeof civil, Partial<assistanceV1.ActOnTaskRequest>, AppError][] = [
      // Another department's officer may not work it (403), a cadre may not work tasks at all.
      [medical, { action: 'deliver', deliveredOn: '2026-07-19' }, appError('permission_denied', 'wrong_department')],
      [cadre, { action: 'deliver', deliveredOn: '2026-07-19' }, appError('permission_denied', 'forbidden')],
      // Outside the officer's county: as if it did not exist.
      [
        officerOf('civil_affairs', OTHER_COUNTY),
        { action: 'deliver', deliveredOn: '2026-07-19' },
        appError('not_found', 'task_not_found'),
      ],
      [civil, { action: 'deliver' }, appError('invalid_argument', 'validation_failed', { field: 'deliveredOn' })],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-07-21' },
        appError('invalid_argument', 'validation_failed', { field: 'deliveredOn' }),
      ],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-06-30' },
        appError('invalid_argument', 'validation_failed', { field: 'deliveredOn' }),
      ],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-02-30' },
        appError('invalid_argument', 'validation_failed', { field: 'deliveredOn' }),
      ],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-07-19', amountYuan: -5 },
        appError('invalid_argument', 'validation_failed', { field: 'amountYuan' }),
      ],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-07-19', amountYuan: 10.001 },
        appError('invalid_argument', 'validation_failed', { field: 'amountYuan' }),
      ],
      [
        civil,
        { action: 'accept' },
        appError('conflict', 'illegal_transition', {
          details: { state: 'accepted', allowedActions: 'deliver,decline' },
        }),
      ],
      [civil, { action: 'close' }, appError('invalid_argument', 'validation_failed', { field: 'action' })],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-07-19', expectedVersion: 1 },
        appError('precondition_failed', 'version_conflict'),
      ],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-07-19', expectedVersion: 0 },
        appError('precondition_required', 'precondition_required'),
      ],
      [
        civil,
        { action: 'deliver', deliveredOn: '2026-07-19', id: 'no-such-task' },
        appError('not_found', 'task_not_found'),
      ],
    ];
    for (const [who, req, error] of refusals) await expect(act(env, who, accepted, req)).rejects.toEqual(error);
    expect(await env.deps.tasks.get(open._id)).toMatchObject({ state: 'accepted', version: 2, deliveries: [] });

    // The measure's limit (M7 insurance: 300 000 yuan a delivery).
    const insurer = officerOf('insurer');
    const m7 = await act(env, insurer, await taskOf(env, id, 'insurer', 'M7'), { action: 'accept' });
    await expect(
      act(env, insurer, m7, { action: 'deliver', deliveredOn: '2026-07-19', amountYuan: 300000.01 }),
    ).rejects.toEqual(appError('invalid_argument', 'validation_failed', { field: 'amountYuan' }));
    expect(
      await act(env, insurer, m7, { action: 'deliver', deliveredOn: '2026-07-19', amountYuan: 300000 }),
    ).toMatchObject({
      state: 'delivered',
    });
  });

  it('of two concurrent actions on one task exactly one wins', async () => {
    const env = await componentEnv();
    const id = await plannedF4(env);
    env.clock.set('2026-07-20T02:00:00Z');
    const t = await taskOf(env, id, 'civil_affairs');
    for (let round = 0; round < 5; round++) {
      const current = (await env.deps.tasks.get(t._id))!;
      const [a, b] = await Promise.allSettled(
        current.state === 'open'
          ? [
              act(env, civil, current, { action: 'accept' }),
              act(env, civil, current, { action: 'decline', reason: '重复' }),
            ]
          : [
              act(env, civil, current, { action: 'deliver', deliveredOn: '2026-07-19', amountYuan: 100 }),
              act(env, civil, current, { action: 'deliver', deliveredOn: '2026-07-19', amountYuan: 200 }),
            ],
      );
      const won = [a, b].filter((r) => r.status === 'fulfilled');
      const lost = [a, b].filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect({ round, won: won.length }).toEqual({ round, won: 1 });
      expect(lost[0]!.reason).toEqual(appError('precondition_failed', 'version_conflict'));
      const stored = (await env.deps.tasks.get(t._id))!;
      expect(stored.version).toBe(current.version + 1);
      if (stored.state === 'declined') break;
    }
    // Every applied move released exactly one event.
    const stored = (await env.deps.tasks.get(t._id))!;
    expect(await released(env, `task:${t._id}`)).toHaveLength(stored.version);
    if (stored.state === 'delivered') expect(stored.deliveries).toHaveLength(stored.version - 2);
  });
});

describe('queues', () => {
  const list = (env: ComponentEnv, who: typeof civil, over: Partial<assistanceV1.ListTasksRequest> = {}) =>
    listTasks(env.deps, who, assistanceV1.ListTasksRequest.fromPartial(over));

  it("a department officer sees their own department's queue in their area; overdue follows the clock", async () => {
    const env = await componentEnv();
    const here = await plannedF4(env);
    const elsewhere = await plannedF4(env, `${OTHER_COUNTY}101201`);
    env.clock.set('2026-07-20T02:00:00Z');

    const queue = await list(env, civil);
    expect(queue.total).toBe(1);
    expect(queue.docs.map((t) => [t.householdId, t.department])).toEqual([[here, 'civil_affairs']]);
    expect((await list(env, officerOf('civil_affairs', OTHER_COUNTY))).docs.map((t) => t.householdId)).toEqual([
      elsewhere,
    ]);
    await expect(list(env, civil, { department: 'health' })).rejects.toEqual(
      appError('permission_denied', 'wrong_department'),
    );
    // Others see every department of their area, or the one they pick.
    expect((await list(env, countyOfficer)).total).toBe(9);
    expect((await list(env, countyOfficer, { department: 'health' })).total).toBe(1);
    expect((await list(env, cadre, { areaCode: TOWNSHIP })).total).toBe(0); // above the cadre's village: nothing
    expect((await list(env, countyOfficer, { areaCode: VILLAGE, householdId: here })).total).toBe(9);

    // Due 2026-07-31: not overdue on the 31st, overdue from 1 August while still to be worked.
    const accepted = await act(env, civil, await taskOf(env, here, 'civil_affairs'), { action: 'accept' });
    env.clock.set('2026-07-31T02:00:00Z');
    expect((await list(env, countyOfficer, { overdueOnly: true })).total).toBe(0);
    env.clock.set('2026-08-01T02:00:00Z');
    expect((await list(env, countyOfficer, { overdueOnly: true })).total).toBe(9);
    expect(taskToWire(await getTask(env.deps, civil, accepted._id), env.clock.today()).overdue).toBe(true);
    await act(env, civil, accepted, { action: 'deliver', deliveredOn: '2026-07-31' });
    await act(env, medical, await taskOf(env, here, 'medical_insurance'), { action: 'decline', reason: '已享受' });
    const overdue = await list(env, countyOfficer, { overdueOnly: true });
    expect(overdue.total).toBe(7);
    expect(overdue.docs.every((t) => t.state === 'open')).toBe(true);
    expect((await list(env, civil, { overdueOnly: true })).total).toBe(0);
    expect((await list(env, countyOfficer, { state: 'delivered' })).docs.map((t) => t._id)).toEqual([accepted._id]);
  });

  it('pages in due order with a total, and refuses bad filters', async () => {
    const env = await componentEnv();
    await plannedF4(env);
    await plannedF4(env);
    const seen: string[] = [];
    let token = '';
    for (let page = 0; page < 10; page++) {
      const r = await list(env, countyOfficer, { pageSize: 4, pageToken: token });
      expect(r.total).toBe(18);
      seen.push(...r.docs.map((t) => t._id));
      token = r.nextPageToken;
      if (!token) break;
    }
    expect(seen).toHaveLength(18);
    expect(new Set(seen).size).toBe(18);
    for (const [req, field] of [
      [{ pageSize: 500 }, 'pageSize'],
      [{ state: 'done' }, 'state'],
      [{ department: 'bank' }, 'department'],
      [{ areaCode: '36' }, 'areaCode'],
      [{ pageToken: 'not-a-token' }, 'pageToken'],
    ] as const)
      await expect(list(env, countyOfficer, req)).rejects.toEqual(
        appError('invalid_argument', 'validation_failed', { field }),
      );
    expect((await list(env, officerOf('civil_affairs', COUNTY), { areaCode: OTHER_COUNTY })).total).toBe(0);
  });
});
