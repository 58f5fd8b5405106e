/**
 * @shouwang/contracts — TypeScript generated from proto/ (npm run generate) plus the catalogue of
 * topics and event types. Every service imports its wire types from here and nowhere else.
 */
export * as householdV1 from './gen/shouwang/household/v1/household';
export * as identificationV1 from './identification-v1';
export * as reportingV1 from './gen/shouwang/reporting/v1/reporting_service';
export * as auditV1 from './gen/shouwang/audit/v1/audit_service';
export * as eventsV1 from './gen/shouwang/events/v1/envelope';
export * as feedV1 from './feed-v1';
export * as monitoringV1 from './monitoring-v1';
export * as assistanceV1 from './assistance-v1';
export * from './events';
export { householdJson } from './household-json';
