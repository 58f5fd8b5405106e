import pLimit from 'p-limit';
import { events, type identificationV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  outboxEntry,
  requirePermission,
  type FieldIssue,
  type Identity,
  type OutboxEntry,
} from '@shouwang/kit';
import { isWithin, validateHousehold, type Household } from '@shouwang/domain';
import { HouseholdStore, type HouseholdDoc } from './household-store';
import { fromWire } from './household-mapping';
import { forEvents, memberIndexes, protect, reveal } from './household-protection';
import { busyIssue, duplicateIssue, scopeIssue, unknownAreaIssue } from './household-checks';
import { IdNumberBusy } from './id-number-claims';
import { auditState, type RegistryDeps } from './register-household';
import { rewriteHousehold } from './update-household';

/** Rows per call: the gateway streams a file through in batches of at most this many households. */
export const MAX_IMPORT_BATCH = 500;
/** Writes and audit appends in flight at once within a batch. */
const WRITE_CONCURRENCY = 8;

type Outcome = identificationV1.ImportOutcome;

const issue = (field: string, code: string, message: string, messageZh: string): FieldIssue => ({
  field,
  code,
  message,
  messageZh,
});

interface Planned {
  row: number;
  household: Household;
  /** The stored household this row updates; undefined for a new one. */
  target?: HouseholdDoc;
  /** Id of a new household: derived from its head's ID number, so re-importing a file never duplicates. */
  newId?: string;
}

/**
 * Bulk import (一户一表 from a spreadsheet): every row is checked as a registration or an edit would be
 * and gets its own outcome; a bad row never stops the good ones. A row updates the household it names
 * by id, else the household whose head has the row's head ID number, else creates one. Each written
 * household gets its event and audit entry like any other write. dryRun checks everything, writes nothing.
 */
