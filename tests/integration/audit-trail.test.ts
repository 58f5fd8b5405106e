import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { infraEnv, scratchDatabase } from '@shouwang/devstack';
import { AppError } from '@shouwang/kit';
import {
  AUDIT_COLLECTION,
  AuditTrail,
  GENESIS_HASH,
  auditEntryHash,
  type AuditActor,
  type AuditEntry,
  type AuditTrailOptions,
} from '@shouwang/kit';
import { runAuditCli } from '../../libs/kit/src/audit/audit-cli';

jest.setTimeout(120000);

/**
 * ARCHITECTURE.md "Security": every state change is in an append-only, tamper-evident audit trail.
 * Runs against the real FerretDB of infra/local, each block in a database of its own.
 */

const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
const minutes = (n: number) => new Date(T0 + n * 60_000);
const ID = '36070219750304123X';
const cadre = (id: string, areaCode: string): AuditActor => ({
  id,
  username: `cadre.${areaCode}`,
  role: 'village_cadre',
  areaCode,
});
const system: AuditActor = { system: 'reporting-consumer' };

const openDbs: { conn: Connection; drop: boolean }[] = [];

async function freshDb(): Promise<{ conn: Connection; uri: string }> {
  const conn = await scratchDatabase('audit');
  const uri = `${infraEnv().mongoBase}/${conn.name}`;
  openDbs.push({ conn, drop: true });
  return { conn, uri };
}

async function extraConnection(uri: string): Promise<Connection> {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  openDbs.push({ conn, drop: false });
  return conn;
}

afterAll(async () => {
  for (const { conn, drop } of openDbs.reverse()) {
    if (drop) await conn.db?.dropDatabase();
    await conn.close();
  }
});

/** A settable clock, so time filters and identical timestamps can be tested. */
function clock(start = T0) {
  let now = start;
  return {
    opts: { clock: () => new Date(now) } satisfies AuditTrailOptions,
    set: (d: Date) => {
      now = d.getTime();
    },
  };
}

function household(n: number) {
  return {
    areaCode: '360731101201',
    address: `于都县某村${n}组`,
    members: [{ name: '张三', relation: 'head', idNumber: ID, phone: '13812345678' }],
    bankAccount: '6228480012345678901',
    version: n,
  };
}

