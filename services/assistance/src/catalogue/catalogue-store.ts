import type { Collection, Connection } from 'mongoose';
import { insertManyNew, type VersionedWrites } from '@shouwang/kit';
import { DEFAULT_MEASURES, MEASURE_CODES, type Measure, type MeasureCode } from '@shouwang/domain';

/** One measure of the catalogue as stored, `_id` = its code. */
export interface MeasureDoc extends Measure {
  _id: MeasureCode;
  version: number;
  /** RFC 3339. */
  updatedAt: string;
  updatedBy: string;
}

const codeOrder = (code: string) => MEASURE_CODES.indexOf(code as MeasureCode);

/**
 * The `measures` collection: M1–M10 as data (DOMAIN.md §8), seeded from the defaults at first start
 * and changed by the city administrator one versioned move at a time. Plans copy what they need of a
 * measure when they take it up, so a change applies to plans made after it.
 */
export class CatalogueStore {
  private constructor(
    readonly coll: Collection<MeasureDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<CatalogueStore> {
    return new CatalogueStore(conn.collection<MeasureDoc>('measures'), writes);
  }

  static aggregate(code: string): string {
    return `measure:${code}`;
  }

  /** Inserts the default measures that are missing; returns how many. Existing ones are kept as changed. */
  async seed(now = new Date()): Promise<number> {
    const docs: MeasureDoc[] = DEFAULT_MEASURES.map((m) => ({
      ...structuredClone(m),
      _id: m.code,
      version: 1,
      updatedAt: now.toISOString(),
      updatedBy: 'system',
    }));
    const refused = await insertManyNew(this.coll, docs);
    return docs.length - refused.size;
  }

  /** The whole catalogue, in code order (M1 … M10). */
  async all(): Promise<MeasureDoc[]> {
    const docs = await this.coll.find({}).toArray();
    return docs.sort((a, b) => codeOrder(a._id) - codeOrder(b._id));
  }

  get(code: string): Promise<MeasureDoc | null> {
    return this.coll.findOne({ _id: code as MeasureCode });
  }

  /** Replaces a measure if it is still at `from`; null when another writer moved it first. */
  async update(
    code: MeasureCode,
    from: number,
    measure: Measure,
    by: string,
    now = new Date(),
  ): Promise<MeasureDoc | null> {
    return this.writes.move(
      CatalogueStore.aggregate(code),
      from,
      [],
      async () => (await this.get(code))?.version === from,
      () =>
        this.coll.findOneAndUpdate(
          { _id: code, $or: [{ version: from }] },
          { $set: { ...measure, version: from + 1, updatedAt: now.toISOString(), updatedBy: by } },
          { returnDocument: 'after' },
        ),
    );
  }
}
