import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Producer } from 'kafkajs';
import { dlqTopic, events, householdV1, topics } from '@shouwang/contracts';
import { createEnvelope, encodeEnvelope, processedEventsCollection, readDeadLetters } from '@shouwang/kit';
import { dlqProgram } from '../../libs/kit/src/events/dlq-cli';
import { connectDb, startTestPlatform, testKafka, villageCount, waitFor } from './support';

jest.setTimeout(120000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let reportingDb: Connection;
let producer: Producer;

beforeAll(async () => {
  env = await startTestPlatform('event-delivery');
  reportingDb = await connectDb(`shouwang_reporting${env.dbSuffix}`);
  producer = testKafka().producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await reportingDb?.close();
  await env?.platform.stop();
});

function registeredEvent(areaCode: string, householdId: string = randomUUID()) {
  const household = householdV1.Household.fromPartial({
    id: householdId,
    areaCode,
    address: '测试地址',
    povertyStatus: 'none',
    members: [{ name: '测试', relation: 'head', birthDate: '1970-01-01' }],
    version: 1,
  });
  return createEnvelope(
    events.householdRegistered,
    householdId,
    { household, memberIdNumberIndexes: [''] },
    'integration-test',
  );
}

const send = (key: string, value: Buffer) =>
  producer.send({ topic: topics.identificationHousehold, acks: -1, messages: [{ key, value }] });

describe('event delivery: at-least-once in, exactly-once effect', () => {
  it('leaves one effect when the same event is delivered twice', async () => {
    const village = '360731103201';
    const envelope = registeredEvent(village);
    await send(envelope.subject, encodeEnvelope(envelope));
    await send(envelope.subject, encodeEnvelope(envelope));
    // A later event on the same key proves both copies were consumed before we look.
    const marker = registeredEvent('360731103202', envelope.subject + '-marker');
    await send(envelope.subject, encodeEnvelope(marker));
    await waitFor('the marker event', async () =>
      (await villageCount(env.platform.gatewayUrl, '360731103202')) === 1 ? true : undefined,
    );
    expect(await villageCount(env.platform.gatewayUrl, village)).toBe(1);
    expect(
      await reportingDb
        .collection(processedEventsCollection)
        .countDocuments({ _id: `reporting${env.dbSuffix}:${envelope.id}` } as never),
    ).toBe(1);
  });

  it('dead-letters a poison message without stalling the partition, and the CLI lists and replays it', async () => {
    const key = randomUUID();
    const poison = Buffer.from('this is not a protobuf envelope \u0000\u00ff');
    await send(key, poison);
    // A handler that keeps failing (a household without id) is dead-lettered after its retries.
    const failing = registeredEvent('360731103203', '');
    failing.subject = key;
    await send(key, encodeEnvelope(failing));
    const next = registeredEvent('360731103204', `${key}-next`);
    await send(key, encodeEnvelope(next));
    await waitFor('the message after the poison ones', async () =>
      (await villageCount(env.platform.gatewayUrl, '360731103204')) === 1 ? true : undefined,
    );

    const letters = await waitFor('both dead letters', async () => {
      const all = (await readDeadLetters(testKafka(), dlqTopic(topics.identificationHousehold))).filter(
        // Monitoring reads the same topic and dead-letters the poison message for its own group too.
        (l) => l.key === key && l.group === `reporting${env.dbSuffix}`,
      );
      return all.length >= 2 ? all : undefined;
    });
    expect(letters[0].value?.equals(poison)).toBe(true);
    expect(letters[0].error).toMatch(/envelope|decode|index out of range|invalid wire type/i);
    expect(letters[1].eventId).toBe(failing.id);
    expect(letters[1].error).toContain('without a household id');
    expect(
      letters.every(
        (l) => l.originalTopic === topics.identificationHousehold && l.group === `reporting${env.dbSuffix}`,
      ),
    ).toBe(true);

    const out: string[] = [];
    const cliEnv = { KAFKA_BROKERS: testKafka() && `127.0.0.1:${process.env.SHOUWANG_KAFKA_PORT ?? '19092'}` };
    await dlqProgram(cliEnv, (l) => out.push(l)).parseAsync(['list', topics.identificationHousehold], { from: 'user' });
    expect(out.some((l) => l.includes(failing.id))).toBe(true);

    // Replaying the failing event delivers it again; it still fails, so it is dead-lettered a second time.
    const target = `${letters[1].partition}:${letters[1].offset}`;
    await dlqProgram(cliEnv, (l) => out.push(l)).parseAsync(
      ['replay', topics.identificationHousehold, '--offset', target],
      { from: 'user' },
    );
    expect(out.at(-1)).toBe(`replayed 1 dead letter(s) to ${topics.identificationHousehold}`);
    await waitFor(
      'the replayed event to be dead-lettered again',
      async () => {
        const again = (await readDeadLetters(testKafka(), dlqTopic(topics.identificationHousehold))).filter(
          (l) => l.eventId === failing.id,
        );
        return again.length >= 2 ? true : undefined;
      },
      45000,
      1000,
    );
  });
});
