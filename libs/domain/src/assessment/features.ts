import type { Health, Labour, Relation } from '../household/enums';
import { toFen } from '../household/money';
import type { Household, Shock } from '../household/types';
import { toBasisPoints, type AssessmentPolicy } from './policy';

// The ten typical features (典型特征) of DOMAIN.md §4, one small pure function each.
// Boundaries follow §2: 超过/低于 exclude the number, 以上/以下 include it. Money is integer fen and
// every ratio is compared by cross-multiplying in basis points, so no float rounding decides a case.
// Absent (unknown) data never triggers a feature: unknown is not "no" (see household/types.ts).

export const FEATURE_CODES = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10'] as const;
export type FeatureCode = (typeof FEATURE_CODES)[number];

/** The Chinese text shown to users with each code, and an English rendering. */
export const FEATURE_TEXT: Readonly<Record<FeatureCode, { zh: string; en: string }>> = Object.freeze({
  F1: { zh: '转移性收入占比超过40%', en: 'transfer income is more than 40% of net income' },
  F2: { zh: '劳动力系数 ≤ 0.5', en: 'labour coefficient is at most 0.5' },
  F3: { zh: '有劳动力但无产业覆盖、零就业', en: 'has labour but no industry support and nobody employed' },
  F4: {
    zh: '大病致自付医疗负担过重或丧失主要劳动力',
    en: 'serious illness causing an excessive self-paid medical burden or loss of a main labourer',
  },
  F5: {
    zh: '2个或以上孩子在非义务教育学段就学',
    en: 'two or more children in non-compulsory education',
  },
  F6: { zh: '唯一住房是土坯房', en: 'the only home is a mud-brick house' },
  F7: { zh: '因不可抗因素发展产业失败', en: 'industry failed due to force majeure' },
  F8: {
    zh: '因灾/事故/疫情致主劳力丧失、致残、重大支出或收入大幅缩减',
    en: 'disaster, accident or epidemic causing loss or disability of a main labourer, a major expense or a large income drop',
  },
  F9: {
    zh: '16周岁以下无法定监护人、60周岁以上无法定赡养人',
    en: 'a member aged 16 or under without a legal guardian, or aged 60 or over without a legal supporter',
  },
  F10: { zh: '其他特殊原因', en: 'other special reasons' },
});

/** A member as the assessment sees it: never the name or ID number, so explanations carry no personal data. */
export interface AssessedMember {
  relation: Relation;
  /** Completed years (周岁) on the as-of date. */
  age: number;
  labour?: Labour;
  mainLabour?: boolean;
  health?: Health;
  education?: Household['members'][number]['education'];
  inSchool?: boolean;
  employed?: boolean;
  hasGuardian?: boolean;
  hasSupporter?: boolean;
}

/** Everything a feature may read, prepared once by assessHousehold. */
export interface FeatureContext {
  household: Household;
  members: readonly AssessedMember[];
  asOf: string;
  policy: AssessmentPolicy;
  /** This year's net income in fen (income is required for an assessment). */
  netFen: number;
  /** Previous year's net income in fen, null when unknown. */
  previousNetFen: number | null;
}

/** The inputs that triggered a feature (yuan for money), or null when it is not present. */
export type FeatureInputs = Record<string, unknown>;
export type FeatureRule = (ctx: FeatureContext) => FeatureInputs | null;

const yuan = (fen: number): number => fen / 100;
const fenOf = (yuanAmount: number | undefined): number | null => (yuanAmount === undefined ? null : toFen(yuanAmount));
const bp = (ratio: number): number => {
  const r = toBasisPoints(ratio);
  if (r === null) throw new RangeError('policy ratio must have at most 4 decimals');
  return r;
};

