import { maskIdNumber } from '@shouwang/domain';
import { isPiiCiphertext } from '../pii/cipher';

/**
 * What the audit trail keeps of a `before` / `after` document.
 *
 * Why personal data is masked, not copied or encrypted: the trail is append-only and hash-chained, so
 * nothing in it can ever be changed again — not re-encrypted when a PII key rotates, not erased when
 * a record must be, not narrowed when a reader's rights are. A clear ID number, phone or bank account
 * there would be a second copy outside the field encryption, the blind index and the masking rules
 * the owning record obeys, readable by every auditor for as long as the trail is kept. A ciphertext
 * would tie the trail to keys that must one day be retired. The masked form (first 6 + last 4 of an
 * ID number — the region of registration and the check digits; the last 4 of a phone or account) is
 * what officers already see in responses, and is enough for an auditor to see that a value changed,
 * and to which, without being able to use it.
 *
 * Rules, at any depth (members of arrays and nested objects included):
 * - `idNumber`: maskIdNumber (first 6 + last 4, the rest '*');
 * - `phone`, `bankAccount`: the last 4 characters, the rest '*';
 * - any other key beginning with `idNumber`, `phone`, `bankAccount` or `password` (idNumberIndex,
 *   phoneEncrypted, passwordHash…): the value is replaced by '[redacted]' — a blind index or hash of an
 *   ID number can be reversed by whoever holds (or guesses) its key;
 * - any string that is a PII ciphertext (v1.<kid>…), wherever it is: '[encrypted]'.
 * Booleans and null stay as they are (`phoneVerified: true` is not personal data).
 *
 * redact also turns the value into plain JSON data that every supported store keeps bit for bit, so
 * the hash of an entry read back equals the hash computed when it was written: dates become ISO
 * strings, non-finite numbers null (FerretDB drops the connection on NaN), undefined members are
 * omitted, unpaired UTF-16 surrogates become U+FFFD, and keys containing '.' or starting with '$'
 * (refused by FerretDB) have those characters replaced by their full-width forms '．' and '＄' (and a
 * `__proto__` key becomes '＿＿proto＿＿').
 */
export type AuditValue = null | boolean | number | string | AuditValue[] | { [key: string]: AuditValue };

const MASKED_KEYS: Readonly<Record<string, (s: string) => string>> = {
  idNumber: maskIdNumber,
  phone: maskAllButLast4,
  bankAccount: maskAllButLast4,
};
const SECRET_PREFIXES = ['idNumber', 'phone', 'bankAccount', 'password'];
export const REDACTED = '[redacted]';
export const ENCRYPTED = '[encrypted]';
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The last 4 characters, every other one '*'; a value of 4 characters or fewer is masked entirely. */
export function maskAllButLast4(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return '*'.repeat(value.length - 4) + value.slice(-4);
}

/** A copy of `value` with personal data masked, as plain JSON data (see above). */
export function redact(value: unknown): AuditValue {
  return walk(value, undefined, new Set()) ?? null;
}

type Masker = (s: string) => string;

function walk(value: unknown, mask: Masker | undefined, ancestors: Set<object>): AuditValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'boolean':
      return value;
    case 'number':
      if (mask) return mask(String(value));
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return mask ? mask(value.toString()) : value.toString();
    case 'string':
      if (isPiiCiphertext(value)) return ENCRYPTED;
      return mask ? mask(cleanString(value)) : cleanString(value);
  }
  const obj = value as object;
  if (obj instanceof Date) {
    const iso = Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    return iso === null ? null : mask ? mask(iso) : iso;
  }
  const withJson = obj as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return walk(withJson.toJSON(), mask, ancestors);
  if (ancestors.has(obj)) throw new TypeError('redact: circular structure');
  ancestors.add(obj);
  let out: AuditValue;
  if (Array.isArray(obj)) {
    out = obj.map((v) => walk(v, mask, ancestors) ?? null);
  } else {
    const result: { [key: string]: AuditValue } = {};
    for (const [key, v] of Object.entries(obj)) {
      const inner = walk(v, maskFor(key, mask), ancestors);
      if (inner !== undefined) result[safeKey(key)] = inner;
    }
    out = result;
  }
  ancestors.delete(obj);
  return out;
}

function maskFor(key: string, inherited: Masker | undefined): Masker | undefined {
  const exact = Object.hasOwn(MASKED_KEYS, key) ? MASKED_KEYS[key] : undefined;
  if (exact) return exact;
  if (SECRET_PREFIXES.some((p) => key.startsWith(p))) return () => REDACTED;
  return inherited;
}

function cleanString(s: string): string {
  return s.replace(LONE_SURROGATES, '\uFFFD');
}

function safeKey(key: string): string {
  if (key === '__proto__') return '\uFF3F\uFF3Fproto\uFF3F\uFF3F';
  return cleanString(key).replace(/\./g, '\uFF0E').replace(/^\$/, '\uFF04');
}
