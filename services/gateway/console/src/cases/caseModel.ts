// What the case pages show and offer, computed from a case and the user's role: pure, unit-tested
// (caseModel.test.ts). Which role takes which step is the domain's procedure table (actionsFor); this
// file only arranges it for the screen.
import {
  COUNTIES,
  actionsFor,
  addDays,
  judgeVote,
  quarterOf,
  voteProblems,
  type CaseAction,
  type CaseKind,
  type CaseState,
  type Role,
  type VoteProblem,
} from '@shouwang/domain';
import { ApiError } from '../api/client';
import type { Application, Case, CaseDocument, Notice } from '../api/cases';
import type { QuotaStatus } from '../api/quota';

/** The board's tabs in procedure order: the steps still to take, then the returned and the decided. */
export const BOARD_STATES: Record<CaseKind, readonly CaseState[]> = {
  identification: [
    'village_verification',
    'in_notice',
    'township_review',
    'county_review',
    'returned',
    'approved',
    'rejected',
  ],
  exit: ['vote', 'in_notice', 'inform', 'exited', 'retained'],
};

/** Actions taken with a button (ActOnCase); objections and the vote have forms of their own on the case page. */
const BUTTON_ORDER: readonly CaseAction[] = [
  'resubmit',
  'verify',
  'close_notice',
  'review',
  'approve',
  'inform',
  'return',
  'reject',
];

/** The buttons a role gets on a case in this state: forward steps first, then return and reject. */
export function buttonActions(kind: CaseKind, state: CaseState, role: Role): CaseAction[] {
  const mine = new Set(actionsFor(kind, state, role));
  return BUTTON_ORDER.filter((a) => mine.has(a));
}

/** Whether the role may lodge or resolve objections, or record the vote, in this state. */
export function formActions(kind: CaseKind, state: CaseState, role: Role) {
  const mine = new Set(actionsFor(kind, state, role));
  return {
    lodgeObjection: mine.has('lodge_objection'),
    resolveObjection: mine.has('resolve_objection'),
    recordVote: mine.has('record_vote'),
  };
}

/** Actions that do not move a case forward (it may take them anywhere along the way). */
const SIDE_ACTIONS: ReadonlySet<CaseAction> = new Set(['reject', 'return', 'lodge_objection', 'resolve_objection']);

/** The tab a role opens on: the first step it moves forward (a county officer lands on 县级审批). */
export function defaultBoardState(kind: CaseKind, role: Role): CaseState {
  const states = BOARD_STATES[kind];
  return states.find((s) => actionsFor(kind, s, role).some((a) => !SIDE_ACTIONS.has(a))) ?? states[0];
}

/** What an action asks before it is sent: a reason (reject, return), a note (how the household was told). */
export type ActionInputKind = 'none' | 'reason' | 'note';

export function actionInput(action: CaseAction): ActionInputKind {
  if (action === 'reject' || action === 'return') return 'reason';
  if (action === 'inform') return 'note';
  return 'none';
}

/** Forward steps are primary buttons; return and reject are the dangerous ones. */
export function actionTone(action: CaseAction): 'primary' | 'default' | 'danger' {
  if (action === 'reject') return 'danger';
  if (action === 'return') return 'default';
  return 'primary';
}

/**
 * An action's failure as the officer must read it: the quota asks for an override reason; the case has
 * moved on (409, with the state it is in and what may be done now) or was changed meanwhile (412): both
 * need a reload; a 403 names who acts; a 400 names the field.
 */
export type ActionFailure =
  | { kind: 'override_required'; quota?: number; hardLimit?: number; used?: number }
  | { kind: 'quota_exceeded'; quota?: number; hardLimit?: number; used?: number }
  | { kind: 'illegal_transition'; state?: string; allowed: string[] }
  | { kind: 'version_conflict' }
  | { kind: 'forbidden' }
  | { kind: 'field'; field: string }
  | { kind: 'other' };

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A list sent as an array or as comma-separated text. */
function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v.trim() !== '')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return [];
}

export function classifyFailure(error: unknown): ActionFailure {
  if (!(error instanceof ApiError)) return { kind: 'other' };
  const details = (error.body.details ?? {}) as Record<string, unknown>;
  const limits = { quota: num(details.quota), hardLimit: num(details.hardLimit), used: num(details.used) };
  if (error.code === 'quota_override_required') return { kind: 'override_required', ...limits };
  if (error.code === 'quota_exceeded') return { kind: 'quota_exceeded', ...limits };
  if (error.status === 412 || error.code === 'version_conflict') return { kind: 'version_conflict' };
  if (error.code === 'illegal_transition')
    return {
      kind: 'illegal_transition',
      state: typeof details.state === 'string' ? details.state : undefined,
      allowed: list(details.allowedActions),
    };
  if (error.status === 403) return { kind: 'forbidden' };
  if (error.status === 400 && error.body.field) return { kind: 'field', field: error.body.field };
  return { kind: 'other' };
}

/** Where the public notice stands on `today`: running, ended (the village may close it), closed. */
export type NoticeStage = 'none' | 'running' | 'ended' | 'closed';

