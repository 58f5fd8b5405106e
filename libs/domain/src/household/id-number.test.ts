import { syntheticIdNumber } from '../testing';
import { birthDateFromIdNumber, computeIdChecksum, idNumberProblem, isValidIdNumber, maskIdNumber } from './id-number';

describe('computeIdChecksum (GB 11643, ISO 7064 MOD 11-2)', () => {
  // Weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the position with weight 1 is index 7 and weight 10
  // is index 2, so these prefixes hit each residue 0..10 of the weighted sum exactly once. The
  // expected characters are the standard's table: residue 0→1 1→0 2→X 3→9 4→8 5→7 6→6 7→5 8→4 9→3 10→2.
  it.each([
    ['00000000000000000', 0, '1'],
    ['00000001000000000', 1, '0'],
    ['00000002000000000', 2, 'X'],
    ['00000003000000000', 3, '9'],
    ['00000004000000000', 4, '8'],
    ['00000005000000000', 5, '7'],
    ['00000006000000000', 6, '6'],
    ['00000007000000000', 7, '5'],
    ['00000008000000000', 8, '4'],
    ['00000009000000000', 9, '3'],
    ['00100000000000000', 10, '2'],
    ['11111111111111111', 1, '0'], // the weights sum to 100 ≡ 1
    ['00000010000000000', 2, 'X'], // weight 2 at index 6
    ['99999999999999999', 9, '3'], // 900 ≡ 9
  ])('%s (sum ≡ %i) → %s', (first17, _residue, expected) => {
    expect(computeIdChecksum(first17)).toBe(expected);
  });

  it.each(['', '0000000000000000', '000000000000000000', '0000000000000000X', '0000000000000000a'])(
    'refuses %j (not 17 digits)',
    (bad) => {
      expect(() => computeIdChecksum(bad)).toThrow(RangeError);
    },
  );
});

describe('idNumberProblem', () => {
  const valid = syntheticIdNumber(7, '1985-07-20');
  const withDate = (yyyymmdd: string) => {
    const first17 = `360731${yyyymmdd}901`;
    return first17 + computeIdChecksum(first17);
  };

  it.each([
    ['a synthetic number', valid, null],
    ['a number born on 29 February of a leap year', withDate('19920229'), null],
    ['17 characters', valid.slice(0, 17), 'invalid_id_number'],
    ['19 characters', `${valid}0`, 'invalid_id_number'],
    ['a letter among the digits', `36073119850720A${valid.slice(15)}`, 'invalid_id_number'],
    ['X before the last place', `X${valid.slice(1)}`, 'invalid_id_number'],
    ['spaces around it', ` ${valid}`, 'invalid_id_number'],
    ['a wrong check character', valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0'), 'invalid_id_checksum'],
    ['29 February of a common year', withDate('19910229'), 'invalid_id_birth_date'],
    ['month 13', withDate('19851320'), 'invalid_id_birth_date'],
    ['day 00', withDate('19850700'), 'invalid_id_birth_date'],
  ])('%s → %s', (_what, id, problem) => {
    expect(idNumberProblem(id)).toBe(problem);
    expect(isValidIdNumber(id)).toBe(problem === null);
  });

  it('accepts a lower-case final x as X', () => {
    const idX = Array.from({ length: 100 }, (_, n) => syntheticIdNumber(n, '1990-01-01')).find((id) =>
      id.endsWith('X'),
    );
    expect(idX).toBeDefined();
    expect(idNumberProblem(idX!.toLowerCase())).toBeNull();
  });

  it('rejects non-strings', () => {
    expect(idNumberProblem(42)).toBe('invalid_id_number');
    expect(idNumberProblem(undefined)).toBe('invalid_id_number');
  });
});

describe('birthDateFromIdNumber', () => {
  it('reads YYYYMMDD from places 7-14', () => {
    expect(birthDateFromIdNumber(syntheticIdNumber(3, '2004-02-29'))).toBe('2004-02-29');
    expect(birthDateFromIdNumber(syntheticIdNumber(3, '1931-12-01'))).toBe('1931-12-01');
  });
  it('is null for an invalid number', () => {
    const id = syntheticIdNumber(3, '2004-02-29');
    expect(birthDateFromIdNumber(id.slice(0, 17) + (id[17] === '1' ? '2' : '1'))).toBeNull();
  });
});

describe('maskIdNumber', () => {
  it('shows the first 6 and last 4 characters only', () => {
    const id = syntheticIdNumber(12, '1975-03-04', '360702');
    const masked = maskIdNumber(id);
    expect(masked).toBe(`360702********${id.slice(14)}`);
    expect(masked).toHaveLength(18);
    expect(masked).not.toContain('19750304');
  });
  it.each([
    ['', ''],
    ['12345', '*****'],
    ['1234567890', '**********'],
    ['12345678901', '123456*8901'],
  ])('masks short input %j entirely or nearly so: %j', (input, expected) => {
    expect(maskIdNumber(input)).toBe(expected);
  });
});
