import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { EventDefinition } from '@shouwang/contracts';
import { dropScratchDatabase, infraEnv, requireLocalInfra, scratchDatabase } from '@shouwang/devstack';
import { AppError } from '../errors';
import { createLogger } from '../logger';
import { createKafka } from '../infra/kafka';
import { EventConsumer } from './consumer';
import { createEnvelope, encodeEnvelope } from './envelope';

jest.setTimeout(90000);

/**
 * EventConsumer on the real Kafka and FerretDB of infra/local: one partition's messages are handled
 * several at a time, never two of one key together, each key in order, and a failure in the middle
 * of a batch loses and repeats nothing.
 */
const logger = createLogger('consumer-test', 'warn');
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let conn: Connection;

beforeAll(async () => {
  await requireLocalInfra('FerretDB', 'Kafka');
  kafka = createKafka({ clientId: 'consumer-test', brokers: [infraEnv().kafkaBrokers], logger });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer();
  await producer.connect();
  conn = await scratchDatabase('consumer');
});

afterAll(async () => {
  await dropScratchDatabase(conn);
  await producer?.disconnect();
  await admin?.disconnect();
});

/** A one-partition topic of toy events whose payload is "key/seq". */
async function toyTopic(): Promise<EventDefinition<string>> {
  const topic = `shouwang.test.consumer-${randomBytes(4).toString('hex')}`;
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  return {
    type: 'test.toy',
    topic,
    schemaVersion: 1,
    codec: { encode: (s: string) => ({ finish: () => Buffer.from(s) }), decode: (b) => Buffer.from(b).toString() },
  };
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f'];
const PER_KEY = 8;

/** KEYS × PER_KEY messages, interleaved: a/0 b/0 … f/0 a/1 … */
async function publish(def: EventDefinition<string>): Promise<void> {
  const messages = [];
  for (let seq = 0; seq < PER_KEY; seq++)
    for (const key of KEYS)
      messages.push({ key, value: encodeEnvelope(createEnvelope(def, key, `${key}/${seq}`, 'test')) });
  await producer.send({ topic: def.topic, acks: -1, messages });
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await sleep(50);
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

describe('EventConsumer', () => {
  it('handles up to `concurrency` keys of one partition at once, each key in order, every message once', async () => {
    const def = await toyTopic();
    await publish(def);
    const seen = new Map<string, number[]>();
    const active = new Set<string>();
    let mostAtOnce = 0;
    let sameKeyOverlap = false;
    const consumer = new EventConsumer({
      kafka,
      groupId: `consumer-test-${randomBytes(4).toString('hex')}`,
      db: conn,
      producer,
      logger,
      concurrency: 4,
    }).on(def, async (payload) => {
      const [key, seq] = payload.split('/') as [string, string];
      if (active.has(key)) sameKeyOverlap = true;
      active.add(key);
      mostAtOnce = Math.max(mostAtOnce, active.size);
      await sleep(15);
      seen.set(key, [...(seen.get(key) ?? []), Number(seq)]);
      active.delete(key);
    });
    await consumer.start();
    try {
      await until('every message', () => [...seen.values()].flat().length >= KEYS.length * PER_KEY);
    } finally {
      await consumer.stop();
    }
    const inOrder = [...Array(PER_KEY).keys()];
    for (const key of KEYS) expect(seen.get(key)).toEqual(inOrder);
    expect(sameKeyOverlap).toBe(false);
    expect(mostAtOnce).toBe(4);
  });

  it('a transient failure in the middle of a batch: the failed message is retried, none is lost or handled twice', async () => {
    const def = await toyTopic();
    await publish(def);
    const calls = new Map<string, number>();
    const seen = new Map<string, number[]>();
    const groupId = `consumer-test-${randomBytes(4).toString('hex')}`;
    const consumer = new EventConsumer({ kafka, groupId, db: conn, producer, logger, concurrency: 3 }).on(
      def,
      async (payload) => {
        calls.set(payload, (calls.get(payload) ?? 0) + 1);
        // The database is unreachable the first time c/3 comes: the partition waits, it is not dead-lettered.
        if (payload === 'c/3' && calls.get(payload) === 1)
          throw new AppError('unavailable', 'the database did not answer');
        await sleep(5);
        const [key, seq] = payload.split('/') as [string, string];
        seen.set(key, [...(seen.get(key) ?? []), Number(seq)]);
      },
    );
    await consumer.start();
    try {
      await until('every message', () => [...seen.values()].flat().length >= KEYS.length * PER_KEY);
    } finally {
      await consumer.stop();
    }
    const inOrder = [...Array(PER_KEY).keys()];
    for (const key of KEYS) expect(seen.get(key)).toEqual(inOrder);
    expect(calls.get('c/3')).toBe(2);
    expect([...calls.entries()].filter(([p, n]) => p !== 'c/3' && n !== 1)).toEqual([]);
    // The group's committed offset is past the last message.
    const [committed] = await admin.fetchOffsets({ groupId, topics: [def.topic] });
    expect(committed!.partitions[0]!.offset).toBe(String(KEYS.length * PER_KEY));
  });
});
