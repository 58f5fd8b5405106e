import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Producer } from 'kafkajs';
import { events, monitoringEvents, topics, type EventDefinition, householdV1 } from '@shouwang/contracts';
import { infraEnv, portOpen } from '@shouwang/devstack';
import {
  createEnvelope,
  createKafka,
  createLogger,
  encodeEnvelope,
  ensureTopics,
  OutboxRelay,
  processedEventsCollection,
  startNewGroupAtLatest,
  type Envelope,
} from '@shouwang/kit';
import { assistanceConsumer } from './event-handlers';
import {
  componentEnv,
  dropEnvironments,
  exitedEvent,
  identifiedEvent,
  VILLAGE,
  warning,
  type ComponentEnv,
} from './testing/component-env';

jest.setTimeout(180000);

/**
 * The consumer as main.ts runs it, on the real Kafka of infra/local: its own consumer group starting at
 * the end of the shared topics, so only this test's messages reach it.
 */
const logger = createLogger('assistance-test', 'warn');
const { kafkaBrokers, kafkaPort } = infraEnv();
const kafka = createKafka({ clientId: 'assistance-test', brokers: [kafkaBrokers], logger });
let admin: Admin;
let producer: Producer;
let env: ComponentEnv;
let stopConsumer: () => Promise<void> = async () => {};
const groupId = `assistance-test-${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  if (!(await portOpen(kafkaPort)))
    throw new Error(`Kafka is not running on ${kafkaBrokers}; run \`bash infra/local/up.sh\``);
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [topics.identificationHousehold, topics.monitoringWarning, topics.assistancePlan, topics.assistanceTask].flatMap(
      (topic) => [{ topic }, { topic: `${topic}.dlq` }],
    ),
    { partitions: 3, replicationFactor: 1 },
  );
  producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  env = await componentEnv();
  const consumer = assistanceConsumer(env.deps, { kafka, groupId, db: env.conn, producer, logger });
  await startNewGroupAtLatest(kafka, admin, groupId, consumer.topics);
  await consumer.start();
  stopConsumer = () => consumer.stop();
});

afterAll(async () => {
  await stopConsumer();
  await producer?.disconnect();
  await admin?.disconnect();
  await dropEnvironments();
});

async function publish<T>(def: EventDefinition<T>, subject: string, payload: T): Promise<Envelope> {
  const envelope = createEnvelope(def, subject, payload, 'test');
  await send(def.topic, envelope);
  return envelope;
}

/** Sends an envelope as the outbox relay does (a redelivery sends the same envelope again). */
async function send(topic: string, envelope: Envelope): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: envelope.subject,
        value: encodeEnvelope(envelope),
        headers: { 'event-id': envelope.id, 'event-type': envelope.type },
      },
    ],
  });
}

/**
 * Waits until the consumer has recorded these events as processed (the outcome, not a time, ends the
 * wait). Other runs publish on the same topics, so their events are counted by id, not by number; one
 * household's events share a partition, so an event is processed after every earlier one of its household.
 */
async function processed(...envelopes: Envelope[]): Promise<void> {
  const coll = env.conn.collection<{ _id: string }>(processedEventsCollection);
  const ids = envelopes.map((e) => `${groupId}:${e.id}`);
  for (let i = 0; i < 600; i++) {
    if ((await coll.countDocuments({ _id: { $in: ids } })) === ids.length) return;
    await sleep(100);
  }
  throw new Error(`the consumer did not process ${envelopes.map((e) => e.type).join(', ')}`);
}

describe('the assistance consumer on Kafka', () => {
  it('projects the household, plans it once however often it is identified, proposes on a warning, closes on exit', async () => {
    const id = `hh-${randomBytes(6).toString('hex')}`;
    const registered = await publish(events.householdRegistered, id, {
      household: householdV1.Household.fromPartial({
        id,
        version: 1,
        areaCode: VILLAGE,
        members: [{ name: '钱一', relation: 'head', labour: 'ordinary', birthDate: '1980-03-01' }],
      }),
      memberIdNumberIndexes: [],
    });
    // The identified event delivered twice (the relay resent it) and once more under a new event id
    // (replayed from elsewhere): one plan, one set of tasks.
    const identified = await publish(events.householdIdentified, id, identifiedEvent(id, ['F3']));
    await send(topics.identificationHousehold, identified);
    const replayed = await publish(events.householdIdentified, id, identifiedEvent(id, ['F3']));
    await processed(registered, identified, replayed);

    const plan = (await env.deps.plans.get(id))!;
    expect(plan).toMatchObject({ version: 1, headName: '钱一', status: 'active' });
    expect(plan.measures.map((m) => m.code)).toEqual(['M1', 'M2', 'M3', 'M8', 'M9']); // a labourer: M1–M3 too
    expect(await env.deps.tasks.ofHousehold(id)).toHaveLength(11);

    const raised = await publish(monitoringEvents.warningRaised, id, {
      warning: warning(id, 'F6', ['F3', 'F6'], '2026-06-20T01:00:00.000Z'),
    });
    await processed(raised);
    expect((await env.deps.plans.get(id))!.proposals).toEqual([
      expect.objectContaining({ add: ['M10'], drop: [], status: 'open', features: ['F3', 'F6'] }),
    ]);

    await processed(await publish(events.householdExited, id, exitedEvent(id, '家庭收入稳定')));
    expect((await env.deps.plans.get(id))!).toMatchObject({ status: 'closed', closedReason: '家庭收入稳定' });
    expect((await env.deps.tasks.ofHousehold(id)).every((t) => t.state === 'closed')).toBe(true);

    // The relay publishes every released event (plan: created, proposal, closed; 11 tasks opened and closed).
    // (Counted for this household: households of other runs on the shared topics may be planned here too.)
    const pending = await env.writes.coll.find({ _outboxPending: true }).toArray();
    const ours = pending.flatMap((c) => c._outbox ?? []).filter((e) => e.key === id);
    expect(ours).toHaveLength(3 + 11 + 11);
    const ends = async () =>
      Object.fromEntries(
        await Promise.all(
          [topics.assistancePlan, topics.assistanceTask].map(async (t) => [
            t,
            (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(p.high), 0),
          ]),
        ),
      ) as Record<string, number>;
    const before = await ends();
    const relay = new OutboxRelay({ collections: [env.writes.coll], producer, logger, pollMs: 100 });
    relay.start();
    try {
      for (let i = 0; i < 600 && (await env.writes.coll.countDocuments({ _outboxPending: true })) > 0; i++)
        await sleep(100);
    } finally {
      await relay.stop();
    }
    expect(await env.writes.coll.countDocuments({ _outboxPending: true })).toBe(0);
    const after = await ends();
    expect(after[topics.assistancePlan]! - before[topics.assistancePlan]!).toBeGreaterThanOrEqual(3);
    expect(after[topics.assistanceTask]! - before[topics.assistanceTask]!).toBeGreaterThanOrEqual(22);
  });
});
