// The assistance pages' view model (root jest, node environment).
import {
  DEFAULT_MEASURES,
  DEPARTMENTS,
  ELIGIBILITY_CONDITIONS,
  TASK_ACTIONS,
  TASK_STATES,
  taskActions,
  type TaskState,
} from '@shouwang/domain';
import type { Measure, Plan, PlanMeasure, Task } from '../api/assistance';
import { ApiError } from '../api/client';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import {
  addableMeasures,
  amountProblem,
  deliveredSum,
  insufficientBalance,
  measureFieldsOf,
  measureFormValues,
  measureItemOf,
  planRows,
  pointsIdempotencyKey,
  queueDepartment,
  signedPoints,
  sortedProposals,
  taskActionInput,
  taskButtons,
} from './assistanceModel';
import {
  causesText,
  conditionLabel,
  departmentLabel,
  measureTitle,
  taskActionLabel,
  taskStateLabel,
  yuanText,
} from './labels';

/** The catalogue as the API answers it, from the domain's defaults. */
const catalogue: Measure[] = DEFAULT_MEASURES.map((m) => ({
  code: m.code,
  nameZh: m.zh,
  nameEn: m.en,
  departments: [...m.departments],
  causes: m.causes === 'all' ? [] : [...m.causes],
  answersAll: m.causes === 'all',
  conditions: [...m.conditions],
  kind: m.kind,
  amountLimitYuan: m.amountLimitYuan,
  dueDays: m.dueDays,
  active: m.active,
  version: 1,
}));

function task(over: Partial<Task>): Task {
  return {
    id: 't1',
    householdId: 'h1',
    areaCode: '360731101201',
    headName: '户主',
    measureCode: 'M4',
    department: 'medical_insurance',
    state: 'open',
    startsOn: '2027-01-01',
    dueOn: '2027-01-31',
    overdue: false,
    deliveries: [],
    createdAt: '2026-12-07T02:00:00Z',
    version: 1,
    allowedActions: ['accept', 'decline'],
    ...over,
  };
}

const miOfficer = { role: 'department_officer' as const, department: 'medical_insurance' };

describe('the queue a user sees', () => {
  test.each([
    [miOfficer, 'agriculture', 'medical_insurance'],
    [miOfficer, null, 'medical_insurance'],
    [{ role: 'department_officer' as const, department: null }, 'health', ''],
    [{ role: 'county_officer' as const, department: null }, 'health', 'health'],
    [{ role: 'county_officer' as const, department: null }, null, ''],
    [{ role: 'city_admin' as const, department: null }, undefined, ''],
  ])('%j choosing %s → %s', (user, chosen, expected) => {
    expect(queueDepartment(user, chosen)).toBe(expected);
  });
});

describe('task buttons: own department only, what the state allows', () => {
  test.each([
    ['open', miOfficer, 'medical_insurance', ['accept', 'decline']],
    ['accepted', miOfficer, 'medical_insurance', ['deliver', 'decline']],
    ['delivered', miOfficer, 'medical_insurance', ['deliver']],
    ['declined', miOfficer, 'medical_insurance', []],
    ['closed', miOfficer, 'medical_insurance', []],
    ['open', miOfficer, 'health', []],
    ['open', { role: 'county_officer' as const, department: null }, 'medical_insurance', []],
    ['open', { role: 'department_officer' as const, department: null }, 'medical_insurance', []],
  ] as const)('%s task of %s for %j → %j', (state, user, department, expected) => {
    const t = task({ state: state as TaskState, department, allowedActions: taskActions(state as TaskState) });
    expect(taskButtons(t, user)).toEqual(expected);
  });

  it("follows the server's allowed actions, in the lifecycle's order", () => {
    expect(taskButtons(task({ state: 'accepted', allowedActions: ['decline', 'deliver'] }), miOfficer)).toEqual([
      'deliver',
      'decline',
    ]);
    expect(taskButtons(task({ state: 'open', allowedActions: [] }), miOfficer)).toEqual([]);
  });

  it('asks a confirmation to accept, the delivery form to deliver, a reason to decline', () => {
    expect(TASK_ACTIONS.map(taskActionInput)).toEqual(['confirm', 'delivery', 'reason']);
  });
});