export function noticeStage(notice: Notice | null | undefined, today: string): NoticeStage {
  if (!notice?.startDate) return 'none';
  if (notice.closedAt) return 'closed';
  return today > notice.endDate ? 'ended' : 'running';
}

export function unresolvedObjections(c: Pick<Case, 'objections'>): number {
  return (c.objections ?? []).filter((o) => !o.resolution).length;
}

/** Days left to the decision limit (negative when late); null for exits and decided cases. */
export function daysLeft(c: Pick<Case, 'dueOn' | 'decidedAt'>, today: string): number | null {
  if (!c.dueOn || c.decidedAt) return null;
  return Math.round((Date.parse(`${c.dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** Timeline colours: decisions against the case in red, returns in orange, approval in green. */
export function stepColor(action: string): 'green' | 'red' | 'orange' | 'blue' | 'gray' {
  if (action === 'approve' || action === 'include_directly' || action === 'inform') return 'green';
  if (action === 'reject' || action === 'end_assistance') return 'red';
  if (action === 'return') return 'orange';
  if (action === 'lodge_objection' || action === 'resolve_objection') return 'gray';
  return 'blue';
}

/** The submit form's answers as the API's application: both consents required, empty references left out. */
export interface ApplicationAnswers {
  commitmentSigned?: boolean;
  assetCheckAuthorised?: boolean;
  commitmentReference?: string;
  authorisationReference?: string;
}

export function applicationOf(
  answers: ApplicationAnswers,
  target: { householdId: string; warningId?: string },
): Application {
  const documents: Pick<CaseDocument, 'kind' | 'reference'>[] = [];
  const commitment = answers.commitmentReference?.trim();
  const authorisation = answers.authorisationReference?.trim();
  if (commitment) documents.push({ kind: 'commitment', reference: commitment });
  if (authorisation) documents.push({ kind: 'asset_check_authorisation', reference: authorisation });
  return {
    householdId: target.householdId,
    origin: target.warningId ? 'warning' : 'household_request',
    ...(target.warningId ? { warningId: target.warningId } : {}),
    commitmentSigned: answers.commitmentSigned === true,
    assetCheckAuthorised: answers.assetCheckAuthorised === true,
    ...(documents.length ? { documents } : {}),
  };
}

/** The vote form's counts, judged as DOMAIN.md §7 judges them while the cadre types. */
export interface VoteAnswers {
  members?: number | null;
  present?: number | null;
  votesFor?: number | null;
  votesAgainst?: number | null;
  abstentions?: number | null;
}

export type VoteVerdict =
  { complete: false } | { complete: true; problems: VoteProblem[]; quorum: boolean; passed: boolean };

export function voteVerdict(a: VoteAnswers): VoteVerdict {
  const { members, present, votesFor, votesAgainst, abstentions } = a;
  if ([members, present, votesFor, votesAgainst, abstentions].some((n) => n === undefined || n === null))
    return { complete: false };
  const counts = {
    members: members!,
    present: present!,
    votesFor: votesFor!,
    votesAgainst: votesAgainst!,
    abstentions: abstentions!,
  };
  const problems = voteProblems(counts);
  if (problems.length) return { complete: true, problems, quorum: false, passed: false };
  return { complete: true, problems, ...judgeVote(counts) };
}

/** The current quarter and the ones before it, newest first (the review list's picker). */
export function recentQuarters(today: string, count = 4): string[] {
  const quarters: string[] = [];
  let date = today;
  while (quarters.length < count) {
    const q = quarterOf(date);
    if (!quarters.includes(q)) quarters.push(q);
    date = addDays(`${date.slice(0, 8)}01`, -1); // last day of the month before
  }
  return quarters;
}

/** The counties a user may look at: the city's for a city-level user, else their own. */
export function countiesFor(scope: string): string[] {
  if (scope.length >= 6) return [scope.slice(0, 6)];
  return COUNTIES.filter((c) => c.code.startsWith(scope)).map((c) => c.code);
}

/**
 * The quota gauge: the share of Q used (green) and used plus pending (the whole bar), capped at 100;
 * `level`: the pending applications fit (ok), fill Q to 90 % or more (tight), would go beyond Q if all
 * were approved (pendingOver), or the identified persons are beyond Q already (over, by overrides).
 */
export interface QuotaGauge {
  usedPercent: number;
  withPendingPercent: number;
  level: 'ok' | 'tight' | 'pendingOver' | 'over';
  /** Persons that still fit under Q and under the hard limit (never negative). */
  freeUnderQuota: number;
  freeUnderHardLimit: number;
}

export function quotaGauge(s: QuotaStatus): QuotaGauge {
  const pct = (n: number) => (s.quota > 0 ? Math.min(100, Math.round((n / s.quota) * 1000) / 10) : n > 0 ? 100 : 0);
  const committed = s.used + s.pendingPersons;
  const level =
    s.used > s.quota
      ? 'over'
      : committed > s.quota
        ? 'pendingOver'
        : committed > 0 && committed >= 0.9 * s.quota
          ? 'tight'
          : 'ok';
  return {
    usedPercent: pct(s.used),
    withPendingPercent: pct(committed),
    level,
    freeUnderQuota: Math.max(0, s.quota - s.used),
    freeUnderHardLimit: Math.max(0, s.hardLimit - s.used),
  };
}
