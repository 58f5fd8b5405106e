import fc from 'fast-check';
import {
  COUNTIES,
  DEFAULT_POLICY,
  FEATURE_CODES,
  WARNING_CODES,
  ageOn,
  assessHousehold,
  birthDateFromIdNumber,
  perCapitaIncomeFen,
  syntheticAreas,
  validateHousehold,
  type Household,
} from '..';
import { IdNumberAllocator, SYNTHETIC_DEFAULT_YEAR, generateHouseholds, type SyntheticHouseholdOptions } from '.';

const YUDU = '360731';
const take = (n: number, opts: SyntheticHouseholdOptions): Household[] => [...generateHouseholds(n, opts)];
const asOfOf = (opts: SyntheticHouseholdOptions) => opts.asOf ?? `${opts.year ?? SYNTHETIC_DEFAULT_YEAR}-12-31`;

describe('generateHouseholds', () => {
  /** One sample shared by the tests that inspect many households. */
  const SAMPLE_AS_OF = '2021-12-31';
  let sample: Household[];
  beforeAll(() => {
    sample = take(6_000, { county: YUDU, seed: 42 });
  });

  it('generates only households that validateHousehold accepts unchanged, for any seed, county, year and as-of date', () => {
    const options = fc
      .record({
        seed: fc.integer({ min: 0, max: 0xffff_ffff }),
        county: fc.constantFrom(...COUNTIES.map((c) => c.code)),
        year: fc.integer({ min: 2001, max: 2100 }),
        daysAfterNewYear: fc.option(fc.integer({ min: 0, max: 1_500 }), { nil: undefined }),
      })
      .map(({ daysAfterNewYear, ...o }): SyntheticHouseholdOptions => {
        if (daysAfterNewYear === undefined) return o; // the default as-of date
        const asOf = new Date(Date.UTC(o.year, 0, 1 + daysAfterNewYear)).toISOString().slice(0, 10);
        return { ...o, asOf };
      });
    fc.assert(
      fc.property(options, (opts) => {
        for (const h of generateHouseholds(25, opts)) {
          const r = validateHousehold(h, { asOf: asOfOf(opts) });
          if (!r.ok) throw new Error(JSON.stringify(r.issues.map((i) => [i.field, i.code])));
          expect(r.value).toStrictEqual(h);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('respects a given as-of date: no birth or shock after it, recent shocks within the year before it', () => {
    const opts = { county: '360702', seed: 3, year: 2020, asOf: '2020-06-30' };
    const households = take(3_000, opts);
    for (const h of households) expect(validateHousehold(h, { asOf: opts.asOf }).ok).toBe(true);
    const shockDates = households.flatMap((h) => (h.shocks ?? []).map((s) => s.date)).sort();
    expect(shockDates.length).toBeGreaterThan(0);
    expect(shockDates[shockDates.length - 1] <= opts.asOf).toBe(true);
    expect(shockDates.some((d) => d > '2019-07-01')).toBe(true);
  });

  it('is reproducible: the same options give identical output, another seed different output', () => {
    const opts = { county: YUDU, seed: 20_210_630 };
    const first = JSON.stringify(take(500, opts));
    expect(JSON.stringify(take(500, opts))).toBe(first);
    expect(JSON.stringify(take(500, { ...opts, seed: opts.seed + 1 }))).not.toBe(first);
    expect(JSON.stringify(take(500, { ...opts, year: 2020 }))).not.toBe(first);
  });

  it('streams: the first k households do not depend on how many are asked for, and nothing is made ahead', () => {
    const opts = { county: YUDU, seed: 11 };
    expect(take(40, opts)).toEqual(take(400, opts).slice(0, 40));
    const endless = generateHouseholds(Number.MAX_SAFE_INTEGER, opts);
    expect([endless.next().value, endless.next().value]).toEqual(take(2, opts));
  });

  it('never repeats an ID number within a run, and every ID number agrees with its birth date', () => {
    const ids = sample.flatMap((h) => h.members.map((m) => m.idNumber as string));
    expect(ids.length).toBeGreaterThan(20_000);
    expect(new Set(ids).size).toBe(ids.length);
    const disagreeing = sample.flatMap((h) =>
      h.members.filter((m) => birthDateFromIdNumber(m.idNumber as string) !== m.birthDate),
    );
    expect(disagreeing).toEqual([]);
  });

  it('places households only in the known villages of the county, the address naming county, township and village', () => {
    const areas = syntheticAreas();
    const name = new Map(areas.map((a) => [a.code, a.name]));
    const villages = areas.filter((a) => a.level === 'village' && a.code.startsWith('360732')).map((a) => a.code);
    const households = take(2_000, { county: '360732', seed: 5 });
    expect(new Set(households.map((h) => h.areaCode))).toEqual(new Set(villages));
    for (const h of households) {
      const prefix = `兴国县${name.get(h.areaCode.slice(0, 9))}${name.get(h.areaCode)}`;
      expect(h.address).toMatch(new RegExp(`^${prefix}\\d{1,2}组\\d{1,2}号$`));
    }
  });

  it('builds 1–7 members with one head and relations, ages, schooling, labour and care consistent', () => {
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && !problems.includes(what)) problems.push(what);
    };
    for (const h of sample) {
      const age = (m: Household['members'][number]) => ageOn(m.birthDate as string, SAMPLE_AS_OF);
      const heads = h.members.filter((m) => m.relation === 'head');
      check(heads.length === 1, 'exactly one head');
      const headAge = age(heads[0]);
      for (const m of h.members) {
        const a = age(m);
        check(a <= 98, 'age ≤ 98');
        if (m.relation === 'head' || m.relation === 'spouse') check(a >= 18, 'head and spouse are adults');
        if (m.relation === 'child') check(headAge - a >= 14, 'a child is ≥ 14 years younger than the head');
        if (m.relation === 'parent') check(a - headAge >= 15, 'a parent is ≥ 15 years older than the head');
        if (m.relation === 'grandchild') check(headAge - a >= 36, 'a grandchild is ≥ 36 years younger than the head');
        if (a < 16 || m.inSchool) check(m.labour === 'none', 'children and students have labour none');
        if (m.employed)
          check(['skilled', 'ordinary', 'weak_or_half'].includes(m.labour as string), 'employed ⇒ labour');
        if (m.mainLabour) check(m.labour !== 'none', 'a main labourer is no child or student');
        if (m.inSchool) check(a >= 3 && a <= 26, 'in school aged 3–26');
        if (m.inSchool && a >= 6 && a <= 14)
          check(['primary', 'junior'].includes(m.education as string), 'ages 6–14 in compulsory school');
        if (a <= 2) check(m.education === 'none', 'infants have no schooling');
        if (m.disabilityGrade !== null) check(m.health === 'disabled', 'a grade only with disability');
        if (m.hasGuardian === false) check(a < 18, 'only minors lack a guardian');
        if (m.hasSupporter === false) check(a >= 60, 'only the elderly lack a supporter');
      }
    }
    expect(problems).toEqual([]);
    expect([...new Set(sample.map((h) => h.members.length))].sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it.each([
    [2020, 1],
    [2020, 2],
    [2021, 1],
    [2021, 2],
  ])('in %d (seed %d) 5–15 %% of households fall below the 6 000-yuan line, with a plausible median', (year, seed) => {
    // perCapitaIncomeFen rounds down to whole fen, so for the whole-fen line "< 600 000 fen" is the
    // assessment's incomeBelowLine (tolerance 0), at a fraction of its cost.
    const perCapita = take(2_000, { county: '360730', seed, year }).map((h) => perCapitaIncomeFen(h) as number);
    const below = perCapita.filter((fen) => fen < DEFAULT_POLICY.monitoringLineFen[year]).length;
    expect(DEFAULT_POLICY.monitoringLineFen[year]).toBe(600_000);
    expect(below / 2_000).toBeGreaterThan(0.05);
    expect(below / 2_000).toBeLessThan(0.15);
    perCapita.sort((a, b) => a - b);
    expect(perCapita[1_000]).toBeGreaterThan(1_000_000);
    expect(perCapita[1_000]).toBeLessThan(2_000_000);
  });

  it('makes every feature, warning, category and poverty status occur, each in a minority', () => {
    const count = new Map<string, number>();
    const add = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
    for (const h of sample) {
      const r = assessHousehold(h, { asOf: SAMPLE_AS_OF });
      if (!r.ok) throw new Error(r.error.code);
      r.result.features.forEach(add);
      r.result.warnings.forEach(add);
      add(`category:${r.result.category}`);
      add(`status:${h.povertyStatus}`);
    }
    const keys = [
      ...FEATURE_CODES,
      ...WARNING_CODES,
      ...['category:edge', 'category:unstable_exited', 'category:sudden_hardship'],
      ...['status:registered_poor', 'status:exited_poor'],
    ];
    // At least 0.1 % and less than 20 % of households each.
    const outside = keys.filter((k) => !((count.get(k) ?? 0) >= 10 && (count.get(k) ?? 0) < 0.2 * sample.length));
    expect(outside.map((k) => `${k}: ${count.get(k) ?? 0}`)).toEqual([]);
  });

  it.each<[string, number, Partial<SyntheticHouseholdOptions>]>([
    ['an unknown county', 1, { county: '360727' }],
    ['a township as county', 1, { county: '360731101' }],
    ['a negative seed', 1, { seed: -1 }],
    ['a fractional seed', 1, { seed: 0.5 }],
    ['a seed above 2^32 − 1', 1, { seed: 2 ** 32 }],
    ['year 2000 (no previous year in range)', 1, { year: 2000 }],
    ['year 2101', 1, { year: 2101 }],
    ['an impossible as-of date', 1, { asOf: '2021-02-29' }],
    ['an as-of date before the income year', 1, { year: 2021, asOf: '2020-12-31' }],
    ['a negative count', -1, {}],
    ['a fractional count', 1.5, {}],
  ])('refuses %s', (_case, n, override) => {
    expect(() => generateHouseholds(n, { county: YUDU, seed: 1, ...override })).toThrow(RangeError);
  });
});

describe('IdNumberAllocator', () => {
  it('gives 1 800 distinct numbers per birth date, the county first, then the other counties in turn', () => {
    const ids = new IdNumberAllocator('360783'); // the last county: the next one wraps to the first
    const got = Array.from({ length: IdNumberAllocator.capacityPerDate }, () => ids.allocate('1960-02-29'));
    expect(new Set(got).size).toBe(1_800);
    expect(got[0]).toMatch(/^36078319600229900[0-9X]$/);
    expect(got[99]).toMatch(/^36078319600229999[0-9X]$/);
    expect(got[100]).toMatch(/^36070219600229900[0-9X]$/);
    expect(new Set(got.map((id) => id?.slice(0, 6)))).toEqual(new Set(COUNTIES.map((c) => c.code)));
    expect(ids.allocate('1960-02-29')).toBeNull();
    expect(ids.allocate('1960-03-01')).toMatch(/^36078319600301900/);
  });

  it('refuses a county that is not one of the 18', () => {
    expect(() => new IdNumberAllocator('360799')).toThrow(RangeError);
  });
});
