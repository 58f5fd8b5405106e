import type { Household } from './gen/shouwang/household/v1/household';

/**
 * A wire household as the canonical JSON of DOMAIN.md §3. Not ts-proto's toJSON, which leaves out
 * proto3 zero values: an income of { wage: 0, business: 0 } would come back as {}, which is not the
 * household that was stored (and fails validation when sent back). Field names already are the
 * canonical ones; proto3 optionals that were never set are dropped.
 */
export function householdJson(h: Household): Record<string, unknown> {
  return withoutUndefined(h) as Record<string, unknown>;
}

function withoutUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUndefined);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, withoutUndefined(x)]),
    );
  }
  return v;
}
