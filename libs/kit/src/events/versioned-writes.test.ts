import type { Collection, Connection } from 'mongoose';
import { dropScratchDatabase, scratchDatabase } from '@shouwang/devstack';
import { insertManyNew } from '../infra/mongo';
import type { Producer } from 'kafkajs';
import type { Logger } from '../logger';
import { OutboxRelay, type OutboxEntry } from './outbox';
import { CLAIM_LEASE_MS, VersionedWrites } from './versioned-writes';

jest.setTimeout(60000);

/** VersionedWrites on the real FerretDB of infra/local, with a toy aggregate { _id, version, n }. */
let conn: Connection;
let writes: VersionedWrites;
let things: Collection<{ _id: string; version: number; n: number }>;

beforeAll(async () => {
  conn = await scratchDatabase('vwrites');
  writes = await VersionedWrites.open(conn, 'commits');
  things = conn.collection('things');
});

afterAll(() => dropScratchDatabase(conn));

const event = (id: string): OutboxEntry => ({
  id,
  topic: 't',
  key: 'k',
  type: 'x',
  value: Buffer.from(id),
  traceparent: '',
  createdAt: new Date(),
});

let seq = 0;
async function thing(): Promise<string> {
  const _id = `thing-${seq++}`;
  await things.insertOne({ _id, version: 1, n: 0 });
  return _id;
}

const incrementOf = (id: string, from: number) => () =>
  things.findOneAndUpdate(
    { _id: id, $or: [{ version: from }] },
    { $inc: { n: 1 }, $set: { version: from + 1 } },
    { returnDocument: 'after' },
  );

function increment(id: string, from: number, events: OutboxEntry[] = [], write = incrementOf(id, from)) {
  return writes.move(
    `thing:${id}`,
    from,
    events,
    async () => (await things.findOne({ _id: id }))?.version === from,
    write,
  );
}

const commitsOf = (id: string) =>
  writes.coll
    .find({ aggregate: `thing:${id}` })
    .sort({ _id: 1 })
    .toArray();

