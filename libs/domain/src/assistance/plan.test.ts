import fc from 'fast-check';
import type { Member } from '../household/types';
import { FEATURE_CODES, type FeatureCode } from '../assessment/features';
import { DEFAULT_MEASURES, measureSchema, type Measure } from './catalogue';
import { hasLabourer, singlePersonInclusion } from './eligibility';
import { generatePlan, proposePlanChange } from './plan';

const START = '2021-07-01';
const AS_OF = '2021-06-15';
const labourer: Member = { name: '甲', relation: 'head', labour: 'ordinary', birthDate: '1980-01-01' };
const noLabour: Member = { name: '乙', relation: 'head', labour: 'lost', birthDate: '1950-01-01' };
const withLabour = { members: [labourer] };
const withoutLabour = { members: [noLabour] };
const codes = (causes: FeatureCode[], h = withLabour) =>
  generatePlan(DEFAULT_MEASURES, causes, h, START, AS_OF).measures.map((m) => m.code);

describe('generatePlan: 缺什么补什么, one cause at a time (DOMAIN.md §8)', () => {
  // Every household gets the 'all' measures M8 and M9 for any cause; the rest follow the table.
  it.each([
    ['F1', withLabour, ['M3', 'M8', 'M9']],
    ['F1', withoutLabour, ['M8', 'M9']],
    ['F2', withLabour, ['M3', 'M5', 'M8', 'M9']],
    ['F2', withoutLabour, ['M5', 'M8', 'M9']],
    ['F3', withLabour, ['M1', 'M2', 'M3', 'M8', 'M9']],
    ['F4', withoutLabour, ['M4', 'M8', 'M9', 'M7']],
    ['F5', withoutLabour, ['M6', 'M8', 'M9', 'M7']],
    ['F6', withoutLabour, ['M8', 'M9', 'M10']],
    ['F7', withLabour, ['M1', 'M2', 'M8', 'M9', 'M7']],
    ['F7', withoutLabour, ['M8', 'M9', 'M7']],
    ['F8', withoutLabour, ['M5', 'M8', 'M9', 'M7']],
    ['F9', withoutLabour, ['M5', 'M8', 'M9']],
    ['F10', withoutLabour, ['M8', 'M9']],
  ] as const)('%s (%#)', (cause, household, expected) => {
    expect(codes([cause], household)).toEqual(expected);
  });

  it('puts the insurance backstop last, policy measures first in code order', () => {
    expect(codes(['F4', 'F6', 'F3'])).toEqual(['M1', 'M2', 'M3', 'M4', 'M8', 'M9', 'M10', 'M7']);
  });

  it('says which measures the conditions ruled out, and why', () => {
    const plan = generatePlan(DEFAULT_MEASURES, ['F3'], withoutLabour, START, AS_OF);
    expect(plan.notPlanned).toEqual([
      { code: 'M1', unmet: ['has_labourer'] },
      { code: 'M2', unmet: ['has_labourer'] },
      { code: 'M3', unmet: ['has_labourer'] },
    ]);
  });

  it('starts every measure on the policy start date and says which causes it answers', () => {
    const plan = generatePlan(DEFAULT_MEASURES, ['F4', 'F8'], withoutLabour, START, AS_OF);
    expect(plan.measures.every((m) => m.startsOn === START)).toBe(true);
    expect(plan.measures.find((m) => m.code === 'M7')!.answers).toEqual(['F4', 'F8']);
    expect(plan.measures.find((m) => m.code === 'M8')!.answers).toEqual(['F4', 'F8']);
  });

  it('leaves out inactive measures, and plans nothing without causes', () => {
    const catalogue: Measure[] = DEFAULT_MEASURES.map((m) => (m.code === 'M4' ? { ...m, active: false } : m));
    expect(generatePlan(catalogue, ['F4'], withoutLabour, START, AS_OF).measures.map((m) => m.code)).toEqual([
      'M8',
      'M9',
      'M7',
    ]);
    expect(codes([])).toEqual([]);
  });

  it('every default measure passes the catalogue schema', () => {
    for (const m of DEFAULT_MEASURES) expect(measureSchema.safeParse(m).success).toBe(true);
  });

  const causesArb = fc.uniqueArray(fc.constantFrom(...FEATURE_CODES));
  it('insurance never comes before a policy measure; order of causes never matters', () => {
    fc.assert(
      fc.property(causesArb, fc.boolean(), (causes, labour) => {
        const h = labour ? withLabour : withoutLabour;
        const plan = generatePlan(DEFAULT_MEASURES, causes, h, START, AS_OF).measures;
        const firstInsurance = plan.findIndex((m) => m.kind === 'insurance');
        if (firstInsurance >= 0) expect(plan.slice(firstInsurance).every((m) => m.kind === 'insurance')).toBe(true);
        expect(codes([...causes].reverse(), h)).toEqual(plan.map((m) => m.code));
      }),
    );
  });
  it('more causes never drop a measure', () => {
    fc.assert(
      fc.property(causesArb, causesArb, (a, b) => {
        const more = codes([...new Set([...a, ...b])]);
        for (const c of codes(a)) expect(more).toContain(c);
      }),
    );
  });
});

describe('eligibility', () => {
  it.each([
    ['skilled', true],
    ['ordinary', true],
    ['weak_or_half', true],
    ['lost', false],
    ['none', false],
  ] as const)('a member with labour %s is a labourer: %s', (labour, expected) => {
    expect(hasLabourer({ members: [{ name: '甲', relation: 'head', labour }] })).toBe(expected);
  });

  it.each([
    ['aged exactly 60', { birthDate: '1961-06-15' }, true],
    ['aged 59 (a day short of 60)', { birthDate: '1961-06-16' }, false],
    ['aged 17', { birthDate: '2004-06-16' }, true],
    ['aged exactly 18', { birthDate: '2003-06-15' }, false],
    ['seriously ill', { health: 'serious_illness' as const, birthDate: '1980-01-01' }, true],
    ['disabled grade 2', { health: 'disabled' as const, disabilityGrade: 2 as const, birthDate: '1980-01-01' }, true],
    ['disabled grade 3', { health: 'disabled' as const, disabilityGrade: 3 as const, birthDate: '1980-01-01' }, false],
  ])('single-person inclusion: %s → %s', (_name, m, expected) => {
    expect(singlePersonInclusion({ name: '甲', relation: 'head', ...m }, '2021-06-15')).toBe(expected);
  });
});

describe('proposePlanChange', () => {
  it('proposes the measures of a new cause and drops those whose causes went away', () => {
    const current = codes(['F6'], withoutLabour); // M8 M9 M10
    expect(proposePlanChange(DEFAULT_MEASURES, current, ['F4'], withoutLabour, AS_OF)).toEqual({
      add: ['M4', 'M7'],
      drop: ['M10'],
    });
  });
  it('proposes nothing when the causes call for the same measures', () => {
    const current = codes(['F4'], withoutLabour);
    expect(proposePlanChange(DEFAULT_MEASURES, current, ['F4'], withoutLabour, AS_OF)).toEqual({ add: [], drop: [] });
  });
});
