import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { GENESIS_HASH, auditEntryHash, canonicalJson } from './canonical';
import { checkAggregateChain, type StoredAuditEntry } from './chain';

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('writes dates as ISO strings, omits undefined members, and follows JSON for the rest', () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    expect(canonicalJson({ at, gone: undefined, n: NaN, i: -Infinity, s: 'é"\n', t: true, arr: [undefined] })).toBe(
      '{"arr":[null],"at":"2026-03-04T05:06:07.089Z","i":null,"n":null,"s":"é\\"\\n","t":true}',
    );
    expect(canonicalJson({ id: { toJSON: () => 'abc' } })).toBe('{"id":"abc"}');
  });

  it('does not depend on insertion order, and parses back to an equal value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const s = canonicalJson(v);
        expect(canonicalJson(JSON.parse(s))).toBe(s);
        const shuffled = JSON.parse(JSON.stringify(v), function (this: unknown, _k, val: unknown) {
          if (val && typeof val === 'object' && !Array.isArray(val))
            return Object.fromEntries(Object.entries(val as object).reverse());
          return val;
        });
        expect(canonicalJson(shuffled)).toBe(s);
      }),
    );
  });

  it('tells different values apart', () => {
    expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
    expect(canonicalJson({ 'a,"b"': 1 })).not.toBe(canonicalJson({ a: 1, b: 1 }));
  });

  it('refuses circular structures', () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(() => canonicalJson(o)).toThrow(/circular/);
  });
});

function entry(seq: number, prevHash: string, extra: Record<string, unknown> = {}): StoredAuditEntry {
  const e = {
    _id: `id-${seq}`,
    aggregateType: 'household',
    aggregateId: 'h1',
    seq,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)),
    actor: { system: 'test' },
    action: 'household.updated',
    areaPath: ['3607', '360731'],
    before: { n: seq - 1 },
    after: { n: seq },
    prevHash,
    ...extra,
  };
  return { ...e, hash: auditEntryHash(e) };
}

function chain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  for (let seq = 1; seq <= n; seq++) out.push(entry(seq, out.at(-1)?.hash ?? GENESIS_HASH));
  return out;
}

describe('auditEntryHash', () => {
  it('is sha256 of prevHash followed by the canonical JSON of the entry without its hash', () => {
    const e = entry(1, GENESIS_HASH);
    const { hash, ...rest } = e;
    expect(hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + canonicalJson(rest))
        .digest('hex'),
    );
    expect(auditEntryHash({ ...e, hash: 'anything' })).toBe(hash);
    expect(auditEntryHash({ ...e, after: { n: 2 } })).not.toBe(hash);
    expect(auditEntryHash({ ...e, prevHash: 'f'.repeat(64) })).not.toBe(hash);
  });
});

describe('checkAggregateChain', () => {
  const kinds = (entries: StoredAuditEntry[]) => checkAggregateChain(entries).map((p) => `${p.problem}@${p.seq}`);

  it('accepts an intact chain', () => {
    expect(checkAggregateChain(chain(5))).toEqual([]);
    expect(checkAggregateChain([])).toEqual([]);
  });

  it('finds a modified entry', () => {
    const c = chain(5);
    c[2] = { ...c[2]!, after: { n: 99 } };
    expect(kinds(c)).toEqual(['hash_mismatch@3']);
  });

  it('finds a modified and re-hashed entry by the broken link after it', () => {
    const c = chain(5);
    const { hash: _h, ...rest } = { ...c[2]!, after: { n: 99 } };
    c[2] = { ...rest, hash: auditEntryHash(rest) } as StoredAuditEntry;
    expect(kinds(c)).toEqual(['broken_link@4']);
  });

  it('finds a deleted entry (middle, first, several)', () => {
    const c = chain(6);
    expect(kinds([...c.slice(0, 2), ...c.slice(3)])).toEqual(['missing_seq@3', 'broken_link@4']);
    expect(kinds(c.slice(1))).toEqual(['missing_seq@1', 'broken_link@2']);
    const p = checkAggregateChain([c[0]!, ...c.slice(4)]);
    expect(p[0]).toMatchObject({ problem: 'missing_seq', seq: 2, detail: 'entry 2-4 missing (deleted)' });
  });

  it('finds reordered entries (seq numbers swapped)', () => {
    const c = chain(4);
    const swapped = [c[0]!, { ...c[2]!, seq: 2 }, { ...c[1]!, seq: 3 }, c[3]!];
    const found = kinds(swapped);
    expect(found).toEqual(expect.arrayContaining(['hash_mismatch@2', 'hash_mismatch@3', 'broken_link@2']));
  });

  it('finds a repeated seq', () => {
    const c = chain(3);
    // The copy repeats seq 2 and does not link to the entry before it (itself); entry 3 still links to 2.
    expect(kinds([c[0]!, c[1]!, c[1]!, c[2]!])).toEqual(['broken_link@2', 'broken_link@2']);
  });

  it('names the aggregate in every problem', () => {
    const c = chain(2);
    c[0] = { ...c[0]!, action: 'changed' };
    expect(checkAggregateChain(c)[0]).toMatchObject({ aggregateType: 'household', aggregateId: 'h1', seq: 1 });
  });
});
