/** @shouwang/devstack — runs the platform locally: used by `npm start` and the integration tests. */
export * from './infra-env';
export * from './service-process';
export * from './platform';
export * from './scratch-database';
