import type { Household, Member } from '../household/types';
import { minimalHousehold, syntheticIdNumber } from '../testing';
import { todayInChina } from '../time/dates';
import { assessHousehold, type AssessOptions, type AssessmentResult } from './assess';
import { DEFAULT_POLICY, type AssessmentPolicy } from './policy';

const AS_OF = '2021-06-30';

/** A member known only by birth date (no ID number), defaults to an employed, healthy, skilled adult. */
function member(extra: Partial<Member> = {}): Member {
  return {
    name: '钱二',
    relation: 'child',
    birthDate: '1980-01-01',
    labour: 'skilled',
    employed: true,
    health: 'healthy',
    ...extra,
  };
}

const head = (extra: Partial<Member> = {}): Member => member({ name: '赵一', relation: 'head', ...extra });

/** One skilled, employed head with 2021 income 10 000 yuan of wage; nothing else. */
function household(over: Partial<Household> = {}): Household {
  return minimalHousehold({
    members: [head()],
    income: { year: 2021, wage: 10_000, business: 0, property: 0, transfer: 0 },
    ...over,
  });
}

const income = (i: Partial<{ wage: number; business: number; property: number; transfer: number }>, year = 2021) => ({
  year,
  wage: 0,
  business: 0,
  property: 0,
  transfer: 0,
  ...i,
});

function assess(h: Household, opts: AssessOptions = {}): AssessmentResult {
  const r = assessHousehold(h, { asOf: AS_OF, ...opts });
  if (!r.ok) throw new Error(`unexpected error ${JSON.stringify(r.error)}`);
  return r.result;
}

const has = (h: Household, code: string, opts: AssessOptions = {}) => assess(h, opts).features.includes(code as never);
const warned = (h: Household, code: string, opts: AssessOptions = {}) =>
  assess(h, opts).warnings.includes(code as never);

describe('incomeBelowLine: per-capita < L × (1 + t), exact in fen', () => {
  it.each<[string, number, number, number, boolean]>([
    // [case, members, net income yuan, tolerance, below]
    ['1 member just below', 1, 5999.99, 0, true],
    ['1 member at the line', 1, 6000, 0, false],
    ['1 member just above', 1, 6000.01, 0, false],
    ['2 members just below', 2, 11999.99, 0, true],
    ['2 members at the line', 2, 12000, 0, false],
    ['3 members: 5999.996… per head is below', 3, 17999.99, 0, true],
    ['3 members at the line', 3, 18000, 0, false],
    ['t = 0.1: just below 6600', 1, 6599.99, 0.1, true],
    ['t = 0.1: at 6600', 1, 6600, 0.1, false],
    ['t = 0.05, 3 members: just below 18 900', 3, 18899.99, 0.05, true],
    ['t = 0.05, 3 members: at 18 900', 3, 18900, 0.05, false],
    ['t = -0.1: 5399.99 is below 5400', 1, 5399.99, -0.1, true],
    ['t = -0.1: 5400 is not', 1, 5400, -0.1, false],
    ['negative net income', 1, -0.01, 0, true],
  ])('%s', (_case, n, net, tolerance, below) => {
    const members = [head(), ...Array.from({ length: n - 1 }, () => member())];
    const r = assess(household({ members, income: income({ wage: Math.max(net, 0), business: Math.min(net, 0) }) }), {
      policy: { ...DEFAULT_POLICY, tolerance },
    });
    expect(r.incomeBelowLine).toBe(below);
    expect(r.tolerance).toBe(tolerance);
  });

  it('uses the line of the year: 2019 is 4827, 2020 and 2021 are 6000', () => {
    const at = (year: number, wage: number) =>
      assess(household({ income: income({ wage }, year) }), { asOf: `${year}-12-31` });
    expect(at(2019, 4826.99).incomeBelowLine).toBe(true);
    expect(at(2019, 4827).incomeBelowLine).toBe(false);
    expect(at(2019, 4827).monitoringLine).toBe(4827);
    expect(at(2020, 5999.99).incomeBelowLine).toBe(true);
    expect(at(2020, 6000).monitoringLine).toBe(6000);
  });

  it('reports per-capita income in yuan rounded down to a fen', () => {
    const r = assess(household({ members: [head(), member(), member()], income: income({ wage: 100 }) }));
    expect(r.perCapitaIncome).toBe(33.33);
    expect(r.monitoringLine).toBe(6000);
  });
});