describe('VersionedWrites', () => {
  it('of five concurrent moves from one version exactly one applies, and only its events are released', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await thing();
      const results = await Promise.all([0, 1, 2, 3, 4].map((i) => increment(id, 1, [event(`${id}-${i}`)])));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await things.findOne({ _id: id })).toMatchObject({ version: 2, n: 1 });
      const commits = await writes.coll.find({ aggregate: `thing:${id}` }).toArray();
      expect(commits).toHaveLength(1);
      expect(commits[0]).toMatchObject({ version: 2, _outboxPending: true });
      expect(commits[0]!.open).toBeUndefined();
    }
  });

  it('a write that does not apply drops its events', async () => {
    const id = await thing();
    expect(await increment(id, 5, [event('never')])).toBeNull(); // the thing is at version 1
    const [c] = await writes.coll.find({ aggregate: `thing:${id}` }).toArray();
    expect(c).toMatchObject({ _outbox: [] });
    expect(c!._outboxPending).toBeUndefined();
  });

  it('takes over the claim of a writer that died before writing, dropping its events', async () => {
    const id = await thing();
    const dead = `thing:${id}@2#0`;
    await writes.coll.insertOne({
      _id: dead,
      aggregate: `thing:${id}`,
      version: 2,
      at: new Date(Date.now() - CLAIM_LEASE_MS - 1000),
      open: true,
      _outbox: [event('ghost')],
    });
    expect(await increment(id, 1, [event('real')])).toMatchObject({ version: 2 });
    expect(await writes.coll.findOne({ _id: dead })).toMatchObject({ _outbox: [] });
    expect(await writes.coll.findOne({ _id: `thing:${id}@2#1` })).toMatchObject({ _outboxPending: true });
  });

  it('a fresh claim of a live writer is not taken over', async () => {
    const id = await thing();
    await writes.coll.insertOne({
      _id: `thing:${id}@2#0`,
      aggregate: `thing:${id}`,
      version: 2,
      at: new Date(),
      open: true,
    });
    expect(await increment(id, 1)).toBeNull();
    expect(await things.findOne({ _id: id })).toMatchObject({ version: 1, n: 0 });
  });

  it('recover releases the events of a write whose writer died before releasing them', async () => {
    const id = await thing();
    await things.updateOne({ _id: id }, { $set: { version: 2 } }); // the write happened
    const old = new Date(Date.now() - CLAIM_LEASE_MS - 1000);
    await writes.coll.insertOne({
      _id: `thing:${id}@2#0`,
      aggregate: `thing:${id}`,
      version: 2,
      at: old,
      open: true,
      _outbox: [event('e')],
    });
    // And one whose write never happened (version 3 was never reached): left alone.
    await writes.coll.insertOne({
      _id: `thing:${id}@3#0`,
      aggregate: `thing:${id}`,
      version: 3,
      at: old,
      open: true,
      _outbox: [event('f')],
    });
    const released = await writes.recover(async (aggregate) =>
      aggregate === `thing:${id}` ? ((await things.findOne({ _id: id }))?.version ?? null) : null,
    );
    expect(released).toBe(1);
    expect(await writes.coll.findOne({ _id: `thing:${id}@2#0` })).toMatchObject({ _outboxPending: true });
    expect((await writes.coll.findOne({ _id: `thing:${id}@3#0` }))!._outboxPending).toBeUndefined();
  });
  it('after a write that did not apply, the next writer from that version moves the aggregate', async () => {
    const id = await thing();
    // The thing was at version 1, yet this write did not apply (say its other condition failed).
    expect(await increment(id, 1, [event('no')], async () => null)).toBeNull();
    expect(await increment(id, 1, [event('yes')])).toMatchObject({ version: 2, n: 1 });
    const commits = await commitsOf(id);
    expect(commits.map((c) => [c._id, c.abandoned ?? false, c._outboxPending ?? false])).toEqual([
      [`thing:${id}@2#0`, true, false],
      [`thing:${id}@2#1`, false, true],
    ]);
  });

  it('a write that failed after it applied still releases its events; one that failed before, drops them', async () => {
    const applied = await thing();
    await expect(
      increment(applied, 1, [event('kept')], async () => {
        await incrementOf(applied, 1)();
        throw new Error('connection lost after the write');
      }),
    ).rejects.toThrow('connection lost');
    expect((await commitsOf(applied))[0]).toMatchObject({ _outboxPending: true, _outbox: [{ id: 'kept' }] });

    const notApplied = await thing();
    await expect(
      increment(notApplied, 1, [event('dropped')], async () => {
        throw new Error('connection lost before the write');
      }),
    ).rejects.toThrow('connection lost');
    expect((await commitsOf(notApplied))[0]).toMatchObject({ abandoned: true, _outbox: [] });
    expect(await increment(notApplied, 1)).toMatchObject({ version: 2, n: 1 });
  });

  it('create inserts once: of three concurrent creations of one aggregate one stores, and only its events leave', async () => {
    const _id = `created-${seq++}`;
    const results = await Promise.all(
      [0, 1, 2].map((i) => writes.create(`thing:${_id}`, [event(`${_id}-${i}`)], things, { _id, version: 1, n: i })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const stored = await things.findOne({ _id });
    const released = (await commitsOf(_id)).filter((c) => c._outboxPending);
    expect(released.flatMap((c) => c._outbox!.map((e) => e.id))).toEqual([`${_id}-${stored!.n}`]);
    // A replayed creation changes nothing.
    expect(await writes.create(`thing:${_id}`, [event('again')], things, { _id, version: 1, n: 9 })).toBe(false);
    expect(await things.findOne({ _id })).toMatchObject({ n: stored!.n });
  });

  it('createMany: one insert of the commits, one of the aggregates; existing ones refused, a dead claim taken over', async () => {
    const ids = [0, 1, 2, 3].map(() => `new-${seq++}`);
    await things.insertOne({ _id: ids[1]!, version: 1, n: 0 }); // exists without a commit (written before commits)
    await writes.coll.insertOne({
      _id: `thing:${ids[2]}@1#0`,
      aggregate: `thing:${ids[2]}`,
      version: 1,
      at: new Date(Date.now() - CLAIM_LEASE_MS - 1000),
      open: true,
      _outbox: [event('ghost-2')],
    });
    const inserts: number[][] = [];
    const created = await writes.createMany(
      ids.map((id) => ({ aggregate: `thing:${id}`, events: [event(`e-${id}`)] })),
      async (positions) => {
        inserts.push(positions);
        const refused = await insertManyNew(
          things,
          positions.map((i) => ({ _id: ids[i]!, version: 1, n: 0 })),
        );
        return new Set([...refused].map((j) => positions[j]!));
      },
      async (i) => (await things.findOne({ _id: ids[i]! })) === null,
    );
    expect([...created].sort()).toEqual([0, 2, 3]);
    expect(inserts).toEqual([[0, 1, 3], [2]]); // one bulk insert; the dead claim's aggregate on its own
    // The events of those it created leave in one batch commit; the refused one's are dropped.
    const [batch, ...more] = await writes.coll.find({ parts: { $exists: true } }).toArray();
    expect(more).toHaveLength(0);
    expect(batch).toMatchObject({
      _outboxPending: true,
      _outboxSealed: true,
      parts: [0, 3].map((i) => ({ aggregate: `thing:${ids[i]}`, events: 1 })),
      _outbox: [0, 3].map((i) => ({ id: `e-${ids[i]}` })),
    });
    expect(batch!.open).toBeUndefined();
    expect(await writes.coll.findOne({ _id: `thing:${ids[0]}@1#0` })).toMatchObject({ batch: batch!._id });
    expect(await writes.coll.findOne({ _id: `thing:${ids[2]}@1#0` })).toMatchObject({ abandoned: true, _outbox: [] });
    expect(await writes.coll.findOne({ _id: `thing:${ids[2]}@1#1` })).toMatchObject({
      _outboxPending: true,
      _outbox: [{ id: `e-${ids[2]}` }],
    });
    // A second creation of the same aggregates creates nothing (a re-import).
    const again = await writes.createMany(
      ids.map((id) => ({ aggregate: `thing:${id}`, events: [event(`again-${id}`)] })),
      async () => {
        throw new Error('nothing to insert');
      },
      async (i) => (await things.findOne({ _id: ids[i]! })) === null,
    );
    expect(again.size).toBe(0);
  });

  it('recover releases the events of a crashed bulk creation for the aggregates it wrote, and only those', async () => {
    const [written, notWritten, takenOver] = [0, 1, 2].map(() => `bulk-${seq++}`);
    const old = new Date(Date.now() - CLAIM_LEASE_MS - 1000);
    const batchId = `batch:crashed-${seq++}#0`;
    await writes.coll.insertOne({
      _id: batchId,
      aggregate: batchId,
      version: 1,
      at: old,
      open: true,
      parts: [written, notWritten, takenOver].map((id) => ({ aggregate: `thing:${id}`, events: 1 })),
      _outbox: [event(`w-${written}`), event(`n-${notWritten}`), event(`t-${takenOver}`)],
      _outboxSealed: true,
    });
    for (const id of [written, notWritten, takenOver])
      await writes.coll.insertOne({
        _id: `thing:${id}@1#0`,
        aggregate: `thing:${id}`,
        version: 1,
        at: old,
        batch: batchId,
      });
    await things.insertMany([written, takenOver].map((id) => ({ _id: id, version: 1, n: 0 })));
    await writes.coll.insertOne({
      _id: `thing:${takenOver}@1#1`,
      aggregate: `thing:${takenOver}`,
      version: 1,
      at: old,
    });
    await writes.recoverByType({ 'thing:': async (id) => (await things.findOne({ _id: id }))?.version ?? null });
    expect(await writes.coll.findOne({ _id: batchId })).toMatchObject({
      _outboxPending: true,
      parts: [{ aggregate: `thing:${written}`, events: 1 }],
      _outbox: [{ id: `w-${written}` }],
    });
  });

  it('recoverByType looks each aggregate type up by its own id', async () => {
    const id = await thing();
    await things.updateOne({ _id: id }, { $set: { version: 2 } });
    await writes.coll.insertOne({
      _id: `thing:${id}@2#0`,
      aggregate: `thing:${id}`,
      version: 2,
      at: new Date(Date.now() - CLAIM_LEASE_MS - 1000),
      open: true,
      _outbox: [event('r')],
    });
    const asked: string[] = [];
    await writes.recoverByType({
      'thing:': async (thingId) => {
        asked.push(thingId);
        return (await things.findOne({ _id: thingId }))?.version ?? null;
      },
    });
    expect(asked).toContain(id);
    expect(await writes.coll.findOne({ _id: `thing:${id}@2#0` })).toMatchObject({ _outboxPending: true });
  });

  it('adopts the pending events an aggregate kept in its own document, once', async () => {
    const legacy = conn.collection<{ _id: string; version: number; _outbox?: OutboxEntry[]; _outboxPending?: boolean }>(
      `legacy_${seq++}`,
    );
    await legacy.insertMany([
      { _id: 'a', version: 3, _outbox: [event('a1'), event('a2')], _outboxPending: true },
      { _id: 'b', version: 1 },
    ]);
    expect(await writes.adoptEmbeddedOutbox(legacy, (id) => `legacy:${id}`)).toBe(2);
    expect(await writes.adoptEmbeddedOutbox(legacy, (id) => `legacy:${id}`)).toBe(0);
    expect(await legacy.findOne({ _id: 'a' })).toEqual({ _id: 'a', version: 3 });
    const adopted = await writes.coll.find({ aggregate: 'legacy:a' }).toArray();
    expect(adopted).toHaveLength(1);
    expect(adopted[0]).toMatchObject({ version: 3, _outboxPending: true, _outbox: [{ id: 'a1' }, { id: 'a2' }] });
  });
  it('the relay publishes released commits only, a batch commit in one request, and clears each in one write', async () => {
    const ids = [0, 1, 2].map(() => `relay-${seq++}`);
    await writes.createMany(
      ids.map((id) => ({ aggregate: `thing:${id}`, events: [event(`r-${id}`)] })),
      async (positions) => {
        await things.insertMany(positions.map((i) => ({ _id: ids[i]!, version: 1, n: 0 })));
        return new Set();
      },
      async () => true,
    );
    await increment(ids[0]!, 1, [event(`r2-${ids[0]}`)]);
    const sent: string[][] = [];
    const producer = {
      sendBatch: async (b: { topicMessages: { messages: { headers: Record<string, string> }[] }[] }) => {
        sent.push(b.topicMessages.flatMap((t) => t.messages.map((m) => m.headers['event-id']!)));
        return [];
      },
    };
    const logger = { debug: () => {}, warn: () => {} };
    const relay = new OutboxRelay({
      collections: [writes.coll],
      producer: producer as unknown as Producer,
      logger: logger as unknown as Logger,
      pollMs: 1000,
    });
    relay.start();
    for (let i = 0; i < 200 && (await writes.coll.countDocuments({ _outboxPending: true })) > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    await relay.stop();
    const mine = sent.filter((ids_) => ids_.some((id) => id.startsWith('r')));
    expect(mine).toContainEqual(ids.map((id) => `r-${id}`));
    expect(mine).toContainEqual([`r2-${ids[0]}`]);
    expect(await writes.coll.countDocuments({ _outboxPending: true })).toBe(0);
    const [batch] = await writes.coll.find({ aggregate: { $regex: '^batch:' }, parts: { $size: 3 } }).toArray();
    expect(batch).toMatchObject({ _outbox: [] });
  });
});
