import fc from 'fast-check';
import { arbDate } from '../testing';
import {
  addDays,
  decisionDueOn,
  isLate,
  isQuarter,
  judgeNoticeClosing,
  noticePeriod,
  policyStartDate,
  quarterOf,
  withinNotice,
} from './calendar';

const arbDay = arbDate('2000-01-01', '2099-12-31');

describe('addDays', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2024-02-28', 1, '2024-02-29'], // leap year
    ['2025-02-28', 1, '2025-03-01'],
    ['2100-02-28', 1, '2100-03-01'], // divisible by 100, not 400: common
    ['2026-03-10', 0, '2026-03-10'],
    ['2026-01-31', 15, '2026-02-15'],
  ])('%s + %i = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('refuses what is not a date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('20260101', 1)).toThrow(RangeError);
  });

  it('going forward and back returns to the same day', () => {
    fc.assert(
      fc.property(arbDay, fc.integer({ min: -400, max: 400 }), (d, n) => expect(addDays(addDays(d, n), -n)).toBe(d)),
    );
  });
});

describe('noticePeriod', () => {
  it.each([
    ['2026-12-01', 5, '2026-12-05'],
    ['2026-12-29', 5, '2027-01-02'],
    ['2024-02-27', 5, '2024-03-02'],
    ['2026-06-10', 1, '2026-06-10'],
  ])('opened %s for %i days ends %s (both inclusive)', (opened, days, end) => {
    expect(noticePeriod(opened, days)).toEqual({ startDate: opened, endDate: end, days });
  });

  it.each([0, -1, 2.5, NaN])('refuses %p days', (days) => {
    expect(() => noticePeriod('2026-12-01', days)).toThrow(RangeError);
  });

  it('runs exactly `days` days', () => {
    fc.assert(
      fc.property(arbDay, fc.integer({ min: 1, max: 60 }), (d, days) => {
        const n = noticePeriod(d, days);
        expect(addDays(n.startDate, days - 1)).toBe(n.endDate);
        expect(withinNotice(n.startDate, n)).toBe(true);
        expect(withinNotice(n.endDate, n)).toBe(true);
        expect(withinNotice(addDays(n.startDate, -1), n)).toBe(false);
        expect(withinNotice(addDays(n.endDate, 1), n)).toBe(false);
      }),
    );
  });
});

describe('withinNotice', () => {
  const notice = { startDate: '2026-12-01', endDate: '2026-12-05' };
  it.each([
    ['2026-11-30', false],
    ['2026-12-01', true],
    ['2026-12-03', true],
    ['2026-12-05', true],
    ['2026-12-06', false],
  ])('%s → %s', (d, expected) => expect(withinNotice(d, notice)).toBe(expected));
});

describe('judgeNoticeClosing', () => {
  const notice = { endDate: '2026-12-05' };
  it('refuses before and on the end date, naming it', () => {
    expect(judgeNoticeClosing('2026-12-01', notice, [])).toEqual({
      ok: false,
      code: 'notice_not_ended',
      endDate: '2026-12-05',
    });
    expect(judgeNoticeClosing('2026-12-05', notice, [])).toEqual({
      ok: false,
      code: 'notice_not_ended',
      endDate: '2026-12-05',
    });
  });

  it('allows closing from the day after the end date', () => {
    expect(judgeNoticeClosing('2026-12-06', notice, [])).toEqual({ ok: true });
    expect(judgeNoticeClosing('2027-03-01', notice, [])).toEqual({ ok: true });
  });

  it('refuses while objections are unresolved, counting them', () => {
    const objections = [{ resolution: '' }, { resolution: 'dismissed' }, { resolution: '' }];
    expect(judgeNoticeClosing('2026-12-06', notice, objections)).toEqual({
      ok: false,
      code: 'objections_unresolved',
      unresolved: 2,
    });
  });

  it('allows closing once every objection is resolved either way', () => {
    expect(judgeNoticeClosing('2026-12-06', notice, [{ resolution: 'dismissed' }, { resolution: 'upheld' }])).toEqual({
      ok: true,
    });
  });

  it('the end date comes first: on the end date with open objections it is still notice_not_ended', () => {
    expect(judgeNoticeClosing('2026-12-05', notice, [{ resolution: '' }])).toMatchObject({ code: 'notice_not_ended' });
  });

  it('with no objections, closes exactly after the end date', () => {
    fc.assert(
      fc.property(arbDay, arbDay, (today, end) => {
        expect(judgeNoticeClosing(today, { endDate: end }, []).ok).toBe(today > end);
      }),
    );
  });
});

describe('decisionDueOn and isLate', () => {
  it('the county decides within 15 days of the first submission', () => {
    expect(decisionDueOn('2026-12-20', 15)).toBe('2027-01-04');
    expect(decisionDueOn('2026-02-14', 15)).toBe('2026-03-01');
  });

  it.each([
    ['undecided, today is the due day', '2026-12-16', undefined, false],
    ['undecided, today is the day after', '2026-12-17', undefined, true],
    ['decided on the due day, today later', '2027-02-01', '2026-12-16', false],
    ['decided the day after', '2027-02-01', '2026-12-17', true],
    ['decided early', '2026-12-20', '2026-12-10', false],
  ])('%s', (_what, today, decidedOn, expected) => {
    expect(isLate('2026-12-16', today, decidedOn)).toBe(expected);
  });
});

describe('policyStartDate (次月)', () => {
  it.each([
    ['2026-12-15', '2027-01-01'],
    ['2026-12-01', '2027-01-01'],
    ['2026-12-31', '2027-01-01'],
    ['2026-01-31', '2026-02-01'],
    ['2024-02-29', '2024-03-01'],
    ['2026-09-01', '2026-10-01'],
    ['2026-11-30', '2026-12-01'],
  ])('approved %s → policies start %s', (approved, start) => {
    expect(policyStartDate(approved)).toBe(start);
  });

  it('refuses what is not a date', () => {
    expect(() => policyStartDate('2026-13-01')).toThrow(RangeError);
  });

  it('is the first day of the following month, always after approval and at most 31 days later', () => {
    fc.assert(
      fc.property(arbDay, (d) => {
        const s = policyStartDate(d);
        expect(s.slice(8)).toBe('01');
        expect(s > d).toBe(true);
        expect(addDays(d, 31) >= s).toBe(true);
        expect(s.slice(0, 7)).toBe(addDays(`${d.slice(0, 7)}-28`, 4).slice(0, 7));
      }),
    );
  });
});

describe('quarters', () => {
  it.each([
    ['2026-01-01', '2026Q1'],
    ['2026-03-31', '2026Q1'],
    ['2026-04-01', '2026Q2'],
    ['2026-06-30', '2026Q2'],
    ['2026-07-01', '2026Q3'],
    ['2026-09-30', '2026Q3'],
    ['2026-10-01', '2026Q4'],
    ['2026-12-31', '2026Q4'],
  ])('%s is in %s', (d, q) => expect(quarterOf(d)).toBe(q));

  it.each([
    ['2026Q1', true],
    ['2026Q4', true],
    ['2026Q0', false],
    ['2026Q5', false],
    ['26Q1', false],
    ['2026q1', false],
    [2026, false],
  ])('isQuarter(%p) = %s', (v, expected) => expect(isQuarter(v)).toBe(expected));

  it('every date has a valid quarter', () => {
    fc.assert(fc.property(arbDay, (d) => expect(isQuarter(quarterOf(d))).toBe(true)));
  });
});
