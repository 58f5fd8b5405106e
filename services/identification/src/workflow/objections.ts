import { randomUUID } from 'node:crypto';
import type { identificationV1 } from '@shouwang/contracts';
import { AppError, type FieldIssue, type Identity } from '@shouwang/kit';
import { isValidDate, stateAfterObjection, withinNotice } from '@shouwang/domain';
import type { CaseDoc } from './case-store';
import { applyTransition } from './case-transitions';
import { noteIssue } from './case-documents';
import { caseToActOn, requireAllowed } from './act-on-case';
import type { WorkflowDeps } from './workflow-deps';
import { conflict, invalid } from './workflow-errors';

/**
 * An objection to a case in public notice (公示), recorded by the village cadre: lodged on a day of
 * the notice period (default today, never a day still to come). The case stays in notice.
 */
export async function lodgeObjection(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.LodgeObjectionRequest,
): Promise<CaseDoc> {
  const current = await caseToActOn(deps, who, req.caseId, req.expectedVersion);
  const { to } = requireAllowed(current, 'lodge_objection', who);
  const today = deps.clock.today();
  const lodgedOn = req.lodgedOn || today;
  const issues: FieldIssue[] = [];
  const summaryIssue = noteIssue('summary', req.summary, '异议内容');
  if (summaryIssue) issues.push(summaryIssue);
  if (!isValidDate(lodgedOn))
    issues.push({
      field: 'lodgedOn',
      code: 'invalid_date',
      message: 'must be a YYYY-MM-DD date',
      messageZh: '日期格式应为YYYY-MM-DD',
    });
  else if (lodgedOn > today)
    issues.push({ field: 'lodgedOn', code: 'in_future', message: 'cannot be after today', messageZh: '不能晚于今天' });
  else if (!current.notice || !withinNotice(lodgedOn, current.notice))
    issues.push({
      field: 'lodgedOn',
      code: 'outside_notice',
      message: `objections are lodged during the notice (${current.notice?.startDate} to ${current.notice?.endDate})`,
      messageZh: `异议须在公示期内（${current.notice?.startDate}至${current.notice?.endDate}）提出`,
    });
  if (issues.length) throw AppError.invalid(issues);
  const summary = req.summary.trim();
  const objection: identificationV1.Objection = {
    id: randomUUID(),
    lodgedOn,
    summary,
    recordedBy: who.username,
    resolution: '',
    resolutionNote: '',
    resolvedBy: '',
    resolvedAt: '',
  };
  return applyTransition(deps, who, current, {
    action: 'lodge_objection',
    to,
    note: summary,
    change: { objections: [...current.objections, objection] },
  });
}

const RESOLUTIONS = ['upheld', 'dismissed'] as const;

/**
 * Resolving an objection (DOMAIN.md §6): upheld ends the case (application rejected, exit retained)
 * with the note as its reason; dismissed lets the notice go on.
 */
export async function resolveObjection(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.ResolveObjectionRequest,
): Promise<CaseDoc> {
  if (!(RESOLUTIONS as readonly string[]).includes(req.resolution))
    throw invalid('resolution', 'invalid_enum', 'must be upheld or dismissed', '处理结果须为成立或不成立');
  const noteProblem = noteIssue('note', req.note, '处理意见');
  if (noteProblem) throw AppError.invalid([noteProblem]);
  const current = await caseToActOn(deps, who, req.caseId, req.expectedVersion);
  requireAllowed(current, 'resolve_objection', who);
  const index = current.objections.findIndex((o) => o.id === req.objectionId);
  if (index < 0)
    throw new AppError('not_found', 'objection not found', { code: 'objection_not_found', messageZh: '未找到该异议' });
  if (current.objections[index]!.resolution)
    throw conflict('objection_resolved', 'the objection is already resolved', '该异议已处理', {
      resolution: current.objections[index]!.resolution,
    });
  const resolution = req.resolution as (typeof RESOLUTIONS)[number];
  const note = req.note.trim();
  const now = deps.clock.now().toISOString();
  const objections = current.objections.map((o, i) =>
    i === index ? { ...o, resolution, resolutionNote: note, resolvedBy: who.username, resolvedAt: now } : o,
  );
  const to = stateAfterObjection(current.kind, resolution);
  const ends = to !== current.state;
  return applyTransition(deps, who, current, {
    action: 'resolve_objection',
    to,
    note: `${resolution}: ${note}`,
    change: {
      objections,
      ...(ends ? { reason: note, notice: current.notice ? { ...current.notice, closedAt: now } : null } : {}),
    },
  });
}
