import pLimit from 'p-limit';
import { insertManyNew } from '@shouwang/kit';
import type { Collection, Connection } from 'mongoose';
import type { HouseholdDoc, HouseholdStore } from './household-store';

/** One ID number (by its blind index) and the household that holds it. */
interface ClaimDoc {
  _id: string;
  householdId: string;
}

/** Key lookups in flight at once. */
const LOOKUP_CONCURRENCY = 16;

const holds = (doc: HouseholdDoc | null, index: string) =>
  !!doc?.members.some((m) => (m as { idNumberIndex?: string }).idNumberIndex === index);

/**
 * One active household per ID number (DOMAIN.md §3), enforced by a unique key rather than a query:
 * a claim document per ID number, keyed by its blind index. Claiming is an insert, so two writers
 * racing for one number cannot both win, and every lookup is by key (a query over the households'
 * member indexes is a full scan on FerretDB 1.24). A claim is taken before the household is written;
 * if the writer dies in between, the claim names a household that does not hold the number, and the
 * next claimant takes it over.
 */
export class IdNumberClaims {
  private constructor(
    private readonly coll: Collection<ClaimDoc>,
    private readonly households: HouseholdStore,
  ) {}

  static async open(conn: Connection, households: HouseholdStore): Promise<IdNumberClaims> {
    return new IdNumberClaims(conn.collection<ClaimDoc>('id_number_claims'), households);
  }

  /** Claims for households written before claims existed (a one-off; a no-op once any claim exists). */
  async backfill(): Promise<number> {
    if (await this.coll.findOne({})) return 0;
    let n = 0;
    for await (const doc of this.households.coll.find({}, { projection: { members: 1 } })) {
      for (const m of doc.members as { idNumberIndex?: string }[]) {
        if (!m.idNumberIndex) continue;
        await this.coll.insertOne({ _id: m.idNumberIndex, householdId: doc._id }).catch(() => undefined);
        n++;
      }
    }
    return n;
  }

  /** Which household holds each of these ID numbers (stale claims left out). */
  async holders(indexes: string[]): Promise<Map<string, HouseholdDoc>> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const found = new Map<string, HouseholdDoc>();
    await Promise.all(
      [...new Set(indexes)].map((index) =>
        limit(async () => {
          const claim = await this.coll.findOne({ _id: index });
          if (!claim) return;
          const holder = await this.households.get(claim.householdId);
          if (holds(holder, index)) found.set(index, holder!);
        }),
      ),
    );
    return found;
  }

  /**
   * Claims the numbers for `householdId`. Returns the numbers another household holds (claimed
   * nothing then: what this call did claim is released again). Numbers it already holds are fine.
   */
  async claim(indexes: string[], householdId: string): Promise<Map<string, HouseholdDoc>> {
    const taken: string[] = [];
    const conflicts = new Map<string, HouseholdDoc>();
    for (const index of new Set(indexes)) {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await this.coll.insertOne({ _id: index, householdId });
          taken.push(index);
          break;
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
        }
        const claim = await this.coll.findOne({ _id: index });
        if (!claim) continue; // released meanwhile: try again
        if (claim.householdId === householdId) break;
        const holder = await this.households.get(claim.householdId);
        if (holds(holder, index)) {
          conflicts.set(index, holder!);
          break;
        }
        // A stale claim (its writer died, or the number left that household): take it over.
        const moved = await this.coll.updateOne(
          { _id: index, householdId: claim.householdId },
          { $set: { householdId } },
        );
        if (moved.modifiedCount === 1) {
          taken.push(index);
          break;
        }
      }
    }
    if (conflicts.size) await this.release(taken, householdId);
    return conflicts;
  }

  /**
   * Claims many numbers in one write (a bulk import). Returns the numbers claimed by this call; the
   * others were claimed already, by the same household or another: resolve those with holders().
   */
  async claimMany(pairs: { index: string; householdId: string }[]): Promise<Set<string>> {
    const first = new Map<string, ClaimDoc>();
    for (const p of pairs) if (!first.has(p.index)) first.set(p.index, { _id: p.index, householdId: p.householdId });
    const docs = [...first.values()];
    const refused = await insertManyNew(this.coll, docs);
    return new Set(docs.filter((_d, i) => !refused.has(i)).map((d) => d._id));
  }

  /** Gives up numbers the household no longer holds (or never came to hold). */
  async release(indexes: string[], householdId: string): Promise<void> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    await Promise.all(indexes.map((index) => limit(() => this.coll.deleteOne({ _id: index, householdId }))));
  }
}
