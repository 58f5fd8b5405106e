import type { FeatureContext, FeatureInputs } from './features';
import { toBasisPoints } from './policy';

// Monitoring content (监测内容) that raises warnings but is not a feature (DOMAIN.md §4).

export const WARNING_CODES = [
  'school_dropout',
  'unsafe_housing',
  'unsafe_water',
  'no_medical_insurance',
  'income_drop',
] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export const WARNING_TEXT: Readonly<Record<WarningCode, { zh: string; en: string }>> = Object.freeze({
  school_dropout: {
    zh: '义务教育阶段适龄人口失学辍学（除身体原因）',
    en: 'a member aged 6–15 is not in school (not for health reasons)',
  },
  unsafe_housing: { zh: '住房安全等级为C级或D级', en: 'housing safety grade is C or D' },
  unsafe_water: { zh: '饮水不安全', en: 'drinking water is not safe' },
  no_medical_insurance: { zh: '未参加基本医疗保险', en: 'not enrolled in basic medical insurance' },
  income_drop: { zh: '家庭纯收入较上年大幅下降', en: "net income fell to 70% or less of the previous year's" },
});

export type WarningRule = (ctx: FeatureContext) => FeatureInputs | null;

/** A member aged 6–15 (both included) with inSchool false, unless disabled or seriously ill. */
const schoolDropout: WarningRule = ({ members }) => {
  const out = members
    .filter(
      (m) =>
        m.age >= 6 && m.age <= 15 && m.inSchool === false && m.health !== 'disabled' && m.health !== 'serious_illness',
    )
    .map((m) => ({ relation: m.relation, age: m.age, inSchool: false }))
    .sort((a, b) => a.age - b.age || (a.relation < b.relation ? -1 : a.relation > b.relation ? 1 : 0));
  return out.length > 0 ? { members: out } : null;
};

const unsafeHousing: WarningRule = ({ household }) => {
  const g = household.housing?.safetyGrade;
  return g === 'C' || g === 'D' ? { safetyGrade: g } : null;
};

const unsafeWater: WarningRule = ({ household }) =>
  household.drinkingWaterSafe === false ? { drinkingWaterSafe: false } : null;

const noMedicalInsurance: WarningRule = ({ household }) =>
  household.medicalInsuranceEnrolled === false ? { medicalInsuranceEnrolled: false } : null;

/** Previous-year net income > 0 and this year's ≤ ratio × it (ratio 0.70 by default). */
const incomeDrop: WarningRule = ({ netFen, previousNetFen, policy }) => {
  if (previousNetFen === null || previousNetFen <= 0) return null;
  const ratioBp = toBasisPoints(policy.incomeDropWarningRatio);
  if (ratioBp === null) throw new RangeError('policy ratio must have at most 4 decimals');
  if (netFen * 10_000 > ratioBp * previousNetFen) return null;
  return { netIncome: netFen / 100, previousNetIncome: previousNetFen / 100, ratio: policy.incomeDropWarningRatio };
};

export const WARNING_RULES: Readonly<Record<WarningCode, WarningRule>> = Object.freeze({
  school_dropout: schoolDropout,
  unsafe_housing: unsafeHousing,
  unsafe_water: unsafeWater,
  no_medical_insurance: noMedicalInsurance,
  income_drop: incomeDrop,
});
