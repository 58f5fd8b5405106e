import { z } from 'zod';
import { MAX_AMOUNT_YUAN } from '../household/money';

/**
 * The parameters of an assessment (DOMAIN.md §4, every *(param)*). Policy is data the caller passes
 * (per province, county and year in the future); DEFAULT_POLICY holds the plan's defaults.
 *
 * Ratios are decimals with at most 4 places (0.4, 0.3, 0.125) so that every comparison can be done
 * exactly in integer fen × 10 000 (basis points); a ratio with more places is an invalid policy.
 */
export interface AssessmentPolicy {
  /** Monitoring line L(Y) in integer fen per person per year, by year. A year not listed has no line. */
  readonly monitoringLineFen: Readonly<Record<number, number>>;
  /** Tolerance t: incomeBelowLine ⇔ per-capita < L × (1 + t). Between -0.5 and 1. */
  readonly tolerance: number;
  /** F4's r: self-paid medical cost > r × net income is an excessive burden. */
  readonly medicalBurdenRatio: number;
  /** F5: whether a member in preschool counts as being in non-compulsory education. */
  readonly f5CountsPreschool: boolean;
  /** F8: a shock expense ≥ this × previous-year net income is a major expense. */
  readonly f8ExpenseRatio: number;
  /** F8: a shock's incomeDropRatio ≥ this is a large income drop. */
  readonly f8IncomeDropRatio: number;
  /** First year in which a household above the line with F8 is 突发严重困难户; null: never. */
  readonly suddenHardshipFromYear: number | null;
  /** Warning income_drop: this year's net income ≤ this × previous year's (previous > 0). */
  readonly incomeDropWarningRatio: number;
}

export const DEFAULT_POLICY: AssessmentPolicy = Object.freeze({
  monitoringLineFen: Object.freeze({ 2019: 482_700, 2020: 600_000, 2021: 600_000 }),
  tolerance: 0,
  medicalBurdenRatio: 0.4,
  f5CountsPreschool: false,
  f8ExpenseRatio: 0.5,
  f8IncomeDropRatio: 0.3,
  suddenHardshipFromYear: 2021,
  incomeDropWarningRatio: 0.7,
});

/** A ratio in basis points (1/10 000) when it has at most 4 decimals, else null. */
export function toBasisPoints(ratio: number): number | null {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio)) return null;
  const bp = Math.round(ratio * 10_000);
  // Exact to 4 decimals: the decimal spelling of bp / 10 000 is the spelling of ratio.
  return bp / 10_000 === ratio ? bp : null;
}

const ratio = (min: number, max: number) =>
  z
    .number()
    .refine((r) => toBasisPoints(r) !== null, 'must be a finite decimal with at most 4 places')
    .refine((r) => r >= min && r <= max, `must be between ${min} and ${max}`);

const year = z.number().int().min(2000).max(2100);

const policySchema = z.strictObject({
  monitoringLineFen: z.record(
    z.string().regex(/^[0-9]{4}$/, 'year keys are 4 digits'),
    z
      .number()
      .int('must be whole fen')
      .positive()
      .max(MAX_AMOUNT_YUAN * 100),
  ),
  tolerance: ratio(-0.5, 1),
  medicalBurdenRatio: ratio(0, 1),
  f5CountsPreschool: z.boolean(),
  f8ExpenseRatio: ratio(0, 100),
  f8IncomeDropRatio: ratio(0, 1),
  suddenHardshipFromYear: year.nullable(),
  incomeDropWarningRatio: ratio(0, 1),
});

/** null when the policy is usable, else the first problem as { field, message }. */
export function policyProblem(policy: unknown): { field: string; message: string } | null {
  const r = policySchema.safeParse(policy);
  if (r.success) return null;
  const issue = r.error.issues[0];
  return { field: ['policy', ...issue.path.map(String)].join('.'), message: issue.message };
}
