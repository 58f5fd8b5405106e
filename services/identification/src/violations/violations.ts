/**
 * Commitment violations (反向约束, DOMAIN.md §7): while a household is aided (identified, not exited),
 * a department record of a car or commercial housing purchase breaches its commitment. Monitoring
 * signals it; here it becomes a case for the county officer, who warns the household or ends its
 * assistance with the reason (which exits it).
 */
import { events, identificationV1, type monitoringV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  keysetToken,
  outboxEntry,
  pageRequest,
  requireInScope,
  requirePermission,
  type AuditTrail,
  type Identity,
  type Logger,
  notOneOf,
} from '@shouwang/kit';
import { areaLevel, isWithin } from '@shouwang/domain';
import type { HouseholdStore } from '../households/household-store';
import { householdFacts } from '../workflow/case-documents';
import { versionRequired } from '../workflow/workflow-errors';
import type { Identifications } from '../workflow/identifications';
import { VIOLATION_STATES, violationId, type ViolationDoc, type ViolationStore } from './violation-store';

export interface ViolationDeps {
  violations: ViolationStore;
  households: HouseholdStore;
  identifications: Pick<Identifications, 'get' | 'exit'>;
  audit: AuditTrail;
  now: () => Date;
  onEventsWritten: () => void;
  logger: Logger;
}

const SOURCE = 'identification';

export function toWire(doc: ViolationDoc): identificationV1.ViolationCase {
  return {
    id: doc._id,
    householdId: doc.householdId,
    areaCode: doc.areaCode,
    headName: doc.headName,
    department: doc.department,
    recordId: doc.recordId,
    asset: doc.asset,
    observedOn: doc.observedOn,
    state: doc.state,
    decisionReason: doc.decisionReason,
    decidedBy: doc.decidedBy,
    decidedAt: doc.decidedAt ? doc.decidedAt.toISOString() : '',
    openedAt: doc.openedAt.toISOString(),
    version: doc.version,
  };
}

function auditState(doc: ViolationDoc) {
  return { state: doc.state, department: doc.department, asset: doc.asset, decisionReason: doc.decisionReason };
}

/**
 * Handles monitoring's CommitmentViolationSignalled: opens one case per (household, department, record)
 * when the household is aided; a replay of the same signal finds the case and does nothing.
 */
export async function openViolationFromSignal(
  deps: ViolationDeps,
  signal: monitoringV1.CommitmentViolationSignalled,
): Promise<'opened' | 'replayed' | 'not_aided'> {
  if ((await deps.identifications.get(signal.householdId))?.status !== 'identified') return 'not_aided';
  const household = await deps.households.get(signal.householdId);
  if (!household) return 'not_aided';
  const doc: ViolationDoc = {
    _id: violationId(signal.householdId, signal.department, signal.recordId),
    householdId: signal.householdId,
    areaCode: household.areaCode,
    headName: householdFacts(household).headName,
    department: signal.department,
    recordId: signal.recordId,
    asset: signal.asset,
    observedOn: signal.occurredOn,
    state: 'open',
    decisionReason: '',
    decidedBy: '',
    decidedAt: null,
    openedAt: deps.now(),
    version: 1,
  };
  const event = outboxEntry(events.violationCaseOpened, doc.householdId, { violation: toWire(doc) }, SOURCE);
  const inserted = await deps.violations.insertNew(doc, [event]);
  if (!inserted) return 'replayed';
  await deps.audit.append({
    aggregateType: 'violation_case',
    aggregateId: doc._id,
    actor: { system: 'commitment-violation-signal' },
    action: 'violation.opened',
    areaCode: doc.areaCode,
    before: null,
    after: auditState(doc),
  });
  deps.onEventsWritten();
  return 'opened';
}

function notFound(): AppError {
  return new AppError('not_found', 'violation case not found', {
    code: 'violation_not_found',
    messageZh: '未找到该违诺案件',
  });
}

const DECISIONS = ['warn', 'end_assistance'] as const;
const MAX_REASON = 500;

