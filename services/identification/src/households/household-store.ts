import { createHash, randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Collection, Connection } from 'mongoose';
import { insertManyNew, VersionedWrites, type OutboxEntry, type OutboxFields } from '@shouwang/kit';
import type { Household } from '@shouwang/domain';

export type HouseholdDoc = Household & {
  _id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
};

/** The collection of the households' commits: one per version, carrying its events (the relay watches it). */
export const HOUSEHOLD_COMMITS = 'household_commits';

/**
 * The registry's households collection (一户一表). Records are never deleted. Every write is a move
 * of VersionedWrites — registration claims version 1, an edit the next version — so of two concurrent
 * edits over one version exactly one applies (a conditional update alone is not exclusive on FerretDB
 * 1.24), and the events travel in the commit, not in the household: the outbox relay never writes a
 * household document.
 */
export class HouseholdStore {
  private constructor(
    readonly coll: Collection<HouseholdDoc>,
    readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection): Promise<HouseholdStore> {
    const coll = conn.collection<HouseholdDoc>('households');
    await coll.createIndex({ areaCode: 1, _id: 1 });
    return new HouseholdStore(coll, await VersionedWrites.open(conn, HOUSEHOLD_COMMITS));
  }

  /** The commit key of a household's moves. */
  static aggregate(id: string): string {
    return `household:${id}`;
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

  /**
   * At start: events of writes that completed just before a crash are released, and events still
   * kept in household documents (written before households moved through commits) move to commits.
   */
  async recover(): Promise<{ released: number; adopted: number }> {
    const adopted = await this.writes.adoptEmbeddedOutbox(
      this.coll as unknown as Collection<HouseholdDoc & OutboxFields>,
      HouseholdStore.aggregate,
    );
    const released = await this.writes.recoverByType({
      [HouseholdStore.aggregate('')]: async (id) => (await this.get(id))?.version ?? null,
    });
    return { released, adopted };
  }

  /** Inserts the household (version 1); its events leave once it is stored. Returns false if the id exists. */
  async insert(doc: HouseholdDoc, events: OutboxEntry[]): Promise<boolean> {
    const stored = await this.writes.move(
      HouseholdStore.aggregate(doc._id),
      0,
      events,
      async () => (await this.get(doc._id)) === null,
      async () => {
        try {
          await this.coll.insertOne({ ...doc });
          return true;
        } catch (err) {
          if ((err as { code?: number }).code === 11000) return null;
          throw err;
        }
      },
    );
    return stored === true;
  }

  /**
   * Inserts new households (a bulk import) with their events: one bulk write of the commits claiming
   * version 1, one of the households, one releasing the events. Returns the ids not created (they
   * exist, or another writer is creating them).
   */
  async insertMany(docs: { doc: HouseholdDoc; events: OutboxEntry[] }[]): Promise<Set<string>> {
    const created = await this.writes.createMany(
      docs.map(({ doc, events }) => ({ aggregate: HouseholdStore.aggregate(doc._id), events })),
      async (positions) => {
        const refused = await insertManyNew(
          this.coll,
          positions.map((i) => ({ ...docs[i]!.doc })),
        );
        return new Set([...refused].map((j) => positions[j]!));
      },
      async (i) => (await this.get(docs[i]!.doc._id)) === null,
    );
    return new Set(docs.filter((_d, i) => !created.has(i)).map(({ doc }) => doc._id));
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
   * Replaces the household's fields if it is still at `expectedVersion`; its events leave once the
   * write is done. Returns the stored document after the write, or null when another writer moved it.
   */
  async replaceIfVersion(
    id: string,
    expectedVersion: number,
    fields: Omit<HouseholdDoc, '_id' | 'createdAt'>,
    removed: string[],
    events: OutboxEntry[],
  ): Promise<HouseholdDoc | null> {
    const update: Record<string, unknown> = { $set: fields };
    if (removed.length) update.$unset = Object.fromEntries(removed.map((f) => [f, '']));
    return this.writes.move(
      HouseholdStore.aggregate(id),
      expectedVersion,
      events,
      async () => (await this.get(id))?.version === expectedVersion,
      // The version inside a one-element $or: FerretDB 1.24 uses the _id index only for _id alone.
      () =>
        this.coll.findOneAndUpdate({ _id: id, $or: [{ version: expectedVersion }] }, update, {
          returnDocument: 'after',
        }),
    );
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

/**
 * The household as callers see it: without the outbox bookkeeping a document written before households
 * moved through commits may still carry (until `recover` adopts its events at start).
 */
export function publicFields(doc: HouseholdDoc): Record<string, unknown> {
  const { _outbox, _outboxPending, _outboxLeaseUntil, ...rest } = doc as HouseholdDoc & OutboxFields;
  void _outbox;
  void _outboxPending;
  void _outboxLeaseUntil;
  return rest;
}
