export { SYNTHETIC_DEFAULT_YEAR, generateHouseholds, type SyntheticHouseholdOptions } from './households';
export { IdNumberAllocator } from './id-numbers';
export { Random } from './random';
