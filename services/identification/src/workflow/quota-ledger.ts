import { setTimeout as sleep } from 'node:timers/promises';
import type { Collection, Connection } from 'mongoose';
import type { VersionedWrites } from '@shouwang/kit';

/** One household's places in its county's quota. */
export interface QuotaHolder {
  caseId: string;
  persons: number;
  at: Date;
}

/**
 * One county's quota usage (`_id` = county code): the persons of identified, not exited households,
 * and who holds them. The ONLY place quota is counted (DOMAIN.md §6), so a reservation and the count
 * change in one single-document write.
 */
export interface CountyQuotaDoc {
  _id: string;
  used: number;
  /** householdId → its places. */
  holders: Record<string, QuotaHolder>;
  version: number;
}

export type Reservation =
  | { ok: true; used: number }
  /** Taking the places would pass `limit`; `used` as found. */
  | { ok: false; reason: 'full'; used: number }
  /** The household already holds places (identified by that case). */
  | { ok: false; reason: 'held'; caseId: string };

/** Household ids become field names: only ids without '.' or '$' (FerretDB refuses those) may. */
const HOLDER_KEY = /^[\w-]{1,64}$/;

function holderPath(householdId: string): string {
  if (!HOLDER_KEY.test(householdId)) throw new RangeError('not a household id');
  return `holders.${householdId}`;
}

/** Attempts of a reservation or release that keeps losing its turn to concurrent ones. */
const MAX_TURNS = 50;

/**
 * The county quota ledger (`county_quotas`). A reservation checks "used + persons stays within the
 * limit and this household holds nothing" on the county's document and writes the new count and holder
 * as the one writer of the document's next version (VersionedWrites), so of two approvals racing for
 * the last places exactly one gets them; the other sees the new count. Releasing on exit is the reverse.
 */
export class QuotaLedger {
  private constructor(
    readonly coll: Collection<CountyQuotaDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<QuotaLedger> {
    return new QuotaLedger(conn.collection<CountyQuotaDoc>('county_quotas'), writes);
  }

  async usage(countyCode: string): Promise<CountyQuotaDoc> {
    return (await this.coll.findOne({ _id: countyCode })) ?? { _id: countyCode, used: 0, holders: {}, version: 0 };
  }

  /** Takes `persons` places for the household if used + persons ≤ limit afterwards. */
  async reserve(
    countyCode: string,
    householdId: string,
    hold: { caseId: string; persons: number },
    limit: number,
  ): Promise<Reservation> {
    const path = holderPath(householdId);
    await this.ensure(countyCode);
    for (let turn = 0; turn < MAX_TURNS; turn++) {
      const now = await this.usage(countyCode);
      const holder = now.holders[householdId];
      if (holder) return { ok: false, reason: 'held', caseId: holder.caseId };
      if (now.used + hold.persons > limit) return { ok: false, reason: 'full', used: now.used };
      const after = await this.move(now, {
        $set: { used: now.used + hold.persons, [path]: { ...hold, at: new Date() } },
      });
      if (after) return { ok: true, used: after.used };
      await sleep(Math.random() * 5 * (turn + 1));
    }
    throw new Error(`county quota ${countyCode}: gave up after ${MAX_TURNS} concurrent changes`);
  }

  /**
   * Gives back the household's places (on exit, or when the approval that reserved them lost its
   * race). With `caseId`, only places that case reserved. Returns the persons released (0 if none held).
   */
  async release(countyCode: string, householdId: string, caseId?: string): Promise<number> {
    const path = holderPath(householdId);
    for (let turn = 0; turn < MAX_TURNS; turn++) {
      const now = await this.usage(countyCode);
      const holder = now.holders[householdId];
      if (!holder || (caseId !== undefined && holder.caseId !== caseId)) return 0;
      if (await this.move(now, { $set: { used: now.used - holder.persons }, $unset: { [path]: '' } }))
        return holder.persons;
      await sleep(Math.random() * 5 * (turn + 1));
    }
    throw new Error(`county quota ${countyCode}: gave up after ${MAX_TURNS} concurrent changes`);
  }

  /** The county's document from `current.version` to the next, as its one writer; null when another moved it. */
  private move(
    current: CountyQuotaDoc,
    update: { $set: Record<string, unknown>; $unset?: Record<string, ''> },
  ): Promise<CountyQuotaDoc | null> {
    const { _id, version } = current;
    return this.writes.move(
      `quota:${_id}`,
      version,
      [],
      async () => (await this.usage(_id)).version === version,
      () =>
        this.coll.findOneAndUpdate(
          // Conditions beside _id inside $or keep FerretDB on the _id index (see CaseStore).
          { _id, $or: [{ version }] },
          { ...update, $set: { ...update.$set, version: version + 1 } },
          { returnDocument: 'after' },
        ),
    );
  }

  private async ensure(countyCode: string): Promise<void> {
    if (await this.coll.findOne({ _id: countyCode }, { projection: { _id: 1 } })) return;
    try {
      await this.coll.insertOne({ _id: countyCode, used: 0, holders: {}, version: 0 });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }
}
