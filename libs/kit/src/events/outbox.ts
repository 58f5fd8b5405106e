import { z } from 'zod';
import type { Collection } from 'mongoose';
import type { Producer } from 'kafkajs';
import type { EventDefinition } from '@shouwang/contracts';
import type { Logger } from '../logger';
import { createEnvelope, encodeEnvelope } from './envelope';

/**
 * Transactional outbox without multi-document transactions (FerretDB has none): the events a write
 * implies are stored in a document by the same single-document write, under `_outbox`, with
 * `_outboxPending: true` (indexed) so the relay finds them. A crash after the write loses nothing: the
 * relay publishes whatever is pending when it next runs.
 *
 * The relay writes the documents it publishes from. On FerretDB 1.24 an update is a read followed by a
 * write, not exclusive, so a document the relay writes must have no other writer: an aggregate that
 * changes keeps its events in the commits of VersionedWrites (versioned-writes.ts), not in itself;
 * withOutbox fits documents that are inserted once and never changed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- aggregate documents of any shape
type Document = Record<string, any>;

export interface OutboxEntry {
  id: string;
  topic: string;
  key: string;
  type: string;
  value: Buffer;
  traceparent: string;
  createdAt: Date;
}

export interface OutboxFields {
  _outbox?: OutboxEntry[];
  _outboxPending?: boolean;
  _outboxLeaseUntil?: Date;
  /** The events were written all at once and never grow (a commit): the relay clears them in one write. */
  _outboxSealed?: boolean;
}

/** A stored Buffer comes back from the driver as a BSON Binary. */
export function bytesOf(v: Buffer | { _bsontype?: string; buffer: Uint8Array }): Buffer {
  if (Buffer.isBuffer(v)) return v;
  return Buffer.from(v.buffer);
}

export function outboxEntry<T>(def: EventDefinition<T>, subject: string, payload: T, source: string): OutboxEntry {
  const envelope = createEnvelope(def, subject, payload, source);
  return {
    id: envelope.id,
    topic: def.topic,
    key: subject,
    type: def.type,
    value: encodeEnvelope(envelope),
    traceparent: envelope.traceparent,
    createdAt: new Date(),
  };
}

/** Fields to put in a new document so its events are published (a document no one but the relay changes). */
export function withOutbox(entries: OutboxEntry[]): Required<Pick<OutboxFields, '_outbox' | '_outboxPending'>> {
  return { _outbox: entries, _outboxPending: true };
}

/**
 * Update operators to add to an existing document's update so its events are published. Not for an
 * aggregate others change concurrently on FerretDB: it races the relay (use VersionedWrites).
 */
export function pushOutbox(entries: OutboxEntry[]): { $push: Document; $set: Document } {
  return { $push: { _outbox: { $each: entries } }, $set: { _outboxPending: true } };
}

/** Config of a service's outbox relay (services that publish events extend their schema with it). */
export const outboxConfigShape = {
  /** How often the relay looks for unpublished events when no write woke it. */
  OUTBOX_POLL_MS: z.coerce.number().int().positive().default(500),
  /**
   * How long a relay owns the events it is publishing (other replicas skip them meanwhile). Events a
   * relay was publishing when its process was killed wait this long for another.
   */
  OUTBOX_LEASE_MS: z.coerce.number().int().min(1000).max(600000).default(30000),
};

/** The index every aggregate collection with an outbox needs. */
export const outboxIndex = { _outboxPending: 1 } as const;

export interface RelayOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any aggregate collection with an outbox
  collections: Collection<any>[];
  producer: Producer;
  logger: Logger;
  pollMs: number;
  /** How long one relay instance owns a document it is publishing (other replicas skip it). */
  leaseMs?: number;
  /** First and largest pause after a failed publish. */
  backoffMs?: [number, number];
  /** Test hook, called after a document's events were sent and before they are removed. */
  afterPublish?: () => void;
}

/** Pending documents a pass takes on. */
const PASS_BATCH = 200;

/** Messages per produce request: a batch commit holds hundreds of events, a Kafka request is kept small. */
const SEND_CHUNK = 100;

