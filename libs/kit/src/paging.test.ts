import fc from 'fast-check';
import { keysetToken, pageRequest, parseKeysetToken } from './paging';

const limits = { defaultSize: 20, maxSize: 200 };

describe('keyset page tokens', () => {
  it('give back the key and id they were made of, whatever the strings', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, id) => {
        expect(parseKeysetToken(keysetToken(key, id))).toEqual({ key, id });
      }),
    );
  });

  it.each([
    ['not base64url JSON', '%%%'],
    ['JSON but not a pair', Buffer.from('{"a":1}').toString('base64url')],
    ['a pair of numbers', Buffer.from('[1,2]').toString('base64url')],
    ['three strings', Buffer.from('["a","b","c"]').toString('base64url')],
    ['empty', ''],
  ])('refuse %s', (_what, token) => {
    expect(parseKeysetToken(token)).toBeUndefined();
  });
});

describe('pageRequest', () => {
  it.each([
    [{}, 20, []],
    [{ pageSize: 0 }, 20, []],
    [{ pageSize: 1 }, 1, []],
    [{ pageSize: 200 }, 200, []],
    [{ pageSize: 201 }, 201, ['pageSize']],
    [{ pageSize: -1 }, -1, ['pageSize']],
    [{ pageSize: 2.5 }, 2.5, ['pageSize']],
    [{ pageToken: 'nonsense' }, 20, ['pageToken']],
    [{ pageSize: 500, pageToken: 'nonsense' }, 500, ['pageSize', 'pageToken']],
  ])('%j: size %d, issues on %j', (req, size, fields) => {
    const page = pageRequest(req, limits);
    expect(page.size).toBe(size);
    expect(page.issues.map((i) => i.field)).toEqual(fields);
    expect(page.issues.every((i) => i.message && i.messageZh)).toBe(true);
  });

  it("maps a good token to the store's cursor, and calls a token whose key does not parse invalid", () => {
    const asDate = ({ key, id }: { key: string; id: string }) => {
      const at = new Date(key);
      return Number.isNaN(at.getTime()) ? undefined : { at, id };
    };
    const good = pageRequest({ pageToken: keysetToken('2026-11-30T00:00:00.000Z', 'w1') }, limits, asDate);
    expect(good).toEqual({ size: 20, after: { at: new Date('2026-11-30T00:00:00.000Z'), id: 'w1' }, issues: [] });
    const bad = pageRequest({ pageToken: keysetToken('yesterday', 'w1') }, limits, asDate);
    expect(bad.after).toBeUndefined();
    expect(bad.issues).toEqual([expect.objectContaining({ field: 'pageToken', code: 'invalid_page_token' })]);
  });
});
