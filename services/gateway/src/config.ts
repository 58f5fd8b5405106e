import { z } from 'zod';
import { baseConfigSchema, redisConfigSchema } from '@shouwang/kit';

const grpcAddress = z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port');

/** Everything the gateway reads from its environment. */
export const configSchema = baseConfigSchema.extend(redisConfigSchema.shape).extend({
  SERVICE_NAME: z.string().default('gateway'),
  IDENTIFICATION_GRPC_ADDR: grpcAddress,
  REPORTING_GRPC_ADDR: grpcAddress,
  /** Deadline for every gRPC call the gateway makes. */
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
  /** Largest accepted JSON body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1048576),
});
export type Config = z.output<typeof configSchema>;
