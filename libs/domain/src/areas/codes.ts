import { isKnownCountyCode } from './counties';

/** Administrative levels below the city, each identified by the length of its code. */
export type AreaLevel = 'city' | 'county' | 'township' | 'village';

const LEVEL_BY_LENGTH: Readonly<Record<number, AreaLevel>> = { 4: 'city', 6: 'county', 9: 'township', 12: 'village' };
const DIGITS = /^[0-9]+$/;

/**
 * The level of an area code judged by its shape only (4/6/9/12 digits); null for anything else.
 * Whether the area exists is the area table's question, not this one's.
 */
export function areaLevel(code: string): AreaLevel | null {
  if (typeof code !== 'string' || !DIGITS.test(code)) return null;
  return LEVEL_BY_LENGTH[code.length] ?? null;
}

/** The county (one of the 18) containing a county, township or village code; null otherwise. */
export function countyOf(code: string): string | null {
  const level = areaLevel(code);
  if (level === null || level === 'city') return null;
  const county = code.slice(0, 6);
  return isKnownCountyCode(county) ? county : null;
}

/**
 * Whether a user whose scope is `scopeCode` may see and act on `code`: the same area or anything
 * below it (DOMAIN.md §1). Fails closed: a malformed scope or code is never within anything.
 */
export function isWithin(scopeCode: string, code: string): boolean {
  // Codes nest by prefix and lengths strictly grow with level, so a prefix test between two
  // well-formed codes is exactly "same area or a descendant".
  return areaLevel(scopeCode) !== null && areaLevel(code) !== null && code.startsWith(scopeCode);
}

/** A 12-digit village code under one of the 18 counties (shape only; existence is the registry's check). */
export function isKnownCountyVillageCode(code: string): boolean {
  return areaLevel(code) === 'village' && countyOf(code) !== null;
}
