import { randomUUID } from 'node:crypto';
import type { assistanceV1 } from '@shouwang/contracts';
import type { Identity } from '@shouwang/kit';
import { proposePlanChange, type FeatureCode, type MeasureCode } from '@shouwang/domain';
import { actorOf, SYSTEM, type AssistanceDeps } from '../assistance-deps';
import { conflict, notFound, busy, textIssue, throwIssues, versionConflict } from '../errors';
import type { HouseholdCauses } from '../households/members-projection';
import { CAUSES_CHANGED } from '../tasks/task-plan';
import { planToChange } from './change-plan';
import { contentOf, movePlan } from './plan-moves';
import { answersFor, laterOf, planMeasure, withMeasure } from './plan-measures';
import type { PlanDoc, ProposalDoc } from './plan-store';

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export type ProposalOutcome = 'no_plan' | 'unchanged' | 'raised' | 'superseded';

/**
 * Monitoring re-assessed the household (its warnings): when its causes now call for other measures
 * than its plan's, the plan gets an open proposal (an older open one is superseded); the plan itself
 * changes only when an officer accepts it. When the causes call for the plan as it is, an open
 * proposal is superseded (it no longer applies).
 */
export async function considerCauses(deps: AssistanceDeps, causes: HouseholdCauses): Promise<ProposalOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const plan = await deps.plans.get(causes._id);
    if (!plan || plan.status !== 'active') return 'no_plan';
    const active = plan.measures.filter((m) => m.status === 'active').map((m) => m.code);
    const household = await deps.households.get(plan._id);
    const members = (household?.members ?? []).map((m) => ({ name: '', ...m }));
    const change = proposePlanChange(await deps.measures.all(), active, causes.causes, { members }, deps.clock.today());
    const open = plan.proposals.find((p) => p.status === 'open');
    const empty = change.add.length === 0 && change.drop.length === 0;
    if (empty && !open) return 'unchanged';
    if (open && sameSet(open.add, change.add) && sameSet(open.drop, change.drop)) return 'unchanged';

    const now = deps.clock.now().toISOString();
    const content = contentOf(plan);
    content.updatedAt = now;
    content.proposals = content.proposals.map((p) =>
      p.status === 'open' ? { ...p, status: 'superseded', decidedBy: SYSTEM.username, decidedAt: now } : p,
    );
    if (!empty)
      content.proposals.push({
        id: randomUUID(),
        add: change.add,
        drop: change.drop,
        features: [...causes.causes],
        raisedAt: now,
        status: 'open',
        decidedBy: '',
        decidedAt: '',
        note: '',
      });
    const kind = empty ? 'proposal_superseded' : 'proposal_raised';
    if (await movePlan(deps, plan._id, plan, { change: kind, content }, SYSTEM)) return empty ? 'superseded' : 'raised';
  }
  throw busy();
}

/**
 * An officer accepts or rejects the open proposal. Accepted: the plan takes the proposal's causes, its
 * added measures (tasks open for them, starting today or at the policy start) and drops its dropped
 * ones with the reason "causes changed" (their open tasks close).
 */
export async function decideProposal(
  deps: AssistanceDeps,
  who: Identity,
  req: assistanceV1.DecideProposalRequest,
): Promise<PlanDoc> {
  const plan = await planToChange(deps, who, req.householdId, req.expectedVersion);
  const proposal = plan.proposals.find((p) => p.id === req.proposalId);
  if (!proposal) throw notFound('proposal');
  if (proposal.status !== 'open')
    throw conflict('proposal_decided', `the proposal is ${proposal.status} already`, '该调整建议已处理', {
      status: proposal.status,
    });
  throwIssues([textIssue('note', req.note)]);

  const now = deps.clock.now().toISOString();
  const content = contentOf(plan);
  content.updatedAt = now;
  const decided: ProposalDoc = {
    ...proposal,
    status: req.accept ? 'accepted' : 'rejected',
    decidedBy: who.username,
    decidedAt: now,
    note: req.note.trim(),
  };
  content.proposals = content.proposals.map((p) => (p.id === proposal.id ? decided : p));
  if (req.accept) {
    const causes: FeatureCode[] = [...proposal.features];
    content.causes = causes;
    const catalogue = await deps.measures.all();
    const startsOn = laterOf(plan.policyStartDate, deps.clock.today());
    content.measures = content.measures.map((m) =>
      m.status === 'active' && proposal.drop.includes(m.code)
        ? { ...m, status: 'dropped', dropReason: CAUSES_CHANGED }
        : m.status === 'active'
          ? { ...m, answers: answersFor(catalogue.find((c) => c.code === m.code) ?? { causes: m.answers }, causes) }
          : m,
    );
    for (const code of proposal.add as MeasureCode[]) {
      const measure = catalogue.find((m) => m.code === code);
      if (!measure?.active || content.measures.some((m) => m.code === code && m.status === 'active')) continue;
      const entry = planMeasure(
        measure,
        { answers: answersFor(measure, causes), startsOn },
        plan.version + 1,
        who.username,
      );
      content.measures = withMeasure(content.measures, entry);
    }
  }
  const after = await movePlan(
    deps,
    plan._id,
    plan,
    { change: req.accept ? 'proposal_accepted' : 'proposal_rejected', content },
    actorOf(who),
  );
  if (!after) throw versionConflict((await deps.plans.get(plan._id))?.version ?? plan.version);
  return after;
}
