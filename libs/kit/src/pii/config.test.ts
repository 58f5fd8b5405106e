import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { z } from 'zod';
import { ConfigError, baseConfigSchema, parseConfig } from '../config';
import { PiiCipher } from './cipher';
import { SecretBytes, checkPiiConfig, piiCipherFromConfig, piiConfigSchema } from './config';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64url');
const idx = randomBytes(48).toString('base64');
const good = { PII_KEYS: `k1:${k1}, k2:${k2}`, PII_ACTIVE_KEY_ID: 'k2', PII_INDEX_KEY: idx };

function problemsOf(env: Record<string, string | undefined>, schema: z.ZodType = piiConfigSchema) {
  try {
    parseConfig(schema, env as NodeJS.ProcessEnv);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('piiConfigSchema', () => {
  it('parses a keyring (standard or URL-safe base64), the active key id and the index key', () => {
    const c = parseConfig(piiConfigSchema, good);
    expect([...c.PII_KEYS.keys()]).toEqual(['k1', 'k2']);
    expect(c.PII_KEYS.get('k1')!.reveal().toString('base64')).toBe(k1);
    expect(c.PII_KEYS.get('k2')!.reveal().toString('base64url')).toBe(k2);
    expect(c.PII_ACTIVE_KEY_ID).toBe('k2');
    expect(c.PII_INDEX_KEY.length).toBe(48);
  });

  it('builds a working cipher that encrypts under the active key', () => {
    const cipher = piiCipherFromConfig(parseConfig(piiConfigSchema, good));
    expect(cipher).toBeInstanceOf(PiiCipher);
    const enc = cipher.encrypt('13812345678');
    expect(enc.startsWith('v1.k2.')).toBe(true);
    expect(cipher.decrypt(enc)).toBe('13812345678');
    expect(cipher.blindIndex('13812345678')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('never shows key material when the parsed config is logged or printed', () => {
    const c = parseConfig(piiConfigSchema, good);
    const shown = [JSON.stringify(c), inspect(c, { depth: 5 }), `${c.PII_INDEX_KEY}`].join('\n');
    for (const secret of [k1, k2, idx]) expect(shown).not.toContain(secret.slice(0, 12));
    expect(shown).toContain('[redacted]');
  });

  it.each([
    [{ ...good, PII_KEYS: undefined }, 'PII_KEYS', /^is required$/],
    [{ ...good, PII_KEYS: ' , ' }, 'PII_KEYS', /at least one key/],
    [{ ...good, PII_KEYS: k1 }, 'PII_KEYS', /entry 1 must look like <kid>:<base64 of 32 bytes>/],
    [{ ...good, PII_KEYS: `k1:${k1},k.2:${k2}` }, 'PII_KEYS', /entry 2 has an invalid key id/],
    [{ ...good, PII_KEYS: `k1:${k1},k1:${k2}` }, 'PII_KEYS', /"k1" appears more than once/],
    [{ ...good, PII_KEYS: `k1:${k1},k2:not*base64` }, 'PII_KEYS', /"k2" is not valid base64/],
    [
      { ...good, PII_KEYS: `k1:${k1},k2:${randomBytes(16).toString('base64')}` },
      'PII_KEYS',
      /"k2" must be 32 bytes \(AES-256\), got 16; generate one with/,
    ],
    [{ ...good, PII_ACTIVE_KEY_ID: 'k3' }, 'PII_ACTIVE_KEY_ID', /"k3" is not a key id in PII_KEYS \(k1, k2\)/],
    [{ ...good, PII_ACTIVE_KEY_ID: undefined }, 'PII_ACTIVE_KEY_ID', /^is required$/],
    [{ ...good, PII_INDEX_KEY: randomBytes(16).toString('base64') }, 'PII_INDEX_KEY', /at least 32 bytes, got 16/],
    [{ ...good, PII_INDEX_KEY: '%%%' }, 'PII_INDEX_KEY', /must be base64/],
    [{ ...good, PII_INDEX_KEY: k1 }, 'PII_INDEX_KEY', /must differ from the encryption key "k1"/],
  ])('names the bad variable with a clear message (%#)', (env, variable, message) => {
    const problems = problemsOf(env);
    const p = problems.find((x) => x.variable === variable);
    expect(p).toBeDefined();
    expect(p!.message).toMatch(message);
    // Key material never appears in a configuration error.
    for (const secret of [k1, k2, idx]) expect(JSON.stringify(problems)).not.toContain(secret);
  });

  it('merged into a service schema, keeps the cross-variable check via checkPiiConfig', () => {
    const service = baseConfigSchema.extend(piiConfigSchema.shape).superRefine(checkPiiConfig);
    const env = { SERVICE_NAME: 's', HTTP_PORT: '9100', ...good };
    expect(parseConfig(service, env).PII_ACTIVE_KEY_ID).toBe('k2');
    expect(problemsOf({ ...env, PII_ACTIVE_KEY_ID: 'k9' }, service).map((p) => p.variable)).toEqual([
      'PII_ACTIVE_KEY_ID',
    ]);
  });

  it('piiCipherFromConfig refuses an inconsistent config with a ConfigError, even one built by hand', () => {
    const keys = new Map([['k1', new SecretBytes(randomBytes(32))]]);
    const indexKey = new SecretBytes(randomBytes(32));
    expect(() => piiCipherFromConfig({ PII_KEYS: keys, PII_ACTIVE_KEY_ID: 'k2', PII_INDEX_KEY: indexKey })).toThrow(
      ConfigError,
    );
    expect(() =>
      piiCipherFromConfig({ PII_KEYS: new Map(), PII_ACTIVE_KEY_ID: 'k1', PII_INDEX_KEY: indexKey }),
    ).toThrow(/PII_KEYS: must list at least one key/);
  });
});
