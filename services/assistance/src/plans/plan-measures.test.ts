import fc from 'fast-check';
import { DEFAULT_MEASURES, type MeasureCode } from '@shouwang/domain';
import { amountProblem, answersFor, laterOf, planMeasure, sortMeasures, withMeasure } from './plan-measures';

const measure = (code: MeasureCode) => DEFAULT_MEASURES.find((m) => m.code === code)!;
const entry = (code: MeasureCode) => planMeasure(measure(code), { answers: [], startsOn: '2026-07-01' }, 1, 'system');

describe('amountProblem (yuan, compared in fen)', () => {
  it.each([
    [1, null, null],
    [0.01, null, null],
    [50000, 50000, null],
    [50000.01, 50000, 'over_limit'],
    [49999.99, 50000, null],
    [0, null, 'out_of_range'],
    [-1, 10, 'out_of_range'],
    [Number.NaN, null, 'out_of_range'],
    [1.005, null, 'too_precise'],
    [0.1 + 0.2, null, null], // float noise of 0.30 is 30 fen
    [0.125, null, 'too_precise'],
  ])('%d against %p → %p', (amount, limit, code) => {
    expect(amountProblem(amount, limit)?.code ?? null).toBe(code);
  });

  it('every amount of whole fen up to the limit is accepted, one fen more is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30_000_000 }), (fen) => {
        const limit = fen / 100;
        expect(amountProblem(fen / 100, limit)).toBeNull();
        expect(amountProblem((fen + 1) / 100, limit)?.code).toBe('over_limit');
      }),
    );
  });
});

describe('the order of a plan’s measures', () => {
  it('puts policy measures first in code order, insurance last', () => {
    expect(sortMeasures(['M7', 'M10', 'M2', 'M9'].map((c) => entry(c as MeasureCode))).map((m) => m.code)).toEqual([
      'M2',
      'M9',
      'M10',
      'M7',
    ]);
  });
  it('withMeasure replaces the entry of the same code and keeps the order', () => {
    const measures = [entry('M4'), entry('M10'), entry('M7')];
    const dropped = { ...measures[1]!, status: 'dropped' as const };
    expect(
      withMeasure([measures[0]!, dropped, measures[2]!], entry('M10')).map((m) => `${m.code}:${m.status}`),
    ).toEqual(['M4:active', 'M10:active', 'M7:active']);
    expect(withMeasure(measures, entry('M6')).map((m) => m.code)).toEqual(['M4', 'M6', 'M10', 'M7']);
  });
  it('answersFor: an "all" measure answers every cause, others their own', () => {
    expect(answersFor(measure('M8'), ['F4', 'F6'])).toEqual(['F4', 'F6']);
    expect(answersFor(measure('M10'), ['F4', 'F6'])).toEqual(['F6']);
  });
  it('laterOf', () => {
    expect(laterOf('2026-07-01', '2026-06-15')).toBe('2026-07-01');
    expect(laterOf('2026-07-01', '2026-07-15')).toBe('2026-07-15');
  });
});
