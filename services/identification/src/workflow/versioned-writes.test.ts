import { randomBytes } from 'node:crypto';
import mongoose, { type Collection, type Connection } from 'mongoose';
import { infraEnv, portOpen } from '@shouwang/devstack';
import type { OutboxEntry } from '@shouwang/kit';
import { CLAIM_LEASE_MS, VersionedWrites } from './versioned-writes';

jest.setTimeout(60000);

/** VersionedWrites on the real FerretDB of infra/local, with a toy aggregate { _id, version, n }. */
let conn: Connection;
let writes: VersionedWrites;
let things: Collection<{ _id: string; version: number; n: number }>;

beforeAll(async () => {
  const { mongoBase, mongoPort } = infraEnv();
  if (!(await portOpen(mongoPort)))
    throw new Error(`FerretDB is not running on 127.0.0.1:${mongoPort}; run \`bash infra/local/up.sh\``);
  conn = await mongoose
    .createConnection(`${mongoBase}/shouwang_vwrites_test_${randomBytes(4).toString('hex')}`, {
      serverSelectionTimeoutMS: 5000,
    })
    .asPromise();
  writes = await VersionedWrites.open(conn);
  things = conn.collection('things');
});

afterAll(async () => {
  await conn.db?.dropDatabase();
  await conn.close();
});

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

function increment(id: string, from: number, events: OutboxEntry[] = []) {
  return writes.move(
    `thing:${id}`,
    from,
    events,
    async () => (await things.findOne({ _id: id }))?.version === from,
    () =>
      things.findOneAndUpdate(
        { _id: id, $or: [{ version: from }] },
        { $inc: { n: 1 }, $set: { version: from + 1 } },
        { returnDocument: 'after' },
      ),
  );
}

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
});
