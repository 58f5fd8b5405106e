import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import type { Connection } from 'mongoose';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { backOff } from 'exponential-backoff';
import { dlqTopic, type EventDefinition } from '@shouwang/contracts';
import { isTransient } from '../errors';
import type { Logger } from '../logger';
import { decodeEnvelope, type Envelope } from './envelope';
import { isDuplicateKey } from '../infra/mongo';

export interface EventMeta {
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
}

export type EventHandler<T> = (payload: T, meta: EventMeta) => Promise<void>;

export interface ConsumerOptions {
  kafka: Kafka;
  groupId: string;
  /** The consuming service's own database: processed event ids are recorded there. */
  db: Connection;
  /** Producer used to dead-letter poison messages. */
  producer: Producer;
  logger: Logger;
  /** Attempts for a failing handler before its message goes to the DLQ. */
  maxAttempts?: number;
  retryBackoffMs?: number;
  /**
   * Messages of one partition handled at once, never two of one key together (a key's events keep
   * their order: an aggregate's events share its key). Default 1: strictly one at a time.
   */
  concurrency?: number;
  /** See KAFKA_SESSION_TIMEOUT_MS; default 30 000. Heartbeats go at a tenth of it (at most 3 s apart). */
  sessionTimeoutMs?: number;
}

/** Name of the collection (in the consumer's database) holding processed event ids. */
export const processedEventsCollection = 'processed_events';

/** Headers a dead letter carries besides the original ones. */
export const dlqHeaders = {
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  error: 'dlq-error',
  group: 'dlq-consumer-group',
  at: 'dlq-at',
} as const;

class PoisonMessage extends Error {}

/**
 * At-least-once delivery, exactly-once effect: one handler per event type; a processed event id is
 * recorded after its handler succeeds and a redelivered id is skipped. Handlers must themselves be
 * idempotent for the window between their effect and that record (upsert by id and version).
 * A message that cannot be decoded, or whose handler keeps failing, goes to `<topic>.dlq` and the
 * partition moves on; an outage of our own database is not the message's fault, so it is retried
 * (the partition waits) rather than dead-lettered.
 */
export class EventConsumer {
  private readonly handlers = new Map<string, { def: EventDefinition<unknown>; handler: EventHandler<unknown> }>();
  private consumer?: Consumer;
  private inFlight = 0;

  constructor(private readonly opts: ConsumerOptions) {}

  on<T>(def: EventDefinition<T>, handler: EventHandler<T>): this {
    this.handlers.set(def.type, { def: def as EventDefinition<unknown>, handler: handler as EventHandler<unknown> });
    return this;
  }

  get topics(): string[] {
    return [...new Set([...this.handlers.values()].map((h) => h.def.topic))];
  }

