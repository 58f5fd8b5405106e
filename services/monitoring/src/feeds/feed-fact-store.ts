import type { Collection, Connection } from 'mongoose';
import type { PiiCipher } from '@shouwang/kit';
import type { FeedFact } from '../assessment/overlay';
import type { DepartmentRecord } from './feed-records';

/**
 * Department facts, one document per department record (`<department>:<recordId>`): a record sent
 * again replaces the earlier one. The person is kept as the blind index of the ID number (to match
 * households) and the number itself only encrypted.
 */
interface FactDoc {
  _id: string;
  department: FeedFact['department'];
  recordId: string;
  personIndex: string;
  idNumberEncrypted: string;
  /** The record without its ID number. */
  record: Record<string, unknown>;
  receivedAt: Date;
}

export class FeedFactStore {
  private constructor(private readonly coll: Collection<FactDoc>) {}

  static async open(conn: Connection): Promise<FeedFactStore> {
    const coll = conn.collection<FactDoc>('feed_facts');
    await coll.createIndex({ personIndex: 1 });
    return new FeedFactStore(coll);
  }

  /** Stores (or replaces) a validated record; returns the person's blind index. */
  async put(value: DepartmentRecord, pii: PiiCipher, receivedAt = new Date()): Promise<string> {
    const { idNumber, ...record } = value.record;
    const personIndex = pii.blindIndex(idNumber);
    const write = () =>
      this.coll.updateOne(
        { _id: `${value.department}:${record.recordId}` },
        {
          $set: {
            department: value.department,
            recordId: record.recordId,
            personIndex,
            idNumberEncrypted: pii.encrypt(idNumber),
            record: record as Record<string, unknown>,
            receivedAt,
          },
        },
        { upsert: true },
      );
    // Two deliveries of one record racing to create it: the second one updates instead.
    await write().catch((err: { code?: number }) => (err.code === 11000 ? write() : Promise.reject(err)));
    return personIndex;
  }

  /** Every fact about these people. */
  async forPeople(personIndexes: readonly string[]): Promise<FeedFact[]> {
    const wanted = [...new Set(personIndexes.filter(Boolean))];
    if (wanted.length === 0) return [];
    const docs = await this.coll.find({ personIndex: { $in: wanted } }).toArray();
    return docs.map(
      (d) =>
        ({
          department: d.department,
          recordId: d.recordId,
          personIndex: d.personIndex,
          record: d.record,
          receivedAt: d.receivedAt.toISOString(),
        }) as unknown as FeedFact,
    );
  }
}
