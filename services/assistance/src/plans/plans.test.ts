import { assistanceEvents, assistanceV1, topics } from '@shouwang/contracts';
import type { AppError } from '@shouwang/kit';
import {
  addHousehold,
  admin,
  cadre,
  componentEnv,
  COUNTY,
  countyOfficer,
  dropEnvironments,
  exitedEvent,
  identifiedEvent,
  LABOURER,
  NO_LABOUR,
  officerOf,
  OTHER_COUNTY,
  person,
  released,
  warning,
  type ComponentEnv,
} from '../testing/component-env';
import { actOnTask } from '../tasks/act-on-task';
import { CAUSES_CHANGED } from '../tasks/task-plan';
import { changePlan, getPlan } from './change-plan';
import { closePlanOnExit, planIdentified } from './identification-events';
import { considerCauses, decideProposal } from './proposals';
import { recoverAssistance } from '../recovery';

jest.setTimeout(120000);
afterAll(dropEnvironments);

const appError = (kind: string, code: string, more: object = {}) =>
  expect.objectContaining({ kind, code, ...more }) as unknown as AppError;

const tasksOf = async (env: ComponentEnv, householdId: string) =>
  (await env.deps.tasks.ofHousehold(householdId)).sort((a, b) =>
    `${a.measureCode}/${a.department}`.localeCompare(`${b.measureCode}/${b.department}`),
  );

/** A household with a plan from `causes`. */
async function planned(env: ComponentEnv, causes: string[], members = [NO_LABOUR]) {
  const id = await addHousehold(env, members);
  expect(await planIdentified(env.deps, identifiedEvent(id, causes))).toBe('created');
  return id;
}

/** The household's causes after a warning raised by an assessment with `features`, then the plan's answer. */
async function assessed(env: ComponentEnv, id: string, features: string[], at: string) {
  const w = warning(id, features[0] ?? 'F1', features, at);
  const causes = await env.deps.households.assessed(id, at, w.assessment!.category, features);
  return causes ? considerCauses(env.deps, causes) : 'stale';
}

describe('a plan from the identified household (缺什么补什么)', () => {
  // Measures and their departments per DEFAULT_MEASURES; tasks = one per measure and department.
  it.each([
    ['F3, with a labourer', ['F3'], [LABOURER], ['M1', 'M2', 'M3', 'M8', 'M9'], [], 11],
    ['F3, without a labourer', ['F3'], [NO_LABOUR], ['M8', 'M9'], ['M1', 'M2', 'M3'], 5],
    ['F4, insurance last', ['F4'], [NO_LABOUR], ['M4', 'M8', 'M9', 'M7'], [], 9],
    ['F2, no labour at all', ['F2'], [NO_LABOUR], ['M5', 'M8', 'M9'], ['M3'], 6],
    ['F6, mud-brick only home', ['F6'], [NO_LABOUR], ['M8', 'M9', 'M10'], [], 6],
    ['F5 and F8', ['F5', 'F8'], [LABOURER, NO_LABOUR], ['M5', 'M6', 'M8', 'M9', 'M7'], [], 8],
    ['F3 of a household whose members were never seen', ['F3'], null, ['M8', 'M9'], ['M1', 'M2', 'M3'], 5],
  ] as const)('%s', async (_name, causes, members, codes, notPlanned, taskCount) => {
    const env = await componentEnv();
    const id = members ? await addHousehold(env, [...members]) : 'hh-never-registered';
    expect(await planIdentified(env.deps, identifiedEvent(id, [...causes]))).toBe('created');

    const plan = (await env.deps.plans.get(id))!;
    expect(plan.measures.map((m) => m.code)).toEqual(codes);
    expect(plan.notPlanned).toEqual(notPlanned.map((code) => ({ code, unmet: ['has_labourer'] })));
    expect(plan).toMatchObject({ status: 'active', version: 1, causes, policyStartDate: '2026-07-01' });
    expect(plan.measures.every((m) => m.startsOn === '2026-07-01' && m.status === 'active')).toBe(true);

    const tasks = await tasksOf(env, id);
    expect(tasks).toHaveLength(taskCount);
    expect(new Set(tasks.map((t) => t.measureCode))).toEqual(new Set(codes));
    for (const t of tasks) {
      const m = plan.measures.find((x) => x.code === t.measureCode)!;
      expect(m.departments).toContain(t.department);
      expect(t).toMatchObject({ state: 'open', startsOn: '2026-07-01', dueOn: '2026-07-31', version: 1 });
    }

    const planEvents = await released(env, 'plan:');
    expect(planEvents.map((e) => e.type)).toEqual([assistanceEvents.planCreated.type]);
    expect(planEvents[0]).toMatchObject({ topic: topics.assistancePlan, key: id });
    const payload = assistanceV1.PlanEvent.decode(planEvents[0]!.envelope.payload);
    expect(payload).toMatchObject({ change: 'created', actorUsername: 'system' });
    expect(payload.plan!.measures.map((m) => m.code)).toEqual(codes);
    const taskEvents = await released(env, 'task:');
    expect(taskEvents).toHaveLength(taskCount);
    expect(taskEvents.every((e) => e.type === assistanceEvents.taskOpened.type && e.key === id)).toBe(true);
  });

  it('is made once: the same identified event handled again changes nothing', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [LABOURER]);
    const event = identifiedEvent(id, ['F3']);
    expect(await planIdentified(env.deps, event)).toBe('created');
    const before = await tasksOf(env, id);
    expect(await planIdentified(env.deps, event)).toBe('already_planned');
    expect(await planIdentified(env.deps, event)).toBe('already_planned');

    expect((await env.deps.plans.get(id))!.version).toBe(1);
    expect(await tasksOf(env, id)).toEqual(before);
    expect(await released(env, 'plan:')).toHaveLength(1);
    expect(await released(env, 'task:')).toHaveLength(before.length);
    const audit = await env.deps.audit.list({ aggregateId: id }, { limit: 50 });
    expect(audit.entries.map((e) => e.action)).toEqual(['plan.created']);
  });

  it('two consumers handling the same event at once make one plan and one set of tasks', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [NO_LABOUR]);
    const event = identifiedEvent(id, ['F4']);
    const outcomes = await Promise.all([planIdentified(env.deps, event), planIdentified(env.deps, event)]);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(1);
    expect((await env.deps.plans.get(id))!.version).toBe(1);
    expect(await tasksOf(env, id)).toHaveLength(9);
    expect(await released(env, 'task:')).toHaveLength(9);
  });
});