describe('F1 转移性收入占比超过40%', () => {
  it.each<[string, Partial<{ wage: number; business: number; transfer: number }>, boolean]>([
    ['exactly 40 %', { wage: 6000, transfer: 4000 }, false],
    ['just above 40 %', { wage: 5999.99, transfer: 4000.01 }, true],
    ['just below 40 %', { wage: 6000.01, transfer: 3999.99 }, false],
    ['net < 0, transfer 0', { business: -5000, transfer: 0 }, false],
    ['net < 0, transfer 0.01', { business: -5000, transfer: 0.01 }, true],
    ['net = 0, transfer > 0', { business: -100, transfer: 100 }, true],
    ['net = 0, transfer 0', {}, false],
  ])('%s', (_c, inc, expected) => {
    expect(has(household({ income: income(inc) }), 'F1')).toBe(expected);
  });
});

describe('F2 劳动力系数 ≤ 0.5', () => {
  it.each<[string, (Member['labour'] | undefined)[], boolean]>([
    ['one weak/half labourer: 0.5', ['weak_or_half'], true],
    ['two weak/half: 1.0', ['weak_or_half', 'weak_or_half'], false],
    ['no labourer: 0', ['lost', 'none'], true],
    ['weak + lost: 0.5', ['weak_or_half', 'lost'], true],
    ['one ordinary: 1', ['ordinary'], false],
    ['one skilled: 1', ['skilled', 'none'], false],
    ['unknown labour could weigh 1: not triggered', ['weak_or_half', undefined], false],
  ])('%s', (_c, labours, expected) => {
    const members = labours.map((labour, i) => (i === 0 ? head({ labour }) : member({ labour })));
    for (const m of members) if (m.labour === undefined) delete m.labour;
    expect(has(household({ members }), 'F2')).toBe(expected);
  });
});

describe('F3 有劳动力但无产业覆盖、零就业', () => {
  const unemployed = (extra: Partial<Member> = {}) => head({ employed: false, labour: 'ordinary', ...extra });
  it.each<[string, Partial<Household>, boolean]>([
    ['labourer, not covered, nobody employed', { members: [unemployed()], industry: { covered: false } }, true],
    [
      'weak/half labourer counts',
      { members: [unemployed({ labour: 'weak_or_half' })], industry: { covered: false } },
      true,
    ],
    ['covered', { members: [unemployed()], industry: { covered: true } }, false],
    ['coverage unknown', { members: [unemployed()] }, false],
    [
      'someone employed',
      { members: [unemployed(), member({ labour: 'lost', employed: true })], industry: { covered: false } },
      false,
    ],
    ['employment unknown', { members: [unemployed({ employed: undefined })], industry: { covered: false } }, false],
    [
      'no labourer',
      {
        members: [unemployed({ labour: 'lost' }), member({ labour: 'none', employed: false })],
        industry: { covered: false },
      },
      false,
    ],
  ])('%s', (_c, over, expected) => {
    const h = household(over);
    for (const m of h.members) if (m.employed === undefined) delete m.employed;
    expect(has(h, 'F3')).toBe(expected);
  });
});

