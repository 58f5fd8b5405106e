import { events, householdV1 } from '@shouwang/contracts';
import { AppError, auditActorOf, outboxEntry, requireInScope, requirePermission, type Identity } from '@shouwang/kit';
import { validateHousehold, type Household } from '@shouwang/domain';
import { publicFields, type HouseholdDoc } from './household-store';
import { fromWire } from './household-mapping';
import { forEvents, memberIndexes, protect, reveal } from './household-protection';
import { claimIdNumbers, requireRegistrable } from './household-checks';
import { canonicalJson, changedTopLevelFields, householdChanges, withoutMeta } from './household-diff';
import { auditState, notFound, type RegistryDeps } from './register-household';

export function versionConflict(current: number): AppError {
  return new AppError('precondition_failed', `the household was changed by someone else (now version ${current})`, {
    code: 'version_conflict',
    field: 'version',
    messageZh: '该农户信息已被他人修改，请刷新后重试',
    details: { currentVersion: String(current) },
  });
}

/** The result of writing a validated household over a stored one. */
export interface Rewrite {
  household: householdV1.Household;
  changed: boolean;
}

/**
 * Writes `household` over `current` if `current` is still the stored version: nothing when nothing
 * changed, else a new version (its HouseholdUpdated event in that version's commit) and an audit entry.
 * Returns null when another write got there first.
 */
export async function rewriteHousehold(
  deps: RegistryDeps,
  who: Identity,
  current: HouseholdDoc,
  household: Household,
  channel: 'api' | 'import',
): Promise<Rewrite | null> {
  const before = reveal(deps.pii, current);
  const protectedFields = protect(deps.pii, household);
  const afterDoc = {
    ...protectedFields,
    _id: current._id,
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: new Date().toISOString(),
  } as HouseholdDoc;
  const after = reveal(deps.pii, afterDoc);
  const changes = householdChanges(canonicalJson(before), canonicalJson(after));
  if (changes.length === 0) return { household: before, changed: false };

  const removed = Object.keys(withoutMeta(publicFields(current))).filter((k) => k !== '_id' && !(k in protectedFields));
  const event = outboxEntry(
    events.householdUpdated,
    current._id,
    {
      household: forEvents(after),
      memberIdNumberIndexes: memberIndexes(afterDoc),
      changedFields: changedTopLevelFields(changes),
      channel,
    },
    'identification',
  );
  const { _id, createdAt, ...fields } = afterDoc;
  void _id;
  void createdAt;
  const held = new Set(memberIndexes(current).filter(Boolean));
  const wanted = memberIndexes(afterDoc).filter(Boolean);
  const added = wanted.filter((i) => !held.has(i));
  await claimIdNumbers(deps, who, household, added, current._id);
  const stored = await deps.households.replaceIfVersion(current._id, current.version, fields, removed, [event]);
  if (!stored) {
    await deps.claims.release(added, current._id);
    return null;
  }
  const kept = new Set(wanted);
  await deps.claims.release(
    [...held].filter((i) => !kept.has(i)),
    current._id,
  );
  await deps.audit.append({
    aggregateType: 'household',
    aggregateId: current._id,
    actor: auditActorOf(who),
    action: channel === 'import' ? 'household.imported' : 'household.updated',
    areaCode: household.areaCode,
    before: auditState(before),
    after: auditState(after),
  });
  return { household: reveal(deps.pii, stored), changed: true };
}

/**
 * An edit of the 一户一表: the whole household as it should be, accepted only over the version the
 * caller read (optimistic concurrency: a stale write is refused, never merged silently).
 */
export async function updateHousehold(
  deps: RegistryDeps,
  who: Identity,
  wire: householdV1.Household,
  expectedVersion: number,
): Promise<Rewrite> {
  requirePermission(who, 'households.write');
  if (!expectedVersion) {
    throw new AppError('precondition_required', 'the version you read is required (If-Match)', {
      code: 'precondition_required',
      field: 'If-Match',
      messageZh: '请提供所修改的版本号（If-Match）',
    });
  }
  const current = wire.id ? await deps.households.get(wire.id) : null;
  if (!current) throw notFound();
  requireInScope(who, current.areaCode, 'household');
  if (current.version !== expectedVersion) throw versionConflict(current.version);
  const result = validateHousehold(fromWire(wire));
  if (!result.ok) throw AppError.invalid(result.issues);
  await requireRegistrable(deps, who, result.value);
  const rewrite = await rewriteHousehold(deps, who, current, result.value, 'api');
  if (!rewrite) throw versionConflict((await deps.households.get(current._id))?.version ?? current.version + 1);
  if (rewrite.changed) deps.onEventsWritten();
  return rewrite;
}
