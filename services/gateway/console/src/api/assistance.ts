// The assistance service (帮扶措施, DOMAIN.md §8) as the gateway serves it (api-spec-6 "Gateway REST"):
// camelCase JSON of proto/shouwang/assistance/v1 — the measure catalogue, a household's plan with its
// proposals, the departments' tasks, and the motivation points with the red/black lists.
import type { FeatureCode, MeasureCode, TaskAction, TaskState } from '@shouwang/domain';
import { api, query } from './client';

export interface Measure {
  code: MeasureCode;
  nameZh: string;
  nameEn: string;
  departments: string[];
  /** F1..F10 it answers; empty when answersAll. */
  causes: FeatureCode[];
  answersAll: boolean;
  /** has_labourer | single_person_inclusion_member */
  conditions: string[];
  kind: 'policy' | 'insurance';
  /** Upper limit of one delivery in yuan; null when the measure has no amount. */
  amountLimitYuan: number | null;
  /** Days a department has to deliver; null: the service default. */
  dueDays: number | null;
  active: boolean;
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

/** What the administrator changes of a measure (the service keeps code, version and who/when). */
export type MeasureFields = Omit<Measure, 'code' | 'version' | 'updatedAt' | 'updatedBy'>;

export type PlanMeasureStatus = 'active' | 'dropped' | 'closed';

export interface PlanMeasure {
  code: MeasureCode;
  answers: string[];
  startsOn: string;
  kind: 'policy' | 'insurance';
  status: PlanMeasureStatus;
  /** 'system' (generated) or the username who added it. */
  addedBy: string;
  dropReason?: string;
  note?: string;
  plannedAmountYuan: number | null;
}

export type ProposalStatus = 'open' | 'accepted' | 'rejected' | 'superseded';

export interface PlanProposal {
  id: string;
  add: MeasureCode[];
  drop: MeasureCode[];
  features: string[];
  raisedAt: string;
  status: ProposalStatus;
  decidedBy?: string;
  decidedAt?: string;
  note?: string;
}

export interface NotPlanned {
  code: MeasureCode;
  unmet: string[];
}

export interface Plan {
  householdId: string;
  areaCode: string;
  headName: string;
  caseId: string;
  category: string;
  causes: string[];
  policyStartDate: string;
  /** Policy measures first, the insurance backstop last. */
  measures: PlanMeasure[];
  notPlanned: NotPlanned[];
  proposals: PlanProposal[];
  status: 'active' | 'closed';
  closedReason?: string;
  createdAt: string;
  version: number;
}

export interface Delivery {
  deliveredOn: string;
  amountYuan: number | null;
  note?: string;
  recordedBy: string;
  recordedAt: string;
}

export interface Task {
  id: string;
  householdId: string;
  areaCode: string;
  headName: string;
  measureCode: MeasureCode;
  department: string;
  state: TaskState;
  startsOn: string;
  dueOn: string;
  overdue: boolean;
  deliveries: Delivery[];
  declineReason?: string;
  closedReason?: string;
  createdAt: string;
  version: number;
  allowedActions: TaskAction[];
}

export interface TaskFilter {
  department?: string;
  areaCode?: string;
  state?: TaskState;
  overdue?: boolean;
  householdId?: string;
  pageSize?: number;
  pageToken?: string;
}

export interface TaskPage {
  tasks: Task[];
  nextPageToken?: string | null;
  total: number;
}

/** accept | deliver (date, amount, note) | decline (reason). */
export interface TaskActionInput {
  deliveredOn?: string;
  amountYuan?: number;
  note?: string;
  reason?: string;
}

export type PlanOperation = 'add' | 'drop' | 'adjust';

export interface PlanChange {
  operation: PlanOperation;
  measureCode: MeasureCode;
  /** Required for drop. */
  reason?: string;
  note?: string;
  plannedAmountYuan?: number;
  startsOn?: string;
}

export interface PointsEntry {
  id: string;
  householdId: string;
  /** Positive: earned; negative: spent at the love supermarket. */
  points: number;
  reason: string;
  recordedBy: string;
  at: string;
}

export interface ListEntry {
  id: string;
  householdId: string;
  list: 'red' | 'black';
  reason: string;
  recordedBy: string;
  at: string;
}

export interface Points {
  entries: PointsEntry[];
  balance: number;
  listEntries: ListEntry[];
}

/** Versioned writes name the version read; a stale one is refused with 412 version_conflict. */
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });
const send = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers,
  body: JSON.stringify(body),
});
const householdPath = (id: string) => `/households/${encodeURIComponent(id)}`;

