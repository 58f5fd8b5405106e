import { assistanceEvents, type EventDefinition, type assistanceV1 } from '@shouwang/contracts';
import { outboxEntry } from '@shouwang/kit';
import type { Actor, AssistanceDeps } from '../assistance-deps';
import { syncTasks } from '../tasks/task-sync';
import type { PlanContent, PlanDoc } from './plan-store';
import { planToWire } from './plan-wire';

/** The `change` a plan event names (proto PlanEvent.change). */
export type PlanChangeKind =
  | 'created'
  | 'measure_added'
  | 'measure_dropped'
  | 'measure_adjusted'
  | 'proposal_raised'
  | 'proposal_accepted'
  | 'proposal_rejected'
  /** An open proposal no longer applies: the causes call for the plan as it is again. */
  | 'proposal_superseded'
  | 'closed';

const EVENT_OF: Record<PlanChangeKind, EventDefinition<assistanceV1.PlanEvent>> = {
  created: assistanceEvents.planCreated,
  closed: assistanceEvents.planClosed,
  measure_added: assistanceEvents.planChanged,
  measure_dropped: assistanceEvents.planChanged,
  measure_adjusted: assistanceEvents.planChanged,
  proposal_raised: assistanceEvents.planChanged,
  proposal_accepted: assistanceEvents.planChanged,
  proposal_rejected: assistanceEvents.planChanged,
  proposal_superseded: assistanceEvents.planChanged,
};

/** The audit view of a plan: its state, not its history (the trail is the history). */
export function planAuditView(
  p: Pick<PlanDoc, 'status' | 'causes' | 'measures' | 'proposals' | 'closedReason' | 'version'>,
) {
  return {
    status: p.status,
    causes: p.causes,
    measures: p.measures.map((m) => ({
      code: m.code,
      status: m.status,
      startsOn: m.startsOn,
      plannedAmountYuan: m.plannedAmountYuan,
      dropReason: m.dropReason || null,
      note: m.note || null,
    })),
    openProposal: p.proposals.find((x) => x.status === 'open')?.id ?? null,
    closedReason: p.closedReason || null,
    version: p.version,
  };
}

export interface PlanMove {
  change: PlanChangeKind;
  measureCode?: string;
  content: PlanContent;
}

/**
 * Moves a plan from version `from` (0: a new plan) to its next version with its event and audit entry,
 * then makes its tasks follow. A change interrupted between the plan and its tasks is recorded first
 * (PlanStore.intend), so recovery finishes it. Null when another writer moved the plan first.
 */
export async function movePlan(
  deps: AssistanceDeps,
  planId: string,
  before: PlanDoc | null,
  move: PlanMove,
  actor: Actor,
): Promise<PlanDoc | null> {
  const from = before?.version ?? 0;
  const now = deps.clock.now().toISOString();
  const expected: PlanDoc = { _id: planId, ...move.content, version: from + 1 };
  const event = outboxEntry(
    EVENT_OF[move.change],
    planId,
    {
      plan: planToWire(expected),
      change: move.change,
      measureCode: move.measureCode ?? '',
      actorUsername: actor.username,
      at: now,
    },
    'assistance',
  );
  const intent = await deps.plans.intend(planId);
  const after = await deps.plans.move(planId, from, move.content, [event]);
  if (!after) {
    await deps.plans.done(intent);
    return null;
  }
  deps.onEventsWritten();
  await deps.audit.append({
    aggregateType: 'plan',
    aggregateId: planId,
    actor: actor.audit,
    action: `plan.${move.change}`,
    areaCode: after.areaCode,
    before: before ? planAuditView(before) : null,
    after: planAuditView(after),
  });
  await syncTasks(deps, after, actor);
  await deps.plans.done(intent);
  return after;
}

/** The plan's content, to change a copy of. */
export function contentOf(p: PlanDoc): PlanContent {
  const { _id: _ignored, version: _v, ...content } = structuredClone(p);
  return content;
}
