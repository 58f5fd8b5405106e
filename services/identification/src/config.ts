import { z } from 'zod';
import { checkPiiConfig, consumerGroupConfigShape, dataServiceConfigSchema, piiConfigSchema } from '@shouwang/kit';

/** Everything the identification service reads from its environment. */
export const configSchema = dataServiceConfigSchema
  .extend(piiConfigSchema.shape)
  .extend({
    SERVICE_NAME: z.string().default('identification'),
    /** How often the outbox relay looks for unpublished events when it was not woken by a write. */
    OUTBOX_POLL_MS: z.coerce.number().int().positive().default(500),
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
    /**
     * Test-only: a file holding an ISO timestamp that is "now" for the workflows (read on every use;
     * no file = real time), so integration tests can step past notice end dates and due dates.
     * Refused when NODE_ENV=production.
     */
    CLOCK_FILE: z.string().min(1).optional(),
    NODE_ENV: z.string().optional(),
    // Consumer group of the commitment-violation signals from monitoring.
    ...consumerGroupConfigShape('identification'),
  })
  .superRefine(checkPiiConfig)
  .superRefine((c, ctx) => {
    if (c.CLOCK_FILE && c.NODE_ENV === 'production')
      ctx.addIssue({ code: 'custom', path: ['CLOCK_FILE'], message: 'must not be set when NODE_ENV=production' });
  });
export type Config = z.output<typeof configSchema>;