/** Stable order for lists of triggering members, so the result never depends on member order. */
function canonical<T>(items: T[]): T[] {
  return items
    .map((item) => [JSON.stringify(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}

const F1_TRANSFER_SHARE_BP = 4_000; // 40 %, not a parameter in DOMAIN.md

/** F1: transfer > 0.40 × net income; when net income ≤ 0: transfer > 0. */
export const f1: FeatureRule = ({ household, netFen }) => {
  const transferFen = fenOf(household.income?.transfer) ?? 0;
  const hit = netFen <= 0 ? transferFen > 0 : transferFen * 10_000 > F1_TRANSFER_SHARE_BP * netFen;
  return hit ? { transfer: yuan(transferFen), netIncome: yuan(netFen), share: 0.4 } : null;
};

/** Labour weights of F2 in halves: skilled 1, ordinary 1, weak_or_half 0.5, lost 0, none 0. */
const HALF_WEIGHTS: Readonly<Record<Labour, number>> = { skilled: 2, ordinary: 2, weak_or_half: 1, lost: 0, none: 0 };

/**
 * F2: Σ member labour weights ≤ 0.5. A member whose labour is unknown could carry weight 1, so
 * the feature is only present when every member's labour is known.
 */
export const f2: FeatureRule = ({ members }) => {
  if (members.some((m) => m.labour === undefined)) return null;
  const halves = members.reduce((sum, m) => sum + HALF_WEIGHTS[m.labour as Labour], 0);
  if (halves > 1) return null;
  return { labourCoefficient: halves / 2, labour: canonical(members.map((m) => m.labour as Labour)) };
};

const LABOURERS: ReadonlySet<Labour | undefined> = new Set<Labour | undefined>(['skilled', 'ordinary', 'weak_or_half']);

/**
 * F3: at least one member with labour skilled/ordinary/weak_or_half, industry.covered false and no
 * member employed. Known data only: covered must be false (not absent) and every member's employed
 * must be false (not absent).
 */
export const f3: FeatureRule = ({ household, members }) => {
  const labourers = members.filter((m) => LABOURERS.has(m.labour));
  if (labourers.length === 0) return null;
  if (household.industry?.covered !== false) return null;
  if (!members.every((m) => m.employed === false)) return null;
  return {
    labourers: canonical(labourers.map((m) => ({ relation: m.relation, age: m.age, labour: m.labour }))),
    industryCovered: false,
    employedMembers: 0,
  };
};

/**
 * F4: a member has serious_illness, and (medicalSelfPaid > r × net income, or net income ≤ 0 and
 * medicalSelfPaid > 0, or that member is mainLabour with labour lost).
 */
export const f4: FeatureRule = ({ household, members, policy, netFen }) => {
  const ill = members.filter((m) => m.health === 'serious_illness');
  if (ill.length === 0) return null;
  const medicalFen = fenOf(household.expenses?.medicalSelfPaid);
  const burden =
    medicalFen !== null &&
    (netFen <= 0 ? medicalFen > 0 : medicalFen * 10_000 > bp(policy.medicalBurdenRatio) * netFen);
  const lostMain = ill.filter((m) => m.mainLabour === true && m.labour === 'lost');
  if (!burden && lostMain.length === 0) return null;
  const inputs: FeatureInputs = {
    seriouslyIllMembers: canonical(ill.map((m) => ({ relation: m.relation, age: m.age }))),
  };
  if (burden) {
    inputs.medicalSelfPaid = yuan(medicalFen);
    inputs.netIncome = yuan(netFen);
    inputs.medicalBurdenRatio = policy.medicalBurdenRatio;
  }
  if (lostMain.length > 0)
    inputs.mainLabourLost = canonical(lostMain.map((m) => ({ relation: m.relation, age: m.age })));
  return inputs;
};

const NON_COMPULSORY = new Set([
  'senior_high',
  'secondary_vocational',
  'higher_vocational',
  'undergraduate',
  'postgraduate',
]);

/** F5: ≥ 2 members inSchool at a non-compulsory level (preschool only when the policy says so). */
export const f5: FeatureRule = ({ members, policy }) => {
  const students = members.filter(
    (m) =>
      m.inSchool === true &&
      m.education !== undefined &&
      (NON_COMPULSORY.has(m.education) || (policy.f5CountsPreschool && m.education === 'preschool')),
  );
  if (students.length < 2) return null;
  return { students: canonical(students.map((m) => ({ relation: m.relation, age: m.age, education: m.education }))) };
};

/** F6: housing.onlyHome and structure mud_brick. */
export const f6: FeatureRule = ({ household }) =>
  household.housing?.onlyHome === true && household.housing.structure === 'mud_brick'
    ? { onlyHome: true, structure: 'mud_brick' }
    : null;

/** F7: industry.failedDueToForceMajeure. */
export const f7: FeatureRule = ({ household }) =>
  household.industry?.failedDueToForceMajeure === true ? { failedDueToForceMajeure: true } : null;

/** The date `days` days before a YYYY-MM-DD date. */
export function daysBefore(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * F8: a shock dated after (asOf − 365 days) and on or before asOf, with mainLabourLostOrDisabled,
 * or expense ≥ ratio × previous-year net income (when that is unknown or ≤ 0: expense > 0), or
 * incomeDropRatio ≥ the policy's ratio.
 */
export const f8: FeatureRule = ({ household, asOf, policy, previousNetFen }) => {
  const from = daysBefore(asOf, 365);
  const reasons = (s: Shock): string[] => {
    const out: string[] = [];
    if (s.mainLabourLostOrDisabled === true) out.push('mainLabourLostOrDisabled');
    const expenseFen = fenOf(s.expense);
    if (expenseFen !== null) {
      const major =
        previousNetFen === null || previousNetFen <= 0
          ? expenseFen > 0
          : expenseFen * 10_000 >= bp(policy.f8ExpenseRatio) * previousNetFen;
      if (major) out.push('expense');
    }
    // Both sides are decimals as written (e.g. 0.3), so the float comparison is the decimal one.
    if (s.incomeDropRatio !== undefined && s.incomeDropRatio >= policy.f8IncomeDropRatio) out.push('incomeDropRatio');
    return out;
  };
  const hits = (household.shocks ?? [])
    .filter((s) => s.date > from && s.date <= asOf)
    .map((s) => ({ shock: s, why: reasons(s) }))
    .filter((x) => x.why.length > 0);
  if (hits.length === 0) return null;
  return {
    windowAfter: from,
    windowUntil: asOf,
    previousNetIncome: previousNetFen === null ? null : yuan(previousNetFen),
    shocks: canonical(
      hits.map(({ shock, why }) => ({
        type: shock.type,
        date: shock.date,
        triggeredBy: why,
        ...(shock.mainLabourLostOrDisabled !== undefined && {
          mainLabourLostOrDisabled: shock.mainLabourLostOrDisabled,
        }),
        ...(shock.expense !== undefined && { expense: shock.expense }),
        ...(shock.incomeDropRatio !== undefined && { incomeDropRatio: shock.incomeDropRatio }),
      })),
    ),
  };
};

/** F9: a member aged ≤ 16 with hasGuardian false, or aged ≥ 60 with hasSupporter false. */
export const f9: FeatureRule = ({ members }) => {
  const young = members.filter((m) => m.age <= 16 && m.hasGuardian === false);
  const old = members.filter((m) => m.age >= 60 && m.hasSupporter === false);
  if (young.length === 0 && old.length === 0) return null;
  const inputs: FeatureInputs = {};
  if (young.length > 0)
    inputs.withoutGuardian = canonical(young.map((m) => ({ relation: m.relation, age: m.age, hasGuardian: false })));
  if (old.length > 0)
    inputs.withoutSupporter = canonical(old.map((m) => ({ relation: m.relation, age: m.age, hasSupporter: false })));
  return inputs;
};

/** F10: specialHardship.flag (validation has already refused a flag without a reason). */
export const f10: FeatureRule = ({ household }) =>
  household.specialHardship?.flag === true ? { reason: household.specialHardship.reason ?? '' } : null;

export const FEATURE_RULES: Readonly<Record<FeatureCode, FeatureRule>> = Object.freeze({
  F1: f1,
  F2: f2,
  F3: f3,
  F4: f4,
  F5: f5,
  F6: f6,
  F7: f7,
  F8: f8,
  F9: f9,
  F10: f10,
});
