// The identification service's workflows (识别认定, 退出) as the gateway serves them (api-spec-5
// "Gateway REST"): camelCase JSON of proto/shouwang/identification/v1/workflow.proto.
import type { CaseAction, CaseKind, CaseState } from '@shouwang/domain';
import { api, query } from './client';

export interface Notice {
  /** YYYY-MM-DD, both inclusive. */
  startDate: string;
  endDate: string;
  days: number;
  /** RFC 3339; '' while the notice is open. */
  closedAt?: string;
}

export type Resolution = 'upheld' | 'dismissed';

export interface Objection {
  id: string;
  lodgedOn: string;
  summary: string;
  recordedBy?: string;
  /** '' while unresolved. */
  resolution?: '' | Resolution;
  resolutionNote?: string;
  resolvedBy?: string;
  resolvedAt?: string;
}

export interface CaseStep {
  action: string;
  fromState?: string;
  toState?: string;
  actorUsername: string;
  actorRole: string;
  at: string;
  note?: string;
}

export const DOCUMENT_KINDS = ['commitment', 'asset_check_authorisation', 'vote_minutes', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface CaseDocument {
  kind: DocumentKind;
  /** E.g. the file number in the village archive. */
  reference: string;
  recordedBy?: string;
  recordedAt?: string;
}

export interface Vote {
  members: number;
  present: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  heldOn: string;
  quorum?: boolean;
  passed?: boolean;
}

export type CaseOrigin = 'household_request' | 'warning' | 'national_system' | 'quarterly_review';

export interface Case {
  id: string;
  kind: CaseKind;
  householdId: string;
  /** The household's 12-digit village code. */
  areaCode: string;
  countyCode?: string;
  headName: string;
  address?: string;
  persons: number;
  state: CaseState;
  origin: CaseOrigin;
  warningId?: string;
  commitmentSigned?: boolean;
  assetCheckAuthorised?: boolean;
  submittedAt?: string;
  /** Identification: last day for the county decision; '' for exits. */
  dueOn?: string;
  late?: boolean;
  decidedAt?: string;
  notice?: Notice | null;
  objections?: Objection[];
  steps?: CaseStep[];
  allowedActions?: CaseAction[];
  category?: string;
  causes?: string[];
  policyStartDate?: string;
  overrideReason?: string;
  reason?: string;
  vote?: Vote | null;
  quarter?: string;
  informedOn?: string;
  documents?: CaseDocument[];
  version: number;
}

export interface CaseFilter {
  areaCode?: string;
  kind?: CaseKind;
  state?: CaseState;
  late?: boolean;
  householdId?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface CasePage {
  cases: Case[];
  nextPageToken?: string;
  total: number;
}

export interface Application {
  householdId: string;
  origin: 'household_request' | 'warning';
  warningId?: string;
  commitmentSigned: boolean;
  assetCheckAuthorised: boolean;
  documents?: Pick<CaseDocument, 'kind' | 'reference'>[];
}

/** What ActOnCase takes besides the action: a reason (reject, return), an override reason (approve), a note. */
export interface ActionInput {
  reason?: string;
  overrideReason?: string;
  note?: string;
}

export interface Identification {
  householdId: string;
  status: 'none' | 'identified' | 'exited';
  caseId?: string;
  category?: string;
  causes?: string[];
  persons?: number;
  policyStartDate?: string;
  identifiedAt?: string;
  exitedAt?: string;
  exitKind?: '' | 'vote' | 'violation';
  exitReason?: string;
}

const casePath = (id: string) => `/cases/${encodeURIComponent(id)}`;
/** Versioned writes name the version read; a stale one is refused with 412 version_conflict. */
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers,
  body: JSON.stringify(body),
});

/**
 * Submits an application (识别申请); with a warningId the warning is converted to it. The same
 * idempotency key on a retry returns the first case instead of a second one.
 */
export async function submitApplication(application: Application, idempotencyKey: string): Promise<Case> {
  return (await api<{ case: Case }>('/applications', post(application, { 'idempotency-key': idempotencyKey }))).case;
}

export async function listCases(filter: CaseFilter): Promise<CasePage> {
  return api<CasePage>(`/cases${query({ ...filter, late: filter.late ? true : undefined })}`);
}

export async function getCase(id: string): Promise<Case> {
  return (await api<{ case: Case }>(casePath(id))).case;
}

export async function actOnCase(c: Pick<Case, 'id' | 'version'>, action: CaseAction, input: ActionInput = {}) {
  return (await api<{ case: Case }>(`${casePath(c.id)}/actions`, post({ action, ...input }, ifMatch(c.version)))).case;
}

export async function lodgeObjection(c: Pick<Case, 'id' | 'version'>, summary: string, lodgedOn?: string) {
  return (await api<{ case: Case }>(`${casePath(c.id)}/objections`, post({ summary, lodgedOn }, ifMatch(c.version))))
    .case;
}

export async function resolveObjection(
  c: Pick<Case, 'id' | 'version'>,
  objectionId: string,
  resolution: Resolution,
  note: string,
): Promise<Case> {
  const path = `${casePath(c.id)}/objections/${encodeURIComponent(objectionId)}/resolution`;
  return (await api<{ case: Case }>(path, post({ resolution, note }, ifMatch(c.version)))).case;
}

export interface VoteInput {
  members: number;
  present: number;
  votesFor: number;
  votesAgainst: number;
  abstentions: number;
  heldOn: string;
  minutesReference: string;
}

export async function recordVote(c: Pick<Case, 'id' | 'version'>, vote: VoteInput): Promise<Case> {
  return (await api<{ case: Case }>(`${casePath(c.id)}/vote`, post(vote, ifMatch(c.version)))).case;
}

export async function getIdentification(householdId: string): Promise<Identification> {
  return (
    await api<{ identification: Identification }>(`/households/${encodeURIComponent(householdId)}/identification`)
  ).identification;
}

/** The village's public notice (公示) of the cases in notice, as a Chinese PDF. */
export const noticePdfPath = (villageCode: string, kind: CaseKind) =>
  `/notices/${encodeURIComponent(villageCode)}.pdf${query({ kind })}`;
