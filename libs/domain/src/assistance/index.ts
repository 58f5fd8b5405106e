export * from './catalogue';
export * from './eligibility';
export * from './plan';
export * from './tasks';
