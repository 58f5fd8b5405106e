import { createHash, randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { outboxIndex, type OutboxEntry, type OutboxFields, withOutbox } from '@shouwang/kit';
import type { Household } from '@shouwang/domain';

export type HouseholdDoc = Household &
  OutboxFields & {
    _id: string;
    version: number;
    createdAt: string;
    updatedAt: string;
  };

/** The registry's households collection (一户一表). Records are never deleted. */
export class HouseholdStore {
  private constructor(readonly coll: Collection<HouseholdDoc>) {}

  static async open(conn: Connection): Promise<HouseholdStore> {
    const coll = conn.collection<HouseholdDoc>('households');
    await coll.createIndex(outboxIndex);
    await coll.createIndex({ areaCode: 1 });
    return new HouseholdStore(coll);
  }

  /**
   * A retried request with the same idempotency key must not register a second household, so the
   * id is derived from the key; without a key it is random.
   */
  static newId(idempotencyKey?: string): string {
    if (!idempotencyKey) return randomUUID();
    const h = createHash('sha256').update(`household:${idempotencyKey}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  /** Inserts the household and the events it implies in one single-document write. Returns false if the id exists. */
  async insert(doc: Omit<HouseholdDoc, keyof OutboxFields>, events: OutboxEntry[]): Promise<boolean> {
    try {
      await this.coll.insertOne({ ...doc, ...withOutbox(events) } as HouseholdDoc);
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async get(id: string): Promise<HouseholdDoc | null> {
    return this.coll.findOne({ _id: id });
  }
}

/** The household as callers see it: without the outbox bookkeeping. */
export function publicFields(doc: HouseholdDoc): Record<string, unknown> {
  const { _outbox, _outboxPending, _outboxLeaseUntil, ...rest } = doc;
  void _outbox;
  void _outboxPending;
  void _outboxLeaseUntil;
  return rest;
}
