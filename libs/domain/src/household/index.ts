export * from './enums';
export type { Assets, Expenses, Household, Housing, Income, Industry, Member, Shock, SpecialHardship } from './types';
export {
  birthDateFromIdNumber,
  computeIdChecksum,
  idNumberProblem,
  isValidIdNumber,
  maskIdNumber,
  normaliseIdNumber,
  type IdNumberProblem,
} from './id-number';
export { MAX_AMOUNT_YUAN, netIncomeFen, parseFen, perCapitaIncomeFen, toFen, type MoneyProblem } from './money';
export { ISSUE_CODES, formatPath, type FieldIssue, type IssueCode } from './issues';
export { EARLIEST_DATE, MAX_MEMBERS, createHouseholdSchema, type HouseholdSchema } from './schema';
export { validateHousehold, type ValidationResult } from './validate';
