/**
 * The measure catalogue (帮扶措施, DOMAIN.md §8): M1–M10 as data. The assistance service stores it and an
 * administrator may change it (names, departments, causes, conditions, amounts); these are the defaults
 * it starts from. Conditions are codes from a fixed vocabulary (ELIGIBILITY_CONDITIONS, judged by
 * eligibility.ts), so the catalogue stays data while the rules stay code.
 */
import { z } from 'zod';
import { DEPARTMENTS, type Department } from '../access/roles';
import { FEATURE_CODES, type FeatureCode } from '../assessment/features';

export const MEASURE_CODES = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9', 'M10'] as const;
export type MeasureCode = (typeof MEASURE_CODES)[number];

/** Conditions a measure may require of the household (eligibility.ts says what each means). */
export const ELIGIBILITY_CONDITIONS = ['has_labourer', 'single_person_inclusion_member'] as const;
export type EligibilityCondition = (typeof ELIGIBILITY_CONDITIONS)[number];

export interface Measure {
  code: MeasureCode;
  zh: string;
  en: string;
  /** Departments that deliver it: each gets a task. */
  departments: Department[];
  /** Causes (features) it answers; 'all' measures answer any cause. */
  causes: FeatureCode[] | 'all';
  /** All must hold for the household to be eligible. */
  conditions: EligibilityCondition[];
  /** policy (政策帮扶) comes first; insurance (防贫保险兜底) is the backstop, last. */
  kind: 'policy' | 'insurance';
  /** Upper limit of one delivery in yuan, null when the measure has no amount. */
  amountLimitYuan: number | null;
  /** Days a department has to deliver after the task opens before it is flagged overdue; null: the default. */
  dueDays: number | null;
  active: boolean;
}

export const DEFAULT_MEASURES: readonly Measure[] = [
  {
    code: 'M1',
    zh: '产业振兴信贷通（风险补偿金、贴息）',
    en: 'Industry loan with risk fund and interest subsidy',
    departments: ['agriculture', 'finance_office', 'banking_regulator'],
    causes: ['F3', 'F7'],
    conditions: ['has_labourer'],
    kind: 'policy',
    amountLimitYuan: 50_000,
    dueDays: null,
    active: true,
  },
  {
    code: 'M2',
    zh: '产业奖补、龙头企业/合作社带动',
    en: 'Industry award or subsidy, enterprise/co-op linkage',
    departments: ['agriculture'],
    causes: ['F3', 'F7'],
    conditions: ['has_labourer'],
    kind: 'policy',
    amountLimitYuan: 5_000,
    dueDays: null,
    active: true,
  },
  {
    code: 'M3',
    zh: '就业帮扶：技能培训、送岗进村入户、公益性岗位',
    en: 'Employment: training, job matching, public-welfare jobs',
    departments: ['human_resources', 'agriculture'],
    causes: ['F1', 'F2', 'F3'],
    conditions: ['has_labourer'],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: null,
    active: true,
  },
  {
    code: 'M4',
    zh: '医疗保障：大病纳入低保、住院政策范围内报销90%',
    en: 'Medical: dibao for serious illness, 90 % in-policy inpatient reimbursement',
    departments: ['medical_insurance', 'civil_affairs', 'health'],
    causes: ['F4'],
    conditions: [],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: null,
    active: true,
  },
  {
    code: 'M5',
    zh: '兜底保障：低保、临时救助、单人户纳入、延长渐退期',
    en: 'Safety net: dibao, temporary assistance, single-person inclusion, longer phase-out',
    departments: ['civil_affairs'],
    causes: ['F2', 'F8', 'F9'],
    conditions: [],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: null,
    active: true,
  },
  {
    code: 'M6',
    zh: '教育资助（家庭经济困难学生认定）',
    en: 'Education aid (needy student recognition)',
    departments: ['education'],
    causes: ['F5'],
    conditions: [],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: null,
    active: true,
  },
  {
    code: 'M7',
    zh: '防贫保险（县级财政出资）',
    en: 'Anti-poverty insurance (county funded)',
    departments: ['insurer'],
    causes: ['F4', 'F5', 'F7', 'F8'],
    conditions: [],
    kind: 'insurance',
    amountLimitYuan: 300_000,
    dueDays: null,
    active: true,
  },
  {
    code: 'M8',
    zh: '志智双扶：红黑榜、爱心超市积分',
    en: 'Motivation: red/black list, love-supermarket points',
    departments: ['propaganda', 'organisation', 'poverty_office'],
    causes: 'all',
    conditions: [],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: null,
    active: true,
  },
  {
    code: 'M9',
    zh: '社会帮扶（社会扶贫网、百企帮百村）',
    en: 'Social assistance (social poverty-relief network, enterprises helping villages)',
    departments: ['poverty_office', 'federation_of_industry_and_commerce'],
    causes: 'all',
    conditions: [],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: null,
    active: true,
  },
  {
    code: 'M10',
    zh: '住房安全保障（危房改造）',
    en: 'Housing safety renovation',
    departments: ['housing'],
    causes: ['F6'],
    conditions: [],
    kind: 'policy',
    amountLimitYuan: 40_000,
    dueDays: null,
    active: true,
  },
];

export const measureSchema = z.strictObject({
  code: z.enum(MEASURE_CODES),
  zh: z.string().trim().min(1).max(100),
  en: z.string().trim().min(1).max(200),
  departments: z.array(z.enum(DEPARTMENTS)).min(1).max(6),
  causes: z.union([z.literal('all'), z.array(z.enum(FEATURE_CODES)).min(1)]),
  conditions: z.array(z.enum(ELIGIBILITY_CONDITIONS)),
  kind: z.enum(['policy', 'insurance']),
  amountLimitYuan: z.number().positive().max(10_000_000).multipleOf(0.01).nullable(),
  dueDays: z.number().int().min(1).max(365).nullable(),
  active: z.boolean(),
});
