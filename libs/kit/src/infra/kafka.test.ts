import { randomBytes } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { infraEnv, requireLocalInfra } from '@shouwang/devstack';
import { createLogger } from '../logger';
import { createKafka, ensureTopics } from './kafka';

jest.setTimeout(120000);

/**
 * Services start together and each creates the topics it needs. On a fresh KRaft broker a topic
 * another client has just created can be answered with "This server does not host this
 * topic-partition" for a moment; that once stopped a service from starting (CI, 2026-11-30).
 * Here several clients race to create the same fresh topics, as services do at platform start.
 */
const logger = createLogger('kafka-topics-test', 'error');
const CLIENTS = 6;
const admins: Admin[] = [];

beforeAll(async () => {
  await requireLocalInfra('Kafka');
  const { kafkaBrokers } = infraEnv();
  for (let i = 0; i < CLIENTS; i++) {
    const admin = createKafka({ clientId: `topics-test-${i}`, brokers: [kafkaBrokers], logger }).admin();
    await admin.connect();
    admins.push(admin);
  }
});

afterAll(async () => {
  await Promise.all(admins.map((a) => a.disconnect()));
});

it('lets several clients create the same fresh topics at once, and every one of them is served afterwards', async () => {
  for (let round = 0; round < 5; round++) {
    const prefix = `shouwang.test.topics-${randomBytes(4).toString('hex')}`;
    const specs = Array.from({ length: 8 }, (_, i) => ({ topic: `${prefix}.t${i}` }));
    // Each client asks for the topics in its own order, so creations overlap.
    await Promise.all(
      admins.map((admin, i) =>
        ensureTopics(admin, [...specs.slice(i % 8), ...specs.slice(0, i % 8)], { partitions: 3, replicationFactor: 1 }),
      ),
    );
    const meta = await admins[0]!.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
    expect(meta.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(specs.map((s) => [s.topic, 3]).sort());
    await admins[0]!.deleteTopics({ topics: specs.map((s) => s.topic) });
  }
});
