import { computeIdChecksum } from '../household/id-number';
import { isValidDate } from '../time/dates';

/**
 * A checksum-valid ID number for fixtures that is visibly synthetic: the 3-digit sequence is 9 then
 * the two digits of `n` (0..99), e.g. 360731 19800101 907 + check. Tests must never carry a real
 * person's ID number, so every fixture ID should come from here.
 */
export function syntheticIdNumber(n: number, birthDate: string, countyCode = '360731'): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError('syntheticIdNumber: n must be an integer 0..99');
  if (!isValidDate(birthDate)) throw new RangeError('syntheticIdNumber: birthDate must be YYYY-MM-DD');
  if (!/^[0-9]{6}$/.test(countyCode)) throw new RangeError('syntheticIdNumber: countyCode must be 6 digits');
  const first17 = `${countyCode}${birthDate.replaceAll('-', '')}9${String(n).padStart(2, '0')}`;
  return first17 + computeIdChecksum(first17);
}
