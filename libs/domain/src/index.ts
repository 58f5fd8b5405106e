// @shouwang/domain: the pure domain rules of DOMAIN.md, shared by every service and the CLI.
// No I/O and no dependency but zod. Test helpers live in the separate entry ./testing.
export * from './areas';
export * from './household';
export * from './access';
export { ageOn, isValidDate, todayInChina } from './time/dates';
export * from './assessment';
export * from './synthetic';
export * from './spreadsheet';
export * from './identification';
export * from './assistance';
