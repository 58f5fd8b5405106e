import { minimalHousehold, syntheticIdNumber } from '../testing';
import { computeIdChecksum } from './id-number';
import { ISSUE_CODES, type IssueCode } from './issues';
import type { Household } from './types';
import { validateHousehold } from './validate';

const AS_OF = '2021-06-30';
const HEAD_ID = syntheticIdNumber(1, '1968-03-15');
const SPOUSE_ID = syntheticIdNumber(2, '1970-11-02');
const CHILD_ID = syntheticIdNumber(3, '2004-02-29');

/** A valid household with every field of DOMAIN.md §3 present, so nested rules are all exercised. */
function fullHousehold(): Household {
  return {
    id: 'hh-0001',
    areaCode: '360731102203',
    address: '于都县青山乡上坪村3组12号',
    povertyStatus: 'exited_poor',
    nationalSystemId: null,
    members: [
      {
        name: '赵一',
        idNumber: HEAD_ID,
        relation: 'head',
        birthDate: '1968-03-15',
        labour: 'ordinary',
        mainLabour: true,
        health: 'disabled',
        disabilityGrade: 3,
        education: 'junior',
        inSchool: false,
        employed: true,
        hasGuardian: true,
        hasSupporter: true,
      },
      {
        name: '钱二',
        idNumber: SPOUSE_ID,
        relation: 'spouse',
        labour: 'weak_or_half',
        health: 'chronic',
        disabilityGrade: null,
      },
      {
        name: '孙三',
        idNumber: CHILD_ID,
        relation: 'child',
        birthDate: '2004-02-29',
        education: 'senior_high',
        inSchool: true,
      },
      {
        name: '李四',
        relation: 'parent',
        birthDate: '1940-01-01',
        labour: 'lost',
        health: 'serious_illness',
        hasSupporter: true,
      },
    ],
    income: { year: 2020, wage: 12000.5, business: -1500.25, property: 0, transfer: 3600 },
    previousIncome: { year: 2019, wage: 15000, business: 2000, property: 0, transfer: 1200 },
    expenses: { medicalSelfPaid: 8000, education: 2500.5 },
    housing: { structure: 'mud_brick', onlyHome: true, safetyGrade: 'C' },
    industry: { covered: false, failedDueToForceMajeure: true },
    shocks: [
      { type: 'disaster', date: '2021-05-20', mainLabourLostOrDisabled: false, expense: 20000, incomeDropRatio: 0.35 },
    ],
    drinkingWaterSafe: true,
    medicalInsuranceEnrolled: true,
    specialHardship: { flag: false, reason: '' },
    assets: { car: false, commercialHousing: false },
  };
}

/** Any JSON-ish value; tests mutate a deep copy of the full household through this. */
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
function variant(mutate: (h: Json) => void): unknown {
  const h = structuredClone(fullHousehold()) as Json;
  mutate(h);
  return h;
}
function issuesOf(input: unknown, asOf = AS_OF): [string, IssueCode][] {
  const r = validateHousehold(input, { asOf });
  return r.ok ? [] : r.issues.map((i) => [i.field, i.code]);
}
const withFirst17 = (first17: string) => first17 + computeIdChecksum(first17);
const repeatMember = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: '周五',
    relation: i === 0 ? 'head' : 'other',
    birthDate: '1990-01-01',
  }));

