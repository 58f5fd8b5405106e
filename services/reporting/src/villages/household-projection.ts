import type { Collection, Connection } from 'mongoose';
import type { identificationV1 } from '@shouwang/contracts';

/** Reporting's own projection of each household in the registry: just what its read models need. */
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
  async apply(event: identificationV1.HouseholdRegistered | identificationV1.HouseholdUpdated): Promise<void> {
    const h = event.household;
    if (!h?.id) throw new Error('household event without a household id');
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

  /**
   * 一村一册 header numbers for one village. Summed here rather than with `$group`/`$sum: '$field'`,
   * which FerretDB 1.24 answers with 0; a village holds at most a few thousand households.
   */
  async villageSummary(areaCode: string): Promise<{ householdCount: number; memberCount: number; updatedAt?: Date }> {
    let householdCount = 0;
    let memberCount = 0;
    let updatedAt: Date | undefined;
    const cursor = this.coll.find({ areaCode }, { projection: { memberCount: 1, updatedAt: 1 } });
    for await (const h of cursor) {
      householdCount++;
      memberCount += h.memberCount ?? 0;
      if (!updatedAt || h.updatedAt > updatedAt) updatedAt = h.updatedAt;
    }
    return { householdCount, memberCount, updatedAt };
  }
}