describe('appending', () => {
  let conn: Connection;
  let trail: AuditTrail;
  beforeAll(async () => {
    ({ conn } = await freshDb());
    trail = await AuditTrail.open(conn);
  });

  it('chains entries per aggregate: seq 1, 2, 3 with prevHash links, stored exactly as returned', async () => {
    const actor = cadre('u-1', '360731101201');
    const e1 = await trail.append({
      aggregateType: 'household',
      aggregateId: 'h-chain',
      actor,
      action: 'household.registered',
      areaCode: '360731101201',
      after: household(1),
    });
    const e2 = await trail.append({
      aggregateType: 'household',
      aggregateId: 'h-chain',
      actor,
      action: 'household.updated',
      areaCode: '360731101201',
      before: household(1),
      after: household(2),
    });
    const other = await trail.append({
      aggregateType: 'household',
      aggregateId: 'h-other',
      actor: system,
      action: 'household.registered',
      areaCode: '360731101202',
      after: { version: 1 },
    });
    const e3 = await trail.append({
      aggregateType: 'household',
      aggregateId: 'h-chain',
      actor,
      action: 'household.removed',
      areaCode: '360731101201',
      before: household(2),
    });

    expect([e1.seq, e2.seq, e3.seq, other.seq]).toEqual([1, 2, 3, 1]);
    expect(e1.prevHash).toBe(GENESIS_HASH);
    expect(e2.prevHash).toBe(e1.hash);
    expect(e3.prevHash).toBe(e2.hash);
    expect(other.prevHash).toBe(GENESIS_HASH);
    expect(e1.before).toBeNull();
    expect(e3.after).toBeNull();
    expect(e1.areaPath).toEqual(['3607', '360731', '360731101', '360731101201']);
    expect(e1.actor).toEqual(actor);
    expect(other.actor).toEqual({ system: 'reporting-consumer' });
    expect(e2.at.getTime()).toBeGreaterThanOrEqual(e1.at.getTime());

    const stored = await conn.collection(AUDIT_COLLECTION).findOne({ _id: e2._id as never });
    expect(stored).toEqual(e2);
    expect(await trail.head('household', 'h-chain')).toEqual(e3);
    expect(await trail.verify({ aggregateId: 'h-chain' })).toEqual({
      ok: true,
      checked: 3,
      aggregates: 1,
      problems: [],
    });
  });

  it('keeps personal data out of the trail in clear', async () => {
    const raw = JSON.stringify(await conn.collection(AUDIT_COLLECTION).find({}).toArray());
    expect(raw).not.toContain(ID);
    expect(raw).not.toContain('13812345678');
    expect(raw).not.toContain('6228480012345678901');
    expect(raw).toContain('360702********123X');
    expect(raw).toContain('*******5678');
    expect(raw).toContain('***************8901');
  });

  it('has the unique (aggregateType, aggregateId, seq) index in the database', async () => {
    const head = (await trail.head('household', 'h-chain'))!;
    await expect(
      conn.collection(AUDIT_COLLECTION).insertOne({ ...head, _id: 'forged' as never, hash: 'x' }),
    ).rejects.toMatchObject({ code: 11000 });
    const indexes = await conn.collection(AUDIT_COLLECTION).indexes();
    expect(indexes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: { aggregateType: 1, aggregateId: 1, seq: 1 }, unique: true }),
      ]),
    );
  });

  it('gives 20 concurrent appends to one aggregate, from two connections, seq 1..20 and an intact chain', async () => {
    const second = await AuditTrail.open(await extraConnection(`${infraEnv().mongoBase}/${conn.name}`));
    const appended = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? second : trail).append({
          aggregateType: 'quota',
          aggregateId: 'q-360731',
          actor: system,
          action: 'quota.consumed',
          areaCode: '360731',
          before: { used: i },
          after: { used: i + 1 },
        }),
      ),
    );
    expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const stored = await conn
      .collection<AuditEntry>(AUDIT_COLLECTION)
      .find({ aggregateId: 'q-360731' })
      .sort({ seq: 1 })
      .toArray();
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    stored.forEach((e, i) => expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : stored[i - 1]!.hash));
    expect(await trail.verify({ aggregateId: 'q-360731' })).toMatchObject({ ok: true, checked: 20, problems: [] });
  });

  it('gives up after a bounded number of attempts with a conflict error', async () => {
    const impatient = await AuditTrail.open(conn, { maxAttempts: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        impatient.append({
          aggregateType: 'quota',
          aggregateId: 'q-busy',
          actor: system,
          action: 'quota.consumed',
          areaCode: '360731',
        }),
      ),
    );
    const rejected = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
    expect(rejected.length).toBeGreaterThan(0);
    for (const e of rejected) expect(e).toMatchObject({ kind: 'conflict', code: 'audit_append_contention' });
    expect((await trail.verify({ aggregateId: 'q-busy' })).ok).toBe(true);
  });

  it('refuses bad input before writing anything', async () => {
    const base = { aggregateType: 'household', aggregateId: 'h-bad', actor: system, action: 'x', areaCode: '3607' };
    await expect(trail.append({ ...base, areaCode: '36073' })).rejects.toMatchObject({ code: 'invalid_area_code' });
    await expect(trail.append({ ...base, aggregateId: '' })).rejects.toBeInstanceOf(AppError);
    await expect(trail.append({ ...base, actor: { id: 'u' } as AuditActor })).rejects.toMatchObject({
      field: 'actor.username',
    });
    expect(await trail.head('household', 'h-bad')).toBeNull();
  });
});