describe('delivered amounts', () => {
  it('sums the amounts in cents, counts every delivery, keeps the latest date', () => {
    expect(
      deliveredSum([
        { deliveredOn: '2027-01-08', amountYuan: 0.1 },
        { deliveredOn: '2027-02-01', amountYuan: 0.2 },
        { deliveredOn: '2027-01-20', amountYuan: null },
      ]),
    ).toEqual({ count: 3, amountYuan: 0.3, withAmount: true, lastOn: '2027-02-01' });
    expect(deliveredSum([{ deliveredOn: '2027-01-08', amountYuan: null }])).toEqual({
      count: 1,
      amountYuan: 0,
      withAmount: false,
      lastOn: '2027-01-08',
    });
    expect(deliveredSum([])).toEqual({ count: 0, amountYuan: 0, withAmount: false, lastOn: '' });
  });

  it("gives each plan measure its departments' tasks and what they delivered, in the plan's order", () => {
    const measure = (code: PlanMeasure['code'], kind: PlanMeasure['kind'] = 'policy'): PlanMeasure => ({
      code,
      answers: ['F4'],
      startsOn: '2027-01-01',
      kind,
      status: 'active',
      addedBy: 'system',
      plannedAmountYuan: null,
    });
    const plan = { measures: [measure('M4'), measure('M8'), measure('M7', 'insurance')] };
    const delivery = (deliveredOn: string, amountYuan: number | null) => ({
      deliveredOn,
      amountYuan,
      recordedBy: 'mi',
      recordedAt: '',
    });
    const tasks = [
      task({
        id: 'a',
        measureCode: 'M4',
        department: 'medical_insurance',
        deliveries: [delivery('2027-01-08', 1500.5)],
      }),
      task({ id: 'b', measureCode: 'M4', department: 'civil_affairs', deliveries: [delivery('2027-01-09', 800)] }),
      task({ id: 'c', measureCode: 'M4', department: 'health' }),
      task({ id: 'd', measureCode: 'M7', department: 'insurer' }),
    ];
    const rows = planRows(plan, tasks);
    expect(rows.map((r) => [r.code, r.tasks.map((t) => t.id), r.delivered.amountYuan, r.delivered.count])).toEqual([
      ['M4', ['a', 'b', 'c'], 2300.5, 2],
      ['M8', [], 0, 0],
      ['M7', ['d'], 0, 0],
    ]);
  });
});

describe('plan changes', () => {
  it('offers the active catalogue measures the plan does not have active', () => {
    const pm = (code: PlanMeasure['code'], status: PlanMeasure['status']): PlanMeasure => ({
      code,
      answers: [],
      startsOn: '2027-01-01',
      kind: 'policy',
      status,
      addedBy: 'system',
      plannedAmountYuan: null,
    });
    const plan = { measures: [pm('M4', 'active'), pm('M9', 'dropped'), pm('M8', 'active')] };
    const withInactive = catalogue.map((m) => (m.code === 'M10' ? { ...m, active: false } : m));
    expect(addableMeasures(plan, withInactive).map((m) => m.code)).toEqual(['M1', 'M2', 'M3', 'M5', 'M6', 'M7', 'M9']);
  });

  it('lists open proposals first, newest first within each group', () => {
    const p = (id: string, status: Plan['proposals'][number]['status'], raisedAt: string) => ({ id, status, raisedAt });
    expect(
      sortedProposals([
        p('old', 'rejected', '2027-01-01'),
        p('open', 'open', '2027-01-02'),
        p('new', 'superseded', '2027-01-03'),
      ]).map((x) => x.id),
    ).toEqual(['open', 'new', 'old']);
  });
});

describe('amounts as the server judges them', () => {
  test.each([
    [undefined, 5000, null],
    [null, null, null],
    [0, null, 'not_positive'],
    [-1, 5000, 'not_positive'],
    [1.234, null, 'too_precise'],
    [1500.5, null, null],
    [5000, 5000, null],
    [5000.01, 5000, 'over_limit'],
    [300000, 300000, null],
  ])('%s yuan with the limit %s → %s', (amount, limit, expected) => {
    expect(amountProblem(amount, limit)).toBe(expected);
  });
});

