import type { identificationV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  requireInScope,
  requirePermission,
  type FieldIssue,
  type Identity,
} from '@shouwang/kit';
import { decideAction, judgeNoticeClosing, noticePeriod, type CaseState } from '@shouwang/domain';
import type { CaseDoc } from './case-store';
import { applyTransition } from './case-transitions';
import { noteIssue } from './case-documents';
import { approveCase } from './approve-case';
import type { WorkflowDeps } from './workflow-deps';
import {
  caseNotFound,
  caseVersionConflict,
  conflict,
  illegalTransition,
  invalid,
  versionRequired,
  wrongRole,
} from './workflow-errors';

/** The steps taken through ActOnCase (objections and the vote have requests of their own). */
export const ACT_ACTIONS = [
  'verify',
  'close_notice',
  'review',
  'approve',
  'reject',
  'return',
  'resubmit',
  'inform',
] as const;

/**
 * The case the caller may act on, at the version they read: 404 outside their area (as for
 * households), 428 without a version, 412 when it moved since.
 */
export async function caseToActOn(
  deps: Pick<WorkflowDeps, 'cases'>,
  who: Identity,
  id: string,
  expectedVersion: number,
): Promise<CaseDoc> {
  requirePermission(who, 'cases.act');
  const current = id ? await deps.cases.get(id) : null;
  if (!current) throw caseNotFound();
  requireInScope(who, current.areaCode, 'case');
  if (!expectedVersion) throw versionRequired();
  if (current.version !== expectedVersion) throw caseVersionConflict(current.version);
  return current;
}

/** The procedure's verdict on `action` for this case and caller: where it leads, or the 409 / 403. */
export function requireAllowed(
  current: CaseDoc,
  action: string,
  who: Identity,
): { to: CaseState; needsReason: boolean } {
  const d = decideAction(current.kind, current.state, action, who.role);
  if (!d.ok && d.code === 'illegal_transition') throw illegalTransition(d.state, action, d.allowed);
  if (!d.ok) throw wrongRole(action, d.by);
  return { to: d.to, needsReason: d.needsReason };
}

/**
 * One step of either procedure (DOMAIN.md §6, §7), by the role of that level inside its scope:
 * verify opens the public notice, close_notice needs the notice over and every objection resolved,
 * approve reserves the quota, reject and return need a reason, inform (exits) needs how the
 * household was told and marks it exited.
 */
export async function actOnCase(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.ActOnCaseRequest,
): Promise<CaseDoc> {
  if (!(ACT_ACTIONS as readonly string[]).includes(req.action))
    throw invalid('action', 'invalid_enum', `must be one of ${ACT_ACTIONS.join(', ')}`, '操作不在允许范围内');
  const current = await caseToActOn(deps, who, req.id, req.expectedVersion);
  const { to, needsReason } = requireAllowed(current, req.action, who);

  const reason = req.reason.trim();
  const note = req.note.trim();
  const issues = [
    noteIssue('reason', req.reason, needsReason ? '理由' : undefined),
    noteIssue('note', req.note, req.action === 'inform' ? '告知农户的方式' : undefined),
    noteIssue('overrideReason', req.overrideReason),
  ].filter((i): i is FieldIssue => i !== undefined);
  if (issues.length) throw AppError.invalid(issues);

  const today = deps.clock.today();
  switch (req.action) {
    case 'approve':
      return approveCase(deps, who, current, { overrideReason: req.overrideReason, note });
    case 'verify': {
      const policy = await deps.policies.get(current.countyCode);
      const notice = { ...noticePeriod(today, policy.noticeDays), closedAt: '' };
      return applyTransition(deps, who, current, { action: 'verify', to, note, change: { notice } });
    }
    case 'close_notice': {
      if (!current.notice) throw new AppError('internal', 'a case in notice without a notice');
      const closing = judgeNoticeClosing(today, current.notice, current.objections);
      if (!closing.ok && closing.code === 'notice_not_ended')
        throw conflict(
          'notice_not_ended',
          `the notice runs until ${closing.endDate}; it can close from the day after`,
          `公示期至${closing.endDate}，期满后方可结束公示`,
          { endDate: closing.endDate },
        );
      if (!closing.ok)
        throw conflict(
          'objections_unresolved',
          `${closing.unresolved} objection(s) are not resolved yet`,
          `尚有${closing.unresolved}条异议未处理`,
          { unresolved: String(closing.unresolved) },
        );
      const notice = { ...current.notice, closedAt: deps.clock.now().toISOString() };
      return applyTransition(deps, who, current, { action: 'close_notice', to, note, change: { notice } });
    }
    case 'inform': {
      const informed = await applyTransition(deps, who, current, {
        action: 'inform',
        to,
        note,
        change: { informedOn: today },
      });
      // Null when the household is no longer identified (e.g. its assistance ended for a violation
      // meanwhile): the exit case still records what the village did.
      await deps.identifications.exit(
        current.householdId,
        { kind: 'vote', reason: note, caseId: current._id },
        auditActorOf(who),
      );
      return informed;
    }
    case 'reject':
    case 'return': {
      // Leaving the notice early ends it today.
      const endsNotice = current.state === 'in_notice' && current.notice && !current.notice.closedAt;
      const notice = endsNotice ? { ...current.notice!, closedAt: deps.clock.now().toISOString() } : current.notice;
      return applyTransition(deps, who, current, { action: req.action, to, note: reason, change: { reason, notice } });
    }
    default:
      // review, resubmit: the state moves, nothing else changes.
      return applyTransition(deps, who, current, { action: req.action, to, note });
  }
}
