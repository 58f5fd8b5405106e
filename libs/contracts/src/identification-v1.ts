// One namespace for the shouwang.identification.v1 package, which spans several proto files.
export * from './gen/shouwang/identification/v1/identification_service';
export { HouseholdRegistered, HouseholdUpdated } from './gen/shouwang/identification/v1/household_events';
