import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { PiiCipher, PiiCryptoError, blindIndex, isPiiCiphertext, piiKeyIdOf } from './cipher';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const indexKey = randomBytes(32);
const ID = '36070219750304123X';

function cipher(activeKeyId = 'k1', keys: Record<string, Buffer> = { k1, k2 }) {
  return new PiiCipher({ keys, activeKeyId, indexKey });
}

/** Flips one bit of one base64url part of a ciphertext, keeping the encoding canonical. */
function flipByte(value: string, part: 2 | 3 | 4, byte = 0): string {
  const parts = value.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[byte % bytes.length]! ^= 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

function thrown(f: () => unknown): PiiCryptoError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PiiCryptoError);
    return e as PiiCryptoError;
  }
  throw new Error('expected a PiiCryptoError');
}

describe('PiiCipher', () => {
  it('round-trips any well-formed string (property)', () => {
    const c = cipher();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(c.decrypt(c.encrypt(s))).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips every UTF-16 string or refuses it with a clear error, never garbling it (property)', () => {
    const c = cipher();
    const anyCodeUnit = fc.nat(0xffff).map((n) => String.fromCharCode(n));
    fc.assert(
      fc.property(fc.string({ unit: anyCodeUnit, maxLength: 50 }), (s) => {
        let enc: string;
        try {
          enc = c.encrypt(s);
        } catch (e) {
          expect((e as PiiCryptoError).code).toBe('invalid_plaintext');
          expect((e as Error).message).not.toContain(s);
          return;
        }
        expect(c.decrypt(enc)).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('has the self-describing format v1.<kid>.<iv>.<tag>.<ciphertext>, with a fresh IV each time', () => {
    const c = cipher();
    const a = c.encrypt(ID);
    const b = c.encrypt(ID);
    expect(a).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{24}$/);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(piiKeyIdOf(a)).toBe('k1');
    expect(isPiiCiphertext(a)).toBe(true);
    expect(isPiiCiphertext(ID)).toBe(false);
    expect(c.decrypt('v1.k1.' + a.split('.').slice(2).join('.'))).toBe(ID);
  });

  it.each([
    ['iv', 2],
    ['tag', 3],
    ['ciphertext', 4],
  ] as const)('detects a flipped byte in the %s', (_name, part) => {
    const c = cipher();
    const enc = c.encrypt(ID);
    for (const byte of [0, 5, 11]) {
      const e = thrown(() => c.decrypt(flipByte(enc, part, byte)));
      expect(e.code).toBe('authentication_failed');
      expect(e.message).toMatch(/altered|different key/);
    }
  });

  it('detects a swapped key id (the key id is authenticated), known or unknown', () => {
    const c = cipher();
    const enc = c.encrypt(ID);
    const asK2 = enc.replace(/^v1\.k1\./, 'v1.k2.');
    expect(thrown(() => c.decrypt(asK2)).code).toBe('authentication_failed');
    // Even with k1's bytes registered under the name k2, the AAD (v1.k2) no longer matches.
    const sameBytes = new PiiCipher({ keys: { k1, k2: k1 }, activeKeyId: 'k1', indexKey });
    expect(thrown(() => sameBytes.decrypt(asK2)).code).toBe('authentication_failed');
    const e = thrown(() => c.decrypt(enc.replace(/^v1\.k1\./, 'v1.k9.')));
    expect(e.code).toBe('unknown_key');
    expect(e.message).toContain('"k9"');
  });

  it('detects a flipped character anywhere in the string', () => {
    const c = cipher();
    const enc = c.encrypt(ID);
    for (let i = 0; i < enc.length; i++) {
      const ch = enc[i] === 'A' ? 'B' : 'A';
      const tampered = enc.slice(0, i) + ch + enc.slice(i + 1);
      if (tampered === enc) continue;
      expect(() => c.decrypt(tampered)).toThrow(PiiCryptoError);
    }
  });

  it('refuses a wrong key with the same id', () => {
    const enc = cipher().encrypt(ID);
    const other = new PiiCipher({ keys: { k1: randomBytes(32) }, activeKeyId: 'k1', indexKey });
    expect(thrown(() => other.decrypt(enc)).code).toBe('authentication_failed');
  });

  it.each([
    ['plain ID number', ID],
    ['empty', ''],
    ['wrong version', 'v2.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['short IV', 'v1.k1.AAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['bad base64url', 'v1.k1.AAAAAAAAAAAAAAA+.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['non-canonical base64url tag', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAB.AA'],
    ['bad key id', 'v1.k:1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA'],
    ['extra part', 'v1.k1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA.AA.AA'],
  ])('refuses a malformed value (%s) without quoting it', (_name, value) => {
    const e = thrown(() => cipher().decrypt(value));
    expect(e.code).toBe('malformed');
    if (value) expect(e.message).not.toContain(value);
    expect(e.message).not.toContain(ID);
  });

  it('never puts the plaintext, the ciphertext or a key into an error message', () => {
    const c = cipher();
    const secret = '13812345678';
    const enc = c.encrypt(secret);
    const errors = [
      thrown(() => c.decrypt(flipByte(enc, 4))),
      thrown(() => c.decrypt(enc.replace('v1.k1.', 'v1.k9.'))),
      thrown(() => c.decrypt(secret)),
      thrown(() => c.encrypt('\uD800' + secret)),
      thrown(() => new PiiCipher({ keys: { k1: k1.subarray(0, 16) }, activeKeyId: 'k1', indexKey })),
      thrown(() => new PiiCipher({ keys: { k1 }, activeKeyId: 'k1', indexKey: k1 })),
    ];
    for (const e of errors) {
      const text = `${e.message} ${e.stack} ${inspect(e)}`;
      expect(text).not.toContain(secret);
      expect(text).not.toContain(enc.split('.')[4]);
      expect(text).not.toContain(k1.toString('base64'));
      expect(text).not.toContain(k1.toString('hex'));
      expect(e.cause).toBeUndefined();
    }
  });

  it('rotates: values under an old key are flagged and re-encrypted under the active key', () => {
    const before = cipher('k1');
    const old = before.encrypt(ID);
    const after = cipher('k2');
    expect(after.needsRotation(old)).toBe(true);
    const rotated = after.reencrypt(old);
    expect(piiKeyIdOf(rotated)).toBe('k2');
    expect(after.needsRotation(rotated)).toBe(false);
    expect(after.decrypt(rotated)).toBe(ID);
    // Once k1 is retired, the rotated value still decrypts and the old one does not.
    const retired = new PiiCipher({ keys: { k2 }, activeKeyId: 'k2', indexKey });
    expect(retired.decrypt(rotated)).toBe(ID);
    expect(thrown(() => retired.decrypt(old)).code).toBe('unknown_key');
    expect(() => after.needsRotation('garbage')).toThrow(PiiCryptoError);
  });

  it('refuses bad keyrings', () => {
    expect(() => new PiiCipher({ keys: {}, activeKeyId: 'k1', indexKey })).toThrow(/empty/);
    expect(() => new PiiCipher({ keys: { k1 }, activeKeyId: 'k2', indexKey })).toThrow(/"k2" is not in the keyring/);
    expect(() => new PiiCipher({ keys: { 'k.1': k1 }, activeKeyId: 'k.1', indexKey })).toThrow(/key id/);
    expect(() => new PiiCipher({ keys: { k1: randomBytes(16) }, activeKeyId: 'k1', indexKey })).toThrow(/32 bytes/);
    expect(() => new PiiCipher({ keys: { k1 }, activeKeyId: 'k1', indexKey: randomBytes(16) })).toThrow(/index key/);
    expect(() => new PiiCipher({ keys: { k1 }, activeKeyId: 'k1', indexKey: Buffer.from(k1) })).toThrow(/differ/);
  });

  it('copies its keys and never shows them when logged', () => {
    const mine = Buffer.from(k1);
    const c = new PiiCipher({ keys: new Map([['k1', mine]]), activeKeyId: 'k1', indexKey });
    const enc = c.encrypt(ID);
    mine.fill(0);
    expect(c.decrypt(enc)).toBe(ID);
    const shown = JSON.stringify(c) + inspect(c, { showHidden: true, depth: 5 });
    expect(JSON.parse(JSON.stringify(c))).toEqual({ activeKeyId: 'k1', keyIds: ['k1'] });
    expect(shown).not.toContain(k1.toString('hex').slice(0, 8));
    expect(shown).not.toMatch(/<Buffer/);
  });
});

describe('blindIndex', () => {
  it('is deterministic, keyed, and normalises ID numbers (trim, upper-case x)', () => {
    const c = cipher();
    const a = c.blindIndex(ID);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(c.blindIndex(ID)).toBe(a);
    expect(c.blindIndex(`  ${ID.toLowerCase()}\n`)).toBe(a);
    expect(blindIndex(ID, indexKey)).toBe(a);
    expect(blindIndex(ID, randomBytes(32))).not.toBe(a);
    expect(a).not.toContain(ID);
  });

  it('differs between different values (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (x, y) => {
        fc.pre(x.trim().toUpperCase() !== y.trim().toUpperCase());
        expect(blindIndex(x, indexKey)).not.toBe(blindIndex(y, indexKey));
      }),
    );
    expect(blindIndex('360702197503041231', indexKey)).not.toBe(blindIndex('360702197503041232', indexKey));
  });

  it('refuses a short key', () => {
    expect(() => blindIndex(ID, randomBytes(31))).toThrow(/at least 32 bytes/);
  });
});
