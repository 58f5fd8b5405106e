import type { identificationV1 } from '@shouwang/contracts';
import { FEATURE_CODES, generatePlan, isValidDate, todayInChina, type FeatureCode } from '@shouwang/domain';
import { SYSTEM, type AssistanceDeps } from '../assistance-deps';
import { busy } from '../errors';
import { syncTasks } from '../tasks/task-sync';
import { contentOf, movePlan } from './plan-moves';
import { planMeasure } from './plan-measures';
import type { PlanContent } from './plan-store';

export type IdentifiedOutcome = 'created' | 'restarted' | 'already_planned' | 'ignored_active_plan';

/**
 * A household became a relative-poverty household (相对贫困户): its plan from its causes (缺什么补什么)
 * on the catalogue of today, eligibility judged on the identified date, every measure starting on the
 * policy start date, and one task per measure and department. A replayed event finds the plan of its
 * case and only makes sure the tasks are there. A household identified again after an exit starts
 * its plan over (the earlier tasks stay as they ended).
 */
export async function planIdentified(
  deps: AssistanceDeps,
  e: identificationV1.HouseholdIdentified,
): Promise<IdentifiedOutcome> {
  const asOf = isValidDate(e.identifiedAt.slice(0, 10)) ? todayInChina(new Date(e.identifiedAt)) : deps.clock.today();
  const causes = e.causes.filter((c): c is FeatureCode => (FEATURE_CODES as readonly string[]).includes(c));
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await deps.plans.get(e.householdId);
    if (before?.caseId === e.caseId) {
      await syncTasks(deps, before, SYSTEM);
      return 'already_planned';
    }
    if (before?.status === 'active') return 'ignored_active_plan';
    const catalogue = await deps.measures.all();
    const household = await deps.households.get(e.householdId);
    // Unknown members (the registry's events not seen): conditions cannot be met, so none is assumed.
    const members = (household?.members ?? []).map((m) => ({ name: '', ...m }));
    const generated = generatePlan(catalogue, causes, { members }, e.policyStartDate, asOf);
    const since = (before?.version ?? 0) + 1;
    const now = deps.clock.now().toISOString();
    const content: PlanContent = {
      areaCode: e.areaCode,
      headName: household?.headName ?? '',
      caseId: e.caseId,
      category: e.category,
      causes,
      policyStartDate: e.policyStartDate,
      measures: generated.measures.map((g) =>
        planMeasure(
          catalogue.find((m) => m.code === g.code)!,
          g,
          since,
          SYSTEM.username,
        ),
      ),
      notPlanned: generated.notPlanned,
      proposals: [],
      status: 'active',
      closedReason: '',
      createdAt: now,
      updatedAt: now,
    };
    const after = await movePlan(deps, e.householdId, before, { change: 'created', content }, SYSTEM);
    if (after) return before ? 'restarted' : 'created';
  }
  throw busy();
}

export type ExitedOutcome = 'closed' | 'already_closed' | 'no_plan';

/**
 * The household exited (vote, or assistance ended for a violation): its plan closes with the exit
 * reason, its measures end, and its tasks still to be worked close with that reason; delivered and
 * declined tasks keep their history.
 */
export async function closePlanOnExit(
  deps: AssistanceDeps,
  e: identificationV1.HouseholdExited,
): Promise<ExitedOutcome> {
  const reason =
    e.reason.trim() || (e.kind === 'violation' ? '违反承诺，终止帮扶 (commitment breached)' : '退出 (exited)');
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await deps.plans.get(e.householdId);
    if (!before) return 'no_plan';
    if (before.status === 'closed') {
      await syncTasks(deps, before, SYSTEM);
      return 'already_closed';
    }
    const content = contentOf(before);
    content.status = 'closed';
    content.closedReason = reason;
    content.updatedAt = deps.clock.now().toISOString();
    content.measures = content.measures.map((m) => (m.status === 'active' ? { ...m, status: 'closed' } : m));
    content.proposals = content.proposals.map((p) => (p.status === 'open' ? { ...p, status: 'superseded' } : p));
    if (await movePlan(deps, e.householdId, before, { change: 'closed', content }, SYSTEM)) return 'closed';
  }
  throw busy();
}
