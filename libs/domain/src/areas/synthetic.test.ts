import fc from 'fast-check';
import { COUNTIES, areaLevel, isWithin, syntheticAreas, type Area } from '.';

const areas = syntheticAreas();
const byCode = new Map(areas.map((a) => [a.code, a]));

/** Ancestors-or-self by following parentCode links: independent of the prefix logic isWithin uses. */
function chain(code: string): string[] {
  const out: string[] = [];
  for (let a: Area | undefined = byCode.get(code); a; a = a.parentCode === null ? undefined : byCode.get(a.parentCode))
    out.push(a.code);
  return out;
}

describe('syntheticAreas', () => {
  it('has the city, 18 counties, 3 townships each and 4 villages per township', () => {
    const count = (level: string) => areas.filter((a) => a.level === level).length;
    expect([count('city'), count('county'), count('township'), count('village')]).toEqual([1, 18, 54, 216]);
    expect(areas).toHaveLength(289);
    expect(new Set(areas.map((a) => a.code)).size).toBe(289);
  });

  it('contains the example village of DOMAIN.md §3 under its township and county', () => {
    expect(byCode.get('360731102203')).toMatchObject({ level: 'village', parentCode: '360731102' });
    expect(byCode.get('360731102')).toMatchObject({ level: 'township', parentCode: '360731' });
    expect(byCode.get('360731')).toMatchObject({ name: '于都县', parentCode: '3607' });
  });

  it('uses the documented code scheme: townships county+101..103, villages township+201..204', () => {
    for (const c of COUNTIES) {
      const townships = areas.filter((a) => a.parentCode === c.code).map((a) => a.code);
      expect(townships).toEqual([101, 102, 103].map((n) => `${c.code}${n}`));
      for (const t of townships) {
        expect(areas.filter((a) => a.parentCode === t).map((a) => a.code)).toEqual(
          [201, 202, 203, 204].map((n) => `${t}${n}`),
        );
      }
    }
  });

  it('gives every area a well-formed code, the level its code implies, an existing parent one level up', () => {
    const parentLevel = { county: 'city', township: 'county', village: 'township' } as const;
    for (const a of areas) {
      expect(areaLevel(a.code)).toBe(a.level);
      if (a.level === 'city') expect(a.parentCode).toBeNull();
      else expect(byCode.get(a.parentCode ?? '')?.level).toBe(parentLevel[a.level]);
    }
  });

  it('names townships 乡 and villages 村, never repeating a name under one parent', () => {
    for (const a of areas) {
      if (a.level === 'township') expect(a.name).toMatch(/^\p{Script=Han}{2}乡$/u);
      if (a.level === 'village') expect(a.name).toMatch(/^\p{Script=Han}{2}村$/u);
    }
    const siblingsNames = new Map<string, string[]>();
    for (const a of areas)
      siblingsNames.set(a.parentCode ?? '', [...(siblingsNames.get(a.parentCode ?? '') ?? []), a.name]);
    for (const names of siblingsNames.values()) expect(new Set(names).size).toBe(names.length);
  });

  it('is deterministic and hands out copies', () => {
    const first = syntheticAreas();
    first[0].name = 'changed';
    expect(syntheticAreas()).toEqual(areas);
    expect(syntheticAreas()[0].name).toBe('赣州市');
  });
});

describe('isWithin over the synthetic table', () => {
  it('agrees with the parentCode links for every pair of areas', () => {
    for (const a of areas) {
      for (const b of areas) {
        if (isWithin(a.code, b.code) !== chain(b.code).includes(a.code)) {
          throw new Error(`isWithin(${a.code}, ${b.code}) disagrees with the table`);
        }
      }
    }
  });

  it('is reflexive', () => {
    fc.assert(fc.property(fc.constantFrom(...areas), (a) => isWithin(a.code, a.code)));
  });

  it('is transitive (chains drawn from the table, so the premise always holds)', () => {
    const triple = fc
      .constantFrom(...areas)
      .chain((c) => fc.constantFrom(...chain(c.code)).map((b) => [b, c.code] as const))
      .chain(([b, c]) => fc.constantFrom(...chain(b)).map((a) => [a, b, c] as const));
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        expect(isWithin(a, b) && isWithin(b, c)).toBe(true);
        expect(isWithin(a, c)).toBe(true);
      }),
    );
  });

  it('is transitive on arbitrary triples too', () => {
    const code = fc.constantFrom(...areas.map((a) => a.code));
    fc.assert(fc.property(code, code, code, (a, b, c) => !(isWithin(a, b) && isWithin(b, c)) || isWithin(a, c)));
  });
});