export async function listMeasures(): Promise<Measure[]> {
  return (await api<{ measures: Measure[] }>('/measures')).measures;
}

export async function updateMeasure(m: Pick<Measure, 'code' | 'version'>, fields: MeasureFields): Promise<Measure> {
  const path = `/measures/${encodeURIComponent(m.code)}`;
  return (await api<{ measure: Measure }>(path, send('PUT', { measure: fields }, ifMatch(m.version)))).measure;
}

export async function getPlan(householdId: string): Promise<Plan> {
  return (await api<{ plan: Plan }>(`${householdPath(householdId)}/plan`)).plan;
}

export async function changePlan(p: Pick<Plan, 'householdId' | 'version'>, change: PlanChange): Promise<Plan> {
  const path = `${householdPath(p.householdId)}/plan/changes`;
  return (await api<{ plan: Plan }>(path, send('POST', change, ifMatch(p.version)))).plan;
}

export async function decideProposal(
  p: Pick<Plan, 'householdId' | 'version'>,
  proposalId: string,
  accept: boolean,
  note: string,
): Promise<Plan> {
  const path = `${householdPath(p.householdId)}/plan/proposals/${encodeURIComponent(proposalId)}/decision`;
  return (await api<{ plan: Plan }>(path, send('POST', { accept, note }, ifMatch(p.version)))).plan;
}

export async function listTasks(filter: TaskFilter): Promise<TaskPage> {
  return api<TaskPage>(`/tasks${query({ ...filter, overdue: filter.overdue ? true : undefined })}`);
}

/** Every task of one household (a plan has at most a few dozen), following the pages. */
export async function householdTasks(householdId: string): Promise<Task[]> {
  const tasks: Task[] = [];
  let pageToken: string | undefined;
  do {
    const page = await listTasks({ householdId, pageSize: 200, pageToken });
    tasks.push(...page.tasks);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return tasks;
}

export async function getTask(id: string): Promise<Task> {
  return (await api<{ task: Task }>(`/tasks/${encodeURIComponent(id)}`)).task;
}

export async function actOnTask(
  t: Pick<Task, 'id' | 'version'>,
  action: TaskAction,
  input: TaskActionInput = {},
): Promise<Task> {
  const path = `/tasks/${encodeURIComponent(t.id)}/actions`;
  return (await api<{ task: Task }>(path, send('POST', { action, ...input }, ifMatch(t.version)))).task;
}

export async function getPoints(householdId: string): Promise<Points> {
  return api<Points>(`${householdPath(householdId)}/points`);
}

/** Earns or spends points; the same idempotency key on a retry records once. */
export async function recordPoints(
  householdId: string,
  entry: { kind: 'earn' | 'spend'; points: number; reason: string },
  idempotencyKey: string,
): Promise<{ entry: PointsEntry; balance: number }> {
  return api(`${householdPath(householdId)}/points`, send('POST', entry, { 'idempotency-key': idempotencyKey }));
}

export async function addListEntry(householdId: string, list: 'red' | 'black', reason: string): Promise<ListEntry> {
  return (await api<{ entry: ListEntry }>(`${householdPath(householdId)}/list-entries`, send('POST', { list, reason })))
    .entry;
}
