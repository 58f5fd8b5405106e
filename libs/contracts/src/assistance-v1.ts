// One namespace for the shouwang.assistance.v1 package, which spans several proto files.
export * from './gen/shouwang/assistance/v1/assistance_service';
export {
  Delivery,
  ListEntry,
  Measure,
  NotPlanned,
  Plan,
  PlanMeasure,
  PlanProposal,
  PointsEntry,
  Task,
} from './gen/shouwang/assistance/v1/assistance';
export { PlanEvent, TaskEvent } from './gen/shouwang/assistance/v1/assistance_events';
