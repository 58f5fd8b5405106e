import { COUNTIES } from '../areas/counties';
import { syntheticIdNumber } from '../testing/ids';

/** syntheticIdNumber has 100 sequence numbers (9 00 … 9 99) per region and birth date. */
const PER_REGION = 100;

/**
 * Hands out synthetic ID numbers (testing/ids.ts: visibly synthetic, sequence block 9xx) that are
 * unique over one whole run: the registry refuses an ID number already active in another household.
 *
 * For each birth date it counts the numbers given so far. The first 100 people born on a date get the
 * household's county as region of registration; later ones the next counties of the 18 in turn
 * (people registered elsewhere who married or moved in), so a date holds 1 800 people. Memory is one
 * counter per birth date used — about 36 500 for a century of birthdays — however many households.
 */
export class IdNumberAllocator {
  private readonly used = new Map<string, number>();
  private readonly regions: readonly string[];

  constructor(county: string) {
    const at = COUNTIES.findIndex((c) => c.code === county);
    if (at < 0) throw new RangeError('IdNumberAllocator: the county must be one of the 18 county codes');
    this.regions = COUNTIES.map((_, i) => COUNTIES[(at + i) % COUNTIES.length].code);
  }

  /** How many people one birth date can hold. */
  static get capacityPerDate(): number {
    return PER_REGION * COUNTIES.length;
  }

  /** A fresh ID number for someone born on `birthDate`, or null when that date is full. */
  allocate(birthDate: string): string | null {
    const k = this.used.get(birthDate) ?? 0;
    if (k >= IdNumberAllocator.capacityPerDate) return null;
    this.used.set(birthDate, k + 1);
    return syntheticIdNumber(k % PER_REGION, birthDate, this.regions[Math.floor(k / PER_REGION)]);
  }
}
