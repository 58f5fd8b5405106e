// Test support for @shouwang/domain: synthetic ID numbers, builders and fast-check arbitraries.
// A separate entry (not re-exported from ../index.ts) so production code never pulls in fast-check.
export { syntheticIdNumber } from './ids';
export { EXAMPLE_VILLAGE, minimalHousehold } from './builders';
export { DEFAULT_ARB_AS_OF, arbDate, arbHousehold, arbYuan } from './arbitraries';