describe('validateHousehold: valid input', () => {
  it('accepts the full household and returns it unchanged', () => {
    const r = validateHousehold(fullHousehold(), { asOf: AS_OF });
    expect(r).toStrictEqual({ ok: true, value: fullHousehold() });
  });

  it('accepts the minimal household and adds nothing: absent stays absent', () => {
    const r = validateHousehold(minimalHousehold(), { asOf: AS_OF });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value).toStrictEqual(minimalHousehold());
      expect(Object.keys(r.value).sort()).toEqual(['address', 'areaCode', 'members', 'povertyStatus']);
      expect(Object.keys(r.value.members[0]).sort()).toEqual(['idNumber', 'name', 'relation']);
    }
  });

  it.each<[string, (h: Json) => void]>([
    ['a member with a birth date only', (h) => delete h.members[0].idNumber],
    ['a member with an ID number only', (h) => delete h.members[0].birthDate],
    [
      'a birth date on 29 February of a leap year, agreeing with the ID',
      (h) => (h.members[2].birthDate = '2004-02-29'),
    ],
    ['a birth date of 2000-02-29 (a leap century)', (h) => (h.members[3].birthDate = '2000-02-29')],
    ['a birth date on the as-of date', (h) => (h.members[3].birthDate = AS_OF)],
    ['a birth date on 1900-01-01', (h) => (h.members[3].birthDate = '1900-01-01')],
    ['the head anywhere in the list', (h) => h.members.reverse()],
    ['exactly 50 members', (h) => (h.members = repeatMember(50))],
    ['a national system id', (h) => (h.nationalSystemId = 'GZ2019000123')],
    ['no nationalSystemId key', (h) => delete h.nationalSystemId],
    ['no id (a household being created)', (h) => delete h.id],
    ['negative business income', (h) => (h.income.business = -99999.99)],
    ['business at -100 000 000', (h) => (h.income.business = -100_000_000)],
    ['an amount of exactly 100 000 000', (h) => (h.income.wage = 100_000_000)],
    ['amounts with one or two decimals', (h) => Object.assign(h.income, { wage: 0.1, property: 0.29, transfer: 4.35 })],
    ['income year 2000 without previous income', (h) => (delete h.previousIncome, (h.income.year = 2000))],
    ['income year 2100', (h) => ((h.income.year = 2100), (h.previousIncome.year = 2099))],
    ['previous income without current income', (h) => delete h.income],
    [
      'disabilityGrade 1 and 4 with health disabled',
      (h) => (
        (h.members[0].disabilityGrade = 1),
        h.members.push({ ...h.members[3], name: '吴六', relation: 'sibling', health: 'disabled', disabilityGrade: 4 })
      ),
    ],
    [
      'disabilityGrade null with health healthy',
      (h) => Object.assign(h.members[0], { health: 'healthy', disabilityGrade: null }),
    ],
    ['health disabled without a grade', (h) => delete h.members[0].disabilityGrade],
    [
      'incomeDropRatio 0 and 1',
      (h) => h.shocks.push({ ...h.shocks[0], incomeDropRatio: 0 }, { ...h.shocks[0], incomeDropRatio: 1 }),
    ],
    ['a shock on the as-of date', (h) => (h.shocks[0].date = AS_OF)],
    ['a shock with type and date only', (h) => (h.shocks = [{ type: 'epidemic', date: '2020-02-01' }])],
    ['no shocks', (h) => (h.shocks = [])],
    ['special hardship flagged with a reason', (h) => (h.specialHardship = { flag: true, reason: '家中失火' })],
    ['special hardship not flagged, no reason', (h) => (h.specialHardship = { flag: false })],
    ['empty optional objects', (h) => Object.assign(h, { expenses: {}, housing: {}, industry: {}, assets: {} })],
  ])('accepts %s', (_what, mutate) => {
    expect(issuesOf(variant(mutate))).toEqual([]);
  });

  it('normalises a lower-case final x of an ID number to X', () => {
    const idX = Array.from({ length: 100 }, (_, n) => syntheticIdNumber(n, '1968-03-15')).find((id) =>
      id.endsWith('X'),
    )!;
    const r = validateHousehold(
      variant((h) => (h.members[0].idNumber = idX.toLowerCase())),
      { asOf: AS_OF },
    );
    expect(r.ok && r.value.members[0].idNumber).toBe(idX);
  });

  it('judges dates against today in China when no as-of date is given', () => {
    expect(
      issuesOf(
        variant((h) => (h.members[3].birthDate = '2999-01-01')),
        undefined,
      ),
    ).toEqual([['members[3].birthDate', 'date_in_future']]);
    expect(validateHousehold(fullHousehold()).ok).toBe(true);
  });

  it('refuses an invalid as-of date as a programming error', () => {
    expect(() => validateHousehold(fullHousehold(), { asOf: '2021-02-29' })).toThrow(RangeError);
  });
});

