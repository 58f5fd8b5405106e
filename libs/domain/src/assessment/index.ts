export {
  assessHousehold,
  isBelowLine,
  type AssessOptions,
  type AssessmentCategory,
  type AssessmentError,
  type AssessmentErrorCode,
  type AssessmentOutcome,
  type AssessmentResult,
  type ExplainedItem,
} from './assess';
export {
  FEATURE_CODES,
  FEATURE_RULES,
  FEATURE_TEXT,
  daysBefore,
  f1,
  f2,
  f3,
  f4,
  f5,
  f6,
  f7,
  f8,
  f9,
  f10,
  type AssessedMember,
  type FeatureCode,
  type FeatureContext,
  type FeatureInputs,
  type FeatureRule,
} from './features';
export { DEFAULT_POLICY, policyProblem, toBasisPoints, type AssessmentPolicy } from './policy';
export { WARNING_CODES, WARNING_RULES, WARNING_TEXT, type WarningCode, type WarningRule } from './warnings';