describe('F4 大病致自付医疗负担过重或丧失主要劳动力', () => {
  const ill = member({ health: 'serious_illness' });
  it.each<[string, Partial<Household>, boolean]>([
    ['self-paid exactly 40 % of net', { members: [head(), ill], expenses: { medicalSelfPaid: 4000 } }, false],
    ['self-paid just above 40 %', { members: [head(), ill], expenses: { medicalSelfPaid: 4000.01 } }, true],
    ['self-paid just below 40 %', { members: [head(), ill], expenses: { medicalSelfPaid: 3999.99 } }, false],
    [
      'no serious illness',
      { members: [head(), member({ health: 'chronic' })], expenses: { medicalSelfPaid: 9000 } },
      false,
    ],
    ['self-paid unknown', { members: [head(), ill] }, false],
    [
      'net 0, self-paid 0.01',
      { members: [head(), ill], income: income({}), expenses: { medicalSelfPaid: 0.01 } },
      true,
    ],
    ['net 0, self-paid 0', { members: [head(), ill], income: income({}), expenses: { medicalSelfPaid: 0 } }, false],
    [
      'net < 0, self-paid 0.01',
      { members: [head(), ill], income: income({ business: -1 }), expenses: { medicalSelfPaid: 0.01 } },
      true,
    ],
    [
      'ill main labourer lost',
      { members: [head(), member({ health: 'serious_illness', mainLabour: true, labour: 'lost' })] },
      true,
    ],
    [
      'ill main labourer not lost',
      { members: [head(), member({ health: 'serious_illness', mainLabour: true, labour: 'weak_or_half' })] },
      false,
    ],
    [
      'lost main labourer not ill',
      { members: [head(), member({ health: 'disabled', mainLabour: true, labour: 'lost' })] },
      false,
    ],
  ])('%s', (_c, over, expected) => {
    expect(has(household(over), 'F4')).toBe(expected);
  });

  it('uses r from the policy', () => {
    const h = household({ members: [head(), ill], expenses: { medicalSelfPaid: 3000.01 } });
    expect(has(h, 'F4', { policy: { ...DEFAULT_POLICY, medicalBurdenRatio: 0.3 } })).toBe(true);
    expect(has(h, 'F4')).toBe(false);
  });
});

describe('F5 2个或以上孩子在非义务教育学段就学', () => {
  const student = (education: Member['education'], inSchool = true) =>
    member({ birthDate: '2004-01-01', education, inSchool, labour: 'none', employed: false });
  const with_ = (...s: Member[]) => household({ members: [head(), ...s] });
  const preschool: AssessmentPolicy = { ...DEFAULT_POLICY, f5CountsPreschool: true };
  it.each<[string, Household, AssessOptions, boolean]>([
    ['two senior high', with_(student('senior_high'), student('secondary_vocational')), {}, true],
    ['one senior high', with_(student('senior_high')), {}, false],
    ['three', with_(student('higher_vocational'), student('undergraduate'), student('postgraduate')), {}, true],
    ['two junior (compulsory)', with_(student('junior'), student('primary')), {}, false],
    ['one of two not in school', with_(student('undergraduate'), student('undergraduate', false)), {}, false],
    ['preschool does not count by default', with_(student('senior_high'), student('preschool')), {}, false],
    [
      'preschool counts when the policy says so',
      with_(student('senior_high'), student('preschool')),
      { policy: preschool },
      true,
    ],
  ])('%s', (_c, h, opts, expected) => {
    expect(has(h, 'F5', opts)).toBe(expected);
  });
});

describe('F6 唯一住房是土坯房 and F7 因不可抗因素发展产业失败', () => {
  it.each<[string, Partial<Household>, string, boolean]>([
    ['only home, mud brick', { housing: { onlyHome: true, structure: 'mud_brick' } }, 'F6', true],
    ['not the only home', { housing: { onlyHome: false, structure: 'mud_brick' } }, 'F6', false],
    ['only home, brick-wood', { housing: { onlyHome: true, structure: 'brick_wood' } }, 'F6', false],
    ['only home unknown', { housing: { structure: 'mud_brick' } }, 'F6', false],
    ['industry failed by force majeure', { industry: { failedDueToForceMajeure: true } }, 'F7', true],
    ['industry not failed', { industry: { failedDueToForceMajeure: false } }, 'F7', false],
    ['industry unknown', {}, 'F7', false],
  ])('%s', (_c, over, code, expected) => {
    expect(has(household(over), code)).toBe(expected);
  });
});

