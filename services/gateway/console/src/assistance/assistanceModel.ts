// What the assistance pages show and offer (帮扶任务, 帮扶措施库, the household's plan and points), computed
// from the API's records and the user: pure, unit-tested (assistanceModel.test.ts). Which action a task's
// state allows is the domain's lifecycle (taskActions); who may act is the permission table.
import { can, taskActions, TASK_ACTIONS, type Role, type TaskAction } from '@shouwang/domain';
import { ApiError } from '../api/client';
import type { Delivery, Measure, MeasureFields, Plan, PlanMeasure, Task } from '../api/assistance';

interface Officer {
  role: Role;
  department: string | null;
}

/**
 * The department whose queue the page lists: a department officer's own, always (the server refuses
 * another with 403); for everyone else the one chosen, '' meaning every department.
 */
export function queueDepartment(user: Officer, chosen: string | null | undefined): string {
  if (user.role === 'department_officer') return user.department ?? '';
  return chosen ?? '';
}

/**
 * The buttons a user gets on a task: none unless they work tasks and the task is their department's;
 * then what the task's state allows (the server's list, the domain's lifecycle when it sent none), in
 * the lifecycle's order.
 */
export function taskButtons(task: Pick<Task, 'state' | 'department' | 'allowedActions'>, user: Officer): TaskAction[] {
  if (!can(user.role, 'assistance.tasks.work') || !user.department || user.department !== task.department) return [];
  const allowed = new Set<string>(task.allowedActions ?? taskActions(task.state));
  return TASK_ACTIONS.filter((a) => allowed.has(a));
}

/** What an action asks before it is sent: nothing but a confirmation, the delivery form, a reason. */
export function taskActionInput(action: TaskAction): 'confirm' | 'delivery' | 'reason' {
  if (action === 'deliver') return 'delivery';
  if (action === 'decline') return 'reason';
  return 'confirm';
}

/** Yuan to cents and back, so sums of amounts like 0.1 + 0.2 come out exact. */
const cents = (yuan: number) => Math.round(yuan * 100);

export interface DeliveredSum {
  /** Deliveries recorded. */
  count: number;
  /** Sum of the amounts recorded (deliveries without an amount add nothing). */
  amountYuan: number;
  /** Whether any delivery recorded an amount (a measure like training has none). */
  withAmount: boolean;
  /** YYYY-MM-DD of the latest delivery, '' when none. */
  lastOn: string;
}

export function deliveredSum(deliveries: readonly Pick<Delivery, 'amountYuan' | 'deliveredOn'>[]): DeliveredSum {
  let total = 0;
  let withAmount = false;
  let lastOn = '';
  for (const d of deliveries) {
    if (typeof d.amountYuan === 'number') {
      total += cents(d.amountYuan);
      withAmount = true;
    }
    if (d.deliveredOn > lastOn) lastOn = d.deliveredOn;
  }
  return { count: deliveries.length, amountYuan: total / 100, withAmount, lastOn };
}

export interface PlanRow extends PlanMeasure {
  /** The tasks of this measure (one per responsible department). */
  tasks: Task[];
  delivered: DeliveredSum;
}

/** The plan's measures in the plan's order, each with its departments' tasks and what they delivered. */
export function planRows(plan: Pick<Plan, 'measures'>, tasks: readonly Task[]): PlanRow[] {
  return plan.measures.map((m) => {
    const mine = tasks.filter((t) => t.measureCode === m.code);
    return { ...m, tasks: mine, delivered: deliveredSum(mine.flatMap((t) => t.deliveries)) };
  });
}

/** Measures that can be added to the plan: active in the catalogue and not active in the plan. */
export function addableMeasures(plan: Pick<Plan, 'measures'>, catalogue: readonly Measure[]): Measure[] {
  const active = new Set(plan.measures.filter((m) => m.status === 'active').map((m) => m.code));
  return catalogue.filter((m) => m.active && !active.has(m.code));
}

/** Open proposals first, then the decided ones, newest first within each. */
export function sortedProposals<P extends { status: string; raisedAt: string }>(proposals: readonly P[]): P[] {
  return [...proposals].sort(
    (a, b) => Number(b.status === 'open') - Number(a.status === 'open') || b.raisedAt.localeCompare(a.raisedAt),
  );
}

/**
 * An amount of yuan as the server would judge it, so the form says so while the officer types: more
 * than 0, at most two decimals, within the measure's limit when it has one.
 */
export function amountProblem(
  amount: number | null | undefined,
  limitYuan: number | null | undefined,
): null | 'not_positive' | 'too_precise' | 'over_limit' {
  if (amount === null || amount === undefined) return null;
  if (!(amount > 0)) return 'not_positive';
  if (Math.abs(Math.round(amount * 100) - amount * 100) > 1e-6) return 'too_precise';
  if (typeof limitYuan === 'number' && amount > limitYuan) return 'over_limit';
  return null;
}

/** The catalogue's form: the measure's changeable fields (the causes empty when it answers every cause). */
export function measureFieldsOf(values: MeasureFields): MeasureFields {
  return {
    nameZh: values.nameZh.trim(),
    nameEn: values.nameEn.trim(),
    departments: [...values.departments],
    causes: values.answersAll ? [] : [...values.causes],
    answersAll: values.answersAll,
    conditions: [...values.conditions],
    kind: values.kind,
    amountLimitYuan: values.amountLimitYuan ?? null,
    dueDays: values.dueDays ?? null,
    active: values.active,
  };
}

export function measureFormValues(m: Measure): MeasureFields {
  const { code, version, updatedAt, updatedBy, ...fields } = m;
  void code;
  void version;
  void updatedAt;
  void updatedBy;
  return measureFieldsOf(fields);
}

/** The form item of a server field of PUT /measures: `measure.departments.0` → departments. */
export function measureItemOf(field: string): string[] | null {
  const [head, name] = field.split('.');
  if (head !== 'measure' || !name) return null;
  return [name];
}

/** A points entry as the ledger shows it: +10 earned, −4 spent. */
export function signedPoints(points: number): string {
  return points > 0 ? `+${points}` : points < 0 ? `−${Math.abs(points)}` : '0';
}

/** The balance a 409 insufficient_points names (details.balance), when it does. */
export function insufficientBalance(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'insufficient_points') return null;
  const n = Number(error.body.details?.balance);
  return Number.isFinite(n) ? n : null;
}

/** A fresh key per opened points form: a retried submit (timeout, double click) records once. */
export function pointsIdempotencyKey(random: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): string {
  return `points-${Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
