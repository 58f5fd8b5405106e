import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { insertManyNew, isDuplicateKey } from '@shouwang/kit';
import type { Collection, Connection } from 'mongoose';
import type { HouseholdDoc, HouseholdStore } from './household-store';

/**
 * One generation of an ID number's claim (by its blind index). Generation 0 is keyed by the index
 * itself, later ones by `index@n`. Generations are only ever inserted, never changed or deleted.
 */
interface ClaimDoc {
  _id: string;
  /** The household the number went to; absent when this generation gives it up. */
  householdId?: string;
  /** When it was claimed or given up (ms since the epoch); absent on claims written before it was kept. */
  at?: number;
  /** On generation 0 only: a hint of the newest generation (may lag; never ahead). */
  latest?: number;
}

interface Generation {
  gen: number;
  doc: ClaimDoc;
}

export interface IdNumberClaimsOptions {
  /**
   * How long a claim whose household does not (yet) hold the number counts as a write in progress
   * rather than one whose writer died. Within it another claimant waits, then is told to retry;
   * after it the claim is taken over.
   */
  graceMs: number;
  /** How long a claimant waits for a write in progress before it gives up with id_number_busy. */
  pendingWaitMs: number;
}

const DEFAULTS: IdNumberClaimsOptions = { graceMs: 5 * 60_000, pendingWaitMs: 3000 };

/** Key lookups in flight at once. */
const LOOKUP_CONCURRENCY = 16;

const keyOf = (index: string, gen: number) => (gen === 0 ? index : `${index}@${gen}`);
const holds = (doc: HouseholdDoc | null, index: string) =>
  !!doc?.members.some((m) => (m as { idNumberIndex?: string }).idNumberIndex === index);

/**
 * One active household per ID number (DOMAIN.md §3), enforced by unique keys rather than a query.
 *
 * Each ID number has a chain of claim generations; whoever inserts the next generation owns the
 * number. An insert is the one write FerretDB 1.24 makes exclusive (its conditional updates and
 * deletes read, then write, without a transaction), so the chain is append-only: a claim, a give-up
 * and a takeover are all inserts, and two writers racing for one number cannot both win. Every
 * lookup is by key (a query over the households' member indexes is a full scan on FerretDB).
 *
 * A claim is taken before its household is written. A claim whose household does not hold the
 * number is a write in progress for `graceMs`, and after that a dead writer's, which the next
 * claimant takes over.
 */
export class IdNumberClaims {
  private readonly opts: IdNumberClaimsOptions;

  private constructor(
    private readonly coll: Collection<ClaimDoc>,
    private readonly households: HouseholdStore,
    opts: Partial<IdNumberClaimsOptions>,
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  static async open(
    conn: Connection,
    households: HouseholdStore,
    opts: Partial<IdNumberClaimsOptions> = {},
  ): Promise<IdNumberClaims> {
    return new IdNumberClaims(conn.collection<ClaimDoc>('id_number_claims'), households, opts);
  }

  /** Claims for households written before claims existed (a one-off; a no-op once any claim exists). */
  async backfill(): Promise<number> {
    if (await this.coll.findOne({})) return 0;
    let n = 0;
    for await (const doc of this.households.coll.find({}, { projection: { members: 1 } })) {
      for (const m of doc.members as { idNumberIndex?: string }[]) {
        if (!m.idNumberIndex) continue;
        await this.coll
          .insertOne({ _id: m.idNumberIndex, householdId: doc._id, at: Date.now() })
          .catch(() => undefined);
        n++;
      }
    }
    return n;
  }

  /**
   * Which household holds each of these ID numbers (numbers given up, and claims whose household
   * does not hold them, left out). Read-only and advisory: a claim decides, not this.
   */
  async holders(indexes: string[]): Promise<Map<string, HouseholdDoc>> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    const found = new Map<string, HouseholdDoc>();
    await Promise.all(
      [...new Set(indexes)].map((index) =>
        limit(async () => {
          const newest = await this.newest(index, { trustHint: true });
          if (!newest?.doc.householdId) return;
          const holder = await this.households.get(newest.doc.householdId);
          if (holds(holder, index)) found.set(index, holder!);
        }),
      ),
    );
    return found;
  }