describe('when the causes change, the plan proposes instead of changing', () => {
  it('a warning with new causes opens a proposal; accepting it adds tasks and drops measures with their open tasks', async () => {
    const env = await componentEnv();
    const id = await planned(env, ['F6']); // M8 M9 M10
    expect(await assessed(env, id, ['F4'], '2026-06-20T01:00:00.000Z')).toBe('raised');

    let plan = (await env.deps.plans.get(id))!;
    expect(plan.measures.map((m) => `${m.code}:${m.status}`)).toEqual(['M8:active', 'M9:active', 'M10:active']);
    const [proposal] = plan.proposals;
    expect(proposal).toMatchObject({ add: ['M4', 'M7'], drop: ['M10'], features: ['F4'], status: 'open' });
    expect(await tasksOf(env, id)).toHaveLength(6); // nothing changed yet

    // Another warning of the same assessment, or a later one with the same causes: no second proposal.
    expect(await assessed(env, id, ['F4'], '2026-06-21T01:00:00.000Z')).toBe('unchanged');
    // An assessment older than the one considered is ignored.
    expect(await assessed(env, id, ['F1'], '2026-06-19T01:00:00.000Z')).toBe('stale');

    env.clock.set('2026-07-10T02:00:00Z');
    plan = await decideProposal(
      env.deps,
      cadre,
      assistanceV1.DecideProposalRequest.fromPartial({
        householdId: id,
        expectedVersion: plan.version,
        proposalId: proposal!.id,
        accept: true,
        note: '入户核实',
      }),
    );
    expect(plan.causes).toEqual(['F4']);
    expect(plan.measures.map((m) => `${m.code}:${m.status}`)).toEqual([
      'M4:active',
      'M8:active',
      'M9:active',
      'M10:dropped',
      'M7:active',
    ]);
    expect(plan.measures.find((m) => m.code === 'M4')).toMatchObject({ startsOn: '2026-07-10', addedBy: 'cadre.a' });
    expect(plan.proposals[0]).toMatchObject({ status: 'accepted', decidedBy: 'cadre.a', note: '入户核实' });

    const tasks = await tasksOf(env, id);
    const housing = tasks.find((t) => t.measureCode === 'M10')!;
    expect(housing).toMatchObject({ state: 'closed', closedReason: CAUSES_CHANGED });
    const added = tasks.filter((t) => t.measureCode === 'M4' || t.measureCode === 'M7');
    expect(added.map((t) => t.department).sort()).toEqual(['civil_affairs', 'health', 'insurer', 'medical_insurance']);
    expect(added.every((t) => t.state === 'open' && t.startsOn === '2026-07-10' && t.dueOn === '2026-08-09')).toBe(
      true,
    );

    // Deciding it again is refused.
    await expect(
      decideProposal(
        env.deps,
        cadre,
        assistanceV1.DecideProposalRequest.fromPartial({
          householdId: id,
          expectedVersion: plan.version,
          proposalId: proposal!.id,
          accept: false,
        }),
      ),
    ).rejects.toEqual(appError('conflict', 'proposal_decided'));
  });

  it('a resolved cause leaves the causes; a newer proposal supersedes the open one; rejecting changes no measure', async () => {
    const env = await componentEnv();
    const id = await planned(env, ['F4', 'F6']); // M4 M8 M9 M10 M7
    expect(await assessed(env, id, ['F4', 'F6'], '2026-06-20T01:00:00.000Z')).toBe('unchanged');
    // F6 resolved (the warning keeps its old assessment; only the cause goes).
    const causes = await env.deps.households.resolved(id, '2026-06-22T01:00:00.000Z', 'F6');
    expect(causes!.causes).toEqual(['F4']);
    expect(await considerCauses(env.deps, causes!)).toBe('raised');
    expect(await assessed(env, id, ['F4', 'F5'], '2026-06-23T01:00:00.000Z')).toBe('raised');

    let plan = (await env.deps.plans.get(id))!;
    expect(plan.proposals.map((p) => [p.status, p.add, p.drop])).toEqual([
      ['superseded', [], ['M10']],
      ['open', ['M6'], ['M10']],
    ]);
    plan = await decideProposal(
      env.deps,
      countyOfficer,
      assistanceV1.DecideProposalRequest.fromPartial({
        householdId: id,
        expectedVersion: plan.version,
        proposalId: plan.proposals[1]!.id,
        accept: false,
        note: '住房改造尚未完成',
      }),
    );
    expect(plan.proposals[1]!.status).toBe('rejected');
    expect(plan.measures.every((m) => m.status === 'active')).toBe(true);
    expect(await tasksOf(env, id)).toHaveLength(10);

    // Causes calling for the plan as it is supersede an open proposal.
    expect(await assessed(env, id, ['F5'], '2026-06-24T01:00:00.000Z')).toBe('raised');
    expect(await assessed(env, id, ['F4', 'F6'], '2026-06-25T01:00:00.000Z')).toBe('superseded');
    plan = (await env.deps.plans.get(id))!;
    expect(plan.proposals.map((p) => p.status)).toEqual(['superseded', 'rejected', 'superseded']);
  });

  it('ignores the warnings of households without a plan', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [NO_LABOUR]);
    expect(await assessed(env, id, ['F4'], '2026-06-20T01:00:00.000Z')).toBe('no_plan');
    expect(await env.deps.plans.get(id)).toBeNull();
  });
});

