/** @shouwang/kit — what every service repeats, written once. Telemetry: import '@shouwang/kit/telemetry'. */
export * from './config';
export * from './errors';
export * from './identity';
export * from './logger';
export * from './readiness';
export * from './service';
export * from './infra/mongo';
export * from './infra/redis';
export * from './infra/kafka';
export * from './grpc/server';
export * from './grpc/client';
export * from './http/ops';
export * from './events/envelope';
export * from './events/outbox';
export * from './events/consumer';
export * from './events/dlq';