/** The county officer's decision: warn, or end the assistance with the reason (the household exits). */
export async function decideViolation(
  deps: ViolationDeps,
  who: Identity,
  req: identificationV1.DecideViolationRequest,
): Promise<identificationV1.ViolationCase> {
  requirePermission(who, 'violations.decide');
  const current = /^[0-9a-f]{32}$/.test(req.id) ? await deps.violations.get(req.id) : null;
  if (!current) throw notFound();
  requireInScope(who, current.areaCode, 'violation');
  const decision = req.decision as (typeof DECISIONS)[number];
  const reason = req.reason.trim();
  const issues = [];
  if (!DECISIONS.includes(decision))
    issues.push({
      ...notOneOf('decision', DECISIONS),
      messageZh: '须为 warn（警告）或 end_assistance（终止帮扶）',
    });
  if (decision === 'end_assistance' && !reason)
    issues.push({
      field: 'reason',
      code: 'required',
      message: 'a reason is required to end the assistance',
      messageZh: '终止帮扶须填写理由',
    });
  if (reason.length > MAX_REASON)
    issues.push({
      field: 'reason',
      code: 'too_long',
      message: `at most ${MAX_REASON} characters`,
      messageZh: `不超过${MAX_REASON}个字符`,
    });
  if (issues.length) throw AppError.invalid(issues);

  // A retried end_assistance (say the exit failed after the case was decided) finishes the exit.
  if (current.state === 'assistance_ended' && decision === 'end_assistance') {
    await deps.identifications.exit(
      current.householdId,
      { kind: 'violation', reason: current.decisionReason, caseId: current._id },
      auditActorOf(who),
    );
    return toWire(current);
  }
  if (current.state !== 'open') {
    throw new AppError('conflict', `the violation case is ${current.state}; it was decided already`, {
      code: 'illegal_transition',
      messageZh: '该违诺案件已处置',
      details: { state: current.state, allowedActions: '' },
    });
  }
  if (!req.expectedVersion) throw versionRequired();
  if (req.expectedVersion !== current.version) throw versionConflict(current.version);
  const state = decision === 'warn' ? 'warned' : 'assistance_ended';
  const fields = { state, decisionReason: reason, decidedBy: who.username, decidedAt: deps.now() } as const;
  const after: ViolationDoc = { ...current, ...fields, version: current.version + 1 };
  const event = outboxEntry(events.violationCaseDecided, current.householdId, { violation: toWire(after) }, SOURCE);
  const stored = await deps.violations.updateIfVersion(current._id, current.version, fields, [event]);
  if (!stored) throw versionConflict((await deps.violations.get(current._id))?.version ?? current.version + 1);
  await deps.audit.append({
    aggregateType: 'violation_case',
    aggregateId: current._id,
    actor: auditActorOf(who),
    action: `violation.${decision}`,
    areaCode: current.areaCode,
    before: auditState(current),
    after: auditState(stored),
  });
  deps.onEventsWritten();
  if (state === 'assistance_ended') {
    await deps.identifications.exit(
      current.householdId,
      { kind: 'violation', reason, caseId: current._id },
      auditActorOf(who),
    );
  }
  return toWire(stored);
}

function versionConflict(current: number): AppError {
  return new AppError('precondition_failed', 'the violation case changed since you read it; reload it', {
    code: 'version_conflict',
    messageZh: '该案件已被他人修改，请刷新后重试',
    details: { currentVersion: String(current) },
  });
}

const DEFAULT_PAGE = 20;
const MAX_PAGE = 200;

export async function listViolations(
  deps: ViolationDeps,
  who: Identity,
  req: identificationV1.ListViolationsRequest,
): Promise<identificationV1.ListViolationsResponse> {
  requirePermission(who, 'violations.read');
  const areaCode = req.areaCode || who.areaCode;
  // A token's key is the last row's opening time.
  const paging = pageRequest(req, { defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE }, ({ key, id }) => {
    const openedAt = new Date(key);
    return Number.isNaN(openedAt.getTime()) ? undefined : { openedAt, id };
  });
  const { size, after } = paging;
  const issues = [];
  if (!areaLevel(areaCode))
    issues.push({
      field: 'areaCode',
      code: 'invalid_area',
      message: 'not an area code',
      messageZh: '不是有效的区划代码',
    });
  if (req.state && !(VIOLATION_STATES as readonly string[]).includes(req.state))
    issues.push(notOneOf('state', VIOLATION_STATES));
  issues.push(...paging.issues);
  if (issues.length) throw AppError.invalid(issues);
  // Outside the caller's area there is nothing to list.
  if (!isWithin(who.areaCode, areaCode)) return { violations: [], nextPageToken: '', total: 0 };
  const { page, total, more } = await deps.violations.list(areaCode, req.state, after, size);
  const last = page.at(-1);
  return {
    violations: page.map(toWire),
    nextPageToken: more && last ? keysetToken(last.openedAt.toISOString(), last._id) : '',
    total,
  };
}
