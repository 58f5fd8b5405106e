import type { householdV1 } from '@shouwang/contracts';
import type { PiiCipher } from '@shouwang/kit';
import { birthDateFromIdNumber, maskIdNumber, type Household } from '@shouwang/domain';
import { publicFields, type HouseholdDoc } from './household-store';
import { toWire } from './household-mapping';

/**
 * How ID numbers are kept and shown by the registry: encrypted at rest with a keyed hash (blind
 * index) beside them for exact lookup, decrypted only in answers to the gateway (which masks them
 * by role), masked in events.
 */

/** Members as stored: ID number encrypted, plus its blind index. */
export function protect(pii: PiiCipher, h: Household): Household {
  return {
    ...h,
    members: h.members.map((m) =>
      m.idNumber ? { ...m, idNumber: pii.encrypt(m.idNumber), idNumberIndex: pii.blindIndex(m.idNumber) } : m,
    ),
  };
}

/** Stored household → as the registry answers it: ID numbers decrypted, index dropped. */
export function reveal(pii: PiiCipher, doc: HouseholdDoc): householdV1.Household {
  const wire = toWire(publicFields(doc));
  for (const m of wire.members) if (m.idNumber) m.idNumber = pii.decrypt(m.idNumber);
  return wire;
}

/**
 * Events leave the registry with ID numbers masked: consumers need none in clear. The birth date an
 * ID number carries is filled in, since a consumer can no longer read it from the masked number
 * (and assessment needs every member's age).
 */
export function forEvents(wire: householdV1.Household): householdV1.Household {
  return {
    ...wire,
    members: wire.members.map((m) =>
      m.idNumber
        ? {
            ...m,
            birthDate: m.birthDate ?? birthDateFromIdNumber(m.idNumber) ?? undefined,
            idNumber: maskIdNumber(m.idNumber),
          }
        : m,
    ),
  };
}

/** Each member's blind index in member order ('' without an ID number), as household events carry them. */
export function memberIndexes(doc: Pick<HouseholdDoc, 'members'>): string[] {
  return doc.members.map((m) => (m as { idNumberIndex?: string }).idNumberIndex ?? '');
}
