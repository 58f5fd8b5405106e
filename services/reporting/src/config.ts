import { z } from 'zod';
import {
  baseConfigSchema,
  grpcServerConfigSchema,
  identityConfigSchema,
  kafkaConfigSchema,
  mongoConfigSchema,
} from '@shouwang/kit';

/** Everything the reporting service reads from its environment. */
export const configSchema = baseConfigSchema
  .extend(grpcServerConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(identityConfigSchema.shape)
  .extend({ SERVICE_NAME: z.string().default('reporting') });
export type Config = z.output<typeof configSchema>;
