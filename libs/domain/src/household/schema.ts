import { z } from 'zod';
import { isKnownCountyVillageCode } from '../areas/codes';
import { isValidDate } from '../time/dates';
import {
  DISABILITY_GRADES,
  EDUCATION_LEVELS,
  HEALTH_STATES,
  HOUSING_STRUCTURES,
  LABOURS,
  POVERTY_STATUSES,
  RELATIONS,
  SAFETY_GRADES,
  SHOCK_TYPES,
  type DisabilityGrade,
} from './enums';
import { birthDateFromIdNumber, idNumberProblem, normaliseIdNumber } from './id-number';
import type { IssueCode, PathSegment } from './issues';
import { MAX_AMOUNT_YUAN, parseFen } from './money';
import type { Household } from './types';

/** Members per household, inclusive. */
export const MAX_MEMBERS = 50;
/** No date in the model is earlier than this (birth dates of the living, recent shocks). */
export const EARLIEST_DATE = '1900-01-01';
const MAX_SHOCKS = 100;

// Every rule of our own reports a 'custom' zod issue whose params.code is an IssueCode; validate.ts
// turns zod issues into FieldIssues. The message is only the code: texts come from issues.ts.
type Ctx = {
  addIssue(issue: { code: 'custom'; message: string; path?: PathSegment[]; params: { code: IssueCode } }): void;
};
function report(ctx: Ctx, code: IssueCode, path: PathSegment[] = []): void {
  ctx.addIssue({ code: 'custom', message: code, path, params: { code } });
}

