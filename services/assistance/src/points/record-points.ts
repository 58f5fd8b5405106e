import { createHash, randomUUID } from 'node:crypto';
import type { assistanceV1 } from '@shouwang/contracts';
import { requireInScope, requirePermission, type FieldIssue, type Identity } from '@shouwang/kit';
import { actorOf, type AssistanceDeps } from '../assistance-deps';
import { conflict, invalid, notFound, busy, textIssue, throwIssues } from '../errors';
import type { ListEntryDoc, PointsAccountDoc, PointsEntryDoc } from './points-store';

const HOUSEHOLD_ID = /^[\w-]{1,64}$/;
export const MAX_POINTS = 10_000;
const KEY = /^[\w.:-]{1,128}$/;

/** The household's area, from the registry's events (404 when unknown or outside the caller's area). */
async function householdArea(deps: Pick<AssistanceDeps, 'households'>, who: Identity, id: string): Promise<string> {
  const h = HOUSEHOLD_ID.test(id) ? await deps.households.get(id) : null;
  if (!h) throw notFound('household');
  requireInScope(who, h.areaCode, 'household');
  return h.areaCode;
}

const emptyAccount = (id: string, areaCode: string): PointsAccountDoc => ({
  _id: id,
  areaCode,
  balance: 0,
  entries: [],
  listEntries: [],
  version: 0,
});

export async function getPoints(
  deps: Pick<AssistanceDeps, 'households' | 'points'>,
  who: Identity,
  householdId: string,
): Promise<PointsAccountDoc> {
  requirePermission(who, 'assistance.read');
  const areaCode = await householdArea(deps, who, householdId);
  return (await deps.points.get(householdId)) ?? emptyAccount(householdId, areaCode);
}

/** Entry id: from the idempotency key when there is one, so a retry names the same entry. */
function entryId(householdId: string, key: string): string {
  if (!key) return randomUUID();
  const h = createHash('sha256').update(`points:${householdId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The village cadre records points earned for a recorded action, or spent at the love supermarket
 * (爱心超市); the balance never goes below zero (409 insufficient_points), also when two spend at once.
 * A retried request with the same idempotency key records once and answers the same entry.
 */
export async function recordPoints(
  deps: AssistanceDeps,
  who: Identity,
  req: assistanceV1.RecordPointsRequest,
): Promise<{ entry: PointsEntryDoc; balance: number }> {
  requirePermission(who, 'assistance.points.record');
  const issues: (FieldIssue | undefined)[] = [];
  if (req.kind !== 'earn' && req.kind !== 'spend')
    issues.push({
      field: 'kind',
      code: 'invalid_enum',
      message: 'must be earn or spend',
      messageZh: '类型应为获得或使用',
    });
  if (!Number.isInteger(req.points) || req.points < 1 || req.points > MAX_POINTS)
    issues.push({
      field: 'points',
      code: 'out_of_range',
      message: `must be a whole number from 1 to ${MAX_POINTS}`,
      messageZh: `积分应为1至${MAX_POINTS}的整数`,
    });
  issues.push(textIssue('reason', req.reason, '事由'));
  if (req.idempotencyKey && !KEY.test(req.idempotencyKey))
    issues.push({
      field: 'idempotencyKey',
      code: 'invalid_key',
      message: 'must be 1–128 letters, digits or . : _ -',
      messageZh: '幂等键格式不正确',
    });
  throwIssues(issues);
  const areaCode = await householdArea(deps, who, req.householdId);
  const id = entryId(req.householdId, req.idempotencyKey);
  const delta = req.kind === 'earn' ? req.points : -req.points;

  for (let attempt = 0; attempt < 5; attempt++) {
    const before = (await deps.points.get(req.householdId)) ?? emptyAccount(req.householdId, areaCode);
    const recorded = req.idempotencyKey ? before.entries.find((e) => e.id === id) : undefined;
    if (recorded) return { entry: recorded, balance: before.balance };
    if (before.balance + delta < 0)
      throw conflict(
        'insufficient_points',
        `the household has ${before.balance} points; ${req.points} cannot be spent`,
        `该户积分余额为${before.balance}，不足以使用${req.points}分`,
        { balance: String(before.balance) },
      );
    const entry: PointsEntryDoc = {
      id,
      points: delta,
      reason: req.reason.trim(),
      recordedBy: who.username,
      at: deps.clock.now().toISOString(),
      key: req.idempotencyKey,
    };
    const { version, ...rest } = before;
    const after = await deps.points.move(
      { ...rest, balance: before.balance + delta, entries: [...before.entries, entry] },
      version,
    );
    if (!after) continue;
    await deps.audit.append({
      aggregateType: 'points',
      aggregateId: req.householdId,
      actor: actorOf(who).audit,
      action: req.kind === 'earn' ? 'points.earned' : 'points.spent',
      areaCode,
      before: { balance: before.balance, version: before.version },
      after: {
        balance: after.balance,
        entry: { id: entry.id, points: entry.points, reason: entry.reason },
        version: after.version,
      },
    });
    return { entry, balance: after.balance };
  }
  throw busy();
}

/** The village cadre puts the household on the red (commended) or black (criticised) list, with why. */
export async function addListEntry(
  deps: AssistanceDeps,
  who: Identity,
  req: assistanceV1.AddListEntryRequest,
): Promise<ListEntryDoc> {
  requirePermission(who, 'assistance.points.record');
  if (req.list !== 'red' && req.list !== 'black')
    throw invalid('list', 'invalid_enum', 'must be red or black', '榜单应为红榜或黑榜');
  throwIssues([textIssue('reason', req.reason, '上榜理由')]);
  const areaCode = await householdArea(deps, who, req.householdId);
  const entry: ListEntryDoc = {
    id: randomUUID(),
    list: req.list,
    reason: req.reason.trim(),
    recordedBy: who.username,
    at: deps.clock.now().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = (await deps.points.get(req.householdId)) ?? emptyAccount(req.householdId, areaCode);
    const { version, ...rest } = before;
    const after = await deps.points.move({ ...rest, listEntries: [...before.listEntries, entry] }, version);
    if (!after) continue;
    await deps.audit.append({
      aggregateType: 'points',
      aggregateId: req.householdId,
      actor: actorOf(who).audit,
      action: `list.${req.list}`,
      areaCode,
      after: { list: entry.list, reason: entry.reason, version: after.version },
    });
    return entry;
  }
  throw busy();
}
