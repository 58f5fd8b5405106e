import { z } from 'zod';
import {
  checkClockConfig,
  checkPiiConfig,
  clockConfigShape,
  consumerGroupConfigShape,
  outboxConfigShape,
  dataServiceConfigSchema,
  piiConfigSchema,
} from '@shouwang/kit';

/** Everything the identification service reads from its environment. */
export const configSchema = dataServiceConfigSchema
  .extend(piiConfigSchema.shape)
  .extend({
    SERVICE_NAME: z.string().default('identification'),
    ...outboxConfigShape,
    /**
     * Test-only fault injection for the outbox crash tests: the process SIGKILLs itself right after
     * the database write (before the event is published) or right after a publish (before the outbox
     * entry is removed). Never set in deployments.
     */
    FAULT_INJECTION: z.enum(['crash-after-write', 'crash-after-publish']).optional(),
    /** Monitoring's gRPC address: approvals read the household's current assessment (category, causes). */
    MONITORING_GRPC_ADDR: z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port'),
    /** Deadline for every gRPC call this service makes. */
    GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
    // Test-only clock (CLOCK_FILE).
    ...clockConfigShape,
    // Consumer group of the commitment-violation signals from monitoring.
    ...consumerGroupConfigShape('identification'),
  })
  .superRefine(checkPiiConfig)
  .superRefine(checkClockConfig);
export type Config = z.output<typeof configSchema>;
