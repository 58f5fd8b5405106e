import { events, householdV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  outboxEntry,
  requireInScope,
  requirePermission,
  type AuditTrail,
  type Identity,
  type PiiCipher,
} from '@shouwang/kit';
import { isWithin, maskIdNumber, validateHousehold, type Household } from '@shouwang/domain';
import type { AreaStore } from '../areas/area-store';
import { HouseholdStore, publicFields, type HouseholdDoc } from './household-store';
import { fromWire, toWire } from './household-mapping';

export interface RegistryDeps {
  households: HouseholdStore;
  areas: AreaStore;
  /** Called after a write that added events, so the relay publishes them at once. */
  onEventsWritten: () => void;
  /** ID numbers are stored encrypted, with a keyed hash for exact lookup. */
  pii: PiiCipher;
  audit: AuditTrail;
}

/** Members as stored: ID number encrypted, plus its blind index. */
function protect(pii: PiiCipher, h: Household): Household {
  return {
    ...h,
    members: h.members.map((m) =>
      m.idNumber ? { ...m, idNumber: pii.encrypt(m.idNumber), idNumberIndex: pii.blindIndex(m.idNumber) } : m,
    ),
  };
}

/** Stored household → as the registry answers it: ID numbers decrypted, index dropped. */
function reveal(pii: PiiCipher, doc: HouseholdDoc): householdV1.Household {
  const wire = toWire(publicFields(doc));
  for (const m of wire.members) if (m.idNumber) m.idNumber = pii.decrypt(m.idNumber);
  return wire;
}

/** Events leave the registry with ID numbers masked: consumers need none in clear. */
function forEvents(wire: householdV1.Household): householdV1.Household {
  return { ...wire, members: wire.members.map((m) => (m.idNumber ? { ...m, idNumber: maskIdNumber(m.idNumber) } : m)) };
}

/**
 * 一户一表 registration: validate the household (DOMAIN.md §3), check its village exists in the
 * area table, store it with its HouseholdRegistered event (outbox) in one write.
 */
export async function registerHousehold(
  deps: RegistryDeps,
  who: Identity,
  wire: householdV1.Household,
  idempotencyKey?: string,
): Promise<householdV1.Household> {
  requirePermission(who, 'households.write');
  const result = validateHousehold(fromWire(wire));
  if (!result.ok) throw AppError.invalid(result.issues);
  const household = result.value;
  if (!isWithin(who.areaCode, household.areaCode)) {
    throw new AppError('permission_denied', `area ${household.areaCode} is outside the caller's area`, {
      code: 'outside_scope',
      field: 'areaCode',
      messageZh: '该区划不在您的管辖范围内',
    });
  }
  if (!(await deps.areas.isVillage(household.areaCode))) {
    throw new AppError('unprocessable', `area ${household.areaCode} is not a known village`, {
      code: 'unknown_area',
      field: 'areaCode',
      messageZh: '区划代码不是已登记的行政村',
    });
  }
  const id = HouseholdStore.newId(idempotencyKey);
  const now = new Date().toISOString();
  const doc = { ...protect(deps.pii, household), _id: id, version: 1, createdAt: now, updatedAt: now } as HouseholdDoc;
  const registered = reveal(deps.pii, doc);
  const event = outboxEntry(events.householdRegistered, id, { household: forEvents(registered) }, 'identification');
  if (!(await deps.households.insert(doc, [event]))) {
    const existing = await deps.households.get(id);
    if (!existing) throw new AppError('conflict', 'household id collision; retry');
    return reveal(deps.pii, existing);
  }
  await deps.audit.append({
    aggregateType: 'household',
    aggregateId: id,
    actor: auditActorOf(who),
    action: 'household.registered',
    areaCode: household.areaCode,
    before: null,
    after: publicFields(doc),
  });
  deps.onEventsWritten();
  return registered;
}

export async function getHousehold(deps: RegistryDeps, who: Identity, id: string): Promise<householdV1.Household> {
  requirePermission(who, 'households.read');
  const doc = id ? await deps.households.get(id) : null;
  if (!doc) {
    throw new AppError('not_found', 'household not found', { code: 'household_not_found', messageZh: '未找到该农户' });
  }
  requireInScope(who, doc.areaCode, 'household');
  return reveal(deps.pii, doc);
}
