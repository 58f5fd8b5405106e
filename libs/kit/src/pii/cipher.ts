import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { normaliseIdNumber } from '@shouwang/domain';

/**
 * Field-level protection of personal data (ID numbers, phones, bank accounts) — ARCHITECTURE.md
 * "Security": encrypted at rest, looked up by a keyed hash, never logged.
 *
 * A ciphertext is one self-describing string, `v1.<kid>.<iv>.<tag>.<ciphertext>` (the last three
 * base64url without padding): AES-256-GCM with a random 12-byte IV and a 16-byte tag, and the header
 * `v1.<kid>` as additional authenticated data, so the version and the key id cannot be swapped
 * without the tag failing. Because every value names its key, keys rotate without downtime: add the
 * new key to the keyring, make it active, and re-encrypt old values at leisure (`needsRotation`,
 * `reencrypt`); retire the old key once nothing needs it.
 *
 * No error thrown here ever contains a plaintext, a ciphertext or key material.
 */

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
export const PII_KEY_BYTES = 32;
export const PII_INDEX_KEY_MIN_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids appear inside ciphertexts and PII_KEYS, so they may not contain '.', ':' or ','. */
export const PII_KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
// Unpaired UTF-16 surrogates cannot be encoded as UTF-8, so such a string would not decrypt to itself.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type PiiErrorCode = 'invalid_key' | 'invalid_plaintext' | 'malformed' | 'unknown_key' | 'authentication_failed';

export class PiiCryptoError extends Error {
  constructor(
    readonly code: PiiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PiiCryptoError';
  }
}

export interface PiiCipherOptions {
  /** Key id → 32-byte AES-256 key. Old keys stay here (for decryption) until nothing uses them. */
  keys: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
  /** The key new values are encrypted with. */
  activeKeyId: string;
  /** HMAC key of the blind index (at least 32 bytes), different from every encryption key. */
  indexKey: Uint8Array;
}

