/**
 * The two case procedures of DOMAIN.md §6 and §7 as one table: for each kind of case and state, the
 * actions allowed, the level (role) that takes each, and where it leads. The identification service
 * moves cases only through `decideAction`, and the console shows `allowedActions`, so the procedure
 * lives here once.
 *
 * Choices where DOMAIN.md is silent (officers' expectations, stated in the closing note):
 * - "return to the step before": from village verification the case goes back to the cadre who
 *   submitted it (returned, to amend and resubmit); from the notice or the township review it goes back
 *   to village verification (a new notice follows the new verification); from the county to the township.
 * - Exits are decided in the village: the assembly's vote, the notice, telling the household.
 */
import type { Role } from '../access/roles';

export const CASE_KINDS = ['identification', 'exit'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const IDENTIFICATION_STATES = [
  'returned',
  'village_verification',
  'in_notice',
  'township_review',
  'county_review',
  'approved',
  'rejected',
] as const;
export const EXIT_STATES = ['vote', 'in_notice', 'inform', 'exited', 'retained'] as const;
export type IdentificationState = (typeof IDENTIFICATION_STATES)[number];
export type ExitState = (typeof EXIT_STATES)[number];
export type CaseState = IdentificationState | ExitState;

export const FINAL_STATES: Record<CaseKind, readonly CaseState[]> = {
  identification: ['approved', 'rejected'],
  exit: ['exited', 'retained'],
};

/** Actions taken through ActOnCase, plus the ones with their own request (objections, vote). */
export const CASE_ACTIONS = [
  'verify',
  'close_notice',
  'review',
  'approve',
  'reject',
  'return',
  'resubmit',
  'lodge_objection',
  'resolve_objection',
  'record_vote',
  'inform',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** The level that acts at each step: the role of that level, inside its scope. */
export type ActingRole = Extract<Role, 'village_cadre' | 'township_officer' | 'county_officer'>;

interface Transition {
  readonly by: ActingRole;
  /** Where the action leads; objection resolution and votes pick between outcomes (see below). */
  readonly to: CaseState;
  readonly needsReason?: boolean;
}

type Table = Record<string, Partial<Record<CaseAction, Transition>>>;

const V = 'village_cadre' as const;
const T = 'township_officer' as const;
const C = 'county_officer' as const;

const IDENTIFICATION: Table = {
  returned: {
    resubmit: { by: V, to: 'village_verification' },
    reject: { by: V, to: 'rejected', needsReason: true },
  },
  village_verification: {
    verify: { by: V, to: 'in_notice' },
    reject: { by: V, to: 'rejected', needsReason: true },
    return: { by: V, to: 'returned', needsReason: true },
  },
  in_notice: {
    lodge_objection: { by: V, to: 'in_notice' },
    resolve_objection: { by: V, to: 'in_notice' },
    close_notice: { by: V, to: 'township_review' },
    reject: { by: V, to: 'rejected', needsReason: true },
    return: { by: V, to: 'village_verification', needsReason: true },
  },
  township_review: {
    review: { by: T, to: 'county_review' },
    reject: { by: T, to: 'rejected', needsReason: true },
    return: { by: T, to: 'village_verification', needsReason: true },
  },
  county_review: {
    approve: { by: C, to: 'approved' },
    reject: { by: C, to: 'rejected', needsReason: true },
    return: { by: C, to: 'township_review', needsReason: true },
  },
  approved: {},
  rejected: {},
};

const EXIT: Table = {
  vote: {
    record_vote: { by: V, to: 'in_notice' },
    reject: { by: V, to: 'retained', needsReason: true },
  },
  in_notice: {
    lodge_objection: { by: V, to: 'in_notice' },
    resolve_objection: { by: V, to: 'in_notice' },
    close_notice: { by: V, to: 'inform' },
    reject: { by: V, to: 'retained', needsReason: true },
  },
  inform: {
    inform: { by: V, to: 'exited' },
  },
  exited: {},
  retained: {},
};

const TABLES: Record<CaseKind, Table> = { identification: IDENTIFICATION, exit: EXIT };

export function isCaseState(kind: CaseKind, state: string): state is CaseState {
  return Object.prototype.hasOwnProperty.call(TABLES[kind], state);
}

/** Actions the procedure allows in a state, whoever may take them, in table order. */
export function allowedActions(kind: CaseKind, state: CaseState): CaseAction[] {
  return Object.keys(TABLES[kind][state] ?? {}) as CaseAction[];
}

/** Actions a given role may take in a state (what the console offers that user). */
export function actionsFor(kind: CaseKind, state: CaseState, role: Role): CaseAction[] {
  return allowedActions(kind, state).filter((a) => TABLES[kind][state]?.[a]?.by === role);
}

export type ActionDecision =
  | { ok: true; to: CaseState; by: ActingRole; needsReason: boolean }
  | { ok: false; code: 'illegal_transition'; state: CaseState; allowed: CaseAction[] }
  | { ok: false; code: 'wrong_role'; state: CaseState; by: ActingRole };

/**
 * Whether `role` may take `action` on a case of `kind` in `state`, and where it leads. Scope and
 * separation of duties are checked by the caller (they need the case's area and history).
 */
export function decideAction(kind: CaseKind, state: CaseState, action: string, role: Role): ActionDecision {
  const t = TABLES[kind][state]?.[action as CaseAction];
  if (!t) return { ok: false, code: 'illegal_transition', state, allowed: allowedActions(kind, state) };
  if (t.by !== role) return { ok: false, code: 'wrong_role', state, by: t.by };
  return { ok: true, to: t.to, by: t.by, needsReason: t.needsReason === true };
}

/** An upheld objection ends the case (application rejected, exit retained); a dismissed one lets it go on. */
export function stateAfterObjection(kind: CaseKind, resolution: 'upheld' | 'dismissed'): CaseState {
  if (resolution === 'dismissed') return 'in_notice';
  return kind === 'identification' ? 'rejected' : 'retained';
}

/** The vote leads to the exit notice when it passes, and keeps the household identified when it fails. */
export function stateAfterVote(passed: boolean): ExitState {
  return passed ? 'in_notice' : 'retained';
}

/**
 * Separation of duties (DOMAIN.md §6): the same person may not verify and approve one case. `actors`
 * are the usernames of everyone who took an earlier verify or review step on it.
 */
export function mayApprove(approver: string, verifiers: readonly string[]): boolean {
  return !verifiers.includes(approver);
}
