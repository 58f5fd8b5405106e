import type { identificationV1 } from '@shouwang/contracts';
import { allowedActions, isLate } from '@shouwang/domain';
import type { CaseDoc } from './case-store';

/** Late against the decision limit: identification cases only (exits have no due date). */
export function caseIsLate(doc: Pick<CaseDoc, 'dueOn' | 'decidedOn'>, today: string): boolean {
  if (!doc.dueOn) return false;
  return isLate(doc.dueOn, today, doc.decidedOn || undefined);
}

/** The case as callers see it, with what is computed on reading: late, and the actions its state allows. */
export function caseToWire(doc: CaseDoc, today: string): identificationV1.Case {
  return {
    id: doc._id,
    kind: doc.kind,
    householdId: doc.householdId,
    areaCode: doc.areaCode,
    headName: doc.headName,
    address: doc.address,
    persons: doc.persons,
    state: doc.state,
    origin: doc.origin,
    warningId: doc.warningId,
    commitmentSigned: doc.commitmentSigned,
    assetCheckAuthorised: doc.assetCheckAuthorised,
    submittedAt: doc.submittedAt,
    dueOn: doc.dueOn,
    late: caseIsLate(doc, today),
    decidedAt: doc.decidedAt,
    notice: doc.notice ?? undefined,
    objections: doc.objections,
    steps: doc.steps,
    allowedActions: allowedActions(doc.kind, doc.state),
    category: doc.category,
    causes: doc.causes,
    policyStartDate: doc.policyStartDate,
    overrideReason: doc.overrideReason,
    reason: doc.reason,
    vote: doc.vote ?? undefined,
    quarter: doc.quarter,
    informedOn: doc.informedOn,
    version: doc.version,
    countyCode: doc.countyCode,
    documents: doc.documents,
  };
}

/** The case in a CaseTransitioned event: everything but the timeline (the event is one step of it). */
export function caseForEvent(doc: CaseDoc, today: string): identificationV1.Case {
  return { ...caseToWire(doc, today), steps: [] };
}

/**
 * What the audit trail records of a case before and after a step: its state and what the step may
 * change. Names and addresses stay out (the case id leads to them); no ID numbers exist on a case.
 */
export function caseAuditState(doc: CaseDoc): Record<string, unknown> {
  return {
    kind: doc.kind,
    state: doc.state,
    version: doc.version,
    householdId: doc.householdId,
    persons: doc.persons,
    dueOn: doc.dueOn,
    notice: doc.notice,
    objections: doc.objections.map((o) => ({ id: o.id, lodgedOn: o.lodgedOn, resolution: o.resolution })),
    reason: doc.reason,
    overrideReason: doc.overrideReason,
    category: doc.category,
    causes: doc.causes,
    policyStartDate: doc.policyStartDate,
    vote: doc.vote,
    informedOn: doc.informedOn,
  };
}
