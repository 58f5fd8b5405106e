/**
 * 缺什么补什么 (DOMAIN.md §8): a household's plan is the catalogue's active measures that answer one of
 * its causes and whose conditions it meets; policy measures first, the insurance backstop last
 * (先政策帮扶、后防贫保险兜底), each starting no earlier than the policy start month.
 */
import type { Household } from '../household/types';
import type { FeatureCode } from '../assessment/features';
import type { Measure, MeasureCode } from './catalogue';
import { meetsCondition } from './eligibility';

export interface PlannedMeasure {
  code: MeasureCode;
  /** The household's causes this measure answers (all its causes for an 'all' measure). */
  answers: FeatureCode[];
  /** YYYY-MM-DD: the policy start date (first of the month after identification). */
  startsOn: string;
  kind: Measure['kind'];
}

export interface NotPlanned {
  code: MeasureCode;
  /** A cause it answers but a condition the household does not meet. */
  unmet: string[];
}

const order = (m: Pick<Measure, 'kind' | 'code'>) => (m.kind === 'insurance' ? 100 : 0) + Number(m.code.slice(1));

/** The measures a household's causes call for, in delivery order, and those its conditions rule out. */
export function generatePlan(
  catalogue: readonly Measure[],
  causes: readonly FeatureCode[],
  household: Pick<Household, 'members'>,
  policyStartDate: string,
  asOf: string,
): { measures: PlannedMeasure[]; notPlanned: NotPlanned[] } {
  const measures: PlannedMeasure[] = [];
  const notPlanned: NotPlanned[] = [];
  const sorted = [...catalogue].filter((m) => m.active).sort((a, b) => order(a) - order(b));
  for (const m of sorted) {
    const answers = m.causes === 'all' ? [...causes] : causes.filter((c) => (m.causes as FeatureCode[]).includes(c));
    if (answers.length === 0) continue;
    const unmet = m.conditions.filter((c) => !meetsCondition(c, household, asOf));
    if (unmet.length) notPlanned.push({ code: m.code, unmet });
    else measures.push({ code: m.code, answers, startsOn: policyStartDate, kind: m.kind });
  }
  return { measures, notPlanned };
}

export interface PlanChange {
  /** Measures the new causes call for that the plan lacks. */
  add: MeasureCode[];
  /** Measures in the plan whose causes all went away (never the 'all' measures while any cause stays). */
  drop: MeasureCode[];
}

/**
 * When the causes change (monitoring re-assessment), what the plan should become: proposed, never
 * applied silently. `current` are the plan's active measures.
 */
export function proposePlanChange(
  catalogue: readonly Measure[],
  current: readonly MeasureCode[],
  newCauses: readonly FeatureCode[],
  household: Pick<Household, 'members'>,
  asOf: string,
): PlanChange {
  const wanted = generatePlan(catalogue, newCauses, household, asOf, asOf).measures.map((m) => m.code);
  return {
    add: wanted.filter((c) => !current.includes(c)),
    drop: current.filter((c) => !wanted.includes(c)),
  };
}
