// The department feed forms (root jest, node environment).
import fs from 'node:fs';
import path from 'node:path';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import {
  FEED_DEPARTMENTS,
  FEED_FORMS,
  feedDepartmentsFor,
  feedFieldOf,
  feedFields,
  newRecordId,
  toFeedRecord,
} from './feedForms';

const PROTO = path.resolve(__dirname, '../../../../../proto/shouwang/feed/v1/feed_records.proto');

/** The JSON names of a proto message's fields, but `source` (the publisher fills it in). */
function protoFields(message: string): string[] {
  const text = fs.readFileSync(PROTO, 'utf8');
  const body = new RegExp(`message ${message} \\{([^}]*)\\}`).exec(text)?.[1];
  if (!body) throw new Error(`message ${message} not found in ${PROTO}`);
  return [...body.matchAll(/^\s*(?:optional\s+)?\w+\s+(\w+)\s*=\s*\d+;/gm)]
    .map((m) => m[1].replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))
    .filter((f) => f !== 'source');
}

test.each([
  ['medical_insurance', 'MedicalExpenseRecord'],
  ['emergency_management', 'ShockRecord'],
  ['disabled_persons_federation', 'DisabilityCertificateRecord'],
  ['education', 'SchoolEnrolmentRecord'],
  ['civil_affairs', 'DibaoRecord'],
  ['human_resources', 'EmploymentRecord'],
  ['public_security', 'VehicleRegistrationRecord'],
  ['natural_resources', 'RealEstatePurchaseRecord'],
] as const)('the %s form has exactly the fields of %s, each named in both languages', (department, message) => {
  const fields = feedFields(department);
  expect(fields.map((f) => f.name)).toEqual(protoFields(message));
  for (const f of fields) {
    expect(zh.feeds.fields[f.name]).toMatch(/[\u4e00-\u9fff]/);
    expect(en.feeds.fields[f.name]).toBeTruthy();
    for (const option of f.options ?? []) {
      const key = f.enumKey!;
      expect((zh.feeds.enums[key] as Record<string, string>)[String(option)]).toBeTruthy();
      expect((en.feeds.enums[key] as Record<string, string>)[String(option)]).toBeTruthy();
    }
  }
});

test('every feed department has a form and a name', () => {
  expect(Object.keys(FEED_FORMS).sort()).toEqual([...FEED_DEPARTMENTS].sort());
  for (const d of FEED_DEPARTMENTS) expect(zh.feeds.departments[d]).toBeTruthy();
});

test.each([
  ['medical_insurance', ['medical_insurance']],
  ['health', ['medical_insurance']],
  ['education', ['education']],
  ['housing', []],
  [null, []],
] as const)('an officer of %j posts %j', (department, feeds) => {
  expect(feedDepartmentsFor(department)).toEqual(feeds);
});

test('a record: text trimmed, ID number upper-cased, blanks left out, yes/no as booleans', () => {
  const fields = feedFields('medical_insurance');
  expect(
    toFeedRecord(fields, {
      recordId: ' mi-2021-001 ',
      idNumber: ' 36073119800101903x',
      year: 2021,
      selfPaid: 15234.5,
      seriousIllness: true,
      insured: 'no',
      occurredOn: '2021-05-03',
    }),
  ).toStrictEqual({
    recordId: 'mi-2021-001',
    idNumber: '36073119800101903X',
    year: 2021,
    selfPaid: 15234.5,
    seriousIllness: true,
    insured: false,
    occurredOn: '2021-05-03',
  });
  // Optional yes/no not recorded: absent; an always-stated yes/no: false unless ticked; blanks: absent.
  expect(toFeedRecord(fields, { recordId: 'r', idNumber: '', selfPaid: null, insured: undefined })).toStrictEqual({
    recordId: 'r',
    seriousIllness: false,
  });
});

test.each([
  ['records[0].selfPaid', 'selfPaid'],
  ['selfPaid', 'selfPaid'],
  ['records[0]', null],
  ['records', null],
  ['', null],
  [undefined, null],
])('the server field %j belongs to the form item %j', (field, item) => {
  expect(feedFieldOf(field)).toBe(item);
});

test('record ids name the department and the time, and differ by their random tail', () => {
  const at = new Date('2026-03-04T05:06:07Z');
  expect(newRecordId('education', at, () => 0)).toBe('education-20260304050607-0000');
  expect(newRecordId('education', at, () => 0.5)).not.toBe(newRecordId('education', at, () => 0.25));
});
