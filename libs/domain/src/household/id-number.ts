import { isValidDate } from '../time/dates';

// Resident identity card numbers (GB 11643-1999): 6-digit region of registration, 8-digit birth
// date YYYYMMDD, 3-digit sequence, and a check character from the ISO 7064 MOD 11-2 scheme.
// These helpers never put an ID number into an error message: it is personal data.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const SHAPE = /^[0-9]{17}[0-9Xx]$/;

/** The check character (0-9 or 'X') for the first 17 digits of an ID number. */
export function computeIdChecksum(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) throw new RangeError('computeIdChecksum needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Upper-cases a final 'x' so stored, compared and hashed ID numbers have one spelling. */
export function normaliseIdNumber(id: string): string {
  return id.toUpperCase();
}

export type IdNumberProblem = 'invalid_id_number' | 'invalid_id_checksum' | 'invalid_id_birth_date';

/**
 * The first problem with an ID number, or null when it is well formed: shape, then checksum, then
 * the embedded birth date (a real date). Future and too-early dates are the caller's rule (they need
 * an as-of date), see birthDateFromIdNumber.
 */
export function idNumberProblem(id: unknown): IdNumberProblem | null {
  if (typeof id !== 'string' || !SHAPE.test(id)) return 'invalid_id_number';
  const upper = normaliseIdNumber(id);
  if (computeIdChecksum(upper.slice(0, 17)) !== upper[17]) return 'invalid_id_checksum';
  if (!isValidDate(embeddedDate(upper))) return 'invalid_id_birth_date';
  return null;
}

export function isValidIdNumber(id: unknown): id is string {
  return idNumberProblem(id) === null;
}

/** The birth date (YYYY-MM-DD) inside a valid ID number; null if the number is not valid. */
export function birthDateFromIdNumber(id: string): string | null {
  return isValidIdNumber(id) ? embeddedDate(id) : null;
}

function embeddedDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/**
 * For display to callers who may not read ID numbers: the first 6 (region) and last 4 characters,
 * every other character '*'. Anything too short to mask that way is masked entirely.
 */
export function maskIdNumber(id: string): string {
  if (id.length <= 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}