interface Parsed {
  kid: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export class PiiCipher {
  readonly #keys: ReadonlyMap<string, Buffer>;
  readonly #activeKeyId: string;
  readonly #indexKey: Buffer;

  constructor(opts: PiiCipherOptions) {
    const entries = opts.keys instanceof Map ? [...opts.keys] : Object.entries(opts.keys);
    if (entries.length === 0) throw new PiiCryptoError('invalid_key', 'the PII keyring is empty');
    const keys = new Map<string, Buffer>();
    for (const [kid, key] of entries) {
      if (!PII_KEY_ID_PATTERN.test(kid))
        throw new PiiCryptoError('invalid_key', 'a PII key id may contain only letters, digits, _ and - (1-64)');
      if (key.length !== PII_KEY_BYTES)
        throw new PiiCryptoError('invalid_key', `PII key "${kid}" must be ${PII_KEY_BYTES} bytes, got ${key.length}`);
      keys.set(kid, Buffer.from(key)); // a copy: the caller may reuse or wipe its buffer
    }
    if (!keys.has(opts.activeKeyId))
      throw new PiiCryptoError('invalid_key', `the active PII key id "${opts.activeKeyId}" is not in the keyring`);
    if (opts.indexKey.length < PII_INDEX_KEY_MIN_BYTES)
      throw new PiiCryptoError(
        'invalid_key',
        `the PII index key must be at least ${PII_INDEX_KEY_MIN_BYTES} bytes, got ${opts.indexKey.length}`,
      );
    const indexKey = Buffer.from(opts.indexKey);
    for (const [kid, key] of keys)
      if (key.length === indexKey.length && timingSafeEqual(key, indexKey))
        throw new PiiCryptoError('invalid_key', `the PII index key must differ from encryption key "${kid}"`);
    this.#keys = keys;
    this.#activeKeyId = opts.activeKeyId;
    this.#indexKey = indexKey;
  }

  get activeKeyId(): string {
    return this.#activeKeyId;
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts under the active key with a fresh random IV: the same plaintext never encrypts alike. */
  encrypt(plaintext: string): string {
    if (typeof plaintext !== 'string') throw new PiiCryptoError('invalid_plaintext', 'only strings can be encrypted');
    if (LONE_SURROGATE.test(plaintext))
      throw new PiiCryptoError('invalid_plaintext', 'the value contains an unpaired UTF-16 surrogate');
    const kid = this.#activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(kid)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(header(kid));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, kid, b64(iv), b64(cipher.getAuthTag()), b64(ciphertext)].join('.');
  }

  /** The plaintext, or a PiiCryptoError when the value is malformed, altered or under an unknown key. */
  decrypt(value: string): string {
    const { kid, iv, tag, ciphertext } = parse(value);
    const key = this.#keys.get(kid);
    if (!key)
      throw new PiiCryptoError(
        'unknown_key',
        `PII value is encrypted under key "${kid}", which is not in the keyring (${this.keyIds.join(', ')})`,
      );
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(header(kid));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      // Deliberately no cause: node's message says nothing useful and nothing here may leak.
      throw new PiiCryptoError(
        'authentication_failed',
        `PII value failed authentication under key "${kid}": it was altered, or encrypted with a different key`,
      );
    }
  }

  /** Whether the value is encrypted under a key other than the active one (so a rotation job should reencrypt it). */
  needsRotation(value: string): boolean {
    return parse(value).kid !== this.#activeKeyId;
  }

  /** Decrypts and encrypts again under the active key (with a new IV). */
  reencrypt(value: string): string {
    return this.encrypt(this.decrypt(value));
  }

  /** The keyed hash to store beside the ciphertext for exact lookup; see blindIndex. */
  blindIndex(value: string): string {
    return blindIndex(value, this.#indexKey);
  }

  // A cipher that ends up in a log line shows its key ids, never its keys.
  toJSON(): Record<string, unknown> {
    return { activeKeyId: this.#activeKeyId, keyIds: this.keyIds };
  }
}

/**
 * HMAC-SHA256 (hex) of the normalised value under the index key: equal values give equal indexes, so
 * `{ idNumberIndex: blindIndex(input) }` finds a record without decrypting anything, while someone
 * holding the database but not the key cannot test guesses against it (an unkeyed hash of an ID
 * number is reversible by enumeration). Normalisation: surrounding whitespace is trimmed and letters
 * upper-cased, so `36070219750304123x ` and `36070219750304123X` index alike.
 */
export function blindIndex(value: string, indexKey: Uint8Array): string {
  if (typeof value !== 'string') throw new PiiCryptoError('invalid_plaintext', 'only strings can be indexed');
  if (indexKey.length < PII_INDEX_KEY_MIN_BYTES)
    throw new PiiCryptoError('invalid_key', `the PII index key must be at least ${PII_INDEX_KEY_MIN_BYTES} bytes`);
  return createHmac('sha256', indexKey).update(normaliseForIndex(value), 'utf8').digest('hex');
}

/** The normalisation blindIndex applies before hashing. */
export function normaliseForIndex(value: string): string {
  return normaliseIdNumber(value.trim());
}

/** Whether a string has the shape of a PiiCipher ciphertext (not whether it decrypts). */
export function isPiiCiphertext(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parse(value);
    return true;
  } catch {
    return false;
  }
}

/** The id of the key a ciphertext was made with. */
export function piiKeyIdOf(value: string): string {
  return parse(value).kid;
}

function parse(value: string): Parsed {
  const malformed = (why: string) => new PiiCryptoError('malformed', `not a PII ciphertext: ${why}`);
  if (typeof value !== 'string') throw malformed('not a string');
  const parts = value.split('.');
  if (parts.length !== 5) throw malformed(`expected ${VERSION}.<kid>.<iv>.<tag>.<ciphertext>`);
  const [version, kid, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (version !== VERSION) throw malformed('unsupported version');
  if (!PII_KEY_ID_PATTERN.test(kid)) throw malformed('invalid key id');
  const ivBytes = unb64(iv);
  const tagBytes = unb64(tag);
  const ctBytes = unb64(ciphertext);
  if (!ivBytes || ivBytes.length !== IV_BYTES) throw malformed('invalid IV');
  if (!tagBytes || tagBytes.length !== TAG_BYTES) throw malformed('invalid authentication tag');
  if (!ctBytes) throw malformed('invalid ciphertext encoding');
  return { kid, iv: ivBytes, tag: tagBytes, ciphertext: ctBytes };
}

function header(kid: string): Buffer {
  return Buffer.from(`${VERSION}.${kid}`, 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** Strict base64url: Buffer.from ignores stray characters and unused trailing bits, so re-encode and compare. */
function unb64(s: string): Buffer | null {
  if (!BASE64URL.test(s)) return null;
  const bytes = Buffer.from(s, 'base64url');
  return bytes.toString('base64url') === s ? bytes : null;
}