describe('F8 因灾/事故/疫情 within (asOf − 365 days, asOf]', () => {
  const prev = income({ wage: 10_000 }, 2020);
  const shock = (extra: Partial<NonNullable<Household['shocks']>[number]>) => ({
    type: 'disaster' as const,
    date: '2021-01-01',
    ...extra,
  });
  it.each<[string, Partial<Household>, boolean]>([
    ['main labourer lost, in window', { shocks: [shock({ mainLabourLostOrDisabled: true })] }, true],
    [
      'dated asOf − 365 days (2020-06-30): outside',
      { shocks: [shock({ date: '2020-06-30', mainLabourLostOrDisabled: true })] },
      false,
    ],
    ['dated the next day: inside', { shocks: [shock({ date: '2020-07-01', mainLabourLostOrDisabled: true })] }, true],
    ['dated on asOf: inside', { shocks: [shock({ date: AS_OF, mainLabourLostOrDisabled: true })] }, true],
    ['expense exactly 50 % of previous net', { previousIncome: prev, shocks: [shock({ expense: 5000 })] }, true],
    ['expense just below 50 %', { previousIncome: prev, shocks: [shock({ expense: 4999.99 })] }, false],
    ['expense above 50 %', { previousIncome: prev, shocks: [shock({ expense: 5000.01 })] }, true],
    ['previous unknown, expense 0.01', { shocks: [shock({ expense: 0.01 })] }, true],
    ['previous unknown, expense 0', { shocks: [shock({ expense: 0 })] }, false],
    ['previous net 0, expense 0.01', { previousIncome: income({}, 2020), shocks: [shock({ expense: 0.01 })] }, true],
    [
      'previous net < 0, expense 0',
      { previousIncome: income({ business: -5 }, 2020), shocks: [shock({ expense: 0 })] },
      false,
    ],
    ['income drop exactly 0.30', { shocks: [shock({ incomeDropRatio: 0.3 })] }, true],
    ['income drop 0.2999', { shocks: [shock({ incomeDropRatio: 0.2999 })] }, false],
    ['income drop 0.3001', { shocks: [shock({ incomeDropRatio: 0.3001 })] }, true],
    [
      'shock with nothing severe',
      { shocks: [shock({ mainLabourLostOrDisabled: false, incomeDropRatio: 0.1 })] },
      false,
    ],
  ])('%s', (_c, over, expected) => {
    expect(has(household(over), 'F8')).toBe(expected);
  });

  it('counts 365 days across a leap day: asOf 2021-02-28 reaches back to after 2020-02-29', () => {
    const h = (date: string) => household({ shocks: [shock({ date, mainLabourLostOrDisabled: true })] });
    expect(has(h('2020-02-29'), 'F8', { asOf: '2021-02-28' })).toBe(false);
    expect(has(h('2020-03-01'), 'F8', { asOf: '2021-02-28' })).toBe(true);
  });

  it('a shock after asOf is invalid input', () => {
    const r = assessHousehold(household({ shocks: [shock({ date: '2021-07-01', mainLabourLostOrDisabled: true })] }), {
      asOf: AS_OF,
    });
    expect(r.ok ? null : [r.error.code, r.error.field]).toEqual(['invalid_household', 'shocks[0].date']);
  });
});

