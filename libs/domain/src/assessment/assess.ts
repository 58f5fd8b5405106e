import { birthDateFromIdNumber } from '../household/id-number';
import type { FieldIssue } from '../household/issues';
import { netIncomeFen } from '../household/money';
import type { Household } from '../household/types';
import { validateHousehold } from '../household/validate';
import { ageOn, isValidDate, todayInChina } from '../time/dates';
import {
  FEATURE_CODES,
  FEATURE_RULES,
  FEATURE_TEXT,
  type AssessedMember,
  type FeatureCode,
  type FeatureContext,
  type FeatureInputs,
} from './features';
import { DEFAULT_POLICY, policyProblem, toBasisPoints, type AssessmentPolicy } from './policy';
import { WARNING_CODES, WARNING_RULES, WARNING_TEXT, type WarningCode } from './warnings';

// The assessment (预警监测) of DOMAIN.md §4. Pure: no I/O, no clock except the default as-of date.

export type AssessmentCategory = 'edge' | 'unstable_exited' | 'sudden_hardship';

export type AssessmentErrorCode =
  | 'invalid_household'
  | 'income_required'
  | 'income_year_mismatch'
  | 'no_monitoring_line'
  | 'invalid_year'
  | 'invalid_as_of'
  | 'invalid_policy';

export interface AssessmentError {
  code: AssessmentErrorCode;
  /** The field at fault ('' for the household itself), e.g. 'income', 'members[0].idNumber', 'year'. */
  field: string;
  /** English, for logs and developers; never carries personal data. */
  message: string;
  /** Chinese, for officers. */
  messageZh: string;
  /** For invalid_household: every problem validateHousehold found. */
  issues?: FieldIssue[];
}

export interface ExplainedItem<C extends string> {
  code: C;
  zh: string;
  en: string;
  /** The inputs that triggered it (money in yuan, members without names or ID numbers). */
  inputs: FeatureInputs;
}

export interface AssessmentResult {
  householdId: string | null;
  year: number;
  asOf: string;
  /** L(Y) in yuan. */
  monitoringLine: number;
  /** The tolerance t used: the household is below the line when per-capita < L × (1 + t). */
  tolerance: number;
  /** Per-capita net income in yuan: net income in fen ÷ members, rounded down to a whole fen. */
  perCapitaIncome: number;
  incomeBelowLine: boolean;
  /** Present features, in numeric order (F2 before F10), each once. */
  features: FeatureCode[];
  monitoringObject: boolean;
  category: AssessmentCategory | null;
  /** Raised warnings in the order of WARNING_CODES. */
  warnings: WarningCode[];
  explanation: {
    zh: string;
    en: string;
    features: ExplainedItem<FeatureCode>[];
    warnings: ExplainedItem<WarningCode>[];
  };
}

export type AssessmentOutcome = { ok: true; result: AssessmentResult } | { ok: false; error: AssessmentError };

export interface AssessOptions {
  /** Year Y; default income.year. Must equal income.year (the income assessed is that year's). */
  year?: number;
  /** YYYY-MM-DD; default today in China. Ages and F8's window are taken on this date. */
  asOf?: string;
  /** Default DEFAULT_POLICY. */
  policy?: AssessmentPolicy;
}

const fail = (code: AssessmentErrorCode, field: string, message: string, messageZh: string): AssessmentOutcome => ({
  ok: false,
  error: { code, field, message, messageZh },
});

const fmt = (yuan: number): string => yuan.toFixed(2);

/**
 * Whether per-capita income < L × (1 + t), decided exactly with no rounding at all:
 * net ÷ n < L × (10 000 + tBp) ÷ 10 000 ⇔ net × 10 000 < L × (10 000 + tBp) × n, all integers
 * (fen, basis points, member count) far below 2^53.
 */
export function isBelowLine(netFen: number, memberCount: number, lineFen: number, toleranceBp: number): boolean {
  return netFen * 10_000 < lineFen * (10_000 + toleranceBp) * memberCount;
}