describe('officers change a plan: add, drop (with reason), adjust', () => {
  const change = (env: ComponentEnv, who = cadre, over: Partial<assistanceV1.ChangePlanRequest>) =>
    changePlan(env.deps, who, assistanceV1.ChangePlanRequest.fromPartial(over));

  it('adds a measure with its tasks, adjusts it, drops it with its open tasks; bad input changes nothing', async () => {
    const env = await componentEnv();
    const id = await planned(env, ['F4']); // M4 M8 M9 M7 at version 1

    let plan = await change(env, cadre, {
      householdId: id,
      expectedVersion: 1,
      operation: 'add',
      measureCode: 'M10',
      plannedAmountYuan: 30000,
      note: '危房鉴定C级',
    });
    expect(plan.version).toBe(2);
    expect(plan.measures.map((m) => m.code)).toEqual(['M4', 'M8', 'M9', 'M10', 'M7']);
    expect(plan.measures.find((m) => m.code === 'M10')).toMatchObject({
      startsOn: '2026-07-01', // not before the policy start date
      plannedAmountYuan: 30000,
      addedBy: 'cadre.a',
      note: '危房鉴定C级',
    });
    const housing = (await tasksOf(env, id)).filter((t) => t.measureCode === 'M10');
    expect(housing).toEqual([
      expect.objectContaining({ department: 'housing', state: 'open', amountLimitYuan: 40000 }),
    ]);

    // Bad requests: 4xx, and the plan stays at version 2.
    const refusals: [Partial<assistanceV1.ChangePlanRequest>, AppError, typeof cadre?][] = [
      [{ operation: 'add', measureCode: 'M10' }, appError('conflict', 'measure_in_plan')],
      [
        { operation: 'add', measureCode: 'M1', plannedAmountYuan: 50000.01 },
        appError('invalid_argument', 'validation_failed', { field: 'plannedAmountYuan' }),
      ],
      [
        { operation: 'add', measureCode: 'M6', startsOn: '2026-06-30' },
        appError('invalid_argument', 'validation_failed', { field: 'startsOn' }),
      ],
      [
        { operation: 'drop', measureCode: 'M10', reason: '  ' },
        appError('invalid_argument', 'validation_failed', { field: 'reason' }),
      ],
      [{ operation: 'drop', measureCode: 'M6', reason: 'x' }, appError('conflict', 'measure_not_in_plan')],
      [
        { operation: 'adjust', measureCode: 'M10' },
        appError('invalid_argument', 'validation_failed', { field: 'operation' }),
      ],
      [
        { operation: 'rename', measureCode: 'M10' },
        appError('invalid_argument', 'validation_failed', { field: 'operation' }),
      ],
      [
        { operation: 'add', measureCode: 'M11' },
        appError('invalid_argument', 'validation_failed', { field: 'measureCode' }),
      ],
      [
        { operation: 'adjust', measureCode: 'M10', note: 'x', expectedVersion: 1 },
        appError('precondition_failed', 'version_conflict'),
      ],
      [
        { operation: 'adjust', measureCode: 'M10', note: 'x', expectedVersion: 0 },
        appError('precondition_required', 'precondition_required'),
      ],
      [
        { operation: 'adjust', measureCode: 'M10', note: 'x' },
        appError('permission_denied', 'forbidden'),
        officerOf('housing'),
      ],
      [
        { operation: 'adjust', measureCode: 'M10', note: 'x' },
        appError('not_found', 'plan_not_found'),
        person('county_officer', OTHER_COUNTY, 'county.b'),
      ],
    ];
    for (const [req, error, who] of refusals)
      await expect(change(env, who ?? cadre, { householdId: id, expectedVersion: 2, ...req })).rejects.toEqual(error);
    expect((await env.deps.plans.get(id))!.version).toBe(2);

    plan = await change(env, countyOfficer, {
      householdId: id,
      expectedVersion: 2,
      operation: 'adjust',
      measureCode: 'M10',
      plannedAmountYuan: 35000.5,
    });
    expect(plan.measures.find((m) => m.code === 'M10')).toMatchObject({
      plannedAmountYuan: 35000.5,
      note: '危房鉴定C级',
    });

    plan = await change(env, countyOfficer, {
      householdId: id,
      expectedVersion: 3,
      operation: 'drop',
      measureCode: 'M10',
      reason: '已纳入易地搬迁',
    });
    expect(plan.measures.find((m) => m.code === 'M10')).toMatchObject({
      status: 'dropped',
      dropReason: '已纳入易地搬迁',
    });
    expect((await tasksOf(env, id)).find((t) => t.measureCode === 'M10')).toMatchObject({
      state: 'closed',
      closedReason: '已纳入易地搬迁',
    });
    const changes = (await released(env, 'plan:')).map((e) => assistanceV1.PlanEvent.decode(e.envelope.payload));
    expect(changes.map((c) => [c.change, c.measureCode, c.actorUsername])).toEqual([
      ['created', '', 'system'],
      ['measure_added', 'M10', 'cadre.a'],
      ['measure_adjusted', 'M10', 'county.a'],
      ['measure_dropped', 'M10', 'county.a'],
    ]);
    const audit = await env.deps.audit.list({ aggregateId: id }, { limit: 50 });
    expect(audit.entries.map((e) => e.action).reverse()).toEqual([
      'plan.created',
      'plan.measure_added',
      'plan.measure_adjusted',
      'plan.measure_dropped',
    ]);
  });

  it('reads a plan only inside the caller area', async () => {
    const env = await componentEnv();
    const id = await planned(env, ['F6']);
    expect((await getPlan(env.deps, admin, id))._id).toBe(id);
    expect((await getPlan(env.deps, officerOf('housing'), id))._id).toBe(id);
    await expect(getPlan(env.deps, person('village_cadre', `${COUNTY}101999`, 'cadre.x'), id)).rejects.toEqual(
      appError('not_found', 'plan_not_found'),
    );
    await expect(getPlan(env.deps, cadre, 'no-such-household')).rejects.toEqual(
      appError('not_found', 'plan_not_found'),
    );
  });
});

