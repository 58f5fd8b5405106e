import type { Collection, Connection } from 'mongoose';
import type { VersionedWrites } from '@shouwang/kit';
import { isDuplicateKey } from '@shouwang/kit';

export interface PointsEntryDoc {
  id: string;
  /** Positive: earned; negative: spent at the love supermarket (爱心超市). */
  points: number;
  reason: string;
  recordedBy: string;
  /** RFC 3339. */
  at: string;
  /** The caller's idempotency key ('' when none): a retried request finds its entry. */
  key: string;
}

export interface ListEntryDoc {
  id: string;
  list: 'red' | 'black';
  reason: string;
  recordedBy: string;
  at: string;
}

/**
 * A household's motivation account (M8, 志智双扶): its points ledger with the balance, and its red and
 * black list entries, `_id` = household id. One document, so the balance and the entry that changes it
 * are written together; versioned moves make "never below zero" hold under concurrent spending.
 */
export interface PointsAccountDoc {
  _id: string;
  areaCode: string;
  balance: number;
  entries: PointsEntryDoc[];
  listEntries: ListEntryDoc[];
  version: number;
}

export class PointsStore {
  private constructor(
    readonly coll: Collection<PointsAccountDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<PointsStore> {
    return new PointsStore(conn.collection<PointsAccountDoc>('points_accounts'), writes);
  }

  static aggregate(id: string): string {
    return `points:${id}`;
  }

  get(householdId: string): Promise<PointsAccountDoc | null> {
    return this.coll.findOne({ _id: householdId });
  }

  /**
   * Writes the account's next version if it is still at `from` (0: no account yet). Null when another
   * writer moved it first.
   */
  async move(next: Omit<PointsAccountDoc, 'version'>, from: number): Promise<PointsAccountDoc | null> {
    return this.writes.move(
      PointsStore.aggregate(next._id),
      from,
      [],
      async () => ((await this.get(next._id))?.version ?? 0) === from,
      async () => {
        if (from === 0) {
          try {
            const doc = { ...next, version: 1 };
            await this.coll.insertOne(doc);
            return doc;
          } catch (err) {
            if (isDuplicateKey(err)) return null;
            throw err;
          }
        }
        const { _id, ...fields } = next;
        return this.coll.findOneAndUpdate(
          { _id, $or: [{ version: from }] },
          { $set: { ...fields, version: from + 1 } },
          { returnDocument: 'after' },
        );
      },
    );
  }
}
