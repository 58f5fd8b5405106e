import fc from 'fast-check';
import type { Household, Member } from '../household/types';
import { DEFAULT_ARB_AS_OF, arbHousehold } from '../testing';
import { assessHousehold, isBelowLine } from './assess';
import { FEATURE_CODES } from './features';

const AS_OF = DEFAULT_ARB_AS_OF;

/** Valid households with a 2021 income (and 2020 previous income when present), so a line exists. */
const arbAssessable = arbHousehold({ asOf: AS_OF })
  .filter((h) => h.income !== undefined)
  .map((h): Household => ({
    ...h,
    income: { ...h.income!, year: 2021 },
    ...(h.previousIncome && { previousIncome: { ...h.previousIncome, year: 2020 } }),
  }));

function assess(h: Household) {
  const r = assessHousehold(h, { asOf: AS_OF });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.result;
}

describe('assessment properties', () => {
  it('more income never makes incomeBelowLine true', () => {
    fc.assert(
      fc.property(arbAssessable, fc.integer({ min: 0, max: 1_000_000_000 }), (h, extraFen) => {
        const before = assess(h);
        const wage = Math.min(h.income!.wage + extraFen / 100, 100_000_000);
        const after = assess({ ...h, income: { ...h.income!, wage: Math.round(wage * 100) / 100 } });
        if (!before.incomeBelowLine) expect(after.incomeBelowLine).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('isBelowLine is monotone in net income', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -4e10, max: 4e10 }),
        fc.nat(1e10),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 1e8 }),
        fc.integer({ min: -5000, max: 10_000 }),
        (net, more, n, line, tBp) => {
          if (!isBelowLine(net, n, line, tBp)) expect(isBelowLine(net + more, n, line, tBp)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("adding a member with labour 'skilled' never triggers F2", () => {
    const skilled: Member = { name: '李四', relation: 'other', birthDate: '1990-05-05', labour: 'skilled' };
    fc.assert(
      fc.property(arbAssessable, (h) => {
        expect(assess({ ...h, members: [...h.members, skilled] }).features).not.toContain('F2');
      }),
      { numRuns: 300 },
    );
  });

  it('features are always sorted in numeric order and unique; warnings likewise', () => {
    fc.assert(
      fc.property(arbAssessable, (h) => {
        const r = assess(h);
        const order = r.features.map((f) => FEATURE_CODES.indexOf(f));
        expect(order.every((x, i) => x >= 0 && (i === 0 || order[i - 1] < x))).toBe(true);
        expect(r.explanation.features.map((f) => f.code)).toEqual(r.features);
        expect(new Set(r.warnings).size).toBe(r.warnings.length);
        expect(r.monitoringObject).toBe(r.category !== null);
        if (h.povertyStatus === 'registered_poor') expect(r.monitoringObject).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('the result never depends on member (or shock) order', () => {
    const permuted = arbAssessable.chain((h) =>
      fc.tuple(
        fc.constant(h),
        fc.shuffledSubarray(h.members, { minLength: h.members.length }),
        fc.shuffledSubarray(h.shocks ?? [], { minLength: (h.shocks ?? []).length }),
      ),
    );
    fc.assert(
      fc.property(permuted, ([h, members, shocks]) => {
        const reordered: Household = { ...h, members, ...(h.shocks && { shocks }) };
        expect(assessHousehold(reordered, { asOf: AS_OF })).toStrictEqual(assessHousehold(h, { asOf: AS_OF }));
      }),
      { numRuns: 300 },
    );
  });
});