  async start(): Promise<void> {
    await this.opts.db.collection(processedEventsCollection).createIndex({ at: 1 });
    const sessionTimeout = this.opts.sessionTimeoutMs ?? 30000;
    this.consumer = this.opts.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout,
      heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 10)),
      allowAutoTopicCreation: false,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({ autoCommit: true, eachBatchAutoResolve: false, eachBatch: (b) => this.handleBatch(b) });
  }

  /** Waits for the message in hand, commits offsets and leaves the group. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  get busy(): number {
    return this.inFlight;
  }

  /**
   * A fetched batch of one partition: its messages in lanes by key, up to `concurrency` lanes at a
   * time, each lane in offset order. The partition's offset moves past a message only once every
   * message before it is done, so after a failure (the batch is fetched again from there) or a crash
   * nothing is skipped; what is redelivered was recorded as processed and is skipped.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const lanes = new Map<string, KafkaMessage[]>();
    for (const m of batch.messages) {
      const key = m.key ? m.key.toString('base64') : '';
      const lane = lanes.get(key);
      if (lane) lane.push(m);
      else lanes.set(key, [m]);
    }
    const offsets = batch.messages.map((m) => m.offset);
    const done = new Set<string>();
    let next = 0; // offsets[next] is the first message not yet done
    let failure: { err: unknown } | undefined;
    const queue = [...lanes.values()];
    const worker = async () => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const message of lane) {
          if (failure || !isRunning() || isStale()) return;
          try {
            await this.handle(batch.topic, batch.partition, message);
          } catch (err) {
            failure ??= { err };
            return;
          }
          done.add(message.offset);
          while (next < offsets.length && done.has(offsets[next]!)) resolveOffset(offsets[next++]!);
          await heartbeat();
        }
      }
    };
    const width = Math.max(1, Math.min(this.opts.concurrency ?? 1, queue.length));
    await Promise.all(Array.from({ length: width }, worker));
    if (failure) throw failure.err; // kafkajs fetches again from the first message not done
  }

  private async handle(topic: string, partition: number, message: KafkaMessage): Promise<void> {
    this.inFlight++;
    try {
      let envelope: Envelope;
      try {
        if (!message.value) throw new PoisonMessage('empty message');
        envelope = decodeEnvelope(message.value);
      } catch (err) {
        return await this.deadLetter(
          topic,
          partition,
          message.offset,
          message.key,
          message.value,
          message.headers,
          err,
        );
      }
      const entry = this.handlers.get(envelope.type);
      if (!entry) return; // another consumer's event on a shared topic
      const processedId = `${this.opts.groupId}:${envelope.id}`;
      const processed = this.opts.db.collection<{ _id: string }>(processedEventsCollection);
      if (await processed.findOne({ _id: processedId })) {
        this.opts.logger.debug({ eventId: envelope.id }, 'event already processed; skipped');
        return;
      }
      const parent = propagation.extract(context.active(), { traceparent: envelope.traceparent });
      const span = trace.getTracer('shouwang-events').startSpan(
        `${topic} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.message.id': envelope.id,
            'event.type': envelope.type,
          },
        },
        parent,
      );
      try {
        await context.with(trace.setSpan(parent, span), async () => {
          const meta = { envelope, topic, partition, offset: message.offset };
          try {
            await backOff(() => entry.handler(decodePayload(entry.def, envelope), meta), {
              numOfAttempts: this.opts.maxAttempts ?? 3,
              startingDelay: this.opts.retryBackoffMs ?? 200,
              retry: (err: unknown, attempt: number) => {
                if (isTransient(err) || err instanceof PoisonMessage) return false;
                this.opts.logger.warn({ err, eventId: envelope.id, attempt }, 'event handler failed; retrying');
                return true;
              },
            });
          } catch (err) {
            if (isTransient(err)) throw err; // the partition waits; kafkajs redelivers the message
            await this.deadLetter(topic, partition, message.offset, message.key, message.value, message.headers, err);
            return;
          }
          await processed
            .insertOne({
              _id: processedId,
              topic,
              partition,
              offset: message.offset,
              type: envelope.type,
              at: new Date(),
            } as never)
            .catch((err: { code?: number }) => {
              if (!isDuplicateKey(err)) throw err; // a racing redelivery recorded it first
            });
        });
      } finally {
        span.end();
      }
    } finally {
      this.inFlight--;
    }
  }

  private async deadLetter(
    topic: string,
    partition: number,
    offset: string,
    key: Buffer | null,
    value: Buffer | null,
    headers: IHeaders | undefined,
    err: unknown,
  ): Promise<void> {
    const reason = err instanceof Error ? err.message : String(err);
    this.opts.logger.error({ topic, partition, offset, reason }, 'message dead-lettered');
    await this.opts.producer.send({
      topic: dlqTopic(topic),
      acks: -1,
      messages: [
        {
          key,
          value,
          headers: {
            ...headers,
            [dlqHeaders.topic]: topic,
            [dlqHeaders.partition]: String(partition),
            [dlqHeaders.offset]: offset,
            [dlqHeaders.error]: reason.slice(0, 1000),
            [dlqHeaders.group]: this.opts.groupId,
            [dlqHeaders.at]: new Date().toISOString(),
          },
        },
      ],
    });
  }
}

function decodePayload<T>(def: EventDefinition<T>, envelope: Envelope): T {
  if (envelope.schemaVersion > def.schemaVersion) {
    throw new PoisonMessage(
      `schema version ${envelope.schemaVersion} of ${envelope.type} is newer than this service knows`,
    );
  }
  try {
    return def.codec.decode(envelope.payload);
  } catch (err) {
    throw new PoisonMessage(`payload of ${envelope.type} cannot be decoded: ${(err as Error).message}`);
  }
}
