import { z } from 'zod';
import { checkPiiConfig, dataServiceConfigSchema, piiConfigSchema } from '@shouwang/kit';

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
  })
  .superRefine(checkPiiConfig);
export type Config = z.output<typeof configSchema>;
