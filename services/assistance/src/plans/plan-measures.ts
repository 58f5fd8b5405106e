/**
 * Pure helpers for a plan's measures: what a plan takes from the catalogue when a measure comes in,
 * and the order it keeps them in (policy first, the insurance backstop last: 先政策帮扶、后防贫保险兜底).
 */
import type { FeatureCode, Measure, PlannedMeasure } from '@shouwang/domain';
import type { PlanMeasureDoc } from './plan-store';

/** Policy measures in code order, then insurance measures in code order. */
export function sortMeasures<T extends Pick<PlanMeasureDoc, 'kind' | 'code'>>(measures: readonly T[]): T[] {
  const rank = (m: T) => (m.kind === 'insurance' ? 100 : 0) + Number(m.code.slice(1));
  return [...measures].sort((a, b) => rank(a) - rank(b));
}

/** The household's causes a measure answers. */
export function answersFor(measure: Pick<Measure, 'causes'>, causes: readonly FeatureCode[]): FeatureCode[] {
  return measure.causes === 'all' ? [...causes] : causes.filter((c) => (measure.causes as FeatureCode[]).includes(c));
}

/** A measure entering the plan at plan version `since`, with the catalogue's departments, limit and due days. */
export function planMeasure(
  measure: Measure,
  entry: Pick<PlannedMeasure, 'answers' | 'startsOn'>,
  since: number,
  addedBy: string,
  extra: { note?: string; plannedAmountYuan?: number | null } = {},
): PlanMeasureDoc {
  return {
    code: measure.code,
    answers: [...entry.answers],
    startsOn: entry.startsOn,
    kind: measure.kind,
    status: 'active',
    addedBy,
    dropReason: '',
    note: extra.note ?? '',
    plannedAmountYuan: extra.plannedAmountYuan ?? null,
    since,
    departments: [...measure.departments],
    amountLimitYuan: measure.amountLimitYuan,
    dueDays: measure.dueDays,
  };
}

/** Puts `entry` in place of the plan's measure with its code (or adds it) and restores the order. */
export function withMeasure(measures: readonly PlanMeasureDoc[], entry: PlanMeasureDoc): PlanMeasureDoc[] {
  return sortMeasures([...measures.filter((m) => m.code !== entry.code), entry]);
}

/** The later of two YYYY-MM-DD dates. */
export function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * An amount in yuan: positive, at most 2 decimals, within `limit` when there is one. Compared in fen
 * (分), so no float rounding decides the boundary. Returns the problem, or null when it is fine.
 */
export function amountProblem(
  amount: number,
  limit: number | null,
): { code: string; message: string; messageZh: string } | null {
  const fen = Math.round(amount * 100);
  if (!Number.isFinite(amount) || amount <= 0)
    return { code: 'out_of_range', message: 'must be a positive amount of yuan', messageZh: '金额须大于0' };
  if (Math.abs(fen - amount * 100) > 1e-6)
    return { code: 'too_precise', message: 'must have at most 2 decimals', messageZh: '金额最多保留两位小数' };
  if (limit !== null && fen > Math.round(limit * 100))
    return {
      code: 'over_limit',
      message: `must not exceed the measure's limit of ${limit} yuan`,
      messageZh: `不得超过该措施的上限${limit}元`,
    };
  return null;
}
