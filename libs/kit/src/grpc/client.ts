import { credentials, Metadata, type Client, type ServiceError, type CallOptions } from '@grpc/grpc-js';
import { fromGrpcError } from '../errors';

type Callback<Res> = (err: ServiceError | null, res: Res) => void;
/** The callback-style unary method shape ts-proto generates on clients (its last overload). */
type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  cb: Callback<Res>,
) => unknown;
type UnaryOf<F> = F extends (...args: infer A) => unknown
  ? A extends [infer Req, Metadata, Partial<CallOptions>, (err: ServiceError | null, res: infer Res) => void]
    ? [Req, Res]
    : never
  : never;

/** Promise-returning view of a generated client; every call carries a deadline. */
export type PromiseClient<C> = {
  [K in keyof C as [UnaryOf<C[K]>] extends [never] ? never : K]: (
    req: UnaryOf<C[K]>[0],
    opts?: { metadata?: Metadata; deadlineMs?: number },
  ) => Promise<UnaryOf<C[K]>[1]>;
};

export interface GrpcClientHandle<C> {
  call: PromiseClient<C>;
  raw: C;
  close(): void;
}

/**
 * Wraps a ts-proto client constructor: each call gets a deadline (default deadlineMs) and server
 * errors come back as the AppError the service threw.
 */
export function createGrpcClient<C extends Client>(
  Ctor: new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: object) => C,
  address: string,
  deadlineMs: number,
): GrpcClientHandle<C> {
  const raw = new Ctor(address, credentials.createInsecure(), {
    'grpc.keepalive_time_ms': 30000,
    'grpc.enable_retries': 1,
  });
  const call = new Proxy({} as PromiseClient<C>, {
    get(_t, method: string) {
      return (req: unknown, opts: { metadata?: Metadata; deadlineMs?: number } = {}) =>
        new Promise((resolve, reject) => {
          const fn = (raw as unknown as Record<string, UnaryMethod<unknown, unknown>>)[method];
          if (typeof fn !== 'function') return reject(new Error(`no gRPC method ${method}`));
          fn.call(
            raw,
            req,
            opts.metadata ?? new Metadata(),
            { deadline: Date.now() + (opts.deadlineMs ?? deadlineMs) },
            (err: ServiceError | null, res: unknown) => (err ? reject(fromGrpcError(err)) : resolve(res)),
          );
        });
    },
  });
  return { call, raw, close: () => raw.close() };
}
