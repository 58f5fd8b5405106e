import type { Household } from '../household/types';
import { syntheticIdNumber } from './ids';

/** The village of DOMAIN.md §3's example, present in the synthetic area table. */
export const EXAMPLE_VILLAGE = '360731102203';

/**
 * The smallest valid household: one head with a synthetic ID, nothing optional. Overrides replace
 * top-level fields whole (pass `members` to change members), so a test states exactly what it varies.
 */
export function minimalHousehold(overrides: Partial<Household> = {}): Household {
  return {
    areaCode: EXAMPLE_VILLAGE,
    address: '于都县青山乡上坪村1组',
    povertyStatus: 'none',
    members: [{ name: '赵一', relation: 'head', idNumber: syntheticIdNumber(1, '1970-05-12') }],
    ...overrides,
  };
}