describe('F9 16周岁以下无法定监护人、60周岁以上无法定赡养人 (ages on 2021-06-30)', () => {
  it.each<[string, Partial<Member>, boolean]>([
    ['16 today, no guardian', { birthDate: '2005-06-30', hasGuardian: false }, true],
    ['16 (17 tomorrow), no guardian', { birthDate: '2004-07-01', hasGuardian: false }, true],
    ['17 today, no guardian', { birthDate: '2004-06-30', hasGuardian: false }, false],
    ['15, has guardian', { birthDate: '2006-01-01', hasGuardian: true }, false],
    ['15, guardian unknown', { birthDate: '2006-01-01' }, false],
    ['60 today, no supporter', { birthDate: '1961-06-30', hasSupporter: false }, true],
    ['59 (60 tomorrow), no supporter', { birthDate: '1961-07-01', hasSupporter: false }, false],
    ['61, no supporter', { birthDate: '1960-01-01', hasSupporter: false }, true],
    ['70, has supporter', { birthDate: '1951-01-01', hasSupporter: true }, false],
    ['40, no guardian and no supporter', { birthDate: '1981-01-01', hasGuardian: false, hasSupporter: false }, false],
  ])('%s', (_c, m, expected) => {
    expect(has(household({ members: [head(), member({ labour: 'none', employed: false, ...m })] }), 'F9')).toBe(
      expected,
    );
  });

  it.each<[string, string, string, boolean]>([
    // Born 29 February: a year older on 1 March in common years (DOMAIN.md §2).
    ['29 Feb 2004, on 2020-02-28: 15', '2004-02-29', '2020-02-28', true],
    ['29 Feb 2004, on 2020-02-29: 16', '2004-02-29', '2020-02-29', true],
    ['29 Feb 2004, on 2021-02-28: still 16', '2004-02-29', '2021-02-28', true],
    ['29 Feb 2004, on 2021-03-01: 17', '2004-02-29', '2021-03-01', false],
  ])('no guardian: %s', (_c, birthDate, asOf, expected) => {
    const h = household({ members: [head(), member({ birthDate, hasGuardian: false, labour: 'none' })] });
    expect(has(h, 'F9', { asOf })).toBe(expected);
  });

  it.each<[string, string, string, boolean]>([
    ['29 Feb 1960, on 2020-02-28: 59', '1960-02-29', '2020-02-28', false],
    ['29 Feb 1960, on 2020-02-29: 60', '1960-02-29', '2020-02-29', true],
    ['born 1961-03-01, on 2021-02-28: 59', '1961-03-01', '2021-02-28', false],
    ['29 Feb 1960, on 2021-02-28: 60', '1960-02-29', '2021-02-28', true],
  ])('no supporter: %s', (_c, birthDate, asOf, expected) => {
    const h = household({ members: [head(), member({ birthDate, hasSupporter: false })] });
    expect(has(h, 'F9', { asOf })).toBe(expected);
  });

  it('takes the age from the ID number when there is no birth date', () => {
    const h = (birth: string) =>
      minimalHousehold({
        income: income({ wage: 10_000 }),
        members: [{ name: '赵一', relation: 'head', idNumber: syntheticIdNumber(1, birth), hasGuardian: false }],
      });
    expect(has(h('2005-06-30'), 'F9')).toBe(true);
    expect(has(h('2004-06-30'), 'F9')).toBe(false);
  });
});

describe('F10 其他特殊原因', () => {
  it('flag with a reason is F10, with the reason as input', () => {
    const r = assess(household({ specialHardship: { flag: true, reason: '家中失火' } }));
    expect(r.features).toContain('F10');
    expect(r.explanation.features.find((f) => f.code === 'F10')?.inputs).toEqual({ reason: '家中失火' });
  });
  it('no flag, no F10', () => {
    expect(has(household({ specialHardship: { flag: false, reason: '' } }), 'F10')).toBe(false);
  });
  it.each(['', '   ', undefined])('a flag without a reason (%p) is invalid input', (reason) => {
    const sh = reason === undefined ? { flag: true } : { flag: true, reason };
    const r = assessHousehold(household({ specialHardship: sh }), { asOf: AS_OF });
    expect(r.ok ? null : [r.error.code, r.error.field]).toEqual(['invalid_household', 'specialHardship.reason']);
  });
});

