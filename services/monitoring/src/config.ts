import { z } from 'zod';
import {
  checkPiiConfig,
  consumerGroupConfigShape,
  outboxConfigShape,
  dataServiceConfigSchema,
  piiConfigSchema,
} from '@shouwang/kit';

/**
 * Everything the monitoring service reads from its environment. It holds the PII keys because
 * department records name people by ID number: it matches them to households by the same blind index
 * (PII_INDEX_KEY) the registry computes, and keeps the number only encrypted (PII_KEYS).
 */
export const configSchema = dataServiceConfigSchema
  .extend(piiConfigSchema.shape)
  .extend({
    SERVICE_NAME: z.string().default('monitoring'),
    ...outboxConfigShape,
    /** How often an idle replica looks for a re-screening job to run (or one whose runner died). */
    RESCREENING_POLL_MS: z.coerce.number().int().positive().default(2000),
    /** How long a replica owns a running re-screening job without renewing it (renewed every batch). */
    RESCREENING_LEASE_MS: z.coerce.number().int().min(1000).default(30000),
    /** Households re-assessed per batch; the job's checkpoint moves after each batch. */
    RESCREENING_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    /** Households of a batch re-assessed at once (each is its own aggregate; a batch's checkpoint follows the slowest). */
    RESCREENING_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    /**
     * Test-only: pause after each batch, so the resumption test can stop the service mid-job. Never
     * set in deployments.
     */
    RESCREENING_BATCH_PAUSE_MS: z.coerce.number().int().min(0).default(0),
    // Kafka consumer group of the household and feed consumers.
    ...consumerGroupConfigShape('monitoring'),
  })
  .superRefine(checkPiiConfig);
export type Config = z.output<typeof configSchema>;
