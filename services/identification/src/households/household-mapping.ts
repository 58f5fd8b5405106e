import { householdJson, householdV1 } from '@shouwang/contracts';

/** Fields the registry keeps; a caller never sets them. */
export const registryFields = ['id', 'version', 'createdAt', 'updatedAt'] as const;

/**
 * Wire household → the plain object the domain validates: proto3 optionals that were not sent are
 * dropped, registry-kept fields removed. (Proto3 scalars without `optional` arrive as their zero value.)
 */
export function fromWire(h: householdV1.Household): Record<string, unknown> {
  const plain = householdJson(h);
  for (const f of registryFields) delete plain[f];
  return plain;
}

/** Stored household → wire household. */
export function toWire(doc: Record<string, unknown>): householdV1.Household {
  const { _id, ...rest } = doc;
  return householdV1.Household.fromPartial({ ...rest, id: String(_id) } as householdV1.Household);
}
