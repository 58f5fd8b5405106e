import { z } from 'zod';
import { consumerGroupConfigShape, dataServiceConfigSchema } from '@shouwang/kit';

/** Everything the reporting service reads from its environment. */
export const configSchema = dataServiceConfigSchema.extend({
  SERVICE_NAME: z.string().default('reporting'),
  ...consumerGroupConfigShape('reporting'),
});
export type Config = z.output<typeof configSchema>;
