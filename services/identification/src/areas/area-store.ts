import type { Collection, Connection } from 'mongoose';
import { syntheticAreas, type Area } from '@shouwang/domain';

interface AreaDoc {
  _id: string;
  name: string;
  level: Area['level'];
  parentCode: string | null;
}

/**
 * The area table (区划) the registry checks village codes against. Seeded from the synthetic table
 * until the real township/village list of each county is imported.
 */
export class AreaStore {
  private constructor(private readonly coll: Collection<AreaDoc>) {}

  static async open(conn: Connection): Promise<AreaStore> {
    const store = new AreaStore(conn.collection<AreaDoc>('areas'));
    await store.coll.createIndex({ parentCode: 1 });
    return store;
  }

  /** Inserts the areas that are missing; existing rows are left as an administrator may have edited them. */
  async seed(areas: Area[] = syntheticAreas()): Promise<number> {
    const result = await this.coll.bulkWrite(
      areas.map((a) => ({
        updateOne: {
          filter: { _id: a.code },
          update: { $setOnInsert: { name: a.name, level: a.level, parentCode: a.parentCode ?? null } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
    return result.upsertedCount;
  }

  async isVillage(code: string): Promise<boolean> {
    return (await this.coll.countDocuments({ _id: code, level: 'village' }, { limit: 1 })) > 0;
  }
}
