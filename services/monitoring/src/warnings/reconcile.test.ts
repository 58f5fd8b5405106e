import { assessHousehold, type AssessmentResult, type Household } from '@shouwang/domain';
import {
  canonicalKey,
  causesOf,
  reconcileWarnings,
  type CauseSignal,
  type HeldWarning,
  type Reconciliation,
  type WarningCause,
} from './reconcile';

const signal = (cause: WarningCause, inputs: Record<string, unknown> = { x: 1 }): CauseSignal => ({
  cause,
  explanation: { zh: cause, en: cause },
  inputs,
});
const held = (
  cause: WarningCause,
  status: HeldWarning['status'],
  inputs: Record<string, unknown> = { x: 1 },
): HeldWarning => ({
  id: `w-${cause}`,
  cause,
  status,
  inputsKey: canonicalKey(inputs),
});
/** A reconciliation in short: kind:cause(:changed). */
const short = (r: Reconciliation) =>
  r.kind === 'raise'
    ? `raise:${r.signal.cause}`
    : r.kind === 'update'
      ? `update:${r.warning.cause}${r.changed ? ':changed' : ''}`
      : `${r.kind}:${r.warning.cause}`;

describe('reconcileWarnings: one warning per household and cause', () => {
  const cases: [string, HeldWarning[], CauseSignal[], string[]][] = [
    ['a new cause raises a warning', [], [signal('F2')], ['raise:F2']],
    ['nothing held, nothing present: nothing to do', [], [], []],
    ['the same signal again only updates last seen', [held('F2', 'open')], [signal('F2')], ['update:F2']],
    ['changed inputs update the warning', [held('F2', 'open')], [signal('F2', { x: 2 })], ['update:F2:changed']],
    [
      'an acknowledged warning is updated too',
      [held('unsafe_water', 'acknowledged')],
      [signal('unsafe_water')],
      ['update:unsafe_water'],
    ],
    ['a cause that is gone resolves an open warning', [held('F3', 'open')], [], ['resolve:F3']],
    ['and an acknowledged one', [held('F3', 'acknowledged')], [], ['resolve:F3']],
    [
      'a dismissed warning whose cause persists is left alone (no new warning)',
      [held('F6', 'dismissed')],
      [signal('F6')],
      [],
    ],
    ['a converted warning whose cause persists is left alone', [held('F6', 'converted')], [signal('F6')], []],
    ['a dismissed warning whose cause is gone gives up its slot', [held('F6', 'dismissed')], [], ['release:F6']],
    [
      'several causes at once',
      [held('F1', 'open'), held('F2', 'open'), held('income_drop', 'dismissed')],
      [signal('F2'), signal('F8'), signal('income_drop')],
      ['update:F2', 'raise:F8', 'resolve:F1'],
    ],
  ];
  it.each(cases)('%s', (_name, current, signals, expected) => {
    expect(reconcileWarnings(current, signals).map(short)).toEqual(expected);
  });

  it('compares inputs regardless of key order', () => {
    const r = reconcileWarnings(
      [held('F1', 'open', { a: 1, b: [{ c: 1, d: 2 }] })],
      [signal('F1', { b: [{ d: 2, c: 1 }], a: 1 })],
    );
    expect(r.map(short)).toEqual(['update:F1']);
  });
});

describe('causesOf', () => {
  const base: Household = {
    areaCode: '360731101201',
    address: '于都县某村',
    povertyStatus: 'none',
    members: [{ name: '老人', relation: 'head', birthDate: '1950-01-01', labour: 'none' }],
    income: { year: 2021, wage: 0, business: 0, property: 0, transfer: 1000 },
    drinkingWaterSafe: false,
  };
  const assess = (h: Household): AssessmentResult => {
    const o = assessHousehold(h, { asOf: '2021-06-30' });
    if (!o.ok) throw new Error(o.error.message);
    return o.result;
  };

  it('features of a monitoring object and monitoring-content warnings are causes', () => {
    const causes = causesOf(assess(base)).map((c) => c.cause);
    expect(causes).toEqual(['F1', 'F2', 'unsafe_water']);
  });

  it('features of a household above the line are no cause; monitoring-content warnings always are', () => {
    const rich = { ...base, income: { year: 2021, wage: 0, business: 0, property: 0, transfer: 100000 } };
    const r = assess(rich);
    expect(r.features).toEqual(['F1', 'F2']);
    expect(causesOf(r).map((c) => c.cause)).toEqual(['unsafe_water']);
  });

  it('explains each cause in Chinese and English with the inputs that triggered it', () => {
    const [f1] = causesOf(assess(base));
    expect(f1.explanation.zh).toContain('转移性收入');
    expect(f1.explanation.en).toContain('transfer');
    expect(f1.inputs).toEqual({ transfer: 1000, netIncome: 1000, share: 0.4 });
  });
});