// Cross-field rules must also run when some other field is already wrong, so that one submission
// reports every problem; they therefore receive possibly malformed values and check types themselves.
const always = { when: () => true };
function asRecord(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function dateProblem(value: string, asOf: string): IssueCode | null {
  if (!isValidDate(value)) return 'invalid_date';
  if (value < EARLIEST_DATE) return 'date_too_early';
  if (value > asOf) return 'date_in_future';
  return null;
}

function idProblem(value: string, asOf: string): IssueCode | null {
  const p = idNumberProblem(value);
  if (p !== null) return p;
  const born = birthDateFromIdNumber(normaliseIdNumber(value));
  return born === null || dateProblem(born, asOf) !== null ? 'invalid_id_birth_date' : null;
}

function isDisabilityGrade(v: unknown): v is DisabilityGrade {
  return (DISABILITY_GRADES as readonly unknown[]).includes(v);
}

function isYear(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 2000 && v <= 2100;
}

const text = (max: number, allowEmpty = false) =>
  z.string().superRefine((s, ctx) => {
    if (!allowEmpty && s.trim() === '') report(ctx, 'empty');
    else if (s.length > max) report(ctx, 'too_long');
  });

const money = (allowNegative: boolean) =>
  z.number().superRefine((x, ctx) => {
    if (!allowNegative && x < 0) return report(ctx, 'negative_amount');
    if (Math.abs(x) > MAX_AMOUNT_YUAN) return report(ctx, 'amount_too_large');
    const r = parseFen(x);
    if (!r.ok) report(ctx, r.problem === 'too_many_decimals' ? 'too_many_decimals' : 'amount_too_large');
  });

const year = z.number().superRefine((y, ctx) => {
  if (!isYear(y)) report(ctx, 'invalid_year');
});

const income = z.strictObject({
  year,
  wage: money(false),
  business: money(true),
  property: money(false),
  transfer: money(false),
});

/**
 * The zod schema of the canonical household (DOMAIN.md §3) with every rule of the registry.
 * Dates may not be later than `asOf` (YYYY-MM-DD). Prefer validateHousehold, which turns zod's
 * issues into stable FieldIssues; use this to compose the household into larger schemas.
 */
export function createHouseholdSchema(asOf: string) {
  if (!isValidDate(asOf)) throw new RangeError('asOf must be a YYYY-MM-DD date');

  const date = z.string().superRefine((s, ctx) => {
    const p = dateProblem(s, asOf);
    if (p) report(ctx, p);
  });

  const idNumber = z
    .string()
    .superRefine((s, ctx) => {
      const p = idProblem(s, asOf);
      if (p) report(ctx, p);
    })
    .transform(normaliseIdNumber);

  const member = z
    .strictObject({
      name: text(50),
      idNumber: idNumber.optional(),
      relation: z.enum(RELATIONS),
      birthDate: date.optional(),
      labour: z.enum(LABOURS).optional(),
      mainLabour: z.boolean().optional(),
      health: z.enum(HEALTH_STATES).optional(),
      disabilityGrade: z
        .number()
        .superRefine((g, ctx) => {
          if (!isDisabilityGrade(g)) report(ctx, 'out_of_range');
        })
        // Only reached when the check above passed; narrows number to 1 | 2 | 3 | 4 for the type.
        .transform((g) => g as DisabilityGrade)
        .nullable()
        .optional(),
      education: z.enum(EDUCATION_LEVELS).optional(),
      inSchool: z.boolean().optional(),
      employed: z.boolean().optional(),
      hasGuardian: z.boolean().optional(),
      hasSupporter: z.boolean().optional(),
    })
    .superRefine((value, ctx) => {
      const m = asRecord(value);
      if (!m) return;
      if (m.idNumber === undefined && m.birthDate === undefined)
        report(ctx, 'id_number_or_birth_date_required', ['idNumber']);
      if (
        typeof m.idNumber === 'string' &&
        typeof m.birthDate === 'string' &&
        idProblem(m.idNumber, asOf) === null &&
        dateProblem(m.birthDate, asOf) === null &&
        birthDateFromIdNumber(normaliseIdNumber(m.idNumber)) !== m.birthDate
      )
        report(ctx, 'birth_date_mismatch', ['birthDate']);
      // A grade says how severe a disability is; with any other health state it contradicts the record.
      const gradeValid = isDisabilityGrade(m.disabilityGrade);
      const healthKnown = m.health === undefined || (HEALTH_STATES as readonly unknown[]).includes(m.health);
      if (gradeValid && healthKnown && m.health !== 'disabled')
        report(ctx, 'disability_grade_without_disability', ['disabilityGrade']);
    }, always);

  const members = z.array(member).superRefine((value, ctx) => {
    if (!Array.isArray(value)) return;
    if (value.length === 0) return report(ctx, 'no_members');
    if (value.length > MAX_MEMBERS) report(ctx, 'too_many_members');
    const records = value.map(asRecord);
    const heads = records.flatMap((m, i) => (m?.relation === 'head' ? [i] : []));
    if (heads.length === 0) report(ctx, 'missing_head');
    for (const i of heads.slice(1)) report(ctx, 'multiple_heads', [i, 'relation']);
    const seen = new Set<string>();
    records.forEach((m, i) => {
      const id = m?.idNumber;
      if (typeof id !== 'string' || idNumberProblem(id) !== null) return;
      const key = normaliseIdNumber(id);
      if (seen.has(key)) report(ctx, 'duplicate_id_number', [i, 'idNumber']);
      seen.add(key);
    });
  }, always);

  const shock = z.strictObject({
    type: z.enum(SHOCK_TYPES),
    date,
    mainLabourLostOrDisabled: z.boolean().optional(),
    expense: money(false).optional(),
    incomeDropRatio: z
      .number()
      .superRefine((r, ctx) => {
        if (r < 0 || r > 1) report(ctx, 'out_of_range');
      })
      .optional(),
  });

  const specialHardship = z
    .strictObject({ flag: z.boolean(), reason: text(500, true).optional() })
    .superRefine((value, ctx) => {
      // DOMAIN.md §4 F10: a flag without a reason is invalid input.
      const s = asRecord(value);
      if (s?.flag === true && (s.reason === undefined || (typeof s.reason === 'string' && s.reason.trim() === '')))
        report(ctx, 'reason_required', ['reason']);
    }, always);

  return z
    .strictObject({
      id: text(64).optional(),
      areaCode: z.string().superRefine((s, ctx) => {
        if (!isKnownCountyVillageCode(s)) report(ctx, 'not_a_village_code');
      }),
      address: text(200),
      povertyStatus: z.enum(POVERTY_STATUSES),
      nationalSystemId: text(64).nullable().optional(),
      members,
      income: income.optional(),
      previousIncome: income.optional(),
      expenses: z
        .strictObject({ medicalSelfPaid: money(false).optional(), education: money(false).optional() })
        .optional(),
      housing: z
        .strictObject({
          structure: z.enum(HOUSING_STRUCTURES).optional(),
          onlyHome: z.boolean().optional(),
          safetyGrade: z.enum(SAFETY_GRADES).optional(),
        })
        .optional(),
      industry: z
        .strictObject({ covered: z.boolean().optional(), failedDueToForceMajeure: z.boolean().optional() })
        .optional(),
      shocks: z
        .array(shock)
        .superRefine((s, ctx) => {
          if (s.length > MAX_SHOCKS) report(ctx, 'too_long');
        })
        .optional(),
      drinkingWaterSafe: z.boolean().optional(),
      medicalInsuranceEnrolled: z.boolean().optional(),
      specialHardship: specialHardship.optional(),
      assets: z.strictObject({ car: z.boolean().optional(), commercialHousing: z.boolean().optional() }).optional(),
    })
    .superRefine((value, ctx) => {
      const h = asRecord(value);
      const cur = asRecord(h?.income)?.year;
      const prev = asRecord(h?.previousIncome)?.year;
      if (isYear(cur) && isYear(prev) && prev !== cur - 1)
        report(ctx, 'previous_year_mismatch', ['previousIncome', 'year']);
    }, always);
}

export type HouseholdSchema = ReturnType<typeof createHouseholdSchema>;

// The hand-written Household type (types.ts) documents the model; these lines fail to compile if
// the schema's output and that type ever drift apart (a field's type, or a field present in one only).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepKeys<T> = T extends readonly (infer E)[]
  ? DeepKeys<E>
  : T extends object
    ? { [K in keyof T & string]-?: K | `${K}.${DeepKeys<NonNullable<T[K]>>}` }[keyof T & string]
    : never;
const householdTypeMatchesSchema: [
  Same<z.output<HouseholdSchema>, Household>,
  Same<DeepKeys<z.output<HouseholdSchema>>, DeepKeys<Household>>,
] = [true, true];
void householdTypeMatchesSchema;
