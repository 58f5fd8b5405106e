export { IMPORT_COLUMNS, columnFor, describeType, type CellType, type Column } from './columns';
export { householdRows, templateHeader } from './household-rows';
