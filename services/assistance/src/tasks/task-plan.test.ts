import { DEFAULT_MEASURES, type MeasureCode } from '@shouwang/domain';
import { planMeasure } from '../plans/plan-measures';
import type { PlanDoc } from '../plans/plan-store';
import { addDays, CAUSES_CHANGED, reconcileTasks, taskId } from './task-plan';
import type { TaskDoc } from './task-store';

const NOW = new Date('2026-06-15T02:00:00Z');
const measure = (code: MeasureCode) => DEFAULT_MEASURES.find((m) => m.code === code)!;

function plan(over: Partial<PlanDoc> = {}): PlanDoc {
  return {
    _id: 'hh-1',
    areaCode: '360731102203',
    headName: '赵一',
    caseId: 'case-1',
    category: 'edge',
    causes: ['F4'],
    policyStartDate: '2026-07-01',
    measures: [
      planMeasure(measure('M4'), { answers: ['F4'], startsOn: '2026-07-01' }, 1, 'system'),
      planMeasure({ ...measure('M7'), dueDays: 10 }, { answers: ['F4'], startsOn: '2026-07-01' }, 1, 'system'),
    ],
    notPlanned: [],
    proposals: [],
    status: 'active',
    closedReason: '',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    version: 1,
    ...over,
  };
}
const reconcile = (p: PlanDoc, existing: TaskDoc[] = []) =>
  reconcileTasks(p, existing, { defaultDueDays: 30, now: NOW });

describe('reconcileTasks', () => {
  it('opens one task per active measure and department, due after the measure’s days or the default', () => {
    const { create, close } = reconcile(plan());
    expect(create.map((t) => [t.measureCode, t.department, t.startsOn, t.dueOn])).toEqual([
      ['M4', 'medical_insurance', '2026-07-01', '2026-07-31'],
      ['M4', 'civil_affairs', '2026-07-01', '2026-07-31'],
      ['M4', 'health', '2026-07-01', '2026-07-31'],
      ['M7', 'insurer', '2026-07-01', '2026-07-11'],
    ]);
    expect(
      create.every(
        (t) => t.state === 'open' && t.version === 1 && t._id === taskId('hh-1', t.measureCode, 1, t.department),
      ),
    ).toBe(true);
    expect(close).toEqual([]);
  });

  it('opens nothing that exists and closes nothing of an unchanged plan (idempotent)', () => {
    const first = reconcile(plan()).create;
    expect(reconcile(plan(), first)).toEqual({ create: [], close: [] });
  });

  it.each([
    ['open', true],
    ['accepted', true],
    ['delivered', false],
    ['declined', false],
    ['closed', false],
  ] as const)('a dropped measure’s %s task closes: %s', (state, closes) => {
    const tasks = reconcile(plan()).create.map((t) => ({ ...t, state }));
    const p = plan();
    p.measures[0] = { ...p.measures[0]!, status: 'dropped', dropReason: '已纳入低保' };
    const { create, close } = reconcile(p, tasks);
    expect(create).toEqual([]);
    expect(close.map((c) => [c.task.measureCode, c.reason])).toEqual(
      closes
        ? [
            ['M4', '已纳入低保'],
            ['M4', '已纳入低保'],
            ['M4', '已纳入低保'],
          ]
        : [],
    );
  });

  it('closes every task still to be worked of a closed plan with its reason', () => {
    const tasks = reconcile(plan()).create;
    tasks[0] = { ...tasks[0]!, state: 'delivered' };
    const { close } = reconcile(plan({ status: 'closed', closedReason: '退出' }), tasks);
    expect(close.map((c) => c.reason)).toEqual(['退出', '退出', '退出']);
  });

  it('a measure taken up again gets new tasks (keyed by the version it came back at)', () => {
    const old = reconcile(plan()).create.map((t) => ({ ...t, state: 'closed' as const }));
    const p = plan({ version: 3 });
    p.measures[0] = { ...p.measures[0]!, since: 3 };
    const { create } = reconcile(p, old);
    expect(create.map((t) => t.measureCode)).toEqual(['M4', 'M4', 'M4']);
    expect(create.every((t) => t.since === 3 && !old.some((o) => o._id === t._id))).toBe(true);
    expect(CAUSES_CHANGED).toMatch(/causes changed/);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-07-01', 30, '2026-07-31'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
  ])('%s + %i = %s', (d, n, expected) => expect(addDays(d, n)).toBe(expected));
  it('refuses what is not a date', () => expect(() => addDays('July', 1)).toThrow(RangeError));
});
