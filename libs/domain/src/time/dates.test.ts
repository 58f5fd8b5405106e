import { ageOn, isValidDate, todayInChina } from './dates';

describe('isValidDate', () => {
  it.each([
    ['2020-01-31', true],
    ['2020-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400: leap
    ['1992-02-29', true],
    ['2021-02-29', false],
    ['1900-02-29', false], // divisible by 100 but not 400: common
    ['2100-02-29', false],
    ['2021-02-28', true],
    ['2021-04-31', false],
    ['2021-04-30', true],
    ['2021-12-31', true],
    ['2021-13-01', false],
    ['2021-00-10', false],
    ['2021-01-00', false],
    ['2021-1-01', false],
    ['2021-01-1', false],
    ['20210101', false],
    ['2021/01/01', false],
    ['2021-01-01T00:00:00Z', false],
    [' 2021-01-01', false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isValidDate(value)).toBe(expected);
  });

  it('rejects non-strings', () => {
    expect(isValidDate(20210101)).toBe(false);
    expect(isValidDate(null)).toBe(false);
    expect(isValidDate(new Date())).toBe(false);
  });
});

describe('ageOn (周岁, DOMAIN.md §2)', () => {
  it.each([
    ['1960-06-15', '2020-06-14', 59],
    ['1960-06-15', '2020-06-15', 60], // the birthday itself completes the year: "60周岁以上" includes it
    ['1960-06-15', '2020-06-16', 60],
    ['2004-06-15', '2020-06-15', 16],
    ['2020-06-15', '2020-06-15', 0],
    // born on 29 February: a year older on 1 March in common years, on 29 February in leap years
    ['2004-02-29', '2021-02-28', 16],
    ['2004-02-29', '2021-03-01', 17],
    ['2004-02-29', '2020-02-28', 15],
    ['2004-02-29', '2020-02-29', 16],
    ['1960-12-31', '2021-01-01', 60],
  ])('born %s, on %s: %i', (birth, asOf, age) => {
    expect(ageOn(birth, asOf)).toBe(age);
  });

  it('refuses invalid dates and an as-of date before birth', () => {
    expect(() => ageOn('2021-02-29', '2022-01-01')).toThrow(RangeError);
    expect(() => ageOn('2020-01-01', '2019-12-31')).toThrow(RangeError);
  });
});

describe('todayInChina', () => {
  it('is the civil date at UTC+8', () => {
    expect(todayInChina(new Date('2021-06-30T15:59:59Z'))).toBe('2021-06-30');
    expect(todayInChina(new Date('2021-06-30T16:00:00Z'))).toBe('2021-07-01');
    expect(isValidDate(todayInChina())).toBe(true);
  });
});
