import { inspect } from 'node:util';
import { z } from 'zod';
import { ConfigError } from '../config';
import { PII_INDEX_KEY_MIN_BYTES, PII_KEY_BYTES, PII_KEY_ID_PATTERN, PiiCipher } from './cipher';

/**
 * Key material read from the environment. It prints as `[redacted]` (JSON, util.inspect, template
 * strings), so a parsed config that reaches a log line or an error report does not carry the keys.
 */
export class SecretBytes {
  readonly #bytes: Buffer;
  constructor(bytes: Uint8Array) {
    this.#bytes = Buffer.from(bytes);
  }
  get length(): number {
    return this.#bytes.length;
  }
  /** The bytes themselves (a copy). */
  reveal(): Buffer {
    return Buffer.from(this.#bytes);
  }
  equals(other: SecretBytes): boolean {
    return this.#bytes.equals(other.#bytes);
  }
  toJSON(): string {
    return '[redacted]';
  }
  toString(): string {
    return '[redacted]';
  }
  [inspect.custom](): string {
    return `SecretBytes(${this.#bytes.length} bytes, [redacted])`;
  }
}

const GENERATE = 'generate one with: openssl rand -base64 32';
const BASE64 = /^(?:[A-Za-z0-9+/]+={0,2}|[A-Za-z0-9_-]+)$/;

/** Standard or URL-safe base64, strictly: stray characters are an error, not silently skipped. */
function decodeBase64(s: string): Buffer | null {
  const t = s.trim();
  if (!BASE64.test(t)) return null;
  const bytes = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
  const again = t.includes('-') || t.includes('_') ? bytes.toString('base64url') : bytes.toString('base64');
  return again.replace(/=+$/, '') === t.replace(/=+$/, '') ? bytes : null;
}

// No message below quotes the variable's value or any part of it that could be key material.
const keyring = z.string().transform((raw, ctx): ReadonlyMap<string, SecretBytes> => {
  const keys = new Map<string, SecretBytes>();
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) {
    ctx.addIssue({ code: 'custom', message: `must list at least one key as <kid>:<base64 of ${PII_KEY_BYTES} bytes>` });
    return keys;
  }
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const kid = colon < 0 ? '' : entry.slice(0, colon).trim();
    if (colon < 0) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${i + 1} must look like <kid>:<base64 of ${PII_KEY_BYTES} bytes>`,
      });
    } else if (!PII_KEY_ID_PATTERN.test(kid)) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${i + 1} has an invalid key id: use 1-64 letters, digits, _ or -`,
      });
    } else if (keys.has(kid)) {
      ctx.addIssue({ code: 'custom', message: `key id "${kid}" appears more than once` });
    } else {
      const bytes = decodeBase64(entry.slice(colon + 1));
      if (!bytes) ctx.addIssue({ code: 'custom', message: `key "${kid}" is not valid base64` });
      else if (bytes.length !== PII_KEY_BYTES)
        ctx.addIssue({
          code: 'custom',
          message: `key "${kid}" must be ${PII_KEY_BYTES} bytes (AES-256), got ${bytes.length}; ${GENERATE}`,
        });
      else keys.set(kid, new SecretBytes(bytes));
    }
  });
  return keys;
});

const indexKey = z.string().transform((raw, ctx): SecretBytes => {
  const bytes = decodeBase64(raw);
  if (!bytes) ctx.addIssue({ code: 'custom', message: 'must be base64' });
  else if (bytes.length < PII_INDEX_KEY_MIN_BYTES)
    ctx.addIssue({
      code: 'custom',
      message: `must be at least ${PII_INDEX_KEY_MIN_BYTES} bytes, got ${bytes.length}; ${GENERATE}`,
    });
  return new SecretBytes(bytes ?? Buffer.alloc(0));
});

export interface PiiConfig {
  PII_KEYS: ReadonlyMap<string, SecretBytes>;
  PII_ACTIVE_KEY_ID: string;
  PII_INDEX_KEY: SecretBytes;
}

/** The cross-variable rules: the active key id is in the keyring, the index key is no encryption key. */
export function piiConfigProblems(config: PiiConfig): { variable: keyof PiiConfig; message: string }[] {
  const problems: { variable: keyof PiiConfig; message: string }[] = [];
  const kids = [...config.PII_KEYS.keys()];
  if (kids.length > 0 && !config.PII_KEYS.has(config.PII_ACTIVE_KEY_ID))
    problems.push({
      variable: 'PII_ACTIVE_KEY_ID',
      message: `"${config.PII_ACTIVE_KEY_ID}" is not a key id in PII_KEYS (${kids.join(', ')})`,
    });
  for (const [kid, key] of config.PII_KEYS)
    if (key.equals(config.PII_INDEX_KEY))
      problems.push({ variable: 'PII_INDEX_KEY', message: `must differ from the encryption key "${kid}" in PII_KEYS` });
  return problems;
}

/**
 * piiConfigProblems as a zod refinement. `piiConfigSchema` applies it; a service that merges the
 * fields into its own schema with `.extend(piiConfigSchema.shape)` loses it (zod keeps refinements on
 * the schema, not on its shape), so it adds `.superRefine(checkPiiConfig)` to its own schema.
 * piiCipherFromConfig checks again in any case.
 */
export function checkPiiConfig(config: PiiConfig, ctx: z.RefinementCtx): void {
  for (const p of piiConfigProblems(config)) ctx.addIssue({ code: 'custom', path: [p.variable], message: p.message });
}

/**
 * The environment of a service that stores personal data:
 * - PII_KEYS: `kid1:<base64 of 32 bytes>,kid2:<base64 of 32 bytes>` — every key still needed to decrypt;
 * - PII_ACTIVE_KEY_ID: the key id new values are encrypted with;
 * - PII_INDEX_KEY: base64 of at least 32 bytes, the blind-index HMAC key. It never rotates without
 *   recomputing every stored index, so keep it apart from the encryption keys.
 */
export const piiConfigSchema = z
  .object({
    PII_KEYS: keyring,
    PII_ACTIVE_KEY_ID: z.string().trim().regex(PII_KEY_ID_PATTERN, 'must be a key id: 1-64 letters, digits, _ or -'),
    PII_INDEX_KEY: indexKey,
  })
  .superRefine(checkPiiConfig);

/** The cipher for a parsed configuration; a ConfigError naming the variable if the keys do not fit together. */
export function piiCipherFromConfig(config: PiiConfig): PiiCipher {
  const problems: { variable: string; message: string }[] = piiConfigProblems(config);
  if (config.PII_KEYS.size === 0) problems.push({ variable: 'PII_KEYS', message: 'must list at least one key' });
  if (problems.length) throw new ConfigError(problems);
  return new PiiCipher({
    keys: new Map([...config.PII_KEYS].map(([kid, key]) => [kid, key.reveal()])),
    activeKeyId: config.PII_ACTIVE_KEY_ID,
    indexKey: config.PII_INDEX_KEY.reveal(),
  });
}
