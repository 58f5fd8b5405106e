import { z } from 'zod';
import { FEED_DEPARTMENTS, type FeedDepartment } from '@shouwang/contracts';
import {
  EDUCATION_LEVELS,
  MAX_AMOUNT_YUAN,
  SHOCK_TYPES,
  idNumberProblem,
  isValidDate,
  normaliseIdNumber,
  parseFen,
} from '@shouwang/domain';
import type { FieldIssue } from '@shouwang/kit';

// The department feed records (proto/shouwang/feed/v1) as plain JSON, validated. One schema per
// department serves the REST feed (records posted as JSON) and the Kafka feed (the decoded proto
// turned into its JSON form), so both reject exactly the same records with the same field names.
// No message here ever quotes a value: a record carries an ID number.

export const MAX_RECORDS_PER_CALL = 1000;

export function isFeedDepartment(d: string): d is FeedDepartment {
  return (FEED_DEPARTMENTS as readonly string[]).includes(d);
}

const recordId = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9][\w.:/-]{0,99}$/, 'must be 1–100 letters, digits or _ . : / - (the department’s own record id)');

const idNumber = z
  .string({ error: 'must be a string' })
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message:
          problem === 'invalid_id_checksum'
            ? 'the check digit does not match (GB 11643)'
            : problem === 'invalid_id_birth_date'
              ? 'the birth date inside it is not a real date'
              : 'must be 18 characters: 17 digits and a digit or X',
        params: { code: problem },
      });
  })
  .transform(normaliseIdNumber);

const date = z.string({ error: 'must be a string' }).refine(isValidDate, 'must be a real date written YYYY-MM-DD');

const yuan = z
  .number({ error: 'must be a number of yuan' })
  .min(0, 'must not be negative')
  .max(MAX_AMOUNT_YUAN, `must be at most ${MAX_AMOUNT_YUAN}`)
  .refine((v) => parseFen(v).ok, 'must have at most 2 decimals');

const source = z
  .strictObject({
    department: z.string().max(64).optional(),
    system: z.string().max(100).optional(),
    publisher: z.string().max(100).optional(),
    publishedAt: z.string().max(40).optional(),
  })
  .optional();

const common = { recordId, idNumber, source };

export const feedRecordSchemas = {
  medical_insurance: z.strictObject({
    ...common,
    year: z.number({ error: 'must be a whole year' }).int().min(2000).max(2100),
    selfPaid: yuan.default(0),
    seriousIllness: z.boolean().default(false),
    insured: z.boolean().optional(),
    occurredOn: date,
  }),
  emergency_management: z.strictObject({
    ...common,
    type: z.enum(SHOCK_TYPES, { error: `must be one of ${SHOCK_TYPES.join(', ')}` }),
    occurredOn: date,
    mainLabourLostOrDisabled: z.boolean().default(false),
    expense: yuan.default(0),
    incomeDropRatio: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0),
  }),
  disabled_persons_federation: z
    .strictObject({
      ...common,
      status: z.enum(['issued', 'revoked'], { error: 'must be issued or revoked' }),
      grade: z.number().int().min(0).max(4, 'must be 1 to 4').default(0),
      effectiveOn: date,
    })
    .superRefine((r, ctx) => {
      if (r.status === 'issued' && r.grade === 0)
        ctx.addIssue({ code: 'custom', path: ['grade'], message: 'required (1 to 4) when the certificate is issued' });
    }),
  education: z.strictObject({
    ...common,
    status: z.enum(['enrolled', 'dropped_out', 'graduated'], { error: 'must be enrolled, dropped_out or graduated' }),
    stage: z.enum(EDUCATION_LEVELS, { error: `must be one of ${EDUCATION_LEVELS.join(', ')}` }).optional(),
    effectiveOn: date,
  }),
  civil_affairs: z
    .strictObject({
      ...common,
      status: z.enum(['granted', 'ended'], { error: 'must be granted or ended' }),
      annualAmount: yuan.default(0),
      effectiveOn: date,
    })
    .superRefine((r, ctx) => {
      if (r.status === 'granted' && r.annualAmount === 0)
        ctx.addIssue({ code: 'custom', path: ['annualAmount'], message: 'required (> 0) when dibao is granted' });
    }),
  human_resources: z.strictObject({
    ...common,
    status: z.enum(['employed', 'unemployed'], { error: 'must be employed or unemployed' }),
    effectiveOn: date,
  }),
  public_security: z.strictObject({
    ...common,
    status: z.enum(['registered', 'deregistered'], { error: 'must be registered or deregistered' }),
    vehicleType: z.enum(['car', 'truck', 'motorcycle', 'agricultural', 'other'], {
      error: 'must be car, truck, motorcycle, agricultural or other',
    }),
    registeredOn: date,
  }),
  natural_resources: z.strictObject({
    ...common,
    status: z.enum(['registered', 'cancelled'], { error: 'must be registered or cancelled' }),
    propertyType: z.enum(['commercial_housing', 'self_built', 'other'], {
      error: 'must be commercial_housing, self_built or other',
    }),
    purchasedOn: date,
  }),
} satisfies Record<FeedDepartment, z.ZodType>;