  /**
   * Claims the numbers for `householdId`. Returns the numbers another household holds (claimed
   * nothing then: what this call did claim is given up again). Numbers it already holds are fine.
   * A number another writer is registering right now is waited for, then refused with IdNumberBusy
   * (claimed nothing then either).
   */
  async claim(indexes: string[], householdId: string): Promise<Map<string, HouseholdDoc>> {
    const taken: string[] = [];
    const conflicts = new Map<string, HouseholdDoc>();
    try {
      for (const index of new Set(indexes)) {
        const outcome = await this.claimOne(index, householdId);
        if (outcome === 'claimed') taken.push(index);
        else if (outcome !== 'held') conflicts.set(index, outcome);
      }
    } catch (err) {
      await this.release(taken, householdId);
      throw err;
    }
    if (conflicts.size) await this.release(taken, householdId);
    return conflicts;
  }

  /**
   * Claims many numbers in one write (a bulk import), as generation 0. Returns the numbers claimed
   * by this call; the others have a claim already, by the same household or another: resolve those
   * with holders() and claim().
   */
  async claimMany(pairs: { index: string; householdId: string }[]): Promise<Set<string>> {
    const first = new Map<string, ClaimDoc>();
    const at = Date.now();
    for (const p of pairs)
      if (!first.has(p.index)) first.set(p.index, { _id: p.index, householdId: p.householdId, at });
    const docs = [...first.values()];
    const refused = await insertManyNew(this.coll, docs);
    return new Set(docs.filter((_d, i) => !refused.has(i)).map((d) => d._id));
  }

  /** Gives up numbers the household no longer holds (or never came to hold). */
  async release(indexes: string[], householdId: string): Promise<void> {
    const limit = pLimit(LOOKUP_CONCURRENCY);
    await Promise.all(
      indexes.map((index) =>
        limit(async () => {
          for (let attempt = 0; attempt < 5; attempt++) {
            const newest = await this.newest(index);
            if (newest?.doc.householdId !== householdId) return; // not this household's (any more)
            // Losing this insert means someone else moved the number on meanwhile: look again.
            if (await this.append(index, newest.gen + 1, { at: Date.now() })) return;
          }
        }),
      ),
    );
  }

  private async claimOne(index: string, householdId: string): Promise<'claimed' | 'held' | HouseholdDoc> {
    const waitUntil = Date.now() + this.opts.pendingWaitMs;
    for (;;) {
      const newest = await this.newest(index);
      const owner = newest?.doc.householdId;
      if (owner === householdId) return 'held';
      if (owner) {
        const holder = await this.households.get(owner);
        if (holds(holder, index)) return holder!;
        const inProgress = Date.now() - (newest!.doc.at ?? 0) < this.opts.graceMs;
        if (inProgress) {
          if (Date.now() >= waitUntil) throw new IdNumberBusy(index);
          await sleep(100);
          continue;
        }
        // Otherwise its writer died, or the number left that household without being given up.
      }
      if (await this.append(index, newest ? newest.gen + 1 : 0, { householdId, at: Date.now() })) return 'claimed';
      // Another claimant inserted that generation first: look at what it is.
    }
  }

  /** Inserts a generation; false when that generation exists already (someone else got there first). */
  private async append(index: string, gen: number, doc: Omit<ClaimDoc, '_id'>): Promise<boolean> {
    try {
      await this.coll.insertOne({ _id: keyOf(index, gen), ...doc });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    // Only a hint for readers (see newest): a lost or late update costs them a read, nothing more.
    if (gen > 0) await this.coll.updateOne({ _id: keyOf(index, 0) }, { $max: { latest: gen } });
    return true;
  }

  /**
   * The newest generation of a number's claim, or null if it never had one. Starts at the hint on
   * generation 0 and reads forward until a generation is missing; `trustHint` skips that last read
   * (a lookup may then see a generation that was just superseded, which only a claim must not).
   */
  private async newest(index: string, opts: { trustHint?: boolean } = {}): Promise<Generation | null> {
    const root = await this.coll.findOne({ _id: keyOf(index, 0) });
    if (!root) return null;
    let current: Generation = { gen: 0, doc: root };
    const hint = root.latest ?? 0;
    if (hint > 0) {
      const hinted = await this.coll.findOne({ _id: keyOf(index, hint) });
      if (hinted) current = { gen: hint, doc: hinted };
    }
    if (opts.trustHint) return current;
    for (let next = current.gen + 1; ; next++) {
      const doc = await this.coll.findOne({ _id: keyOf(index, next) });
      if (!doc) return current;
      current = { gen: next, doc };
    }
  }
}

/** A number another writer is registering right now (see IdNumberClaims.claim); worth a retry. */
export class IdNumberBusy extends Error {
  constructor(readonly index: string) {
    super('this ID number is being registered in another household right now');
  }
}
