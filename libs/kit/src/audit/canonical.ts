import { createHash } from 'node:crypto';

/**
 * The one byte string an audit entry hashes to, whichever store, driver or process wrote or read it:
 * keys sorted (by UTF-16 code units) at every depth, no whitespace, dates as ISO-8601 strings,
 * anything else with a toJSON (ObjectId, Decimal128) as its JSON form, undefined members omitted and
 * non-finite numbers as null — the rules of JSON.stringify except for the key order.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, ancestors: Set<object>): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value !== 'object') return 'null'; // functions and symbols, as JSON.stringify in arrays
  if (value instanceof Date) return JSON.stringify(Number.isNaN(value.getTime()) ? null : value.toISOString());
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), ancestors);
  if (ancestors.has(value)) throw new TypeError('canonicalJson: circular structure');
  ancestors.add(value);
  let out: string;
  if (Array.isArray(value)) {
    out = '[' + value.map((v) => write(v, ancestors)).join(',') + ']';
  } else {
    const obj = value as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = obj[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      members.push(JSON.stringify(key) + ':' + write(v, ancestors));
    }
    out = '{' + members.join(',') + '}';
  }
  ancestors.delete(value);
  return out;
}

/** prevHash of an aggregate's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** sha256 (hex) of prevHash followed by the canonical JSON of the entry without its `hash`. */
export function auditEntryHash(entry: { prevHash: string; hash?: unknown } & Record<string, unknown>): string {
  const { hash: _ignored, ...rest } = entry;
  return createHash('sha256')
    .update(entry.prevHash + canonicalJson(rest), 'utf8')
    .digest('hex');
}
