import fc from 'fast-check';
import { minimalHousehold } from '../testing';
import { MAX_AMOUNT_YUAN, netIncomeFen, parseFen, perCapitaIncomeFen, toFen } from './money';
import type { Income, Member } from './types';

describe('toFen', () => {
  it.each([
    [0, 0],
    [-0, 0],
    [0.01, 1],
    [0.07, 7], // 0.07 × 100 = 7.000000000000001 in floating point
    [0.29, 29], // 0.29 × 100 = 28.999999999999996
    [0.57, 57], // 0.57 × 100 = 56.99999999999999
    [1.1, 110],
    [4.35, 435], // 4.35 × 100 = 434.99999999999994
    [1234.56, 123456],
    [6000, 600000],
    [4827, 482700],
    [-12.34, -1234],
    [-0.01, -1],
    [MAX_AMOUNT_YUAN, 10_000_000_000],
    [90_071_992_547_409.9, 9_007_199_254_740_990], // 16 significant digits, near the largest safe fen
  ])('%d yuan → %d fen', (yuan, fen) => {
    expect(toFen(yuan)).toBe(fen);
    expect(Object.is(toFen(yuan), -0)).toBe(false);
  });

  it.each([
    ['three decimals', 1.005],
    ['a float sum that is not 0.3', 0.1 + 0.2],
    ['a tiny amount in exponent notation', 1e-7],
    ['a negative tiny amount', -1e-7],
  ])('refuses %s as too many decimals', (_what, yuan) => {
    expect(() => toFen(yuan)).toThrow(/more than 2 decimals/);
    expect(parseFen(yuan)).toEqual({ ok: false, problem: 'too_many_decimals' });
  });

  it.each([NaN, Infinity, -Infinity, 1e21, 2 ** 60])('refuses %d as not a finite number of fen', (yuan) => {
    expect(() => toFen(yuan)).toThrow(RangeError);
    expect(parseFen(yuan)).toEqual({ ok: false, problem: 'not_finite' });
  });

  it('inverts division by 100 for every whole number of fen', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => toFen(fen / 100) === fen),
      { numRuns: 2000 },
    );
  });

  it('inverts division by 100 for amounts near the decimal boundaries', () => {
    for (let fen = 0; fen <= 100_000; fen++)
      if (toFen(fen / 100) !== fen) throw new Error(`toFen(${fen / 100}) !== ${fen}`);
  });
});

describe('netIncomeFen', () => {
  const income = (wage: number, business: number, property: number, transfer: number): Income => ({
    year: 2020,
    wage,
    business,
    property,
    transfer,
  });

  it('adds the four sources exactly', () => {
    expect(netIncomeFen(income(0.1, 0.2, 0, 0))).toBe(30); // 0.1 + 0.2 is not 0.3 in floating point
    expect(netIncomeFen(income(12000.5, -3000.25, 100, 2400.01))).toBe(1_150_026);
    expect(netIncomeFen(income(0, -5000, 0, 1000))).toBe(-400_000);
  });

  it('refuses amounts with more than 2 decimals rather than rounding them', () => {
    expect(() => netIncomeFen(income(0.001, 0, 0, 0))).toThrow(RangeError);
  });
});

describe('perCapitaIncomeFen', () => {
  const members = (n: number): Member[] =>
    Array.from({ length: n }, (_, i) => ({
      name: '赵一',
      relation: i === 0 ? 'head' : 'child',
      birthDate: '1980-01-01',
    }));

  it('is null when the income is unknown (unknown is not zero)', () => {
    expect(perCapitaIncomeFen(minimalHousehold())).toBeNull();
  });

  it('divides net income by the number of members, rounding down to whole fen', () => {
    const inc = { year: 2020, wage: 18000, business: 0, property: 0, transfer: 0 };
    expect(perCapitaIncomeFen({ income: inc, members: members(3) })).toBe(600_000);
    expect(perCapitaIncomeFen({ income: { ...inc, wage: 17999.99 }, members: members(3) })).toBe(599_999);
    expect(perCapitaIncomeFen({ income: { ...inc, wage: 18000.01 }, members: members(3) })).toBe(600_000);
    expect(perCapitaIncomeFen({ income: { ...inc, wage: 0, business: -100 }, members: members(3) })).toBe(-3334);
  });

  it('keeps "below the line" exact: floor(per capita) < L ⇔ net < L × members', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e10 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 2e6 }),
        (netFen, n, lineFen) => {
          const pc = perCapitaIncomeFen({
            income: { year: 2020, wage: 0, business: netFen / 100, property: 0, transfer: 0 },
            members: members(n),
          })!;
          return pc < lineFen === netFen < lineFen * n;
        },
      ),
    );
  });
});
