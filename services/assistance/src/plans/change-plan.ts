import type { assistanceV1 } from '@shouwang/contracts';
import { requireInScope, requirePermission, type FieldIssue, type Identity } from '@shouwang/kit';
import { isValidDate, MEASURE_CODES, type MeasureCode } from '@shouwang/domain';
import { actorOf, type AssistanceDeps } from '../assistance-deps';
import {
  conflict,
  invalid,
  notFound,
  planClosed,
  textIssue,
  throwIssues,
  versionConflict,
  versionRequired,
} from '../errors';
import { contentOf, movePlan, type PlanChangeKind } from './plan-moves';
import { amountProblem, answersFor, laterOf, planMeasure, withMeasure } from './plan-measures';
import type { PlanDoc } from './plan-store';

const HOUSEHOLD_ID = /^[\w-]{1,64}$/;
export const PLAN_OPERATIONS = ['add', 'drop', 'adjust'] as const;

/** The plan of a household in the caller's area (404 otherwise, so its existence is not revealed). */
export async function getPlan(
  deps: Pick<AssistanceDeps, 'plans'>,
  who: Identity,
  householdId: string,
): Promise<PlanDoc> {
  requirePermission(who, 'assistance.read');
  const plan = HOUSEHOLD_ID.test(householdId) ? await deps.plans.get(householdId) : null;
  if (!plan) throw notFound('plan');
  requireInScope(who, plan.areaCode, 'plan');
  return plan;
}

/** The plan the caller may change, at the version they read: 428 without one, 412 when it moved, 409 closed. */
export async function planToChange(
  deps: Pick<AssistanceDeps, 'plans'>,
  who: Identity,
  householdId: string,
  expectedVersion: number,
): Promise<PlanDoc> {
  requirePermission(who, 'assistance.plan.manage');
  const plan = HOUSEHOLD_ID.test(householdId) ? await deps.plans.get(householdId) : null;
  if (!plan) throw notFound('plan');
  requireInScope(who, plan.areaCode, 'plan');
  if (!expectedVersion) throw versionRequired();
  if (plan.version !== expectedVersion) throw versionConflict(plan.version);
  if (plan.status !== 'active') throw planClosed();
  return plan;
}

/**
 * A county officer or the household's village cadre adds a measure (from the active catalogue, starting
 * no earlier than the policy start date, by default today or that date), drops one (with a reason;
 * its open tasks close with it) or adjusts one (note, planned amount within the measure's limit, a
 * start date).
 */
export async function changePlan(
  deps: AssistanceDeps,
  who: Identity,
  req: assistanceV1.ChangePlanRequest,
): Promise<PlanDoc> {
  const issues: (FieldIssue | undefined)[] = [];
  if (!(PLAN_OPERATIONS as readonly string[]).includes(req.operation))
    throw invalid('operation', 'invalid_enum', `must be one of ${PLAN_OPERATIONS.join(', ')}`, '操作不在允许范围内');
  if (!(MEASURE_CODES as readonly string[]).includes(req.measureCode))
    throw invalid(
      'measureCode',
      'invalid_enum',
      `must be one of ${MEASURE_CODES.join(', ')}`,
      '措施编号不在允许范围内',
    );
  const code = req.measureCode as MeasureCode;
  const plan = await planToChange(deps, who, req.householdId, req.expectedVersion);

  issues.push(
    textIssue('reason', req.reason, req.operation === 'drop' ? '删除措施的理由' : undefined),
    textIssue('note', req.note),
  );
  if (req.startsOn && !isValidDate(req.startsOn))
    issues.push({
      field: 'startsOn',
      code: 'invalid_date',
      message: 'must be a YYYY-MM-DD date',
      messageZh: '日期格式应为YYYY-MM-DD',
    });
  else if (req.startsOn && req.startsOn < plan.policyStartDate)
    issues.push({
      field: 'startsOn',
      code: 'before_policy_start',
      message: `must not be before the policy start date ${plan.policyStartDate}`,
      messageZh: `不得早于政策享受起始日${plan.policyStartDate}`,
    });

  const current = plan.measures.find((m) => m.code === code && m.status === 'active');
  const content = contentOf(plan);
  content.updatedAt = deps.clock.now().toISOString();
  const by = who.username;
  let change: PlanChangeKind;
  switch (req.operation) {
    case 'add': {
      if (current) throw conflict('measure_in_plan', `${code} is in the plan already`, `计划中已有措施${code}`);
      const measure = await deps.measures.get(code);
      if (!measure?.active)
        throw conflict('measure_inactive', `${code} is not an active measure of the catalogue`, `措施${code}未启用`);
      const amount = req.plannedAmountYuan;
      const problem = amount === undefined ? null : amountProblem(amount, measure.amountLimitYuan);
      if (problem) issues.push({ field: 'plannedAmountYuan', ...problem });
      throwIssues(issues);
      const startsOn = req.startsOn || laterOf(plan.policyStartDate, deps.clock.today());
      const entry = planMeasure(
        measure,
        { answers: answersFor(measure, plan.causes), startsOn },
        plan.version + 1,
        by,
        {
          note: req.note.trim(),
          plannedAmountYuan: amount ?? null,
        },
      );
      content.measures = withMeasure(content.measures, entry);
      change = 'measure_added';
      break;
    }
    case 'drop': {
      if (!current)
        throw conflict('measure_not_in_plan', `${code} is not active in the plan`, `计划中没有进行中的措施${code}`);
      throwIssues(issues);
      content.measures = content.measures.map((m) =>
        m.code === code && m.status === 'active' ? { ...m, status: 'dropped', dropReason: req.reason.trim() } : m,
      );
      change = 'measure_dropped';
      break;
    }
    default: {
      if (!current)
        throw conflict('measure_not_in_plan', `${code} is not active in the plan`, `计划中没有进行中的措施${code}`);
      const amount = req.plannedAmountYuan;
      const problem = amount === undefined ? null : amountProblem(amount, current.amountLimitYuan);
      if (problem) issues.push({ field: 'plannedAmountYuan', ...problem });
      if (!req.note.trim() && amount === undefined && !req.startsOn)
        issues.push({
          field: 'operation',
          code: 'nothing_to_adjust',
          message: 'give a note, a planned amount or a start date',
          messageZh: '请填写备注、计划金额或开始日期',
        });
      throwIssues(issues);
      content.measures = content.measures.map((m) =>
        m.code === code && m.status === 'active'
          ? {
              ...m,
              note: req.note.trim() || m.note,
              plannedAmountYuan: amount ?? m.plannedAmountYuan,
              startsOn: req.startsOn || m.startsOn,
            }
          : m,
      );
      change = 'measure_adjusted';
    }
  }
  const after = await movePlan(deps, plan._id, plan, { change, measureCode: code, content }, actorOf(who));
  if (!after) throw versionConflict((await deps.plans.get(plan._id))?.version ?? plan.version);
  return after;
}
