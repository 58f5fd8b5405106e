import type { assistanceV1 } from '@shouwang/contracts';
import type { PlanDoc, PlanMeasureDoc, ProposalDoc } from './plan-store';

function measureToWire(m: PlanMeasureDoc): assistanceV1.PlanMeasure {
  return {
    code: m.code,
    answers: [...m.answers],
    startsOn: m.startsOn,
    kind: m.kind,
    status: m.status,
    addedBy: m.addedBy,
    dropReason: m.dropReason,
    note: m.note,
    plannedAmountYuan: m.plannedAmountYuan ?? undefined,
  };
}

function proposalToWire(p: ProposalDoc): assistanceV1.PlanProposal {
  return {
    id: p.id,
    add: [...p.add],
    drop: [...p.drop],
    features: [...p.features],
    raisedAt: p.raisedAt,
    status: p.status,
    decidedBy: p.decidedBy,
    decidedAt: p.decidedAt,
    note: p.note,
  };
}

export function planToWire(p: PlanDoc): assistanceV1.Plan {
  return {
    householdId: p._id,
    areaCode: p.areaCode,
    headName: p.headName,
    caseId: p.caseId,
    category: p.category,
    causes: [...p.causes],
    policyStartDate: p.policyStartDate,
    measures: p.measures.map(measureToWire),
    notPlanned: p.notPlanned.map((n) => ({ code: n.code, unmet: [...n.unmet] })),
    proposals: p.proposals.map(proposalToWire),
    status: p.status,
    closedReason: p.closedReason,
    createdAt: p.createdAt,
    version: p.version,
  };
}
