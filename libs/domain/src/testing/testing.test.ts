import fc from 'fast-check';
import { isValidIdNumber, validateHousehold } from '..';
import { DEFAULT_ARB_AS_OF, arbHousehold, minimalHousehold, syntheticIdNumber } from '.';

describe('syntheticIdNumber', () => {
  it('builds region + birth date + 9xx sequence + a valid check character', () => {
    const id = syntheticIdNumber(7, '1985-07-20', '360702');
    expect(id).toMatch(/^36070219850720907[0-9X]$/);
    expect(isValidIdNumber(id)).toBe(true);
  });

  it('is distinct for each n and always in the 900-999 sequence block', () => {
    const ids = Array.from({ length: 100 }, (_, n) => syntheticIdNumber(n, '2004-02-29'));
    expect(new Set(ids).size).toBe(100);
    for (const id of ids) {
      expect(isValidIdNumber(id)).toBe(true);
      expect(id[14]).toBe('9');
    }
  });

  it.each<[number, string, string | undefined]>([
    [-1, '1985-07-20', undefined],
    [100, '1985-07-20', undefined],
    [1.5, '1985-07-20', undefined],
    [1, '1985-02-29', undefined],
    [1, '1985-07-20', '3607'],
  ])('refuses n=%d birth=%s county=%s', (n, birth, county) => {
    expect(() => syntheticIdNumber(n, birth, county)).toThrow(RangeError);
  });
});

describe('minimalHousehold', () => {
  it('is valid and overrides replace top-level fields', () => {
    expect(validateHousehold(minimalHousehold(), { asOf: DEFAULT_ARB_AS_OF }).ok).toBe(true);
    expect(minimalHousehold({ povertyStatus: 'exited_poor' }).povertyStatus).toBe('exited_poor');
    expect(validateHousehold(minimalHousehold({ areaCode: '360731102' }), { asOf: DEFAULT_ARB_AS_OF }).ok).toBe(false);
  });
});

describe('arbHousehold', () => {
  it('produces only households that validate, unchanged', () => {
    fc.assert(
      fc.property(arbHousehold(), (h) => {
        const r = validateHousehold(h, { asOf: DEFAULT_ARB_AS_OF });
        if (!r.ok) throw new Error(JSON.stringify(r.issues.map((i) => [i.field, i.code])));
        expect(r.value).toStrictEqual(h);
      }),
      { numRuns: 300 },
    );
  });

  it('respects a given as-of date', () => {
    fc.assert(
      fc.property(arbHousehold({ asOf: '2000-01-01' }), (h) => validateHousehold(h, { asOf: '2000-01-01' }).ok),
      { numRuns: 100 },
    );
  });

  it('exercises the optional parts of the model (absent and present)', () => {
    const sample = fc.sample(arbHousehold(), { numRuns: 300, seed: 42 });
    const share = (p: (h: (typeof sample)[number]) => boolean) => sample.filter(p).length / sample.length;
    for (const s of [
      share((h) => h.income !== undefined),
      share((h) => h.previousIncome !== undefined),
      share((h) => h.members.length > 1),
      share((h) => h.members.some((m) => m.idNumber === undefined)),
      share((h) => h.members.some((m) => m.birthDate === undefined)),
      share((h) => h.members.some((m) => m.disabilityGrade !== undefined)),
      share((h) => h.members.findIndex((m) => m.relation === 'head') > 0),
      share((h) => (h.shocks ?? []).length > 0),
      share((h) => h.specialHardship?.flag === true),
      share((h) => (h.income?.business ?? 0) < 0),
    ]) {
      expect(s).toBeGreaterThan(0.02);
      expect(s).toBeLessThan(0.98);
    }
  });

  it('catches any single changed character of any ID number', () => {
    const withId = arbHousehold().filter((h) => h.members.some((m) => m.idNumber !== undefined));
    fc.assert(
      fc.property(
        withId,
        fc.nat(),
        fc.integer({ min: 0, max: 17 }),
        fc.integer({ min: 1, max: 10 }),
        (h, pick, pos, shift) => {
          const holders = h.members.flatMap((m, i) => (m.idNumber === undefined ? [] : [i]));
          const i = holders[pick % holders.length];
          const id = h.members[i].idNumber!;
          // Replace one character by a different one of the same kind (digit, or 0-9/X in the check place).
          const alphabet = pos === 17 ? '0123456789X' : '0123456789';
          const changed = alphabet[(alphabet.indexOf(id[pos]) + shift) % alphabet.length];
          if (pos < 17 && shift === 10) return; // that would be the same digit
          const mutated = id.slice(0, pos) + changed + id.slice(pos + 1);
          expect(mutated).not.toBe(id);
          const members = h.members.map((m, j) => (j === i ? { ...m, idNumber: mutated } : m));
          const r = validateHousehold({ ...h, members }, { asOf: DEFAULT_ARB_AS_OF });
          expect(r.ok ? [] : r.issues.map((x) => [x.field, x.code])).toEqual([
            [`members[${i}].idNumber`, 'invalid_id_checksum'],
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
