import fc from 'fast-check';
import { countyOf } from '../areas/codes';
import { syntheticAreas } from '../areas/synthetic';
import {
  EDUCATION_LEVELS,
  HEALTH_STATES,
  HOUSING_STRUCTURES,
  LABOURS,
  POVERTY_STATUSES,
  RELATIONS,
  SAFETY_GRADES,
  SHOCK_TYPES,
  type DisabilityGrade,
} from '../household/enums';
import type { Household, Income, Member } from '../household/types';
import { isValidDate } from '../time/dates';
import { syntheticIdNumber } from './ids';

/** The as-of date arbitraries use unless told otherwise; every generated date is on or before it. */
export const DEFAULT_ARB_AS_OF = '2021-06-30';

// Plain objects only: fast-check may otherwise build null-prototype records, which is not what a
// JSON body or a database document looks like and which toStrictEqual tells apart.
const plain = { noNullPrototype: true } as const;

const NAMES = ['赵一', '钱二', '孙三', '李四', '周五', '吴六', '郑七', '冯九', '陈十'] as const;

/** A YYYY-MM-DD date between two dates inclusive. */
export function arbDate(min: string, max: string): fc.Arbitrary<string> {
  return fc
    .date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
}

/** A yuan amount with at most 2 decimals, generated as whole fen so it is always exactly representable. */
export function arbYuan(allowNegative = false, maxYuan = 100_000_000): fc.Arbitrary<number> {
  return fc.integer({ min: allowNegative ? -maxYuan * 100 : 0, max: maxYuan * 100 }).map((fen) => fen / 100);
}

function arbIncome(year: fc.Arbitrary<number>): fc.Arbitrary<Income> {
  return fc.record({ year, wage: arbYuan(), business: arbYuan(true), property: arbYuan(), transfer: arbYuan() }, plain);
}

type IdMode = 'id' | 'birth' | 'both';

function arbMember(asOf: string): fc.Arbitrary<{ member: Member; birthDate: string; idMode: IdMode }> {
  const member = fc
    .record(
      {
        name: fc.constantFrom(...NAMES),
        relation: fc.constantFrom(...RELATIONS.filter((r) => r !== 'head')),
        labour: fc.constantFrom(...LABOURS),
        mainLabour: fc.boolean(),
        health: fc.constantFrom(...HEALTH_STATES),
        education: fc.constantFrom(...EDUCATION_LEVELS),
        inSchool: fc.boolean(),
        employed: fc.boolean(),
        hasGuardian: fc.boolean(),
        hasSupporter: fc.boolean(),
      },
      { requiredKeys: ['name', 'relation'], noNullPrototype: true },
    )
    .chain((m) =>
      // A grade only accompanies health 'disabled' (and may be unknown: null or absent).
      m.health === 'disabled'
        ? fc
            .option(fc.constantFrom<DisabilityGrade | null>(1, 2, 3, 4, null), { nil: undefined })
            .map((g) => (g === undefined ? m : { ...m, disabilityGrade: g }))
        : fc.constant(m),
    );
  return fc.record(
    { member, birthDate: arbDate('1920-01-01', asOf), idMode: fc.constantFrom<IdMode>('id', 'birth', 'both') },
    plain,
  );
}

/**
 * Valid households (validateHousehold accepts each with the same asOf): 1..10 members with exactly
 * one head at a random position, distinct synthetic ID numbers, and every optional field sometimes
 * absent, so code under test meets both known and unknown data.
 */
export function arbHousehold(opts: { asOf?: string } = {}): fc.Arbitrary<Household> {
  const asOf = opts.asOf ?? DEFAULT_ARB_AS_OF;
  if (!isValidDate(asOf) || asOf < '1921-01-01')
    throw new RangeError('arbHousehold: asOf must be a YYYY-MM-DD date after 1920');
  // Shocks within the last few years, so some fall inside DOMAIN.md §4 F8's one-year window.
  const shocksFrom = `${Number(asOf.slice(0, 4)) - 3}-01-01`;
  const villages = syntheticAreas()
    .filter((a) => a.level === 'village')
    .map((a) => a.code);
  const incomes = fc
    .option(arbIncome(fc.integer({ min: 2001, max: 2100 })), { nil: undefined })
    .chain((income) =>
      income === undefined
        ? fc.constant({})
        : fc
            .option(arbIncome(fc.constant(income.year - 1)), { nil: undefined })
            .map((previousIncome) => (previousIncome === undefined ? { income } : { income, previousIncome })),
    );
  const base = fc.record(
    {
      areaCode: fc.constantFrom(...villages),
      address: fc.constantFrom('青山乡上坪村1组', '石桥乡田心村3组12号', '龙泉乡水口村'),
      povertyStatus: fc.constantFrom(...POVERTY_STATUSES),
      nationalSystemId: fc.option(fc.stringMatching(/^[A-Z0-9]{8,20}$/), { nil: null }),
      expenses: fc.record(
        { medicalSelfPaid: arbYuan(false, 1_000_000), education: arbYuan(false, 1_000_000) },
        { requiredKeys: [], noNullPrototype: true },
      ),
      housing: fc.record(
        {
          structure: fc.constantFrom(...HOUSING_STRUCTURES),
          onlyHome: fc.boolean(),
          safetyGrade: fc.constantFrom(...SAFETY_GRADES),
        },
        { requiredKeys: [], noNullPrototype: true },
      ),
      industry: fc.record(
        { covered: fc.boolean(), failedDueToForceMajeure: fc.boolean() },
        { requiredKeys: [], noNullPrototype: true },
      ),
      shocks: fc.array(
        fc.record(
          {
            type: fc.constantFrom(...SHOCK_TYPES),
            date: arbDate(shocksFrom, asOf),
            mainLabourLostOrDisabled: fc.boolean(),
            expense: arbYuan(false, 1_000_000),
            incomeDropRatio: fc.double({ min: 0, max: 1, noNaN: true }),
          },
          { requiredKeys: ['type', 'date'], noNullPrototype: true },
        ),
        { maxLength: 3 },
      ),
      drinkingWaterSafe: fc.boolean(),
      medicalInsuranceEnrolled: fc.boolean(),
      specialHardship: fc.oneof(
        fc.record(
          { flag: fc.constant(false), reason: fc.constantFrom('', '无') },
          { requiredKeys: ['flag'], noNullPrototype: true },
        ),
        fc.record({ flag: fc.constant(true), reason: fc.constantFrom('家中失火', '子女重病，长期照护') }, plain),
      ),
      assets: fc.record(
        { car: fc.boolean(), commercialHousing: fc.boolean() },
        { requiredKeys: [], noNullPrototype: true },
      ),
    },
    { requiredKeys: ['areaCode', 'address', 'povertyStatus'], noNullPrototype: true },
  );
  const members = fc.array(arbMember(asOf), { minLength: 1, maxLength: 10 });
  return fc.tuple(base, incomes, members, fc.nat()).map(([b, inc, ms, headSeed]) => {
    const county = countyOf(b.areaCode) ?? '360731';
    const headAt = headSeed % ms.length;
    const built: Member[] = ms.map(({ member, birthDate, idMode }, i) => {
      const m: Member = { ...member, relation: i === headAt ? 'head' : member.relation };
      // Sequence number i keeps ID numbers distinct within the household.
      if (idMode !== 'birth') m.idNumber = syntheticIdNumber(i, birthDate, county);
      if (idMode !== 'id') m.birthDate = birthDate;
      return m;
    });
    return { ...b, ...inc, members: built };
  });
}