/**
 * Publishes pending outbox events in the order they were written, then removes them. Publishing
 * twice is possible (a crash after send, before removal); consumers dedupe by event id.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  private again = false;
  private failures = 0;

  constructor(private readonly opts: RelayOptions) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Run a pass now (called after a local write, so events leave at once instead of at the next poll). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pass()
      .then((published) => {
        this.failures = 0;
        if (published) this.opts.logger.debug({ published }, 'outbox events published');
        return published;
      })
      .catch((err: unknown) => {
        this.failures++;
        this.opts.logger.warn({ err, failures: this.failures }, 'outbox relay pass failed; will retry');
        return 0;
      })
      .then((published) => {
        this.running = undefined;
        if (this.stopped) return;
        const [first, max] = this.opts.backoffMs ?? [200, 10000];
        const delay = this.failures
          ? Math.min(first * 2 ** (this.failures - 1), max)
          : this.again || published
            ? 0
            : this.opts.pollMs;
        this.again = false;
        this.timer = setTimeout(() => this.wake(), delay);
      });
  }

  /** Finishes the pass under way (so nothing is half-published) and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * One pass over every collection; returns how many events it published.
   *
   * Shaped for FerretDB 1.24 as much as for MongoDB: there, only a filter on `_id` (alone or with
   * operators it cannot push down, like `$or`) avoids a full scan, and a scan decodes every document.
   * So one query per pass lists pending documents, and every write after it addresses one document by
   * `_id` — never by `_id` plus a plain equality, which FerretDB turns into a scan.
   */
  async pass(): Promise<number> {
    let published = 0;
    const leaseMs = this.opts.leaseMs ?? 30000;
    for (const coll of this.opts.collections) {
      const pending = (await coll
        .find({ _outboxPending: true }, { projection: { _id: 1 } })
        .limit(PASS_BATCH)
        .toArray()) as { _id: unknown }[];
      for (const { _id } of pending) {
        if (this.stopped) break;
        const now = new Date();
        // The lease: other replicas skip the document while this one publishes it.
        let doc = (await coll.findOneAndUpdate(
          { _id, $or: [{ _outboxLeaseUntil: { $exists: false } }, { _outboxLeaseUntil: { $lt: now } }] },
          { $set: { _outboxLeaseUntil: new Date(now.getTime() + leaseMs) } },
          { returnDocument: 'after' },
        )) as (Document & OutboxFields) | null;
        // Bounded: a document that keeps receiving events is finished by a later pass.
        for (let round = 0; doc && round < 5; round++) {
          const entries = doc._outbox ?? [];
          if (entries.length) {
            // The document's events in their order, one request per SEND_CHUNK (a key's events keep their
            // order: one partition per topic, requests one after the other).
            for (let from = 0; from < entries.length; from += SEND_CHUNK) {
              const chunk = entries.slice(from, from + SEND_CHUNK);
              const topics = [...new Set(chunk.map((e) => e.topic))];
              await this.opts.producer.sendBatch({
                acks: -1,
                topicMessages: topics.map((topic) => ({
                  topic,
                  messages: chunk
                    .filter((e) => e.topic === topic)
                    .map((e) => ({
                      key: e.key,
                      value: bytesOf(e.value),
                      headers: {
                        'event-id': e.id,
                        'event-type': e.type,
                        ...(e.traceparent ? { traceparent: e.traceparent } : {}),
                      },
                    })),
                })),
              });
            }
            published += entries.length;
            this.opts.afterPublish?.();
          }
          if (doc._outboxSealed) {
            // Nothing is ever added to a sealed outbox: one write removes what was published.
            await coll.updateOne(
              { _id },
              { $set: { _outbox: [] }, $unset: { _outboxPending: '', _outboxLeaseUntil: '' } },
            );
            break;
          }
          // Remove exactly what was published, from the head, one conditional $pop each: writes only
          // append, so this never drops an event added meanwhile. ($pull with a condition is not
          // supported by FerretDB 1.24: it matches but modifies nothing.)
          for (const e of entries) {
            await coll.updateOne({ _id, '_outbox.0.id': e.id }, { $pop: { _outbox: -1 } });
          }
          // Done if no write added events meanwhile; else publish those too while the lease holds.
          const cleared = await coll.updateOne(
            { _id, _outbox: { $size: 0 } },
            { $unset: { _outboxPending: '', _outboxLeaseUntil: '' } },
          );
          doc =
            cleared.modifiedCount === 1 ? null : ((await coll.findOne({ _id })) as (Document & OutboxFields) | null);
        }
      }
    }
    return published;
  }
}
