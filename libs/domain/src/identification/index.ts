export * from './procedure';
export * from './calendar';
export * from './quota';
export * from './vote';
export * from './workflow-policy';
export * from './exit-review';
