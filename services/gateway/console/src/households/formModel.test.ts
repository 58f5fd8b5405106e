// The household form ⇄ canonical JSON mapping (root jest, node environment).
import fc from 'fast-check';
import { validateHousehold, type Household } from '@shouwang/domain';
import { DEFAULT_ARB_AS_OF, arbHousehold, minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import { emptyFormValues, namePath, toFormValues, toHousehold, type HouseholdFormValues } from './formModel';

/**
 * What the form gives back for a canonical household: the same household, except where the canonical
 * JSON has two spellings of "nothing" (null or absent, [] or absent, {} or absent, '' or absent).
 */
function normalised(h: Household): Household {
  const out = structuredClone(h) as unknown as Record<string, unknown>;
  const dropEmpty = (o: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(o)) {
      if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) delete o[k];
      else if (typeof v === 'object' && !Array.isArray(v)) {
        dropEmpty(v as Record<string, unknown>);
        if (Object.keys(v as object).length === 0) delete o[k];
      } else if (Array.isArray(v)) v.forEach((x) => typeof x === 'object' && dropEmpty(x as Record<string, unknown>));
    }
  };
  dropEmpty(out);
  return out as unknown as Household;
}

test('every valid household survives the form unchanged, and stays valid (property)', () => {
  fc.assert(
    fc.property(arbHousehold(), (h) => {
      const back = toHousehold(toFormValues(h));
      expect(back).toStrictEqual(normalised(h));
      expect(validateHousehold(back, { asOf: DEFAULT_ARB_AS_OF }).ok).toBe(true);
    }),
    { numRuns: 300 },
  );
});

test('yes/no facts: yes → true, no → false, not recorded → absent (never a default)', () => {
  const v = toFormValues(minimalHousehold());
  v.members[0] = { ...v.members[0], hasGuardian: 'no', employed: 'yes', inSchool: undefined };
  v.housing = { structure: 'mud_brick', onlyHome: 'yes' };
  v.industry = { covered: 'no' };
  const h = toHousehold(v);
  expect(h.members[0]).toStrictEqual({
    name: '赵一',
    idNumber: syntheticIdNumber(1, '1970-05-12'),
    relation: 'head',
    hasGuardian: false,
    employed: true,
  });
  expect(h.housing).toStrictEqual({ structure: 'mud_brick', onlyHome: true });
  expect(h.industry).toStrictEqual({ covered: false });
  expect(h).not.toHaveProperty('drinkingWaterSafe');
  expect(h).not.toHaveProperty('assets');
});

test('empty inputs are absent: blank text, cleared numbers, an untouched group', () => {
  const v: HouseholdFormValues = {
    ...emptyFormValues('360731101201'),
    address: '  于都县青山乡上坪村2组 ',
    nationalSystemId: '   ',
    members: [{ name: ' 钱二 ', relation: 'head', idNumber: '', birthDate: '1980-02-03' }],
    expenses: { medicalSelfPaid: null, education: undefined },
    previousIncome: { year: null, wage: null },
  };
  expect(toHousehold(v)).toStrictEqual({
    areaCode: '360731101201',
    address: '于都县青山乡上坪村2组',
    povertyStatus: 'none',
    members: [{ name: '钱二', relation: 'head', birthDate: '1980-02-03' }],
  });
});

test('a partly filled income is sent as entered, so the server names the missing amount', () => {
  const v = toFormValues(minimalHousehold());
  v.income = { year: 2021, wage: 3000, business: null, property: 0, transfer: 200 };
  const h = toHousehold(v);
  expect(h.income).toStrictEqual({ year: 2021, wage: 3000, property: 0, transfer: 200 });
  const result = validateHousehold(h, { asOf: '2021-06-30' });
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.issues.map((i) => i.field)).toEqual(['income.business']);
});

test('income amounts the transport left out of a stored income are zeros, not unknowns', () => {
  // Protobuf JSON omits zero numbers, so { year, transfer } arrives for an income of only transfers.
  const stored = { ...minimalHousehold(), income: { year: 2021, transfer: 500 } } as unknown as Household;
  expect(toFormValues(stored).income).toEqual({ year: 2021, wage: 0, business: 0, property: 0, transfer: 500 });
  expect(toHousehold(toFormValues(stored)).income).toStrictEqual({
    year: 2021,
    wage: 0,
    business: 0,
    property: 0,
    transfer: 500,
  });
});

test('an enum answered as "" (a proto3 default) is no value: shown empty, never sent back', () => {
  const stored = {
    ...minimalHousehold(),
    housing: { structure: '', onlyHome: false, safetyGrade: '' },
    specialHardship: { flag: false, reason: '' },
  } as unknown as Household;
  const v = toFormValues(stored);
  expect(v.housing).toEqual({ structure: undefined, onlyHome: 'no', safetyGrade: undefined });
  const back = toHousehold(v);
  expect(back.housing).toStrictEqual({ onlyHome: false });
  expect(back.specialHardship).toStrictEqual({ flag: false });
  expect(validateHousehold(back, { asOf: '2021-06-30' }).ok).toBe(true);
});

test('special hardship: a flag with its reason, a reason without a flag kept for the server to reject', () => {
  const v = toFormValues(minimalHousehold());
  v.specialHardship = { flag: 'yes', reason: ' 家中失火 ' };
  expect(toHousehold(v).specialHardship).toStrictEqual({ flag: true, reason: '家中失火' });
  v.specialHardship = { flag: undefined, reason: '家中失火' };
  expect(toHousehold(v).specialHardship).toStrictEqual({ reason: '家中失火' });
  v.specialHardship = { flag: undefined, reason: '' };
  expect(toHousehold(v)).not.toHaveProperty('specialHardship');
});

test('registry fields are never sent; fields the form does not know pass through an edit', () => {
  const stored = {
    ...minimalHousehold(),
    id: 'h-1',
    version: 3,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
    futureField: { kept: true },
  } as unknown as Household;
  const v = toFormValues(stored);
  v.address = '新地址';
  const sent = toHousehold(v, stored) as unknown as Record<string, unknown>;
  expect(sent).toStrictEqual({ ...minimalHousehold(), address: '新地址', futureField: { kept: true } });
});

test('members and shocks are lists: adding and removing entries is what gets sent', () => {
  const v = toFormValues(minimalHousehold());
  v.members.push({ name: '孙三', relation: 'child', birthDate: '2010-09-01', inSchool: 'yes' });
  v.shocks.push({ type: 'disaster', date: '2021-05-01', mainLabourLostOrDisabled: 'no', expense: 12000.5 });
  let h = toHousehold(v);
  expect(h.members.map((m) => m.name)).toEqual(['赵一', '孙三']);
  expect(h.shocks).toStrictEqual([
    { type: 'disaster', date: '2021-05-01', mainLabourLostOrDisabled: false, expense: 12000.5 },
  ]);
  v.members.splice(0, 1);
  v.shocks = [];
  h = toHousehold(v);
  expect(h.members).toStrictEqual([{ name: '孙三', relation: 'child', birthDate: '2010-09-01', inSchool: true }]);
  expect(h).not.toHaveProperty('shocks');
});

test.each([
  ['members[0].idNumber', ['members', 0, 'idNumber']],
  ['income.wage', ['income', 'wage']],
  ['shocks[12].date', ['shocks', 12, 'date']],
  ['members[3]', ['members', 3]],
  ['address', ['address']],
  ['', []],
])('the server field %j is the form item %j', (field, path) => {
  expect(namePath(field)).toEqual(path);
});
