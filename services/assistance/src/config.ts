import { z } from 'zod';
import {
  checkClockConfig,
  clockConfigShape,
  consumerGroupConfigShape,
  outboxConfigShape,
  dataServiceConfigSchema,
} from '@shouwang/kit';

/**
 * Everything the assistance service reads from its environment. It keeps no ID numbers (its household
 * projection holds only what eligibility needs), so it has no PII keys.
 */
export const configSchema = dataServiceConfigSchema
  .extend({
    SERVICE_NAME: z.string().default('assistance'),
    ...outboxConfigShape,
    /** Days a department has to deliver a task after it starts, for measures without their own (dueDays). */
    TASK_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    // Kafka consumer group of the identification and warning consumers.
    ...consumerGroupConfigShape('assistance'),
    // Test-only clock (CLOCK_FILE): delivery dates and due dates follow the test platform's clock.
    ...clockConfigShape,
  })
  .superRefine(checkClockConfig);
export type Config = z.output<typeof configSchema>;