/** Assesses one household for year Y as of a date under a policy (DOMAIN.md §4). */
export function assessHousehold(input: unknown, opts: AssessOptions = {}): AssessmentOutcome {
  const policy = opts.policy ?? DEFAULT_POLICY;
  const problem = policyProblem(policy);
  if (problem)
    return fail(
      'invalid_policy',
      problem.field,
      `The policy is invalid: ${problem.field} ${problem.message}`,
      '监测政策参数无效',
    );
  const asOf = opts.asOf ?? todayInChina();
  if (!isValidDate(asOf))
    return fail(
      'invalid_as_of',
      'asOf',
      'asOf must be a real date written YYYY-MM-DD',
      '核查日期必须是有效日期，格式为YYYY-MM-DD',
    );

  const validated = validateHousehold(input, { asOf });
  if (!validated.ok) {
    const first = validated.issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid_household',
        field: first.field,
        message: `Invalid household: ${first.message}`,
        messageZh: `户信息有误：${first.messageZh}`,
        issues: validated.issues,
      },
    };
  }
  const household: Household = validated.value;
  if (household.income === undefined)
    return fail(
      'income_required',
      'income',
      'The household has no income record, so per-capita income cannot be computed',
      '缺少本年收入，无法计算人均纯收入',
    );

  const year = opts.year ?? household.income.year;
  if (!Number.isInteger(year)) return fail('invalid_year', 'year', 'The year must be a whole number', '年份必须是整数');
  if (year !== household.income.year)
    return fail(
      'income_year_mismatch',
      'income.year',
      `The income record is for ${household.income.year}, not the assessed year ${year}`,
      `收入年份为${household.income.year}年，与评估年份${year}年不一致`,
    );
  const lineFen = Object.prototype.hasOwnProperty.call(policy.monitoringLineFen, year)
    ? policy.monitoringLineFen[year]
    : undefined;
  if (lineFen === undefined)
    return fail(
      'no_monitoring_line',
      'year',
      `No monitoring line is configured for ${year}`,
      `未配置${year}年的监测标准`,
    );

  const members: AssessedMember[] = household.members.map((m) => {
    // Validation guarantees a birth date or a valid ID number, agreeing when both are given, on or before asOf.
    const birth = m.birthDate ?? (birthDateFromIdNumber(m.idNumber as string) as string);
    const { name: _name, idNumber: _id, birthDate: _b, disabilityGrade: _g, ...rest } = m;
    return { ...rest, age: ageOn(birth, asOf) };
  });
  const netFen = netIncomeFen(household.income);
  const previousNetFen = household.previousIncome === undefined ? null : netIncomeFen(household.previousIncome);
  const ctx: FeatureContext = { household, members, asOf, policy, netFen, previousNetFen };

  const explainedFeatures: ExplainedItem<FeatureCode>[] = [];
  for (const code of FEATURE_CODES) {
    const inputs = FEATURE_RULES[code](ctx);
    if (inputs) explainedFeatures.push({ code, ...FEATURE_TEXT[code], inputs });
  }
  const explainedWarnings: ExplainedItem<WarningCode>[] = [];
  for (const code of WARNING_CODES) {
    const inputs = WARNING_RULES[code](ctx);
    if (inputs) explainedWarnings.push({ code, ...WARNING_TEXT[code], inputs });
  }
  const features = explainedFeatures.map((f) => f.code);

  const n = household.members.length;
  const toleranceBp = toBasisPoints(policy.tolerance) as number; // checked by policyProblem
  const incomeBelowLine = isBelowLine(netFen, n, lineFen, toleranceBp);
  const perCapitaFen = Math.floor(netFen / n);
  const suddenOn = policy.suddenHardshipFromYear !== null && year >= policy.suddenHardshipFromYear;

  let category: AssessmentCategory | null = null;
  if (household.povertyStatus !== 'registered_poor') {
    if (incomeBelowLine && features.length > 0)
      category = household.povertyStatus === 'exited_poor' ? 'unstable_exited' : 'edge';
    else if (!incomeBelowLine && suddenOn && features.includes('F8')) category = 'sudden_hardship';
  }

  const line = lineFen / 100;
  const perCapita = perCapitaFen / 100;
  const threshold = policy.tolerance === 0 ? '' : ` × (1 + ${policy.tolerance})`;
  const zh: string[] = [
    `${year}年人均纯收入${fmt(perCapita)}元（家庭纯收入${fmt(netFen / 100)}元 ÷ ${n}人），监测标准${fmt(line)}元${threshold}，${incomeBelowLine ? '低于' : '不低于'}监测标准。`,
    features.length > 0
      ? `具有典型特征：${explainedFeatures.map((f) => `${f.code} ${f.zh}`).join('；')}。`
      : '不具有典型特征。',
  ];
  const en: string[] = [
    `Per-capita net income for ${year} is ${fmt(perCapita)} yuan (net income ${fmt(netFen / 100)} yuan ÷ ${n} members); the monitoring line is ${fmt(line)} yuan${threshold}, so income is ${incomeBelowLine ? 'below' : 'not below'} the line.`,
    features.length > 0
      ? `Features: ${explainedFeatures.map((f) => `${f.code} ${f.en}`).join('; ')}.`
      : 'No typical feature is present.',
  ];
  if (household.povertyStatus === 'registered_poor') {
    zh.push('该户为建档立卡未脱贫户，已在脱贫攻坚帮扶范围内，不纳入防返贫监测对象。');
    en.push('The household is registered poor and already under poverty assistance, so it is not a monitoring object.');
  } else if (category === 'unstable_exited') {
    zh.push('人均纯收入低于监测标准且具有典型特征，纳入监测对象：脱贫不稳定户。');
    en.push(
      'Income below the line with at least one feature: monitoring object, unstable exited household (脱贫不稳定户).',
    );
  } else if (category === 'edge') {
    zh.push('人均纯收入低于监测标准且具有典型特征，纳入监测对象：边缘易致贫户。');
    en.push(
      'Income below the line with at least one feature: monitoring object, edge household at risk of poverty (边缘易致贫户).',
    );
  } else if (category === 'sudden_hardship') {
    zh.push('人均纯收入不低于监测标准，但因灾/事故/疫情出现严重困难（F8），纳入监测对象：突发严重困难户。');
    en.push(
      'Income is not below the line but F8 applies: monitoring object, household in sudden severe hardship (突发严重困难户).',
    );
  } else {
    zh.push('不纳入监测对象。');
    en.push('Not a monitoring object.');
  }
  if (explainedWarnings.length > 0) {
    zh.push(`监测预警：${explainedWarnings.map((w) => w.zh).join('；')}。`);
    en.push(`Warnings: ${explainedWarnings.map((w) => w.en).join('; ')}.`);
  }

  return {
    ok: true,
    result: {
      householdId: household.id ?? null,
      year,
      asOf,
      monitoringLine: line,
      tolerance: policy.tolerance,
      perCapitaIncome: perCapita,
      incomeBelowLine,
      features,
      monitoringObject: category !== null,
      category,
      warnings: explainedWarnings.map((w) => w.code),
      explanation: { zh: zh.join(''), en: en.join(' '), features: explainedFeatures, warnings: explainedWarnings },
    },
  };
}