describe('listing', () => {
  let trail: AuditTrail;
  const all: AuditEntry[] = [];
  const A = '360731101201'; // 于都县 village
  const B = '360731102203'; // another village of the same county
  const C = '360732101201'; // a village of another county

  beforeAll(async () => {
    const { conn } = await freshDb();
    const time = clock();
    trail = await AuditTrail.open(conn, time.opts);
    const plan: [number, string, string, AuditActor, string][] = [
      [0, 'h-a1', A, cadre('u-a', A), 'household.registered'],
      [1, 'h-b1', B, cadre('u-b', B), 'household.registered'],
      [2, 'h-a1', A, cadre('u-a', A), 'household.updated'],
      [3, 'h-c1', C, cadre('u-c', C), 'household.registered'],
      [4, 'h-a2', A, cadre('u-a', A), 'household.registered'],
      [5, 'h-b1', B, system, 'household.assessed'],
      [6, 'h-c1', C, cadre('u-c', C), 'household.updated'],
      [7, 'h-a1', A, system, 'household.assessed'],
      // Four entries in the same millisecond: pages must still not skip or repeat any.
      [8, 'h-a1', A, cadre('u-a', A), 'household.updated'],
      [8, 'h-b1', B, cadre('u-b', B), 'household.updated'],
      [8, 'h-c1', C, system, 'household.assessed'],
      [8, 'h-a2', A, cadre('u-a', A), 'household.updated'],
    ];
    for (const [m, aggregateId, areaCode, actor, action] of plan) {
      time.set(minutes(m));
      all.push(await trail.append({ aggregateType: 'household', aggregateId, actor, action, areaCode, after: { m } }));
    }
  });

  const ids = (entries: AuditEntry[]) => entries.map((e) => e._id).sort();
  const expected = (keep: (e: AuditEntry) => boolean) => ids(all.filter(keep));
  const everything = async (filter: Parameters<AuditTrail['list']>[0]) =>
    (await trail.list(filter, { limit: 200 })).entries;

  it('lists newest first', async () => {
    const { entries, nextCursor } = await trail.list();
    expect(entries).toHaveLength(all.length);
    expect(nextCursor).toBeNull();
    for (let i = 1; i < entries.length; i++)
      expect(entries[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(entries[i]!.at.getTime());
    expect(entries.at(-1)!._id).toBe(all[0]!._id);
  });

  it('filters by area at every level (equality on areaPath)', async () => {
    expect(ids(await everything({ areaCode: A }))).toEqual(expected((e) => e.areaPath.at(-1) === A));
    expect(ids(await everything({ areaCode: '360731' }))).toEqual(expected((e) => e.areaPath.at(-1) !== C));
    expect(ids(await everything({ areaCode: '360731101' }))).toEqual(expected((e) => e.areaPath.at(-1) === A));
    expect(ids(await everything({ areaCode: '360732' }))).toEqual(expected((e) => e.areaPath.at(-1) === C));
    expect(await everything({ areaCode: '3607' })).toHaveLength(all.length);
    expect(await everything({ areaCode: '360733' })).toHaveLength(0);
    await expect(trail.list({ areaCode: '36073' })).rejects.toMatchObject({ kind: 'invalid_argument' });
  });

  it('filters by aggregate, actor, action and time, and by several at once', async () => {
    expect(ids(await everything({ aggregateId: 'h-a1' }))).toEqual(expected((e) => e.aggregateId === 'h-a1'));
    expect((await everything({ aggregateId: 'h-a1' })).map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(ids(await everything({ actorId: 'u-b' }))).toEqual(expected((e) => 'id' in e.actor && e.actor.id === 'u-b'));
    expect(ids(await everything({ action: 'household.assessed' }))).toEqual(
      expected((e) => e.action === 'household.assessed'),
    );
    expect(ids(await everything({ from: minutes(2), to: minutes(5) }))).toEqual(
      expected((e) => e.at >= minutes(2) && e.at < minutes(5)),
    );
    expect(await everything({ from: minutes(8) })).toHaveLength(4);
    expect(await everything({ to: minutes(0) })).toHaveLength(0);
    expect(ids(await everything({ areaCode: '360731', actorId: 'u-a', from: minutes(1) }))).toEqual(
      expected((e) => e.areaPath.includes('360731') && 'id' in e.actor && e.actor.id === 'u-a' && e.at >= minutes(1)),
    );
    expect(ids(await everything({ aggregateType: 'household', aggregateId: 'h-c1', actorId: 'u-c' }))).toEqual(
      expected((e) => e.aggregateId === 'h-c1' && 'id' in e.actor),
    );
  });

  it.each([1, 3, 5])('pages through everything, newest first, without gaps or repeats (limit %i)', async (limit) => {
    const seen: AuditEntry[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await trail.list({}, { limit, cursor });
      expect(page.entries.length).toBeLessThanOrEqual(limit);
      seen.push(...page.entries);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen.map((e) => e._id)).toEqual((await trail.list({}, { limit: 200 })).entries.map((e) => e._id));
    expect(new Set(seen.map((e) => e._id)).size).toBe(all.length);
  });

  it('pages within a filter', async () => {
    const first = await trail.list({ areaCode: '360731' }, { limit: 4 });
    expect(first.nextCursor).not.toBeNull();
    const second = await trail.list({ areaCode: '360731' }, { limit: 4, cursor: first.nextCursor! });
    const rest = await trail.list({ areaCode: '360731' }, { limit: 200, cursor: second.nextCursor! });
    expect(ids([...first.entries, ...second.entries, ...rest.entries])).toEqual(
      expected((e) => e.areaPath.at(-1) !== C),
    );
    expect(rest.nextCursor).toBeNull();
  });

  it('refuses a page size over 200 and a cursor it did not issue', async () => {
    await expect(trail.list({}, { limit: 201 })).rejects.toMatchObject({ kind: 'invalid_argument', field: 'limit' });
    await expect(trail.list({}, { limit: 0 })).rejects.toMatchObject({ field: 'limit' });
    await expect(trail.list({}, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ field: 'cursor' });
    await expect(trail.list({ aggregateId: { $ne: null } as unknown as string })).rejects.toMatchObject({
      field: 'aggregateId',
    });
  });
});

describe('tampering', () => {
  let conn: Connection;
  let uri: string;
  let trail: AuditTrail;
  const log = () => conn.collection<AuditEntry>(AUDIT_COLLECTION);
  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    const code = await runAuditCli(
      args,
      {},
      (l) => lines.push(l),
      (t) => lines.push(t),
    );
    return { code, output: lines.join('\n') };
  };
  const problems = async (aggregateId?: string) =>
    (await trail.verify({ aggregateId })).problems.map((p) => `${p.aggregateId} ${p.problem}@${p.seq}`);

  beforeAll(async () => {
    ({ conn, uri } = await freshDb());
    trail = await AuditTrail.open(conn);
    for (const id of ['h-modify', 'h-delete', 'h-reorder', 'h-rehash', 'h-clean'])
      for (let v = 1; v <= 5; v++)
        await trail.append({
          aggregateType: 'household',
          aggregateId: id,
          actor: cadre('u-1', '360731101201'),
          action: v === 1 ? 'household.registered' : 'household.updated',
          areaCode: '360731101201',
          before: v === 1 ? null : { version: v - 1 },
          after: { version: v, idNumber: ID },
        });
  });

  it('a clean trail verifies, and the CLI exits 0', async () => {
    expect(await trail.verify()).toEqual({ ok: true, checked: 25, aggregates: 5, problems: [] });
    const { code, output } = await cli('verify', '--mongodb-uri', uri);
    expect(output).toContain('25 entries in 5 aggregate(s) checked, every chain intact');
    expect(code).toBe(0);
  });

  it('a modified `after` is a hash_mismatch, reported by verify and by the CLI (exit 1)', async () => {
    const r = await log().updateOne({ aggregateId: 'h-modify', seq: 3 }, { $set: { 'after.version': 99 } });
    expect(r.modifiedCount).toBe(1);
    expect(await problems()).toEqual(['h-modify hash_mismatch@3']);
    const { code, output } = await cli('verify', '--mongodb-uri', uri);
    expect(output).toMatch(/hash_mismatch\thousehold h-modify\tseq 3\t/);
    expect(output).toContain('1 problem(s) found');
    expect(code).toBe(1);
    // One clean aggregate still verifies on its own.
    expect((await cli('verify', '--mongodb-uri', uri, '--aggregate', 'h-clean')).code).toBe(0);
  });

  it('a deleted middle entry is a missing seq and a broken link', async () => {
    const r = await log().deleteOne({ aggregateId: 'h-delete', seq: 2 });
    expect(r.deletedCount).toBe(1);
    expect(await problems('h-delete')).toEqual(['h-delete missing_seq@2', 'h-delete broken_link@3']);
    const { code, output } = await cli('verify', '--aggregate', 'h-delete', '--json', '--mongodb-uri', uri);
    expect(code).toBe(1);
    expect(JSON.parse(output)).toMatchObject({
      ok: false,
      checked: 4,
      problems: [
        { aggregateId: 'h-delete', seq: 2, problem: 'missing_seq' },
        { aggregateId: 'h-delete', seq: 3, problem: 'broken_link' },
      ],
    });
  });

  it('reordered entries (seq numbers swapped) are reported', async () => {
    await log().updateOne({ aggregateId: 'h-reorder', seq: 2 }, { $set: { seq: 1000 } });
    await log().updateOne({ aggregateId: 'h-reorder', seq: 3 }, { $set: { seq: 2 } });
    await log().updateOne({ aggregateId: 'h-reorder', seq: 1000 }, { $set: { seq: 3 } });
    const found = await problems('h-reorder');
    expect(found).toEqual(
      expect.arrayContaining(['h-reorder hash_mismatch@2', 'h-reorder hash_mismatch@3', 'h-reorder broken_link@2']),
    );
  });

  it('an entry modified and re-hashed breaks the link of the next one', async () => {
    const e = (await log().findOne({ aggregateId: 'h-rehash', seq: 4 }))!;
    const forged = { ...e, after: { version: 4, note: 'forged' } };
    await log().replaceOne({ _id: e._id }, { ...forged, hash: auditEntryHash(forged) });
    expect(await problems('h-rehash')).toEqual(['h-rehash broken_link@5']);
  });

  it('the whole database reports every problem, and appends still chain onto the current head', async () => {
    const result = await trail.verify();
    expect(result.ok).toBe(false);
    expect(result.checked).toBe(24);
    expect(new Set(result.problems.map((p) => p.aggregateId))).toEqual(
      new Set(['h-modify', 'h-delete', 'h-reorder', 'h-rehash']),
    );
    const next = await trail.append({
      aggregateType: 'household',
      aggregateId: 'h-clean',
      actor: system,
      action: 'household.assessed',
      areaCode: '360731101201',
    });
    expect(next.seq).toBe(6);
    expect((await trail.verify({ aggregateId: 'h-clean' })).ok).toBe(true);
  });

  it('the CLI exits 2 when it cannot check, and 0 on an empty database with a warning', async () => {
    const noUri = await cli('verify');
    expect(noUri.code).toBe(2);
    expect(noUri.output).toContain('pass --mongodb-uri or set MONGODB_URI');
    expect((await cli('verify', '--bogus')).code).toBe(2);
    const empty = `${infraEnv().mongoBase}/shouwang_audit_test_empty_${randomBytes(4).toString('hex')}`;
    const r = await cli('verify', '--mongodb-uri', empty);
    expect(r.code).toBe(0);
    expect(r.output).toContain('warning: no audit entries');
  });
});
