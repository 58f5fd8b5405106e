import { z } from 'zod';
import { baseConfigSchema, identityConfigSchema, mongoConfigSchema, redisConfigSchema } from '@shouwang/kit';

const grpcAddress = z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port');
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Everything the gateway reads from its environment. */
export const configSchema = baseConfigSchema
  .extend(redisConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(identityConfigSchema.shape)
  .extend({
    SERVICE_NAME: z.string().default('gateway'),
    IDENTIFICATION_GRPC_ADDR: grpcAddress,
    REPORTING_GRPC_ADDR: grpcAddress,
    MONITORING_GRPC_ADDR: grpcAddress,
    ASSISTANCE_GRPC_ADDR: grpcAddress,
    /** Deadline for every gRPC call the gateway makes. */
    GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5000),
    /** Largest accepted JSON body, in bytes. */
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1048576),
    // Bulk-import uploads are streamed to a temporary file, never held in memory; 100 000 households fit in ~60 MB of CSV.
    IMPORT_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(512 * 1024 * 1024),
    /** Ed25519 signing keys "kid:<base64 PKCS#8 DER>,…" (a Kubernetes secret in production). */
    JWT_SIGNING_KEYS: z.string().min(1),
    /** The key id that signs new tokens; the others only verify (rotation). */
    JWT_ACTIVE_KID: z.string().min(1),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(300).default(28800),
    /** Browser origins allowed to call the API cross-origin (comma-separated); empty = same origin only. */
    CORS_ORIGINS: csv.default([]),
    /** Requests per user per minute (per IP: twice that). */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    /** Sign-in attempts per client IP per minute (password guessing across accounts). */
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
    /**
     * Where to object to a public notice (公示), printed on it: an office, never a person's phone.
     * {village} and {township} are replaced by the names of the notice's village and township.
     */
    NOTICE_OBJECTION_CONTACT: z.string().min(1).max(200).default('{village}村民委员会或{township}人民政府'),
    /** Create the demo users of README on start (local and demo deployments only). */
    SEED_DEMO_USERS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  });
export type Config = z.output<typeof configSchema>;
