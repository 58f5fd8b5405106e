import { z } from 'zod';

/**
 * Configuration every service shares. Each service extends it with its own variables in
 * `services/<name>/src/config.ts`; the docker-compose and Helm tests check their environments
 * against those schemas, so a variable added here must be set there too.
 */
export const port = z.coerce.number().int().min(1).max(65535);
const csv = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const baseConfigSchema = z.object({
  SERVICE_NAME: z.string().min(1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** HTTP port for /healthz, /readyz and /metrics (and, in the gateway, the public API). */
  HTTP_PORT: port,
  /** Time allowed to drain in-flight work on SIGTERM before connections are closed anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  /** OTLP/HTTP endpoint for traces; unset means spans are created for log correlation but not exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
});

export const mongoConfigSchema = z.object({
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URI'),
});
export const redisConfigSchema = z.object({ REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URI') });
export const kafkaConfigSchema = z.object({
  /** Comma-separated host:port list. */
  KAFKA_BROKERS: csv,
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Used only when a service creates its missing topics at start. */
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().positive().default(3),
  KAFKA_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().positive().default(1),
});
export const grpcServerConfigSchema = z.object({ GRPC_PORT: port });

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super('invalid configuration:\n' + problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses the environment against a schema; throws a ConfigError naming every bad or missing variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((i) => ({
      variable: String(i.path[0] ?? '?'),
      message: i.code === 'invalid_type' && env[String(i.path[0])] === undefined ? 'is required' : i.message,
    })),
  );
}

/** For a service's entry point: parse or print the problems and exit(78, EX_CONFIG) at once. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  try {
    return parseConfig(schema, env);
  } catch (e) {
    if (e instanceof ConfigError) {
      const name = env.SERVICE_NAME ?? /services\/([^/]+)\//.exec(process.argv[1] ?? '')?.[1] ?? 'service';
      process.stderr.write(`${name}: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
}
