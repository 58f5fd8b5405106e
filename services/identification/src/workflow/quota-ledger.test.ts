import type { Connection } from 'mongoose';
import { dropScratchDatabase, scratchDatabase } from '@shouwang/devstack';
import { QuotaLedger } from './quota-ledger';
import { VersionedWrites } from '@shouwang/kit';
import { WORKFLOW_COMMITS } from './recovery';

jest.setTimeout(60000);

/** The county quota ledger on the real FerretDB of infra/local, in a database of its own. */
let conn: Connection;
let ledger: QuotaLedger;

beforeAll(async () => {
  conn = await scratchDatabase('quota');
  ledger = await QuotaLedger.open(conn, await VersionedWrites.open(conn, WORKFLOW_COMMITS));
});

afterAll(() => dropScratchDatabase(conn));

let n = 0;
const county = () => `3607${String(31 + (n++ % 60)).padStart(2, '0')}-${n}`;

describe('QuotaLedger', () => {
  it('reserves within the limit, refuses beyond it, and counts holders once', async () => {
    const c = county();
    expect(await ledger.reserve(c, 'h1', { caseId: 'c1', persons: 3 }, 5)).toEqual({ ok: true, used: 3 });
    expect(await ledger.reserve(c, 'h2', { caseId: 'c2', persons: 3 }, 5)).toEqual({
      ok: false,
      reason: 'full',
      used: 3,
    });
    expect(await ledger.reserve(c, 'h1', { caseId: 'c3', persons: 1 }, 5)).toEqual({
      ok: false,
      reason: 'held',
      caseId: 'c1',
    });
    expect(await ledger.reserve(c, 'h2', { caseId: 'c2', persons: 2 }, 5)).toEqual({ ok: true, used: 5 });
    const usage = await ledger.usage(c);
    expect(usage.used).toBe(5);
    expect(Object.keys(usage.holders).sort()).toEqual(['h1', 'h2']);
  });

  it('releases a household once, and only what the named case reserved', async () => {
    const c = county();
    await ledger.reserve(c, 'h1', { caseId: 'c1', persons: 4 }, 10);
    expect(await ledger.release(c, 'h1', 'other-case')).toBe(0);
    expect(await ledger.release(c, 'h1')).toBe(4);
    expect(await ledger.release(c, 'h1')).toBe(0);
    expect(await ledger.usage(c)).toMatchObject({ used: 0, holders: {}, version: 2 });
    expect(await ledger.release(c, 'never-held')).toBe(0);
  });

  it('refuses a household id that cannot be a field name', async () => {
    await expect(ledger.reserve(county(), 'a.b', { caseId: 'c', persons: 1 }, 10)).rejects.toThrow(RangeError);
    await expect(ledger.reserve(county(), '$x', { caseId: 'c', persons: 1 }, 10)).rejects.toThrow(RangeError);
  });

  it('two reservations racing for the last places: exactly one wins (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const c = county();
      // 8 of 10 places taken; two households of 2 persons race for the last two.
      await ledger.reserve(c, 'base', { caseId: 'c0', persons: 8 }, 10);
      const results = await Promise.all([
        ledger.reserve(c, 'hA', { caseId: 'cA', persons: 2 }, 10),
        ledger.reserve(c, 'hB', { caseId: 'cB', persons: 2 }, 10),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, reason: 'full' });
      const usage = await ledger.usage(c);
      expect(usage.used).toBe(10);
      expect(Object.keys(usage.holders)).toHaveLength(2);
    }
  });

  it('one household reserving twice at once is counted once', async () => {
    for (let round = 0; round < 10; round++) {
      const c = county();
      const results = await Promise.all([
        ledger.reserve(c, 'h', { caseId: 'c1', persons: 3 }, 100),
        ledger.reserve(c, 'h', { caseId: 'c2', persons: 3 }, 100),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect((await ledger.usage(c)).used).toBe(3);
    }
  });
});