describe('warnings', () => {
  const child = (extra: Partial<Member>) => member({ labour: 'none', employed: false, ...extra });
  it.each<[string, Partial<Household>, string, boolean]>([
    [
      'aged 6 not in school',
      { members: [head(), child({ birthDate: '2015-06-30', inSchool: false })] },
      'school_dropout',
      true,
    ],
    [
      'aged 5 not in school',
      { members: [head(), child({ birthDate: '2015-07-01', inSchool: false })] },
      'school_dropout',
      false,
    ],
    [
      'aged 15 not in school',
      { members: [head(), child({ birthDate: '2005-07-01', inSchool: false })] },
      'school_dropout',
      true,
    ],
    [
      'aged 16 not in school',
      { members: [head(), child({ birthDate: '2005-06-30', inSchool: false })] },
      'school_dropout',
      false,
    ],
    [
      'aged 10 in school',
      { members: [head(), child({ birthDate: '2011-01-01', inSchool: true })] },
      'school_dropout',
      false,
    ],
    ['aged 10, school unknown', { members: [head(), child({ birthDate: '2011-01-01' })] }, 'school_dropout', false],
    [
      'aged 10 disabled',
      { members: [head(), child({ birthDate: '2011-01-01', inSchool: false, health: 'disabled' })] },
      'school_dropout',
      false,
    ],
    [
      'aged 10 seriously ill',
      { members: [head(), child({ birthDate: '2011-01-01', inSchool: false, health: 'serious_illness' })] },
      'school_dropout',
      false,
    ],
    [
      'aged 10 chronic illness',
      { members: [head(), child({ birthDate: '2011-01-01', inSchool: false, health: 'chronic' })] },
      'school_dropout',
      true,
    ],
    ['grade C', { housing: { safetyGrade: 'C' } }, 'unsafe_housing', true],
    ['grade D', { housing: { safetyGrade: 'D' } }, 'unsafe_housing', true],
    ['grade B', { housing: { safetyGrade: 'B' } }, 'unsafe_housing', false],
    ['unsafe water', { drinkingWaterSafe: false }, 'unsafe_water', true],
    ['safe water', { drinkingWaterSafe: true }, 'unsafe_water', false],
    ['water unknown', {}, 'unsafe_water', false],
    ['not insured', { medicalInsuranceEnrolled: false }, 'no_medical_insurance', true],
    ['insured', { medicalInsuranceEnrolled: true }, 'no_medical_insurance', false],
    [
      'income exactly 70 % of last year',
      { income: income({ wage: 7000 }), previousIncome: income({ wage: 10_000 }, 2020) },
      'income_drop',
      true,
    ],
    [
      'income just above 70 %',
      { income: income({ wage: 7000.01 }), previousIncome: income({ wage: 10_000 }, 2020) },
      'income_drop',
      false,
    ],
    [
      'income just below 70 %',
      { income: income({ wage: 6999.99 }), previousIncome: income({ wage: 10_000 }, 2020) },
      'income_drop',
      true,
    ],
    ['previous net 0', { income: income({ business: -10 }), previousIncome: income({}, 2020) }, 'income_drop', false],
    ['no previous income', { income: income({}) }, 'income_drop', false],
  ])('%s', (_c, over, code, expected) => {
    expect(warned(household(over), code)).toBe(expected);
  });

  it('warnings are not features', () => {
    const r = assess(household({ drinkingWaterSafe: false, income: income({ wage: 100 }) }));
    expect(r.features).toEqual([]);
    expect(r.monitoringObject).toBe(false);
    expect(r.warnings).toEqual(['unsafe_water']);
  });
});

