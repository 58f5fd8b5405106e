import {
  Server,
  ServerCredentials,
  type Metadata,
  type ServerUnaryCall,
  type sendUnaryData,
  type ServiceDefinition,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../logger';
import { AppError, toGrpcError } from '../errors';

export interface CallContext {
  metadata: Metadata;
  /** Absolute deadline set by the caller, or Infinity. */
  deadline: number;
  logger: Logger;
}

export type UnaryHandler<Req, Res> = (request: Req, ctx: CallContext) => Promise<Res>;

/** Handlers of one service, typed by the generated ts-proto server interface. */
export type UnaryHandlers<S> = {
  [K in keyof S as string extends K ? never : K]: S[K] extends (
    call: ServerUnaryCall<infer Req, infer Res>,
    cb: sendUnaryData<infer Res>,
  ) => void
    ? UnaryHandler<Req, Res>
    : never;
};

/**
 * Adapts promise-returning handlers to grpc-js: refuses calls whose deadline already passed, maps
 * AppError to its status (details in trailing metadata) and logs unexpected errors once.
 */
export function unaryService<S>(handlers: UnaryHandlers<S>, logger: Logger): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers) as [string, UnaryHandler<unknown, unknown>][]) {
    impl[name] = (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      const d = call.getDeadline();
      const deadline = d instanceof Date ? d.getTime() : Number(d);
      const ctx: CallContext = { metadata: call.metadata, deadline, logger: logger.child({ rpc: name }) };
      if (deadline <= Date.now()) {
        callback(toGrpcError(new AppError('deadline_exceeded', 'deadline passed before the call started')));
        return;
      }
      const start = Date.now();
      handler(call.request, ctx).then(
        (res) => {
          ctx.logger.debug({ ms: Date.now() - start }, 'rpc ok');
          callback(null, res);
        },
        (err: unknown) => {
          if (!(err instanceof AppError) || err.kind === 'internal') ctx.logger.error({ err }, 'rpc failed');
          else ctx.logger.debug({ ms: Date.now() - start, code: err.code }, 'rpc refused');
          callback(toGrpcError(err));
        },
      );
    };
  }
  return impl;
}

export interface GrpcServerHandle {
  server: Server;
  health: HealthImplementation;
  port: number;
  /** Stops accepting calls, lets in-flight ones finish within the time, then cuts the rest. */
  drain(timeoutMs: number): Promise<void>;
}

/** Starts a gRPC server with the given services and grpc.health.v1 (NOT_SERVING until setServing). */
export async function startGrpcServer(
  port: number,
  services: { definition: ServiceDefinition; implementation: UntypedServiceImplementation }[],
): Promise<GrpcServerHandle> {
  const server = new Server({ 'grpc.max_receive_message_length': 8 * 1024 * 1024 });
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  for (const s of services) server.addService(s.definition, s.implementation);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`0.0.0.0:${port}`, ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    server,
    health,
    port: bound,
    drain: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
