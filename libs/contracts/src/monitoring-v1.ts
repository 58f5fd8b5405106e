// One namespace for the shouwang.monitoring.v1 package, which spans several proto files.
export * from './gen/shouwang/monitoring/v1/monitoring_service';
export { AssessmentRef, Warning } from './gen/shouwang/monitoring/v1/warning';
export {
  CommitmentViolationSignalled,
  WarningRaised,
  WarningResolved,
  WarningStatusChanged,
  WarningUpdated,
} from './gen/shouwang/monitoring/v1/monitoring_events';
