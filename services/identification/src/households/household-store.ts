import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Collection, Connection } from 'mongoose';
import { insertManyNew, outboxIndex, pushOutbox, type OutboxEntry, type OutboxFields, withOutbox } from '@shouwang/kit';
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
    await coll.createIndex({ areaCode: 1, _id: 1 });
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

  /** Inserts new households (a bulk import); returns the ids that already existed. */
  async insertMany(
    docs: { doc: Omit<HouseholdDoc, keyof OutboxFields>; events: OutboxEntry[] }[],
  ): Promise<Set<string>> {
    const refused = await insertManyNew(
      this.coll,
      docs.map(({ doc, events }) => ({ ...doc, ...withOutbox(events) }) as HouseholdDoc),
    );
    return new Set([...refused].map((i) => docs[i]!.doc._id));
  }

  async get(id: string): Promise<HouseholdDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /** By key, a few at a time (an `$in` query is a full scan on FerretDB 1.24). */
  async getMany(ids: string[]): Promise<Map<string, HouseholdDoc>> {
    const limit = pLimit(16);
    const docs = await Promise.all([...new Set(ids)].map((id) => limit(() => this.get(id))));
    return new Map(docs.filter((d): d is HouseholdDoc => d !== null).map((d) => [d._id, d]));
  }

  /**
   * Replaces the household's fields if it is still at `expectedVersion`, and queues its events, in one
   * single-document write. Returns the stored document after the write, or null when the version moved.
   */
  async replaceIfVersion(
    id: string,
    expectedVersion: number,
    fields: Omit<HouseholdDoc, keyof OutboxFields | '_id' | 'createdAt'>,
    removed: string[],
    events: OutboxEntry[],
  ): Promise<HouseholdDoc | null> {
    const outbox = pushOutbox(events);
    const update: Record<string, unknown> = { $set: { ...fields, ...outbox.$set }, $push: outbox.$push };
    if (removed.length) update.$unset = Object.fromEntries(removed.map((f) => [f, '']));
    return this.coll.findOneAndUpdate({ _id: id, version: expectedVersion }, update, { returnDocument: 'after' });
  }

  /**
   * A page of households in an area (a code prefix), ordered by (areaCode, _id) so the page token is a
   * plain keyset position and every page is a range scan of the (areaCode, _id) index.
   */
  async list(
    filter: { areaPrefix: string; povertyStatus?: string; nameOrAddress?: string; id?: string },
    page: { size: number; after?: { areaCode: string; id: string } },
  ): Promise<{ docs: HouseholdDoc[]; total: number }> {
    const q: Record<string, unknown> = { areaCode: { $gte: filter.areaPrefix, $lt: `${filter.areaPrefix}~` } };
    if (filter.povertyStatus) q.povertyStatus = filter.povertyStatus;
    if (filter.id !== undefined) q._id = filter.id;
    if (filter.nameOrAddress) {
      const pattern = escapeRegExp(filter.nameOrAddress);
      q.$or = [{ 'members.name': { $regex: pattern } }, { address: { $regex: pattern } }];
    }
    const total = await this.coll.countDocuments(q);
    const pageQ = page.after
      ? {
          $and: [
            q,
            {
              $or: [
                { areaCode: { $gt: page.after.areaCode } },
                { areaCode: page.after.areaCode, _id: { $gt: page.after.id } },
              ],
            },
          ],
        }
      : q;
    const docs = await this.coll.find(pageQ).sort({ areaCode: 1, _id: 1 }).limit(page.size).toArray();
    return { docs, total };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The household as callers see it: without the outbox bookkeeping. */
export function publicFields(doc: HouseholdDoc): Record<string, unknown> {
  const { _outbox, _outboxPending, _outboxLeaseUntil, ...rest } = doc;
  void _outbox;
  void _outboxPending;
  void _outboxLeaseUntil;
  return rest;
}