describe('the catalogue form', () => {
  it('round-trips a measure, causes emptied when it answers every cause', () => {
    const m4 = catalogue.find((m) => m.code === 'M4')!;
    expect(measureFormValues(m4)).toEqual({
      nameZh: m4.nameZh,
      nameEn: m4.nameEn,
      departments: ['medical_insurance', 'civil_affairs', 'health'],
      causes: ['F4'],
      answersAll: false,
      conditions: [],
      kind: 'policy',
      amountLimitYuan: null,
      dueDays: null,
      active: true,
    });
    const values = { ...measureFormValues(m4), nameZh: '  医疗保障  ', answersAll: true };
    expect(measureFieldsOf(values)).toMatchObject({ nameZh: '医疗保障', causes: [], answersAll: true });
    // A cleared number field is null (antd gives null or undefined).
    expect(measureFieldsOf({ ...values, amountLimitYuan: undefined as unknown as null }).amountLimitYuan).toBeNull();
  });

  test.each([
    ['measure.nameZh', ['nameZh']],
    ['measure.departments.0', ['departments']],
    ['measure.amountLimitYuan', ['amountLimitYuan']],
    ['measure', null],
    ['version', null],
  ])('the server field %s is the form item %j', (field, item) => {
    expect(measureItemOf(field)).toEqual(item);
  });
});

describe('points', () => {
  test.each([
    [10, '+10'],
    [-4, '−4'],
    [0, '0'],
  ])('%s reads %s', (n, text) => expect(signedPoints(n)).toBe(text));

  it('reads the balance of a 409 insufficient_points, nothing of other errors', () => {
    const refused = new ApiError(409, {
      code: 'insufficient_points',
      message: 'not enough',
      details: { balance: '6' },
    });
    expect(insufficientBalance(refused)).toBe(6);
    expect(insufficientBalance(new ApiError(409, { code: 'version_conflict', message: 'x' }))).toBeNull();
    expect(insufficientBalance(new Error('x'))).toBeNull();
  });

  it('makes keys the gateway accepts, a new one each time', () => {
    const key = pointsIdempotencyKey(new Uint8Array([0, 15, 255]));
    expect(key).toBe('points-000fff');
    expect(pointsIdempotencyKey()).toMatch(/^[\w.:-]{1,128}$/);
    expect(pointsIdempotencyKey()).not.toBe(pointsIdempotencyKey());
  });
});

describe('labels in both languages', () => {
  it.each([
    ['zh', zh],
    ['en', en],
  ] as const)('%s names every task state and action, condition and department', (_lang, m) => {
    for (const s of TASK_STATES) expect(taskStateLabel(m, s)).not.toBe(s);
    for (const a of TASK_ACTIONS) expect(taskActionLabel(m, a)).not.toBe(a);
    for (const c of ELIGIBILITY_CONDITIONS) expect(conditionLabel(m, c)).not.toBe(c);
    for (const d of DEPARTMENTS) expect(departmentLabel(m, d)).not.toBe(d);
    expect(taskStateLabel(m, 'paused')).toBe('paused');
  });

  it('titles a measure from the catalogue, its code alone when unknown', () => {
    expect(measureTitle('M4', catalogue, 'zh')).toBe(`M4 ${DEFAULT_MEASURES[3]!.zh}`);
    expect(measureTitle('M4', catalogue, 'en')).toBe(`M4 ${DEFAULT_MEASURES[3]!.en}`);
    expect(measureTitle('M4', undefined, 'zh')).toBe('M4');
  });

  it('names the causes a measure answers, and money', () => {
    expect(
      causesText(
        zh,
        catalogue.find((m) => m.code === 'M8')!,
        'zh',
      ),
    ).toBe('所有致贫风险');
    expect(
      causesText(
        zh,
        catalogue.find((m) => m.code === 'M4')!,
        'zh',
      ),
    ).toMatch(/^F4 /);
    expect(yuanText(zh, 1500.5)).toBe('1,500.5 元');
    expect(yuanText(en, 300000)).toBe('300,000 yuan');
  });
});
