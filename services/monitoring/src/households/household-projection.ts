import type { Collection, Connection } from 'mongoose';
import type { householdV1 } from '@shouwang/contracts';
import type { AssessmentError, AssessmentResult, Household } from '@shouwang/domain';
import { areaPathOf } from '@shouwang/kit';
import type { AppliedFact } from '../assessment/overlay';

/** The latest assessment of a household, kept with it. */
export interface StoredAssessment {
  result: AssessmentResult | null;
  error: AssessmentError | null;
  assessedAt: Date;
  policyVersion: number;
  householdVersion: number;
  appliedFacts: AppliedFact[];
}

/** Monitoring's own copy of a registry household (from its events). */
export interface ProjectedHousehold {
  _id: string;
  version: number;
  areaCode: string;
  /** The area and every area above it, so "in this area or below" is an equality match. */
  areaPath: string[];
  /** The canonical household (DOMAIN.md §3) without ID numbers: events carry them masked only. */
  household: Household;
  /** Blind index of each member's ID number, in member order ('' when none). */
  memberIndexes: string[];
  projectedAt: Date;
  /** Kept here by earlier versions; now in household_assessments (read as a fallback). */
  assessment?: StoredAssessment;
}

/** The latest assessment of a household, in a document of its own keyed by the household id. */
type AssessmentDoc = StoredAssessment & { _id: string };

/** Wire household (event) → the plain canonical household the domain assesses, without ID numbers. */
export function plainHousehold(h: householdV1.Household): Household {
  const plain = stripUndefined(h) as Record<string, unknown> & { members: Record<string, unknown>[] };
  for (const f of ['id', 'version', 'createdAt', 'updatedAt']) delete plain[f];
  // Masked in events; the assessment takes ages from birthDate (an ID number is only needed for that).
  for (const m of plain.members) delete m.idNumber;
  return plain as unknown as Household;
}

function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v))
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, stripUndefined(x)]),
    );
  return v;
}

/**
 * One writer per document, so no document needs VersionedWrites (on FerretDB 1.24 a conditional update
 * is not exclusive, and any two concurrent updates of one document may lose one): a household document
 * is written only by `apply`, i.e. by the event consumer, which handles one household's events in order
 * (one key, one partition) and one at a time; the assessments, written by every re-assessment (consumer,
 * feeds, re-screening runner), live in documents of their own, where the newest assessment wins.
 */
export class HouseholdProjection {
  private constructor(
    readonly coll: Collection<ProjectedHousehold>,
    private readonly assessments: Collection<AssessmentDoc>,
  ) {}

  static async open(conn: Connection): Promise<HouseholdProjection> {
    const coll = conn.collection<ProjectedHousehold>('households');
    await coll.createIndex({ areaPath: 1, _id: 1 });
    await coll.createIndex({ memberIndexes: 1 });
    return new HouseholdProjection(coll, conn.collection<AssessmentDoc>('household_assessments'));
  }

  /**
   * Stores the household if it is newer than the stored one (idempotent: a redelivered or older event
   * changes nothing). Returns false when it was not newer. Called only by the event consumer (see above).
   */
  async apply(h: householdV1.Household, memberIndexes: string[]): Promise<boolean> {
    if (!h.id) throw new Error('household event without a household id');
    try {
      const r = await this.coll.updateOne(
        { _id: h.id, $or: [{ version: { $lt: h.version } }, { version: { $exists: false } }] },
        {
          $set: {
            version: h.version,
            areaCode: h.areaCode,
            areaPath: areaPathOf(h.areaCode),
            household: plainHousehold(h),
            memberIndexes: h.members.map((_, i) => memberIndexes[i] ?? ''),
            projectedAt: new Date(),
          },
        },
        { upsert: true },
      );
      return r.modifiedCount + r.upsertedCount > 0;
    } catch (err) {
      // The upsert met the household at the same or a newer version.
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  get(id: string): Promise<ProjectedHousehold | null> {
    return this.coll.findOne({ _id: id });
  }

  /** Households one of whose members has this ID-number index (normally one). */
  async idsByPerson(personIndex: string): Promise<string[]> {
    const docs = await this.coll.find({ memberIndexes: personIndex }, { projection: { _id: 1 } }).toArray();
    return docs.map((d) => d._id);
  }

  /**
   * Stores an assessment unless the household changed meanwhile (the newer version gets its own) or a
   * newer assessment is stored (of a later household version, or made later). False when the household
   * changed.
   */
  async saveAssessment(id: string, assessment: StoredAssessment): Promise<boolean> {
    const v = assessment.householdVersion;
    if ((await this.get(id))?.version !== v) return false;
    try {
      await this.assessments.updateOne(
        {
          _id: id,
          $or: [{ householdVersion: { $lt: v } }, { householdVersion: v, assessedAt: { $lte: assessment.assessedAt } }],
        },
        { $set: assessment },
        { upsert: true },
      );
    } catch (err) {
      // The upsert met a newer assessment.
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    return true;
  }

  /** The household's latest assessment, if any. */
  async assessmentOf(id: string): Promise<StoredAssessment | null> {
    const doc = await this.assessments.findOne({ _id: id });
    if (doc) {
      const { _id, ...assessment } = doc;
      void _id;
      return assessment;
    }
    return (await this.get(id))?.assessment ?? null;
  }

  count(areaCode: string): Promise<number> {
    return this.coll.countDocuments({ areaPath: areaCode });
  }

  /**
   * The ids of an area's households after a checkpoint, in id order, a batch at a time from one
   * cursor: one sorted read for a whole re-screening rather than one query per batch (each of which a
   * store without an index for the range and the sort, such as mongo-java-server, answers by scanning
   * the collection). Closing the generator closes the cursor.
   */
  async *idBatchesAfter(areaCode: string, after: string, batchSize: number): AsyncGenerator<string[], void, undefined> {
    const cursor = this.coll
      .find({ areaPath: areaCode, _id: { $gt: after } }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .batchSize(batchSize);
    try {
      let batch: string[] = [];
      for await (const doc of cursor) {
        batch.push(doc._id);
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } finally {
      await cursor.close();
    }
  }

  /** Ids of the next households of an area after a checkpoint, in id order (re-screening). */
  async idsAfter(areaCode: string, after: string, limit: number): Promise<string[]> {
    const docs = await this.coll
      .find({ areaPath: areaCode, _id: { $gt: after } }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }
}