export async function importHouseholds(
  deps: RegistryDeps,
  who: Identity,
  rows: identificationV1.ImportRow[],
  dryRun: boolean,
): Promise<Outcome[]> {
  requirePermission(who, 'households.import');
  if (rows.length > MAX_IMPORT_BATCH) {
    throw AppError.invalid([
      issue('rows', 'too_many', `at most ${MAX_IMPORT_BATCH} rows per call`, `每次最多${MAX_IMPORT_BATCH}行`),
    ]);
  }
  const outcomes = new Map<number, Outcome>();
  const invalid = (row: number, issues: FieldIssue[], householdId = '') =>
    outcomes.set(row, {
      row,
      result: 'invalid',
      householdId,
      issues: issues.map((i) => ({ field: i.field, code: i.code, message: i.message, messageZh: i.messageZh ?? '' })),
    });

  // 1. Each row on its own: the household model, the caller's scope, the area table, a head ID number.
  const valid: { row: number; household: Household; id: string }[] = [];
  for (const r of rows) {
    const result = r.household
      ? validateHousehold(fromWire(r.household))
      : { ok: false as const, issues: [issue('household', 'required', 'is required', '为必填项')] };
    if (!result.ok) {
      invalid(r.row, result.issues);
      continue;
    }
    const h = result.value;
    const problems = [scopeIssue(who, h.areaCode), await unknownAreaIssue(deps.areas, h.areaCode)].filter(
      (x): x is FieldIssue => x !== undefined,
    );
    const head = h.members.findIndex((m) => m.relation === 'head');
    if (!r.household?.id && (head < 0 || !h.members[head]!.idNumber)) {
      problems.push(
        issue(
          head < 0 ? 'members' : `members[${head}].idNumber`,
          'head_id_number_required',
          'an imported household needs a head with an ID number (it is how a re-import finds the household)',
          '导入的农户须有户主且填写户主身份证号（再次导入时据此匹配）',
        ),
      );
    }
    if (problems.length) invalid(r.row, problems);
    else valid.push({ row: r.row, household: h, id: r.household?.id ?? '' });
  }

  // 2. Against the registry. A dry run looks every ID number up. An import claims them all at once
  //    (one write per batch): only the numbers already claimed need a lookup, so a fresh import of
  //    100 000 rows costs a handful of writes per batch instead of several reads per member.
  const indexOf = (idNumber: string) => deps.pii.blindIndex(idNumber);
  const indexesOf = (h: Household) => h.members.flatMap((m) => (m.idNumber ? [indexOf(m.idNumber)] : []));
  const headIndexOf = (h: Household) => indexOf(h.members.find((m) => m.relation === 'head')!.idNumber!);
  const named = await deps.households.getMany(valid.map((v) => v.id).filter(Boolean));
  const plannedIdOf = (h: Household) => HouseholdStore.newId(`import:${headIndexOf(h)}`);
  const unnamed = valid.filter((v) => !v.id);
  let holderOf: Map<string, HouseholdDoc>;
  const busy = new Set<string>(); // numbers another writer is registering right now
  const claimedNow = new Map<number, string[]>(); // row → indexes this call claimed for its planned id
  if (dryRun) {
    holderOf = await deps.claims.holders(valid.flatMap((v) => indexesOf(v.household)));
  } else {
    const pairs = unnamed.flatMap((v) =>
      indexesOf(v.household).map((index) => ({ index, householdId: plannedIdOf(v.household), row: v.row })),
    );
    const taken = await deps.claims.claimMany(pairs);
    for (const p of pairs) if (taken.has(p.index)) claimedNow.set(p.row, [...(claimedNow.get(p.row) ?? []), p.index]);
    const collided = pairs.filter((p) => !taken.has(p.index));
    holderOf = await deps.claims.holders([
      ...collided.map((p) => p.index),
      ...valid.filter((v) => v.id).flatMap((v) => indexesOf(v.household)),
    ]);
    // A collided claim whose holder no longer holds the number is stale: take it over.
    for (const p of collided.filter((c) => !holderOf.has(c.index))) {
      let conflicts: Map<string, HouseholdDoc>;
      try {
        conflicts = await deps.claims.claim([p.index], p.householdId);
      } catch (err) {
        if (!(err instanceof IdNumberBusy)) throw err;
        busy.add(p.index);
        continue;
      }
      for (const [index, holder] of conflicts) holderOf.set(index, holder);
      if (conflicts.size === 0) claimedNow.set(p.row, [...(claimedNow.get(p.row) ?? []), p.index]);
    }
  }

  const planned: Planned[] = [];
  const claimedInFile = new Map<string, number>();
  const releaseRow = async (row: number, plannedId: string) => {
    const mine = claimedNow.get(row);
    if (mine?.length) await deps.claims.release(mine, plannedId);
  };
  for (const v of valid) {
    let target: HouseholdDoc | undefined;
    const plannedId = v.id ? '' : plannedIdOf(v.household);
    if (v.id) {
      target = named.get(v.id);
      if (!target || !isWithin(who.areaCode, target.areaCode)) {
        invalid(v.row, [
          issue('id', 'household_not_found', 'no household with this id in your area', '您的管辖范围内没有该户编号'),
        ]);
        continue;
      }
    } else {
      const head = headIndexOf(v.household);
      const holder = holderOf.get(head);
      const holderHead = holder?.members.find((m) => m.relation === 'head') as { idNumberIndex?: string } | undefined;
      if (holder && holder._id !== plannedId && holderHead?.idNumberIndex === head) target = holder;
    }
    const problems: FieldIssue[] = [];
    v.household.members.forEach((m, i) => {
      if (!m.idNumber) return;
      const idx = indexOf(m.idNumber);
      const holder = holderOf.get(idx);
      if (holder && holder._id !== target?._id && holder._id !== plannedId) {
        problems.push(
          duplicateIssue({
            field: `members[${i}].idNumber`,
            householdId: holder._id,
            visible: isWithin(who.areaCode, holder.areaCode),
          }),
        );
      }
      if (busy.has(idx)) problems.push(busyIssue(`members[${i}].idNumber`));
      const earlierRow = claimedInFile.get(idx);
      if (earlierRow !== undefined && earlierRow !== v.row) {
        problems.push(
          issue(
            `members[${i}].idNumber`,
            'duplicate_in_file',
            `this ID number is also in row ${earlierRow}`,
            `该身份证号与第${earlierRow}行重复`,
          ),
        );
      }
    });
    if (target && !isWithin(who.areaCode, target.areaCode)) problems.push(scopeIssue(who, target.areaCode)!);
    if (problems.length || target) await releaseRow(v.row, plannedId); // an update claims its own numbers
    if (problems.length) {
      invalid(v.row, problems, target?._id ?? '');
      continue;
    }
    v.household.members.forEach((m) => m.idNumber && claimedInFile.set(indexOf(m.idNumber), v.row));
    planned.push({ row: v.row, household: v.household, target, newId: target ? undefined : plannedId });
  }

  // 3. Writes (or, in a dry run, what they would be).
  const creates = planned.filter((p) => !p.target);
  const updates = planned.filter((p) => p.target);
  if (dryRun) {
    for (const p of creates) outcomes.set(p.row, { row: p.row, result: 'would_create', householdId: '', issues: [] });
    for (const p of updates)
      outcomes.set(p.row, { row: p.row, result: 'would_update', householdId: p.target!._id, issues: [] });
    return rows.map((r) => outcomes.get(r.row)!);
  }

  const limit = pLimit(WRITE_CONCURRENCY);
  const now = new Date().toISOString();
  const newDocs = creates.map((p) => {
    const doc = {
      ...protect(deps.pii, p.household),
      _id: p.newId!,
      version: 1,
      createdAt: now,
      updatedAt: now,
    } as HouseholdDoc;
    const wire = reveal(deps.pii, doc);
    const event: OutboxEntry = outboxEntry(
      events.householdRegistered,
      doc._id,
      { household: forEvents(wire), memberIdNumberIndexes: memberIndexes(doc) },
      'identification',
    );
    return { p, doc, wire, event };
  });
  const collided = await deps.households.insertMany(newDocs.map(({ doc, event }) => ({ doc, events: [event] })));
  const created = newDocs.filter(({ doc }) => !collided.has(doc._id));
  await deps.audit.appendFirst(
    created.map(({ p, doc, wire }) => ({
      aggregateType: 'household',
      aggregateId: doc._id,
      actor: auditActorOf(who),
      action: 'household.imported',
      areaCode: p.household.areaCode,
      before: null,
      after: auditState(wire),
    })),
  );
  for (const { p, doc } of created)
    outcomes.set(p.row, { row: p.row, result: 'created', householdId: doc._id, issues: [] });
  // Created by an earlier run of the same file (or a concurrent one): import those as updates.
  for (const { p, doc } of newDocs.filter(({ doc }) => collided.has(doc._id)))
    updates.push({ ...p, target: (await deps.households.get(doc._id)) ?? undefined });

  await Promise.all(
    updates.map((p) =>
      limit(async () => {
        let target = p.target;
        for (let attempt = 0; target && attempt < 3; attempt++) {
          let rewrite;
          try {
            rewrite = await rewriteHousehold(deps, who, target, p.household, 'import');
          } catch (err) {
            if (!(err instanceof AppError) || !['duplicate_id_number', 'id_number_busy'].includes(err.code)) throw err;
            invalid(
              p.row,
              [{ field: err.field ?? '', code: err.code, message: err.message, messageZh: err.messageZh }],
              target._id,
            );
            return;
          }
          if (rewrite) {
            outcomes.set(p.row, {
              row: p.row,
              result: rewrite.changed ? 'updated' : 'unchanged',
              householdId: target._id,
              issues: [],
            });
            return;
          }
          target = (await deps.households.get(target._id)) ?? undefined; // someone wrote it meanwhile: redo on the new version
        }
        invalid(
          p.row,
          [
            issue(
              '',
              'version_conflict',
              'the household kept changing during the import; import the row again',
              '导入期间该户信息被反复修改，请重新导入该行',
            ),
          ],
          p.target?._id,
        );
      }),
    ),
  );
  if (created.length || updates.length) deps.onEventsWritten();
  return rows.map((r) => outcomes.get(r.row)!);
}
