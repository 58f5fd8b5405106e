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
import { validateHousehold } from '@shouwang/domain';
import type { AreaStore } from '../areas/area-store';
import { HouseholdStore, type HouseholdDoc } from './household-store';
import { fromWire } from './household-mapping';
import { forEvents, memberIndexes, protect, reveal } from './household-protection';
import { claimIdNumbers, requireRegistrable } from './household-checks';
import type { IdNumberClaims } from './id-number-claims';
import { canonicalJson } from './household-diff';

export interface RegistryDeps {
  households: HouseholdStore;
  /** One household per ID number. */
  claims: IdNumberClaims;
  areas: AreaStore;
  /** Called after a write that added events, so the relay publishes them at once. */
  onEventsWritten: () => void;
  /** ID numbers are stored encrypted, with a keyed hash for exact lookup. */
  pii: PiiCipher;
  audit: AuditTrail;
}

/**
 * What the audit trail records of a household: its canonical JSON with the version, ID numbers in
 * clear here and masked by the trail itself (see kit audit/redact), so history shows which number changed.
 */
export function auditState(wire: householdV1.Household): Record<string, unknown> {
  return { ...canonicalJson(wire), version: wire.version };
}

export function notFound(): AppError {
  return new AppError('not_found', 'household not found', { code: 'household_not_found', messageZh: '未找到该农户' });
}

/**
 * 一户一表 registration: validate the household (DOMAIN.md §3), check its village exists in the
 * area table and that none of its ID numbers is in another household, store it as version 1 (its
 * HouseholdRegistered event travels in that version's commit, see HouseholdStore).
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
  const id = HouseholdStore.newId(idempotencyKey);
  // A retry of a registration that went through answers with what was registered.
  const earlier = idempotencyKey ? await deps.households.get(id) : null;
  if (earlier) {
    requireInScope(who, earlier.areaCode, 'household');
    return reveal(deps.pii, earlier);
  }
  await requireRegistrable(deps, who, household);
  const now = new Date().toISOString();
  const doc = { ...protect(deps.pii, household), _id: id, version: 1, createdAt: now, updatedAt: now } as HouseholdDoc;
  const registered = reveal(deps.pii, doc);
  await claimIdNumbers(deps, who, household, memberIndexes(doc).filter(Boolean), id);
  const event = outboxEntry(
    events.householdRegistered,
    id,
    { household: forEvents(registered), memberIdNumberIndexes: memberIndexes(doc) },
    'identification',
  );
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
    after: auditState(registered),
  });
  deps.onEventsWritten();
  return registered;
}

export async function getHousehold(deps: RegistryDeps, who: Identity, id: string): Promise<householdV1.Household> {
  requirePermission(who, 'households.read');
  const doc = id ? await deps.households.get(id) : null;
  if (!doc) throw notFound();
  requireInScope(who, doc.areaCode, 'household');
  return reveal(deps.pii, doc);
}
