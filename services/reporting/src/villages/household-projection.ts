import type { Collection, Connection } from 'mongoose';
import type { identificationV1 } from '@shouwang/contracts';

/** Reporting's own projection of each registered household: just what its read models need. */
export interface ProjectedHousehold {
  _id: string;
  areaCode: string;
  memberCount: number;
  version: number;
  updatedAt: Date;
}

export class HouseholdProjection {
  private constructor(private readonly coll: Collection<ProjectedHousehold>) {}

  static async open(conn: Connection): Promise<HouseholdProjection> {
    const coll = conn.collection<ProjectedHousehold>('households');
    await coll.createIndex({ areaCode: 1 });
    return new HouseholdProjection(coll);
  }

  /**
   * Idempotent: applies the household only if it is newer than what is stored, so a redelivered or
   * out-of-date event changes nothing.
   */
  async applyRegistered(event: identificationV1.HouseholdRegistered): Promise<void> {
    const h = event.household;
    if (!h?.id) throw new Error('HouseholdRegistered without a household id');
    try {
      await this.coll.updateOne(
        { _id: h.id, $or: [{ version: { $lt: h.version } }, { version: { $exists: false } }] },
        { $set: { areaCode: h.areaCode, memberCount: h.members.length, version: h.version, updatedAt: new Date() } },
        { upsert: true },
      );
    } catch (err) {
      // The upsert found the household at the same or a newer version: nothing to do.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }

  /** 一村一册 header numbers for one village. */
  async villageSummary(areaCode: string): Promise<{ householdCount: number; memberCount: number; updatedAt?: Date }> {
    const [totals] = await this.coll
      .aggregate<{ households: number; members: number }>([
        { $match: { areaCode } },
        { $group: { _id: null, households: { $sum: 1 }, members: { $sum: '$memberCount' } } },
      ])
      .toArray();
    const latest = await this.coll.find({ areaCode }).sort({ updatedAt: -1 }).limit(1).next();
    return { householdCount: totals?.households ?? 0, memberCount: totals?.members ?? 0, updatedAt: latest?.updatedAt };
  }
}