describe('monitoring object and category', () => {
  const poor = { income: income({ wage: 5000 }), housing: { onlyHome: true, structure: 'mud_brick' as const } };
  it.each<[string, Partial<Household>, number, boolean, string | null]>([
    ['none, below, feature → edge', poor, 2021, true, 'edge'],
    [
      'exited, below, feature → unstable_exited',
      { ...poor, povertyStatus: 'exited_poor' },
      2021,
      true,
      'unstable_exited',
    ],
    ['below, no feature', { income: income({ wage: 5000 }) }, 2021, false, null],
    ['feature, not below', { ...poor, income: income({ wage: 6000 }) }, 2021, false, null],
    ['registered poor, below, feature', { ...poor, povertyStatus: 'registered_poor' }, 2021, false, null],
  ])('%s', (_c, over, year, monitored, category) => {
    const r = assess(household({ ...over, income: { ...(over.income ?? income({ wage: 10_000 })), year } }));
    expect(r.monitoringObject).toBe(monitored);
    expect(r.category).toBe(category);
  });

  it('registered_poor says it is already under poverty assistance', () => {
    const r = assess(household({ ...poor, povertyStatus: 'registered_poor' }));
    expect(r.features).toEqual(['F6']);
    expect(r.explanation.zh).toContain('已在脱贫攻坚帮扶范围内');
    expect(r.explanation.en).toContain('already under poverty assistance');
  });

  const sudden = (year: number, over: Partial<Household> = {}) =>
    household({
      income: income({ wage: 20_000 }, year),
      shocks: [{ type: 'accident', date: `${year}-03-01`, mainLabourLostOrDisabled: true }],
      ...over,
    });
  it('2021: above the line with F8 is sudden_hardship and a monitoring object', () => {
    const r = assess(sudden(2021), { asOf: '2021-06-30' });
    expect([r.incomeBelowLine, r.features, r.monitoringObject, r.category]).toEqual([
      false,
      ['F8'],
      true,
      'sudden_hardship',
    ]);
    expect(r.explanation.zh).toContain('突发严重困难户');
  });
  it('2020: the switch is off, so the same household is not monitored', () => {
    const r = assess(sudden(2020), { asOf: '2020-06-30' });
    expect([r.incomeBelowLine, r.features, r.monitoringObject, r.category]).toEqual([false, ['F8'], false, null]);
  });
  it('the switch year is policy', () => {
    const r = assess(sudden(2020), { asOf: '2020-06-30', policy: { ...DEFAULT_POLICY, suddenHardshipFromYear: 2020 } });
    expect(r.category).toBe('sudden_hardship');
  });
  it('exited_poor above the line with F8 in 2021 is sudden_hardship; registered_poor is not', () => {
    expect(assess(sudden(2021, { povertyStatus: 'exited_poor' })).category).toBe('sudden_hardship');
    expect(assess(sudden(2021, { povertyStatus: 'registered_poor' })).monitoringObject).toBe(false);
  });
  it('below the line with F8 in 2021 is edge, not sudden_hardship', () => {
    expect(assess(sudden(2021, { income: income({ wage: 100 }) })).category).toBe('edge');
  });
});