// Each row changes one thing in the full household and names the one issue that must result.
const invalidRows: [string, (h: Json) => void, string, IssueCode][] = [
  // the household as a whole and unknown keys
  ['a misspelt top-level field', (h) => (h.adress = 'x'), 'adress', 'unknown_field'],
  ['registry metadata not in the model', (h) => (h.version = 3), 'version', 'unknown_field'],
  ['a misspelt member field', (h) => (h.members[1].idNo = 'x'), 'members[1].idNo', 'unknown_field'],
  ['a misspelt income field', (h) => (h.income.salary = 1), 'income.salary', 'unknown_field'],
  ['an unknown shock field', (h) => (h.shocks[0].severity = 1), 'shocks[0].severity', 'unknown_field'],
  ['an unknown housing field', (h) => (h.housing.area = 80), 'housing.area', 'unknown_field'],
  // id, areaCode, address, povertyStatus, nationalSystemId
  ['an empty id', (h) => (h.id = ''), 'id', 'empty'],
  ['an id of 65 characters', (h) => (h.id = 'h'.repeat(65)), 'id', 'too_long'],
  ['no areaCode', (h) => delete h.areaCode, 'areaCode', 'required'],
  ['a numeric areaCode', (h) => (h.areaCode = 360731102203), 'areaCode', 'invalid_type'],
  ['an 11-digit areaCode', (h) => (h.areaCode = '36073110220'), 'areaCode', 'not_a_village_code'],
  ['a township code', (h) => (h.areaCode = '360731102'), 'areaCode', 'not_a_village_code'],
  ['a county code', (h) => (h.areaCode = '360731'), 'areaCode', 'not_a_village_code'],
  ['a village code outside the 18 counties', (h) => (h.areaCode = '360799102203'), 'areaCode', 'not_a_village_code'],
  ['a village code of another province', (h) => (h.areaCode = '350731102203'), 'areaCode', 'not_a_village_code'],
  ['a letter O for a zero', (h) => (h.areaCode = '3607311022O3'), 'areaCode', 'not_a_village_code'],
  ['no address', (h) => delete h.address, 'address', 'required'],
  ['an empty address', (h) => (h.address = ''), 'address', 'empty'],
  ['a blank address', (h) => (h.address = '  \t'), 'address', 'empty'],
  ['an address of 201 characters', (h) => (h.address = '村'.repeat(201)), 'address', 'too_long'],
  ['no povertyStatus', (h) => delete h.povertyStatus, 'povertyStatus', 'required'],
  ['an unknown povertyStatus', (h) => (h.povertyStatus = 'poor'), 'povertyStatus', 'invalid_enum'],
  ['a povertyStatus in capitals', (h) => (h.povertyStatus = 'NONE'), 'povertyStatus', 'invalid_enum'],
  ['an empty nationalSystemId', (h) => (h.nationalSystemId = ''), 'nationalSystemId', 'empty'],
  ['a numeric nationalSystemId', (h) => (h.nationalSystemId = 123), 'nationalSystemId', 'invalid_type'],
  // members
  ['no members key', (h) => delete h.members, 'members', 'required'],
  ['members not a list', (h) => (h.members = h.members[0]), 'members', 'invalid_type'],
  ['no members', (h) => (h.members = []), 'members', 'no_members'],
  ['51 members', (h) => (h.members = repeatMember(51)), 'members', 'too_many_members'],
  ['no head', (h) => (h.members[0].relation = 'other'), 'members', 'missing_head'],
  ['a second head', (h) => (h.members[2].relation = 'head'), 'members[2].relation', 'multiple_heads'],
  ['a member that is not an object', (h) => (h.members[1] = '钱二'), 'members[1]', 'invalid_type'],
  ['a member without name', (h) => delete h.members[1].name, 'members[1].name', 'required'],
  ['an empty name', (h) => (h.members[1].name = ''), 'members[1].name', 'empty'],
  ['a name of 51 characters', (h) => (h.members[1].name = '钱'.repeat(51)), 'members[1].name', 'too_long'],
  ['a member without relation', (h) => delete h.members[1].relation, 'members[1].relation', 'required'],
  ['an unknown relation', (h) => (h.members[1].relation = 'wife'), 'members[1].relation', 'invalid_enum'],
  [
    'neither ID number nor birth date',
    (h) => delete h.members[1].idNumber,
    'members[1].idNumber',
    'id_number_or_birth_date_required',
  ],
  // ID numbers
  [
    'an ID number of 17 characters',
    (h) => (h.members[0].idNumber = HEAD_ID.slice(0, 17)),
    'members[0].idNumber',
    'invalid_id_number',
  ],
  [
    'an ID number of 19 characters',
    (h) => (h.members[0].idNumber = HEAD_ID + '1'),
    'members[0].idNumber',
    'invalid_id_number',
  ],
  [
    'an ID number of 15 digits (first generation)',
    (h) => (h.members[0].idNumber = '360731680315901'),
    'members[0].idNumber',
    'invalid_id_number',
  ],
  [
    'an ID number with a letter',
    (h) => (h.members[0].idNumber = 'A' + HEAD_ID.slice(1)),
    'members[0].idNumber',
    'invalid_id_number',
  ],
  [
    'an ID number with inner spaces',
    (h) => (h.members[0].idNumber = `${HEAD_ID.slice(0, 6)} ${HEAD_ID.slice(7)}`),
    'members[0].idNumber',
    'invalid_id_number',
  ],
  ['a numeric ID number', (h) => (h.members[0].idNumber = 123), 'members[0].idNumber', 'invalid_type'],
  ['a null ID number', (h) => (h.members[0].idNumber = null), 'members[0].idNumber', 'invalid_type'],
  [
    'a wrong check character',
    (h) => (h.members[0].idNumber = HEAD_ID.slice(0, 17) + (HEAD_ID[17] === '5' ? '6' : '5')),
    'members[0].idNumber',
    'invalid_id_checksum',
  ],
  [
    'two digits swapped',
    (h) => (h.members[1].idNumber = SPOUSE_ID.slice(0, 15) + SPOUSE_ID[16] + SPOUSE_ID[15] + SPOUSE_ID[17]),
    'members[1].idNumber',
    'invalid_id_checksum',
  ],
  [
    'an ID with 29 February of a common year',
    (h) => (delete h.members[3].birthDate, (h.members[3].idNumber = withFirst17('36073119410229901'))),
    'members[3].idNumber',
    'invalid_id_birth_date',
  ],
  [
    'an ID with month 13',
    (h) => (delete h.members[3].birthDate, (h.members[3].idNumber = withFirst17('36073119401301901'))),
    'members[3].idNumber',
    'invalid_id_birth_date',
  ],
  [
    'an ID born after the as-of date',
    (h) => (delete h.members[3].birthDate, (h.members[3].idNumber = withFirst17('36073120210701901'))),
    'members[3].idNumber',
    'invalid_id_birth_date',
  ],
  [
    'an ID born before 1900',
    (h) => (delete h.members[3].birthDate, (h.members[3].idNumber = withFirst17('36073118991231901'))),
    'members[3].idNumber',
    'invalid_id_birth_date',
  ],
  [
    'the same ID number twice',
    (h) => ((h.members[3].idNumber = HEAD_ID), delete h.members[3].birthDate),
    'members[3].idNumber',
    'duplicate_id_number',
  ],
  [
    'the same ID number twice, differing in x/X',
    (h) => {
      const idX = Array.from({ length: 100 }, (_, n) => syntheticIdNumber(n, '1968-03-15')).find((id) =>
        id.endsWith('X'),
      )!;
      h.members[0].idNumber = idX;
      h.members[3].idNumber = idX.toLowerCase();
      delete h.members[3].birthDate;
    },
    'members[3].idNumber',
    'duplicate_id_number',
  ],
  // birth dates
  [
    'a birth date that disagrees with the ID number',
    (h) => (h.members[0].birthDate = '1968-03-16'),
    'members[0].birthDate',
    'birth_date_mismatch',
  ],
  [
    '29 February in a common year',
    (h) => (h.members[3].birthDate = '1941-02-29'),
    'members[3].birthDate',
    'invalid_date',
  ],
  [
    '29 February 1900 (not a leap year)',
    (h) => (h.members[3].birthDate = '1900-02-29'),
    'members[3].birthDate',
    'invalid_date',
  ],
  [
    'a birth date without leading zeros',
    (h) => (h.members[3].birthDate = '1940-1-1'),
    'members[3].birthDate',
    'invalid_date',
  ],
  [
    'a birth date with a time',
    (h) => (h.members[3].birthDate = '1940-01-01T00:00:00Z'),
    'members[3].birthDate',
    'invalid_date',
  ],
  ['a birth date on 31 April', (h) => (h.members[3].birthDate = '1940-04-31'), 'members[3].birthDate', 'invalid_date'],
  [
    'a birth date after the as-of date',
    (h) => (h.members[3].birthDate = '2021-07-01'),
    'members[3].birthDate',
    'date_in_future',
  ],
  [
    'a birth date before 1900',
    (h) => (h.members[3].birthDate = '1899-12-31'),
    'members[3].birthDate',
    'date_too_early',
  ],
  // other member fields
  ['an unknown labour', (h) => (h.members[0].labour = 'strong'), 'members[0].labour', 'invalid_enum'],
  ['an unknown health', (h) => (h.members[1].health = 'sick'), 'members[1].health', 'invalid_enum'],
  ['an unknown education', (h) => (h.members[2].education = 'college'), 'members[2].education', 'invalid_enum'],
  ['mainLabour as a string', (h) => (h.members[0].mainLabour = 'yes'), 'members[0].mainLabour', 'invalid_type'],
  ['hasGuardian as 0', (h) => (h.members[2].hasGuardian = 0), 'members[2].hasGuardian', 'invalid_type'],
  ['disabilityGrade 5', (h) => (h.members[0].disabilityGrade = 5), 'members[0].disabilityGrade', 'out_of_range'],
  ['disabilityGrade 0', (h) => (h.members[0].disabilityGrade = 0), 'members[0].disabilityGrade', 'out_of_range'],
  ['disabilityGrade 2.5', (h) => (h.members[0].disabilityGrade = 2.5), 'members[0].disabilityGrade', 'out_of_range'],
  [
    'disabilityGrade as a string',
    (h) => (h.members[0].disabilityGrade = '2'),
    'members[0].disabilityGrade',
    'invalid_type',
  ],
  [
    'a grade with health chronic',
    (h) => (h.members[1].disabilityGrade = 2),
    'members[1].disabilityGrade',
    'disability_grade_without_disability',
  ],
  [
    'a grade without any health',
    (h) => (h.members[2].disabilityGrade = 1),
    'members[2].disabilityGrade',
    'disability_grade_without_disability',
  ],
  // money and years
  ['no income year', (h) => delete h.income.year, 'income.year', 'required'],
  ['an income without wage', (h) => delete h.income.wage, 'income.wage', 'required'],
  ['income year 1999', (h) => (delete h.previousIncome, (h.income.year = 1999)), 'income.year', 'invalid_year'],
  ['income year 2101', (h) => (delete h.previousIncome, (h.income.year = 2101)), 'income.year', 'invalid_year'],
  ['income year 2020.5', (h) => (delete h.previousIncome, (h.income.year = 2020.5)), 'income.year', 'invalid_year'],
  [
    'income year as a string',
    (h) => (delete h.previousIncome, (h.income.year = '2020')),
    'income.year',
    'invalid_type',
  ],
  [
    'previous income of two years before',
    (h) => (h.previousIncome.year = 2018),
    'previousIncome.year',
    'previous_year_mismatch',
  ],
  [
    'previous income of the same year',
    (h) => (h.previousIncome.year = 2020),
    'previousIncome.year',
    'previous_year_mismatch',
  ],
  [
    'previous income of the next year',
    (h) => (h.previousIncome.year = 2021),
    'previousIncome.year',
    'previous_year_mismatch',
  ],
  ['negative wage', (h) => (h.income.wage = -0.01), 'income.wage', 'negative_amount'],
  ['negative property', (h) => (h.income.property = -1), 'income.property', 'negative_amount'],
  ['negative transfer', (h) => (h.income.transfer = -100), 'income.transfer', 'negative_amount'],
  ['negative previous wage', (h) => (h.previousIncome.wage = -1), 'previousIncome.wage', 'negative_amount'],
  ['a wage with 3 decimals', (h) => (h.income.wage = 1000.005), 'income.wage', 'too_many_decimals'],
  ['a business income with 3 decimals', (h) => (h.income.business = -0.001), 'income.business', 'too_many_decimals'],
  ['a float-sum amount', (h) => (h.income.transfer = 0.1 + 0.2), 'income.transfer', 'too_many_decimals'],
  ['a wage above 100 000 000', (h) => (h.income.wage = 100_000_000.01), 'income.wage', 'amount_too_large'],
  ['business below -100 000 000', (h) => (h.income.business = -100_000_000.01), 'income.business', 'amount_too_large'],
  ['a huge amount', (h) => (h.income.wage = 1e300), 'income.wage', 'amount_too_large'],
  ['a wage as a string', (h) => (h.income.wage = '12000'), 'income.wage', 'invalid_type'],
  ['a NaN wage', (h) => (h.income.wage = NaN), 'income.wage', 'invalid_type'],
  ['an infinite wage', (h) => (h.income.wage = Infinity), 'income.wage', 'invalid_type'],
  ['negative medical expense', (h) => (h.expenses.medicalSelfPaid = -5), 'expenses.medicalSelfPaid', 'negative_amount'],
  [
    'education expense with 3 decimals',
    (h) => (h.expenses.education = 1.234),
    'expenses.education',
    'too_many_decimals',
  ],
  // housing, industry, assets, flags
  ['an unknown structure', (h) => (h.housing.structure = 'straw'), 'housing.structure', 'invalid_enum'],
  ['safety grade E', (h) => (h.housing.safetyGrade = 'E'), 'housing.safetyGrade', 'invalid_enum'],
  ['safety grade in lower case', (h) => (h.housing.safetyGrade = 'c'), 'housing.safetyGrade', 'invalid_enum'],
  ['onlyHome as a string', (h) => (h.housing.onlyHome = 'true'), 'housing.onlyHome', 'invalid_type'],
  ['industry.covered null', (h) => (h.industry.covered = null), 'industry.covered', 'invalid_type'],
  ['assets.car as a string', (h) => (h.assets.car = 'no'), 'assets.car', 'invalid_type'],
  ['drinkingWaterSafe as 1', (h) => (h.drinkingWaterSafe = 1), 'drinkingWaterSafe', 'invalid_type'],
  [
    'medicalInsuranceEnrolled null',
    (h) => (h.medicalInsuranceEnrolled = null),
    'medicalInsuranceEnrolled',
    'invalid_type',
  ],
  // shocks
  ['shocks not a list', (h) => (h.shocks = h.shocks[0]), 'shocks', 'invalid_type'],
  ['101 shocks', (h) => (h.shocks = Array.from({ length: 101 }, () => h.shocks[0])), 'shocks', 'too_long'],
  ['an unknown shock type', (h) => (h.shocks[0].type = 'flood'), 'shocks[0].type', 'invalid_enum'],
  ['a shock without date', (h) => delete h.shocks[0].date, 'shocks[0].date', 'required'],
  ['a shock on 31 June', (h) => (h.shocks[0].date = '2021-06-31'), 'shocks[0].date', 'invalid_date'],
  ['a shock after the as-of date', (h) => (h.shocks[0].date = '2021-07-01'), 'shocks[0].date', 'date_in_future'],
  ['incomeDropRatio above 1', (h) => (h.shocks[0].incomeDropRatio = 1.5), 'shocks[0].incomeDropRatio', 'out_of_range'],
  ['incomeDropRatio below 0', (h) => (h.shocks[0].incomeDropRatio = -0.1), 'shocks[0].incomeDropRatio', 'out_of_range'],
  [
    'a percentage for incomeDropRatio',
    (h) => (h.shocks[0].incomeDropRatio = 35),
    'shocks[0].incomeDropRatio',
    'out_of_range',
  ],
  ['a negative shock expense', (h) => (h.shocks[0].expense = -1), 'shocks[0].expense', 'negative_amount'],
  // special hardship (DOMAIN.md §4 F10: a flag without a reason is invalid)
  [
    'a hardship flag with an empty reason',
    (h) => (h.specialHardship = { flag: true, reason: '' }),
    'specialHardship.reason',
    'reason_required',
  ],
  [
    'a hardship flag with a blank reason',
    (h) => (h.specialHardship = { flag: true, reason: '   ' }),
    'specialHardship.reason',
    'reason_required',
  ],
  [
    'a hardship flag without reason',
    (h) => (h.specialHardship = { flag: true }),
    'specialHardship.reason',
    'reason_required',
  ],
  ['a hardship without flag', (h) => (h.specialHardship = { reason: '无' }), 'specialHardship.flag', 'required'],
  ['a hardship flag as a string', (h) => (h.specialHardship.flag = 'true'), 'specialHardship.flag', 'invalid_type'],
  [
    'a hardship reason of 501 characters',
    (h) => (h.specialHardship = { flag: true, reason: '难'.repeat(501) }),
    'specialHardship.reason',
    'too_long',
  ],
];