export type FeedRecordOf<D extends FeedDepartment> = z.output<(typeof feedRecordSchemas)[D]>;
export type AnyFeedRecord = { [D in FeedDepartment]: FeedRecordOf<D> }[FeedDepartment];

/** A validated record and its department, as one value. */
export type DepartmentRecord = { [D in FeedDepartment]: { department: D; record: FeedRecordOf<D> } }[FeedDepartment];

/** The date a record's fact took effect (what "latest" means among one person's records). */
export function effectiveOn(r: DepartmentRecord): string {
  switch (r.department) {
    case 'medical_insurance':
    case 'emergency_management':
      return r.record.occurredOn;
    case 'public_security':
      return r.record.registeredOn;
    case 'natural_resources':
      return r.record.purchasedOn;
    default:
      return r.record.effectiveOn;
  }
}

const ZH: Record<string, string> = {
  required: '必填',
  invalid_type: '类型不正确',
  invalid_value: '取值不在允许范围内',
  unrecognized_keys: '含有未定义的字段',
  too_small: '数值过小',
  too_big: '数值过大',
  invalid_format: '格式不正确',
  custom: '不符合要求',
};

/**
 * Validates one record of a department. Problems are field issues whose field starts with `prefix`
 * (e.g. "records[3]."), in English and Chinese, never quoting the value.
 */
export function validateFeedRecord(
  department: FeedDepartment,
  input: unknown,
  prefix = '',
): { ok: true; value: DepartmentRecord } | { ok: false; issues: FieldIssue[] } {
  const r = feedRecordSchemas[department].safeParse(input);
  if (r.success) return { ok: true, value: { department, record: r.data } as DepartmentRecord };
  const issues: FieldIssue[] = [];
  const at = (path: string) => (path ? `${prefix}${path}` : prefix.replace(/\.$/, '') || 'record');
  for (const i of r.error.issues) {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys)
        issues.push({
          field: at(path ? `${path}.${key}` : key),
          code: 'unknown_field',
          message: 'is not a field of this department’s record',
          messageZh: '不是该部门数据的字段',
        });
      continue;
    }
    const required = i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined;
    const params = (i as { params?: { code?: string } }).params;
    issues.push({
      field: at(path),
      code: required ? 'required' : (params?.code ?? i.code),
      message: required ? 'is required' : i.message,
      messageZh: required ? ZH.required : (ZH[i.code] ?? '不符合要求'),
    });
  }
  return { ok: false, issues };
}

/**
 * The records of one REST call: a JSON array of 1–1000 records, all valid, or every problem with
 * its `records[i].field`. All or nothing: the caller publishes only when this succeeds.
 */
export function validateFeedBatch(
  department: FeedDepartment,
  records: unknown,
): { ok: true; values: DepartmentRecord[] } | { ok: false; issues: FieldIssue[] } {
  if (!Array.isArray(records))
    return {
      ok: false,
      issues: [
        { field: 'records', code: 'invalid_type', message: 'must be an array of records', messageZh: '须为数组' },
      ],
    };
  if (records.length < 1 || records.length > MAX_RECORDS_PER_CALL)
    return {
      ok: false,
      issues: [
        {
          field: 'records',
          code: records.length < 1 ? 'too_small' : 'too_big',
          message: `must hold 1 to ${MAX_RECORDS_PER_CALL} records`,
          messageZh: `每次须提交1至${MAX_RECORDS_PER_CALL}条记录`,
        },
      ],
    };
  const values: DepartmentRecord[] = [];
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  records.forEach((rec, i) => {
    const r = validateFeedRecord(department, rec, `records[${i}].`);
    if (!r.ok) return issues.push(...r.issues);
    const first = seen.get(r.value.record.recordId);
    if (first !== undefined)
      issues.push({
        field: `records[${i}].recordId`,
        code: 'duplicate_record_id',
        message: `repeats the recordId of records[${first}]`,
        messageZh: `与第${first + 1}条记录的recordId重复`,
      });
    seen.set(r.value.record.recordId, i);
    values.push(r.value);
  });
  return issues.length ? { ok: false, issues } : { ok: true, values };
}
