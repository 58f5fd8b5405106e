import { AppError, type FieldIssue, type Identity, type PiiCipher } from '@shouwang/kit';
import { isWithin, type Household } from '@shouwang/domain';
import type { AreaStore } from '../areas/area-store';
import type { HouseholdDoc } from './household-store';
import { IdNumberBusy, type IdNumberClaims } from './id-number-claims';

/**
 * The registry's own checks beyond the household model (DOMAIN.md §3), shared by registration,
 * edits and bulk import: the caller's scope, the village in the area table, and one active household
 * per ID number. Each returns issues instead of throwing so an import can report them per row.
 */

export function scopeIssue(who: Identity, areaCode: string): FieldIssue | undefined {
  if (isWithin(who.areaCode, areaCode)) return undefined;
  return {
    field: 'areaCode',
    code: 'outside_scope',
    message: `area ${areaCode} is outside the caller's area`,
    messageZh: '该区划不在您的管辖范围内',
  };
}

export async function unknownAreaIssue(areas: AreaStore, areaCode: string): Promise<FieldIssue | undefined> {
  if (await areas.isVillage(areaCode)) return undefined;
  return {
    field: 'areaCode',
    code: 'unknown_area',
    message: `area ${areaCode} is not a known village`,
    messageZh: '区划代码不是已登记的行政村',
  };
}

/** A member's ID number found in another household: the field, and that household (if the caller may see it). */
export interface DuplicateIdNumber {
  field: string;
  householdId: string;
  visible: boolean;
}

/** The members of `household` whose ID number another household (not `selfId`) holds, by member index. */
export function duplicatesAmong(
  who: Identity,
  household: Household,
  indexOf: (idNumber: string) => string,
  holders: Map<string, HouseholdDoc>,
  selfId?: string,
): DuplicateIdNumber[] {
  return household.members.flatMap((m, i) => {
    const holder = m.idNumber ? holders.get(indexOf(m.idNumber)) : undefined;
    if (!holder || holder._id === selfId) return [];
    return [
      { field: `members[${i}].idNumber`, householdId: holder._id, visible: isWithin(who.areaCode, holder.areaCode) },
    ];
  });
}

/**
 * Claims the household's ID numbers just before its write, or throws what the caller should hear:
 * 409 duplicate_id_number naming the household that holds one (if the caller may see it), or 409
 * id_number_busy while another household is being registered with it. Claims nothing then.
 */
export async function claimIdNumbers(
  deps: { claims: IdNumberClaims; pii: PiiCipher },
  who: Identity,
  household: Household,
  indexes: string[],
  householdId: string,
): Promise<void> {
  let conflicts: Map<string, HouseholdDoc>;
  try {
    conflicts = await deps.claims.claim(indexes, householdId);
  } catch (err) {
    if (!(err instanceof IdNumberBusy)) throw err;
    const i = household.members.findIndex((m) => m.idNumber && deps.pii.blindIndex(m.idNumber) === err.index);
    const busy = busyIssue(`members[${i}].idNumber`);
    throw new AppError('conflict', busy.message, { code: busy.code, field: busy.field, messageZh: busy.messageZh });
  }
  if (conflicts.size === 0) return;
  const [first] = duplicatesAmong(who, household, (n) => deps.pii.blindIndex(n), conflicts);
  throw duplicateError(first!);
}

export function busyIssue(field: string): FieldIssue {
  return {
    field,
    code: 'id_number_busy',
    message: 'this ID number is being registered in another household right now; retry shortly',
    messageZh: '该身份证号正在另一户中登记，请稍后重试',
  };
}

export function duplicateIssue(d: DuplicateIdNumber): FieldIssue {
  return {
    field: d.field,
    code: 'duplicate_id_number',
    message: d.visible
      ? `this ID number is already registered in household ${d.householdId}`
      : 'this ID number is already registered in a household outside your area',
    messageZh: d.visible ? `该身份证号已登记在农户 ${d.householdId} 中` : '该身份证号已登记在您管辖范围以外的农户中',
  };
}

export function duplicateError(d: DuplicateIdNumber): AppError {
  const issue = duplicateIssue(d);
  return new AppError('conflict', issue.message, {
    code: 'duplicate_id_number',
    field: d.field,
    messageZh: issue.messageZh,
    details: d.visible ? { householdId: d.householdId } : undefined,
  });
}

/**
 * Throws the first problem as the error an interactive caller gets. (ID numbers are checked by
 * claiming them, just before the write: claimIdNumbers.)
 */
export async function requireRegistrable(
  deps: { areas: AreaStore },
  who: Identity,
  household: Household,
): Promise<void> {
  const outside = scopeIssue(who, household.areaCode);
  if (outside)
    throw new AppError('permission_denied', outside.message, {
      code: 'outside_scope',
      field: 'areaCode',
      messageZh: outside.messageZh,
    });
  const unknown = await unknownAreaIssue(deps.areas, household.areaCode);
  if (unknown)
    throw new AppError('unprocessable', unknown.message, {
      code: 'unknown_area',
      field: 'areaCode',
      messageZh: unknown.messageZh,
    });
}