describe('on exit', () => {
  it('the plan closes, open and accepted tasks close with the exit reason, delivered ones keep their history', async () => {
    const env = await componentEnv();
    const id = await planned(env, ['F4']); // M4 (medical_insurance, civil_affairs, health) M8 M9 M7
    const tasks = await tasksOf(env, id);
    const medical = tasks.find((t) => t.department === 'medical_insurance')!;
    const health = tasks.find((t) => t.department === 'health')!;
    env.clock.set('2026-07-05T02:00:00Z');
    const act = (who: ReturnType<typeof officerOf>, t: { _id: string; version: number }, over: object) =>
      actOnTask(
        env.deps,
        who,
        assistanceV1.ActOnTaskRequest.fromPartial({ id: t._id, expectedVersion: t.version, ...over }),
      );
    const accepted = await act(officerOf('medical_insurance'), medical, { action: 'accept' });
    await act(officerOf('medical_insurance'), accepted, {
      action: 'deliver',
      deliveredOn: '2026-07-04',
      amountYuan: 1200,
    });
    await act(officerOf('health'), health, { action: 'accept' });

    const reason = '收入稳定超过监测线，村民代表大会表决通过';
    expect(await closePlanOnExit(env.deps, exitedEvent(id, reason))).toBe('closed');
    const plan = (await env.deps.plans.get(id))!;
    expect(plan).toMatchObject({ status: 'closed', closedReason: reason, version: 2 });
    expect(plan.measures.every((x) => x.status === 'closed')).toBe(true);

    const after = await tasksOf(env, id);
    expect(after.find((t) => t._id === medical._id)).toMatchObject({
      state: 'delivered',
      deliveries: [expect.objectContaining({ deliveredOn: '2026-07-04', amountYuan: 1200 })],
    });
    const others = after.filter((t) => t._id !== medical._id);
    expect(others).toHaveLength(8);
    expect(others.every((t) => t.state === 'closed' && t.closedReason === reason)).toBe(true);

    // Replayed: nothing more happens.
    expect(await closePlanOnExit(env.deps, exitedEvent(id, reason))).toBe('already_closed');
    expect((await env.deps.plans.get(id))!.version).toBe(2);
    expect((await released(env, 'task:')).filter((e) => e.type === assistanceEvents.taskClosed.type)).toHaveLength(8);
    expect((await released(env, 'plan:')).map((e) => e.type)).toEqual([
      assistanceEvents.planCreated.type,
      assistanceEvents.planClosed.type,
    ]);
    // A closed plan takes no changes; identified again later, it starts over.
    await expect(
      changePlan(
        env.deps,
        cadre,
        assistanceV1.ChangePlanRequest.fromPartial({
          householdId: id,
          expectedVersion: 2,
          operation: 'add',
          measureCode: 'M10',
        }),
      ),
    ).rejects.toEqual(appError('conflict', 'plan_closed'));
    expect(await planIdentified(env.deps, identifiedEvent(id, ['F6'], { caseId: 'case-again' }))).toBe('restarted');
    expect((await env.deps.plans.get(id))!).toMatchObject({ status: 'active', caseId: 'case-again', version: 3 });
    expect(
      (await tasksOf(env, id))
        .filter((t) => t.state === 'open')
        .map((t) => t.measureCode)
        .sort(),
    ).toEqual(['M10', 'M8', 'M8', 'M8', 'M9', 'M9']);
  });

  it('of a household without a plan changes nothing', async () => {
    const env = await componentEnv();
    expect(await closePlanOnExit(env.deps, exitedEvent('hh-without-plan'))).toBe('no_plan');
  });
});

