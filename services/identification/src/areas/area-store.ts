import type { Collection, Connection } from 'mongoose';
import { syntheticAreas, type Area } from '@shouwang/domain';

const VILLAGE_CACHE_MS = 60_000;

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
  /** Village codes, cached briefly: a bulk import checks thousands of rows a second against them. */
  #villages: { codes: Set<string>; until: number } | undefined;

  private constructor(private readonly coll: Collection<AreaDoc>) {}

  static async open(conn: Connection): Promise<AreaStore> {
    const store = new AreaStore(conn.collection<AreaDoc>('areas'));
    await store.coll.createIndex({ parentCode: 1 });
    return store;
  }

  /**
   * Inserts the areas that are missing; existing rows are left as an administrator may have edited
   * them. (A bulk of upserts over existing rows wedges FerretDB 1.24's SQLite backend, so the
   * missing codes are worked out first and inserted plainly.)
   */
  async seed(areas: Area[] = syntheticAreas()): Promise<number> {
    const existing = new Set((await this.coll.find({}, { projection: { _id: 1 } }).toArray()).map((a) => a._id));
    const missing = areas.filter((a) => !existing.has(a.code));
    if (missing.length === 0) return 0;
    await this.coll
      .insertMany(
        missing.map((a) => ({ _id: a.code, name: a.name, level: a.level, parentCode: a.parentCode ?? null })),
        { ordered: false },
      )
      .catch((err: { code?: number }) => {
        if (err.code !== 11000) throw err; // another replica seeded the same rows first
      });
    return missing.length;
  }

  async isVillage(code: string): Promise<boolean> {
    if (this.#villages && this.#villages.until > Date.now()) return this.#villages.codes.has(code);
    const rows = await this.coll.find({ level: 'village' }, { projection: { _id: 1 } }).toArray();
    this.#villages = { codes: new Set(rows.map((r) => r._id)), until: Date.now() + VILLAGE_CACHE_MS };
    return this.#villages.codes.has(code);
  }
}
