import fc from 'fast-check';
import { judgeQuota, quotaLimits, ratioMillionths, type QuotaJudgement, type QuotaLimits } from './quota';

const DEFAULTS = { quotaRatio: 0.05, overrideRatio: 0.1 };

describe('quotaLimits', () => {
  it.each([
    // population, Q = round-half-up(5 %), hard = ⌊Q × 1.1⌋
    [1000, 50, 55],
    [10, 1, 1], // 0.5 rounds up; ⌊1.1⌋ = 1
    [30, 2, 2], // 1.5 → 2
    [9, 0, 0], // 0.45 → 0
    [1010, 51, 56], // 50.5 → 51; ⌊56.1⌋
    [200, 10, 11],
    [1400, 70, 77],
    [0, 0, 0],
    [120_000, 6000, 6600],
  ])('population %i → Q %i, hard limit %i', (pop, quota, hardLimit) => {
    expect(quotaLimits({ registeredPoorPopulation: pop, ...DEFAULTS })).toEqual({ quota, hardLimit });
  });

  it('is exact where floating point is not', () => {
    // 0.29 × 100 = 28.999999999999996 in floating point; the rule says 29.
    expect(quotaLimits({ registeredPoorPopulation: 100, quotaRatio: 0.29, overrideRatio: 0 })).toEqual({
      quota: 29,
      hardLimit: 29,
    });
    // 100 × (1 + 0.15) = 114.99999999999999 in floating point; the rule says 115.
    expect(quotaLimits({ registeredPoorPopulation: 2000, quotaRatio: 0.05, overrideRatio: 0.15 })).toEqual({
      quota: 100,
      hardLimit: 115,
    });
  });

  it.each([
    [{ registeredPoorPopulation: -1, ...DEFAULTS }],
    [{ registeredPoorPopulation: 1.5, ...DEFAULTS }],
    [{ registeredPoorPopulation: 100, quotaRatio: 0.0500001, overrideRatio: 0.1 }],
    [{ registeredPoorPopulation: 100, quotaRatio: 0.05, overrideRatio: -0.1 }],
    [{ registeredPoorPopulation: 100, quotaRatio: NaN, overrideRatio: 0.1 }],
  ])('refuses %j', (p) => {
    expect(() => quotaLimits(p)).toThrow(RangeError);
  });

  it('equals the exact rational computation for any population and 6-place ratios', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (pop, r, o) => {
          const { quota, hardLimit } = quotaLimits({
            registeredPoorPopulation: pop,
            quotaRatio: r / 1_000_000,
            overrideRatio: o / 1_000_000,
          });
          const M = 1_000_000n;
          const q = (BigInt(pop) * BigInt(r) * 2n + M) / (2n * M); // round half up
          expect(BigInt(quota)).toBe(q);
          expect(BigInt(hardLimit)).toBe((q * (M + BigInt(o))) / M);
          expect(hardLimit).toBeGreaterThanOrEqual(quota);
        },
      ),
    );
  });
});

describe('ratioMillionths', () => {
  it.each([
    [0.05, 50_000],
    [0.1, 100_000],
    [0, 0],
    [1, 1_000_000],
    [0.123456, 123_456],
    [0.1234567, null],
    [-0.05, null],
    [NaN, null],
    [Infinity, null],
  ])('%p → %p', (ratio, expected) => expect(ratioMillionths(ratio)).toBe(expected));
});

describe('judgeQuota at the limits (Q = 50, hard limit 55)', () => {
  const limits: QuotaLimits = { quota: 50, hardLimit: 55 };
  it.each<[string, number, number, string, QuotaJudgement]>([
    ['below Q', 40, 5, '', { ok: true, override: false }],
    ['exactly Q', 45, 5, '', { ok: true, override: false }],
    ['exactly Q, reason given anyway', 45, 5, 'reason', { ok: true, override: false }],
    [
      'Q + 1 without a reason',
      45,
      6,
      '',
      { ok: false, code: 'quota_override_required', after: 51, quota: 50, hardLimit: 55 },
    ],
    [
      'Q + 1 with a blank reason',
      45,
      6,
      '   ',
      { ok: false, code: 'quota_override_required', after: 51, quota: 50, hardLimit: 55 },
    ],
    ['Q + 1 with a reason', 45, 6, '因灾致贫，县领导小组研究同意', { ok: true, override: true }],
    ['hard limit with a reason', 50, 5, 'reason', { ok: true, override: true }],
    [
      'hard limit without a reason',
      50,
      5,
      '',
      { ok: false, code: 'quota_override_required', after: 55, quota: 50, hardLimit: 55 },
    ],
    [
      'hard limit + 1 with a reason',
      50,
      6,
      'reason',
      { ok: false, code: 'quota_exceeded', after: 56, quota: 50, hardLimit: 55 },
    ],
    [
      'hard limit + 1 without a reason',
      50,
      6,
      '',
      { ok: false, code: 'quota_exceeded', after: 56, quota: 50, hardLimit: 55 },
    ],
    [
      'already beyond Q by override',
      53,
      1,
      '',
      { ok: false, code: 'quota_override_required', after: 54, quota: 50, hardLimit: 55 },
    ],
  ])('%s', (_what, used, persons, reason, expected) => {
    expect(judgeQuota(used, persons, limits, reason)).toEqual(expected);
  });

  it('a county with no quota approves nobody', () => {
    expect(judgeQuota(0, 1, { quota: 0, hardLimit: 0 }, 'reason')).toMatchObject({ ok: false, code: 'quota_exceeded' });
  });
});

/** 0 fits, 1 needs (or used) the override, 2 refused. */
function severity(j: QuotaJudgement): number {
  if (j.ok) return j.override ? 1 : 0;
  return j.code === 'quota_override_required' ? 1 : 2;
}

describe('judgeQuota properties', () => {
  const arbLimits = fc
    .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 1_000_000 }))
    .map(([pop, o]) => quotaLimits({ registeredPoorPopulation: pop, quotaRatio: 0.05, overrideRatio: o / 1_000_000 }));
  const arbReason = fc.constantFrom('', ' ', 'reason');

  it('is monotone in persons: more persons never makes it easier', () => {
    fc.assert(
      fc.property(
        arbLimits,
        fc.nat(10_000),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        arbReason,
        (limits, used, p, extra, reason) => {
          expect(severity(judgeQuota(used, p + extra, limits, reason))).toBeGreaterThanOrEqual(
            severity(judgeQuota(used, p, limits, reason)),
          );
        },
      ),
    );
  });

  it('is monotone in used', () => {
    fc.assert(
      fc.property(
        arbLimits,
        fc.nat(10_000),
        fc.nat(100),
        fc.integer({ min: 1, max: 20 }),
        arbReason,
        (limits, used, more, p, reason) => {
          expect(severity(judgeQuota(used + more, p, limits, reason))).toBeGreaterThanOrEqual(
            severity(judgeQuota(used, p, limits, reason)),
          );
        },
      ),
    );
  });

  it('accepts exactly within the hard limit with a reason, within Q without one', () => {
    fc.assert(
      fc.property(arbLimits, fc.nat(10_000), fc.integer({ min: 1, max: 20 }), arbReason, (limits, used, p, reason) => {
        const after = used + p;
        const withReason = reason.trim() !== '';
        const j = judgeQuota(used, p, limits, reason);
        expect(j.ok).toBe(after <= limits.quota || (withReason && after <= limits.hardLimit));
        if (j.ok) expect(j.override).toBe(after > limits.quota);
      }),
    );
  });
});
