import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeEnvelope } from './envelope';
import { dlqHeaders } from './consumer';

export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  originalTopic: string;
  originalPartition: string;
  originalOffset: string;
  error: string;
  group: string;
  at: string;
  /** Decoded envelope fields, when the value is an envelope at all. */
  eventId?: string;
  eventType?: string;
  subject?: string;
}

const header = (h: Record<string, unknown> | undefined, k: string): string => {
  const v = h?.[k];
  return v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
};

/**
 * Reads every dead letter of a topic's DLQ, from the beginning to the current end, with a throwaway
 * consumer group so nothing is committed. Bounded by timeoutMs.
 */
export async function readDeadLetters(kafka: Kafka, dlq: string, timeoutMs = 15000): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(dlq).finally(() => admin.disconnect());
  const remaining = new Map(
    ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
  );
  const letters: DeadLetter[] = [];
  if (remaining.size === 0) return letters;
  const consumer = kafka.consumer({ groupId: `shouwang-dlq-reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${dlq} timed out after ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const h = message.headers as Record<string, unknown> | undefined;
            const letter: DeadLetter = {
              partition,
              offset: message.offset,
              key: message.key?.toString('utf8') ?? null,
              value: message.value,
              originalTopic: header(h, dlqHeaders.topic),
              originalPartition: header(h, dlqHeaders.partition),
              originalOffset: header(h, dlqHeaders.offset),
              error: header(h, dlqHeaders.error),
              group: header(h, dlqHeaders.group),
              at: header(h, dlqHeaders.at),
            };
            try {
              if (message.value) {
                const e = decodeEnvelope(message.value);
                Object.assign(letter, { eventId: e.id, eventType: e.type, subject: e.subject });
              }
            } catch {
              /* a poison message need not be an envelope */
            }
            letters.push(letter);
            const end = remaining.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** Publishes dead letters back to their original topics unchanged (same key, value and event id). */
export async function replayDeadLetters(kafka: Kafka, letters: DeadLetter[]): Promise<number> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (const l of letters) {
      await producer.send({
        topic: l.originalTopic,
        acks: -1,
        messages: [{ key: l.key, value: l.value, headers: { 'dlq-replayed-from': `${l.partition}:${l.offset}` } }],
      });
    }
  } finally {
    await producer.disconnect();
  }
  return letters.length;
}
