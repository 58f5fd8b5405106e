// What each department's feed record holds (proto/shouwang/feed/v1/feed_records.proto, JSON names),
// as the one table the department page draws its form from, and the mapping of that form to a record.
// Pure, so it is unit-tested apart from React.
import { EDUCATION_LEVELS, FEED_DEPARTMENTS, type FeedDepartment } from '@shouwang/domain';
import type { Messages } from '../i18n/zh';

export { FEED_DEPARTMENTS, type FeedDepartment } from '@shouwang/domain';

export type FeedFieldKind =
  /** Free text. */
  | 'text'
  /** 18-character ID number. */
  | 'idNumber'
  /** YYYY-MM-DD. */
  | 'date'
  /** A whole year. */
  | 'year'
  /** Yuan, at most 2 decimals. */
  | 'money'
  /** 0..1. */
  | 'ratio'
  /** A yes/no the record always states (proto bool): no unless ticked. */
  | 'boolean'
  /** A yes/no the record may leave out (proto optional bool). */
  | 'yesNo'
  /** One of `options` (strings). */
  | 'enum'
  /** One of `options` (whole numbers). */
  | 'number';

type EnumKey = keyof Messages['feeds']['enums'];
type FieldName = keyof Messages['feeds']['fields'];

export interface FeedField {
  name: FieldName;
  kind: FeedFieldKind;
  /** Marked required in the form; the server decides in the end (its errors show on the same item). */
  required?: boolean;
  options?: readonly (string | number)[];
  /** Where the options' labels are: feeds.enums.<enumKey>.<option>. */
  enumKey?: EnumKey;
}

/** Every record starts with these: the department's own record id, and whom it is about. */
export const COMMON_FIELDS: readonly FeedField[] = [
  { name: 'recordId', kind: 'text', required: true },
  { name: 'idNumber', kind: 'idNumber', required: true },
];

const STAGES = EDUCATION_LEVELS;

/** The department's own fields, in the proto's order. */
export const FEED_FORMS: Readonly<Record<FeedDepartment, readonly FeedField[]>> = {
  medical_insurance: [
    { name: 'year', kind: 'year', required: true },
    { name: 'selfPaid', kind: 'money', required: true },
    { name: 'seriousIllness', kind: 'boolean' },
    { name: 'insured', kind: 'yesNo' },
    { name: 'occurredOn', kind: 'date', required: true },
  ],
  emergency_management: [
    { name: 'type', kind: 'enum', required: true, options: ['disaster', 'accident', 'epidemic'], enumKey: 'type' },
    { name: 'occurredOn', kind: 'date', required: true },
    { name: 'mainLabourLostOrDisabled', kind: 'boolean' },
    { name: 'expense', kind: 'money' },
    { name: 'incomeDropRatio', kind: 'ratio' },
  ],
  disabled_persons_federation: [
    { name: 'status', kind: 'enum', required: true, options: ['issued', 'revoked'], enumKey: 'certificateStatus' },
    { name: 'grade', kind: 'number', options: [1, 2, 3, 4], enumKey: 'grade' },
    { name: 'effectiveOn', kind: 'date', required: true },
  ],
  education: [
    {
      name: 'status',
      kind: 'enum',
      required: true,
      options: ['enrolled', 'dropped_out', 'graduated'],
      enumKey: 'schoolStatus',
    },
    { name: 'stage', kind: 'enum', options: STAGES, enumKey: 'stage' },
    { name: 'effectiveOn', kind: 'date', required: true },
  ],
  civil_affairs: [
    { name: 'status', kind: 'enum', required: true, options: ['granted', 'ended'], enumKey: 'dibaoStatus' },
    { name: 'annualAmount', kind: 'money' },
    { name: 'effectiveOn', kind: 'date', required: true },
  ],
  human_resources: [
    {
      name: 'status',
      kind: 'enum',
      required: true,
      options: ['employed', 'unemployed'],
      enumKey: 'employmentStatus',
    },
    { name: 'effectiveOn', kind: 'date', required: true },
  ],
  public_security: [
    {
      name: 'status',
      kind: 'enum',
      required: true,
      options: ['registered', 'deregistered'],
      enumKey: 'vehicleStatus',
    },
    {
      name: 'vehicleType',
      kind: 'enum',
      required: true,
      options: ['car', 'truck', 'motorcycle', 'agricultural', 'other'],
      enumKey: 'vehicleType',
    },
    { name: 'registeredOn', kind: 'date', required: true },
  ],
  natural_resources: [
    { name: 'status', kind: 'enum', required: true, options: ['registered', 'cancelled'], enumKey: 'purchaseStatus' },
    {
      name: 'propertyType',
      kind: 'enum',
      required: true,
      options: ['commercial_housing', 'self_built', 'other'],
      enumKey: 'propertyType',
    },
    { name: 'purchasedOn', kind: 'date', required: true },
  ],
};

/** Every field of a department's record form, common ones first. */
export function feedFields(department: FeedDepartment): readonly FeedField[] {
  return [...COMMON_FIELDS, ...FEED_FORMS[department]];
}

/**
 * The feeds an officer of `department` posts: their own (when it is a feed department); a health
 * officer posts medical insurance records (api-spec: health officers may post medical_insurance).
 */
export function feedDepartmentsFor(department: string | null): FeedDepartment[] {
  if (department === 'health') return ['medical_insurance'];
  return (FEED_DEPARTMENTS as readonly string[]).includes(department ?? '') ? [department as FeedDepartment] : [];
}

export type FeedFormValues = Record<string, string | number | boolean | null | undefined>;

/**
 * One record as posted: text trimmed, empty inputs left out (the server names a missing required
 * field), a 'yes'/'no' of an optional fact as true/false, an always-stated yes/no false unless ticked.
 */
export function toFeedRecord(fields: readonly FeedField[], values: FeedFormValues): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.name];
    if (f.kind === 'boolean') record[f.name] = v === true;
    else if (f.kind === 'yesNo') {
      if (v === 'yes' || v === 'no') record[f.name] = v === 'yes';
    } else if (typeof v === 'string') {
      const t = f.kind === 'idNumber' ? v.trim().toUpperCase() : v.trim();
      if (t) record[f.name] = t;
    } else if (typeof v === 'number' && Number.isFinite(v)) record[f.name] = v;
  }
  return record;
}

/**
 * The form item a server error of the one posted record belongs to: `records[0].selfPaid` (or just
 * `selfPaid`) → 'selfPaid'; null when it is about the request as a whole.
 */
export function feedFieldOf(field: string | undefined): string | null {
  if (!field) return null;
  const m = /^(?:records\[\d+\]\.?)?(.*)$/.exec(field);
  const rest = m?.[1] ?? '';
  return rest === '' || rest === 'records' ? null : rest;
}

/** A fresh record id for a hand-entered record: `<department>-<yyyymmddhhmmss>-<4 random chars>`. */
export function newRecordId(department: FeedDepartment, now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const tail = Math.floor(random() * 36 ** 4)
    .toString(36)
    .padStart(4, '0');
  return `${department}-${stamp}-${tail}`;
}
