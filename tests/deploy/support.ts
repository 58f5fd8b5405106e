/**
 * Shared helpers for the deployment tests (docker-compose.yml, the Helm chart, the Dockerfiles).
 *
 * The checks are plain functions returning a list of problems, so each test can also run them on a
 * deliberately broken copy and prove that they notice.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ZodType } from 'zod';

export const repoRoot = resolve(__dirname, '..', '..');

/** Every folder under services/ is a service that must be deployable. */
export function serviceNames(): string[] {
  const dir = join(repoRoot, 'services');
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
    .sort();
}

/** The zod schema a service validates its environment with, or undefined when it has no config.ts yet. */
export function configSchemaOf(service: string): ZodType | undefined {
  const file = join(repoRoot, 'services', service, 'src', 'config.ts');
  if (!existsSync(file)) return undefined;
  const mod = require(file) as { configSchema?: ZodType };
  if (!mod.configSchema) throw new Error(`services/${service}/src/config.ts does not export configSchema`);
  return mod.configSchema;
}

export type Env = Record<string, string>;

/** Problems of an environment against a service's schema, one line per bad or missing variable. */
export function envProblems(schema: ZodType, env: Env): string[] {
  const result = schema.safeParse(env);
  if (result.success) return [];
  return result.error.issues.map((i) => {
    const variable = String(i.path[0] ?? '?');
    return env[variable] === undefined
      ? `${variable} is missing`
      : `${variable}=${JSON.stringify(env[variable])}: ${i.message}`;
  });
}

/**
 * Stand-ins for values a Kubernetes pod reads from a Secret, shaped like the real thing so the service's
 * schema can judge everything else. Anything not listed becomes an opaque string. `plain` is the pod's
 * plain (non-Secret) environment: a keyring placeholder holds the key id the plain variables name as
 * active, as the real Secret must.
 */
export function secretPlaceholder(variable: string, service: string, plain: Env = {}): string {
  switch (variable) {
    case 'MONGODB_URI':
      return `mongodb://${service}:placeholder@mongodb-0.mongodb.example:27017/shouwang_${service}?replicaSet=rs0`;
    case 'REDIS_URL':
      return 'redis://:placeholder@redis.example:6379/0';
    case 'INTERNAL_IDENTITY_SECRET':
      return 'identity-secret-placeholder'.padEnd(43, '0'); // 32 random bytes, base64url
    case 'JWT_SIGNING_KEYS':
      // "kid:<base64 PKCS#8 DER Ed25519 private key>": a 48-byte DER, 64 base64 characters.
      return `placeholder-1:${Buffer.alloc(48).toString('base64')}`;
    case 'PII_KEYS':
      // "kid:<base64 of 32 bytes>": one AES-256 key under the kid PII_ACTIVE_KEY_ID names.
      return `${plain.PII_ACTIVE_KEY_ID ?? 'placeholder-1'}:${Buffer.alloc(32, 1).toString('base64')}`;
    case 'PII_INDEX_KEY':
      // 32 bytes, different from the PII_KEYS placeholder (the service refuses an index key equal to a key).
      return Buffer.alloc(32, 2).toString('base64');
    default:
      return 'secret-placeholder';
  }
}

/** host:port pairs mentioned in a value: URLs (scheme://[user@]host:port), bare host:port and comma lists. */
export function hostPorts(value: string): { host: string; port: number }[] {
  const found: { host: string; port: number }[] = [];
  const re = /(?:^|[\s,/@])([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})(?=$|[\s,/?])/g;
  for (const m of value.matchAll(re)) found.push({ host: m[1], port: Number(m[2]) });
  return found;
}

export function describeProblems(problems: string[]): string {
  return problems.length === 0 ? 'no problems' : '\n  - ' + problems.join('\n  - ');
}