describe('result shape and explanation', () => {
  it('carries id, year, asOf, and explains each feature with its inputs', () => {
    const r = assess(
      household({
        id: 'H-1',
        members: [head({ labour: 'weak_or_half' })],
        income: income({ wage: 1000, transfer: 2000 }),
        specialHardship: { flag: true, reason: '子女重病' },
      }),
    );
    expect(r.householdId).toBe('H-1');
    expect(r.year).toBe(2021);
    expect(r.asOf).toBe(AS_OF);
    expect(r.features).toEqual(['F1', 'F2', 'F10']);
    expect(r.category).toBe('edge');
    expect(r.explanation.features.map((f) => f.code)).toEqual(['F1', 'F2', 'F10']);
    expect(r.explanation.features[0]).toEqual({
      code: 'F1',
      zh: '转移性收入占比超过40%',
      en: expect.any(String),
      inputs: { transfer: 2000, netIncome: 3000, share: 0.4 },
    });
    expect(r.explanation.zh).toContain('人均纯收入3000.00元');
    expect(r.explanation.zh).toContain('监测标准6000.00元');
    expect(r.explanation.en).toContain('3000.00 yuan');
    expect(r.explanation.zh).toContain('边缘易致贫户');
  });

  it('never puts names or ID numbers in the result', () => {
    const r = assessHousehold(
      minimalHousehold({
        income: income({}),
        members: [head({ name: '孙三', hasSupporter: false, birthDate: '1950-01-01' })],
      }),
      {
        asOf: AS_OF,
      },
    );
    expect(JSON.stringify(r)).not.toContain('孙三');
    const withId = assessHousehold(minimalHousehold({ income: income({}) }), { asOf: AS_OF });
    expect(JSON.stringify(withId)).not.toMatch(/[0-9]{17}[0-9X]/);
  });

  it('householdId is null when the household has no id; asOf defaults to today in China', () => {
    const r = assessHousehold(household());
    expect(r.ok && [r.result.householdId, r.result.asOf]).toEqual([null, todayInChina()]);
  });
});

describe('errors', () => {
  it('a year with no configured line is an error naming the year, never a fallback', () => {
    const r = assessHousehold(household({ income: income({ wage: 1 }, 2022) }), { asOf: '2022-06-30' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.error.code, r.error.field]).toEqual(['no_monitoring_line', 'year']);
    expect(r.error.message).toContain('2022');
    expect(r.error.messageZh).toContain('2022');
  });
  it('a line configured by the caller for 2022 is used', () => {
    const policy = { ...DEFAULT_POLICY, monitoringLineFen: { ...DEFAULT_POLICY.monitoringLineFen, 2022: 650_000 } };
    const r = assess(household({ income: income({ wage: 6499.99 }, 2022) }), { asOf: '2022-06-30', policy });
    expect([r.monitoringLine, r.incomeBelowLine]).toEqual([6500, true]);
  });
  it.each<[string, unknown, AssessOptions, string, string]>([
    ['missing income', minimalHousehold(), {}, 'income_required', 'income'],
    ['year other than income.year', household(), { year: 2020 }, 'income_year_mismatch', 'income.year'],
    ['non-integer year', household(), { year: 2021.5 }, 'invalid_year', 'year'],
    ['area code of 9 digits', household({ areaCode: '360731102' }), {}, 'invalid_household', 'areaCode'],
    ['area code outside the 18 counties', household({ areaCode: '360100102203' }), {}, 'invalid_household', 'areaCode'],
    ['not an object', 'nope', {}, 'invalid_household', ''],
    ['bad asOf', household(), { asOf: '2021-02-29' }, 'invalid_as_of', 'asOf'],
    [
      'policy ratio with 5 decimals',
      household(),
      { policy: { ...DEFAULT_POLICY, tolerance: 0.00001 } },
      'invalid_policy',
      'policy.tolerance',
    ],
    [
      'policy line not whole fen',
      household(),
      { policy: { ...DEFAULT_POLICY, monitoringLineFen: { 2021: 600.5 } } },
      'invalid_policy',
      'policy.monitoringLineFen.2021',
    ],
  ])('%s', (_c, input, opts, code, field) => {
    const r = assessHousehold(input, { asOf: AS_OF, ...opts });
    expect(r.ok ? null : [r.error.code, r.error.field]).toEqual([code, field]);
  });
  it('invalid_household lists every issue', () => {
    const r = assessHousehold({ ...household(), areaCode: 'x', povertyStatus: 'rich' }, { asOf: AS_OF });
    expect(r.ok ? [] : r.error.issues?.map((i) => [i.field, i.code])).toEqual([
      ['areaCode', 'not_a_village_code'],
      ['povertyStatus', 'invalid_enum'],
    ]);
  });
});
