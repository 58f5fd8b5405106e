import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { PiiCipher } from '../pii/cipher';
import { canonicalJson } from './canonical';
import { ENCRYPTED, REDACTED, maskAllButLast4, redact } from './redact';

const ID = '36070219750304123X';
const PHONE = '13812345678';
const ACCOUNT = '6228480012345678901';

describe('redact', () => {
  it('masks idNumber (first 6 + last 4), phone and bankAccount (last 4) at any depth', () => {
    const household = {
      areaCode: '360731101201',
      phone: PHONE,
      bankAccount: ACCOUNT,
      members: [
        { name: '张三', idNumber: ID, phone: PHONE },
        { name: '李四', idNumber: ID.toLowerCase(), contact: { phone: 13912345678 } },
      ],
    };
    expect(redact(household)).toEqual({
      areaCode: '360731101201',
      phone: '*******5678',
      bankAccount: '***************8901',
      members: [
        { name: '张三', idNumber: '360702********123X', phone: '*******5678' },
        { name: '李四', idNumber: '360702********123x', contact: { phone: '*******5678' } },
      ],
    });
  });

  it('never lets a clear value through, whatever the nesting (property)', () => {
    const digits = fc.stringMatching(/^[0-9]{11,19}$/);
    const sensitiveKey = fc.constantFrom('idNumber', 'phone', 'bankAccount');
    const leaf = fc.tuple(sensitiveKey, digits);
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf.map(([k, v]) => ({ [k]: v })),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.constantFrom('a', 'members', 'x'), tie('node'), { maxKeys: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (t) => {
        const json = canonicalJson(t);
        const out = canonicalJson(redact(t));
        for (const m of json.matchAll(/"(?:idNumber|phone|bankAccount)":"([0-9]+)"/g))
          expect(out).not.toContain(m[1]!.slice(0, m[1]!.length - 4));
      }),
    );
  });

  it('masks every leaf of an object or array under a sensitive key, and keeps booleans and null', () => {
    expect(
      redact({
        phone: ['13812345678', '13987654321'],
        bankAccount: { bank: 'ABC', number: '6228480012345678' },
        idNumber: null,
        phoneVerified: true,
      }),
    ).toEqual({
      phone: ['*******5678', '*******4321'],
      bankAccount: { bank: '***', number: '************5678' },
      idNumber: null,
      phoneVerified: true,
    });
  });

  it('redacts entirely derived fields (blind indexes, encrypted copies, password hashes)', () => {
    expect(
      redact({ idNumberIndex: 'ab'.repeat(32), phoneEncrypted: 'x', passwordHash: 'scrypt$…', password: 'p' }),
    ).toEqual({ idNumberIndex: REDACTED, phoneEncrypted: REDACTED, passwordHash: REDACTED, password: REDACTED });
  });

  it('replaces any PII ciphertext by a marker, wherever it is', () => {
    const c = new PiiCipher({ keys: { k1: randomBytes(32) }, activeKeyId: 'k1', indexKey: randomBytes(32) });
    const enc = c.encrypt(ID);
    expect(redact({ note: enc, list: [enc], idNumber: enc })).toEqual({
      note: ENCRYPTED,
      list: [ENCRYPTED],
      idNumber: ENCRYPTED,
    });
  });

  it('returns plain JSON data that survives a database round trip unchanged', () => {
    const at = new Date('2026-01-02T03:04:05.006Z');
    const out = redact({
      at,
      n: NaN,
      inf: Infinity,
      big: 10n,
      gone: undefined,
      f: () => 1,
      'a.b': 1,
      $set: 2,
      nested: { 'x.y.z': [undefined, 1] },
      bad: 'a\uD800b',
      id: { toJSON: () => 'oid' },
    });
    expect(out).toEqual({
      at: '2026-01-02T03:04:05.006Z',
      n: null,
      inf: null,
      big: '10',
      'a\uFF0Eb': 1,
      '\uFF04set': 2,
      nested: { 'x\uFF0Ey\uFF0Ez': [null, 1] },
      bad: 'a\uFFFDb',
      id: 'oid',
    });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('does not touch the input, handles __proto__ keys, and refuses cycles', () => {
    const input = { idNumber: ID, deep: { phone: PHONE } };
    redact(input);
    expect(input).toEqual({ idNumber: ID, deep: { phone: PHONE } });
    const proto = redact(JSON.parse('{"__proto__":{"phone":"13812345678"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(proto['\uFF3F\uFF3Fproto\uFF3F\uFF3F']).toEqual({ phone: '*******5678' });
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    expect(() => redact(cyclic)).toThrow(/circular/);
    expect(redact(undefined)).toBeNull();
  });
});

describe('maskAllButLast4', () => {
  it.each([
    ['13812345678', '*******5678'],
    ['12345', '*2345'],
    ['1234', '****'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(maskAllButLast4(input)).toBe(expected);
  });
});
