import { events, type identificationV1 } from '@shouwang/contracts';
import { auditActorOf, outboxEntry, type AuditTrail, type Identity, type OutboxEntry } from '@shouwang/kit';
import { FINAL_STATES, type CaseState } from '@shouwang/domain';
import type { CaseChange, CaseDoc, CaseStore } from './case-store';
import type { Clock } from './clock';
import { caseAuditState, caseForEvent } from './case-mapping';
import { caseVersionConflict, conflict } from './workflow-errors';

/** What moving a case needs. */
export interface TransitionDeps {
  cases: CaseStore;
  audit: AuditTrail;
  clock: Clock;
  /** Called after a write that queued events, so the relay publishes them at once. */
  onEventsWritten: () => void;
}

export interface Transition {
  /** The step's action as the timeline shows it (a CaseAction, or e.g. include_directly, end_assistance). */
  action: string;
  to: CaseState;
  /** Reason, note or summary given with the action. */
  note?: string;
  /** Fields the step changes besides the state. */
  change?: CaseChange;
  /** Events besides the CaseTransitioned one, queued in the same write. */
  events?: OutboxEntry[];
}

function stepOf(
  who: Identity,
  action: string,
  from: string,
  to: string,
  at: string,
  note = '',
): identificationV1.CaseStep {
  return { action, fromState: from, toState: to, actorUsername: who.username, actorRole: who.role, at, note };
}

function transitionedEvent(doc: CaseDoc, step: identificationV1.CaseStep, today: string): OutboxEntry {
  return outboxEntry(
    events.caseTransitioned,
    doc.householdId,
    {
      case: caseForEvent(doc, today),
      action: step.action,
      fromState: step.fromState,
      toState: step.toState,
      actorRole: step.actorRole,
      at: step.at,
    },
    'identification',
  );
}

/** The fields a case gets when it reaches a final state. */
function decision(current: Pick<CaseDoc, 'dueOn'>, at: string, today: string): CaseChange {
  return { open: false, decidedAt: at, decidedOn: today, decidedLate: current.dueOn !== '' && today > current.dueOn };
}

/**
 * One step of a case: a versioned single-document update (CaseStore.updateVersioned) that changes the
 * state (and `change`) and appends the step to the timeline, with a CaseTransitioned event (plus
 * `t.events`) released once the write is done; then the audit entry. Throws version_conflict (412) when someone else moved the case since
 * `current` was read: of two concurrent actions, exactly one wins. Legality (state, role, scope) is
 * the caller's check, made on `current` before calling.
 */
export async function applyTransition(
  deps: TransitionDeps,
  who: Identity,
  current: CaseDoc,
  t: Transition,
): Promise<CaseDoc> {
  const at = deps.clock.now().toISOString();
  const today = deps.clock.today();
  const step = stepOf(who, t.action, current.state, t.to, at, t.note);
  const final = FINAL_STATES[current.kind].includes(t.to);
  const change: CaseChange = {
    ...t.change,
    state: t.to,
    ...(final && current.open ? decision(current, at, today) : {}),
  };
  const after: CaseDoc = { ...current, ...change, version: current.version + 1, steps: [...current.steps, step] };
  const stored = await deps.cases.updateVersioned(current._id, current.version, change, step, [
    transitionedEvent(after, step, today),
    ...(t.events ?? []),
  ]);
  if (!stored) throw caseVersionConflict((await deps.cases.get(current._id))?.version ?? current.version + 1);
  deps.onEventsWritten();
  await deps.audit.append({
    aggregateType: 'case',
    aggregateId: current._id,
    actor: auditActorOf(who),
    action: `case.${t.action}`,
    areaCode: current.areaCode,
    before: caseAuditState(current),
    after: caseAuditState(stored),
  });
  if (final) await deps.cases.releaseOpen(current.kind, current.householdId, current._id);
  return stored;
}

/** A new case before its first step: everything but the timeline and version. */
export type NewCase = Omit<CaseDoc, 'steps' | 'version' | 'decidedAt' | 'decidedOn' | 'decidedLate' | 'open'>;

/**
 * Stores a new case with its first step (from '' to its state), its CaseTransitioned event and
 * `extraEvents`, then the audit entry. A case that starts open is exclusive: while the
 * household has an open case of that kind, the new one is refused with 409 case_open (details
 * caseId), also when two are created at once. If the id already exists (a retried request with the
 * same idempotency key) the stored case is returned unchanged.
 */
export async function createCase(
  deps: TransitionDeps,
  who: Identity,
  draft: NewCase,
  first: { action: string; note?: string },
  extraEvents: OutboxEntry[] = [],
): Promise<CaseDoc> {
  const at = deps.clock.now().toISOString();
  const today = deps.clock.today();
  const step = stepOf(who, first.action, '', draft.state, at, first.note);
  const final = FINAL_STATES[draft.kind].includes(draft.state);
  const doc: CaseDoc = {
    ...draft,
    open: !final,
    decidedAt: '',
    decidedOn: '',
    decidedLate: false,
    ...(final ? decision(draft, at, today) : {}),
    steps: [step],
    version: 1,
  };
  const evs = [transitionedEvent(doc, step, today), ...extraEvents];
  if (final) {
    if (!(await deps.cases.insert(doc, evs))) return (await deps.cases.get(doc._id))!;
  } else {
    const r = await deps.cases.insertOpen(doc, evs);
    if (!r.ok && 'exists' in r) return (await deps.cases.get(doc._id))!;
    if (!r.ok) throw caseOpen(r.openCaseId);
  }
  deps.onEventsWritten();
  await deps.audit.append({
    aggregateType: 'case',
    aggregateId: doc._id,
    actor: auditActorOf(who),
    action: `case.${first.action}`,
    areaCode: doc.areaCode,
    before: null,
    after: caseAuditState(doc),
  });
  return doc;
}

export function caseOpen(caseId: string) {
  return conflict('case_open', `the household already has an open case (${caseId})`, '该农户已有未办结的案件', {
    caseId,
  });
}