describe('after a crash', () => {
  it('recovery makes the tasks of a plan whose change was written follow it', async () => {
    const env = await componentEnv();
    const id = await planned(env, ['F6']); // M8 M9 M10: 6 tasks
    // A change written, its tasks not yet: the process died between the two (its intent is left behind).
    const plan = (await env.deps.plans.get(id))!;
    const { _id: _ignored, version, ...content } = plan;
    content.measures = content.measures.map((m) =>
      m.code === 'M10' ? { ...m, status: 'dropped' as const, dropReason: '已搬迁' } : m,
    );
    expect(await env.deps.plans.move(id, version, content, [])).not.toBeNull();
    await env.conn
      .collection<{ _id: string; planId: string; at: Date }>('plan_sync_intents')
      .insertOne({ _id: 'crashed', planId: id, at: new Date(Date.now() - 60_000) });
    expect((await env.deps.tasks.ofHousehold(id)).find((t) => t.measureCode === 'M10')!.state).toBe('open');

    expect(await recoverAssistance(env.deps)).toEqual({ released: 0, plansSynced: 1 });
    expect((await env.deps.tasks.ofHousehold(id)).find((t) => t.measureCode === 'M10')).toMatchObject({
      state: 'closed',
      closedReason: '已搬迁',
    });
    expect(await recoverAssistance(env.deps)).toEqual({ released: 0, plansSynced: 0 });
  });
});