describe('validateHousehold: one rule broken at a time', () => {
  it.each(invalidRows)('rejects %s', (_what, mutate, field, code) => {
    expect(issuesOf(variant(mutate))).toEqual([[field, code]]);
  });

  it('has a row for every issue code, so no code is dead or untested', () => {
    const tested = new Set(invalidRows.map((r) => r[3]));
    expect(ISSUE_CODES.filter((c) => !tested.has(c))).toEqual([]);
  });
});

describe('validateHousehold: whole-input behaviour', () => {
  it.each<[string, unknown, [string, IssueCode][]]>([
    ['null', null, [['', 'invalid_type']]],
    ['a list', [fullHousehold()], [['', 'invalid_type']]],
    ['a string', JSON.stringify(fullHousehold()), [['', 'invalid_type']]],
    ['nothing', undefined, [['', 'required']]],
    [
      'an empty object',
      {},
      [
        ['areaCode', 'required'],
        ['address', 'required'],
        ['povertyStatus', 'required'],
        ['members', 'required'],
      ],
    ],
  ])('rejects %s', (_what, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  it('reports every problem at once, including cross-field ones next to type errors', () => {
    const input = variant((h) => {
      h.areaCode = '360799102203';
      h.members[0].relation = 'boss'; // so there is no head either
      h.members[1].labour = 7;
      h.members[2].birthDate = '2004-03-01'; // disagrees with the child's ID
      h.previousIncome.year = 2017;
      h.income.wage = 'lots';
      h.specialHardship = { flag: true };
      h.tel = '138';
    });
    expect(issuesOf(input).sort()).toEqual(
      [
        ['tel', 'unknown_field'],
        ['areaCode', 'not_a_village_code'],
        ['members[0].relation', 'invalid_enum'],
        ['members[1].labour', 'invalid_enum'],
        ['members[2].birthDate', 'birth_date_mismatch'],
        ['members', 'missing_head'],
        ['income.wage', 'invalid_type'],
        ['previousIncome.year', 'previous_year_mismatch'],
        ['specialHardship.reason', 'reason_required'],
      ].sort(),
    );
  });

  it('reports each duplicate and each extra head separately', () => {
    const input = variant((h) => {
      h.members = [0, 1, 2].map((i) => ({
        name: '赵一',
        relation: 'head',
        idNumber: HEAD_ID,
        birthDate: i === 0 ? '1968-03-15' : undefined,
      }));
      for (const m of h.members) if (m.birthDate === undefined) delete m.birthDate;
    });
    expect(issuesOf(input)).toEqual([
      ['members[1].relation', 'multiple_heads'],
      ['members[2].relation', 'multiple_heads'],
      ['members[1].idNumber', 'duplicate_id_number'],
      ['members[2].idNumber', 'duplicate_id_number'],
    ]);
  });

  it('never puts an ID number (or its digits) in a message, only the field name', () => {
    const bad = [
      HEAD_ID.slice(0, 17) + (HEAD_ID[17] === '5' ? '6' : '5'),
      withFirst17('36073119410229901'),
      withFirst17('36073120210701901'),
      HEAD_ID.slice(0, 17),
    ];
    const input = variant((h) => {
      bad.forEach((id, i) => (h.members[i].idNumber = id));
      h.members[0].birthDate = '1968-03-16';
      h.members.push({ name: '吴六', relation: 'other', idNumber: SPOUSE_ID }); // duplicate of nobody now
      h.members.push({ name: '郑七', relation: 'other', idNumber: SPOUSE_ID }); // duplicate
    });
    const r = validateHousehold(input, { asOf: AS_OF });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining([
        'invalid_id_checksum',
        'invalid_id_birth_date',
        'invalid_id_number',
        'duplicate_id_number',
      ]),
    );
    const text = JSON.stringify(r.issues);
    for (const id of [...bad, SPOUSE_ID]) {
      expect(text).not.toContain(id.slice(0, 14)); // region + birth date
      expect(text).not.toContain(id.slice(6, 14));
    }
    for (const i of r.issues) {
      expect(i.message).toContain(i.field);
      expect(i.messageZh).toMatch(/\p{Script=Han}/u);
      expect(i.messageZh).not.toMatch(/\d{6,}/);
    }
  });

  it('writes messages for officers in Chinese naming the member and field', () => {
    const r = validateHousehold(
      variant((h) => (h.members[1].idNumber = SPOUSE_ID.slice(0, 17) + (SPOUSE_ID[17] === '0' ? '1' : '0'))),
      { asOf: AS_OF },
    );
    expect(r.ok ? [] : r.issues).toEqual([
      {
        field: 'members[1].idNumber',
        code: 'invalid_id_checksum',
        message: 'members[1].idNumber has a wrong check character',
        messageZh: '第2名家庭成员的身份证号校验位错误',
      },
    ]);
  });
});
