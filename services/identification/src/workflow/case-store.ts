import { createHash, randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { OutboxEntry, VersionedWrites } from '@shouwang/kit';
import type { identificationV1 } from '@shouwang/contracts';
import type { CaseKind, CaseState } from '@shouwang/domain';

/**
 * One case as stored: the wire Case without what is computed when it is read (late, allowed
 * actions), plus the fields queries need. Cases are never deleted.
 */
export interface CaseDoc {
  _id: string;
  kind: CaseKind;
  householdId: string;
  /** The household's village code, and its county. */
  areaCode: string;
  countyCode: string;
  headName: string;
  address: string;
  persons: number;
  state: CaseState;
  origin: string;
  warningId: string;
  commitmentSigned: boolean;
  assetCheckAuthorised: boolean;
  /** RFC 3339. */
  submittedAt: string;
  /** Identification: the last day for the county decision; '' for exits. */
  dueOn: string;
  /** RFC 3339 and China date of reaching a final state; '' while open. */
  decidedAt: string;
  decidedOn: string;
  /** Decided after dueOn (kept so "late" is a query, not a computation over every case). */
  decidedLate: boolean;
  /** Not in a final state. */
  open: boolean;
  notice: identificationV1.Notice | null;
  objections: identificationV1.Objection[];
  steps: identificationV1.CaseStep[];
  category: string;
  causes: string[];
  policyStartDate: string;
  overrideReason: string;
  reason: string;
  vote: identificationV1.Vote | null;
  quarter: string;
  informedOn: string;
  documents: identificationV1.CaseDocument[];
  version: number;
}

/** The fields a transition may change (identity, household and history are fixed or appended). */
export type CaseChange = Partial<
  Omit<CaseDoc, '_id' | 'kind' | 'householdId' | 'areaCode' | 'countyCode' | 'steps' | 'version'>
>;

/** At most one open case of a kind per household: a claim document keyed `${kind}:${householdId}`. */
interface OpenCaseClaim {
  _id: string;
  caseId: string;
  at: Date;
}

/** A claim whose case never appeared (a crash between claim and insert) is taken over after this. */
const ORPHAN_CLAIM_MS = 60_000;

export interface CaseFilter {
  /** Area code prefix (any level). */
  areaPrefix: string;
  kind?: CaseKind;
  state?: string;
  householdId?: string;
  /** Only cases late against their due date, judged on `today`. */
  lateOn?: string;
}

/** Keyset position of the newest-first order (submittedAt desc, _id desc). */
export interface CaseCursor {
  submittedAt: string;
  id: string;
}

/**
 * The `cases` collection: one document per case of either workflow, created and changed only through
 * VersionedWrites (one writer per version, the events in the commit), so of two concurrent actions on
 * one case exactly one applies, on FerretDB as on MongoDB.
 *
 * FerretDB 1.24 uses an index only for a filter on `_id` alone or `_id` with operators it cannot push
 * down (see the outbox relay), so conditions beside `_id` go inside a one-element `$or`.
 */
export class CaseStore {
  private constructor(
    readonly coll: Collection<CaseDoc>,
    private readonly claims: Collection<OpenCaseClaim>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<CaseStore> {
    const coll = conn.collection<CaseDoc>('cases');
    await coll.createIndex({ householdId: 1 });
    await coll.createIndex({ areaCode: 1 });
    return new CaseStore(coll, conn.collection<OpenCaseClaim>('open_cases'), writes);
  }

  /** The commit key of a case's moves in VersionedWrites. */
  static aggregate(id: string): string {
    return `case:${id}`;
  }

  /** A retried request with the same key finds the case it created; without a key the id is random. */
  static newId(idempotencyKey?: string): string {
    if (!idempotencyKey) return randomUUID();
    const h = createHash('sha256').update(`case:${idempotencyKey}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  }

  async get(id: string): Promise<CaseDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /** Inserts a case; its events leave once it is stored. False when the id exists. */
  async insert(doc: CaseDoc, events: OutboxEntry[]): Promise<boolean> {
    return this.writes.create(CaseStore.aggregate(doc._id), events, this.coll, doc);
  }

  /**
   * Inserts an open case unless the household already has an open case of that kind: exactly one of
   * two concurrent submissions gets in. Returns the open case that stands in the way instead.
   */
  async insertOpen(
    doc: CaseDoc,
    events: OutboxEntry[],
  ): Promise<{ ok: true } | { ok: false; openCaseId: string } | { ok: false; exists: true }> {
    const claimed = await this.claimOpen(doc.kind, doc.householdId, doc._id);
    if (claimed !== true) return { ok: false, openCaseId: claimed };
    if (await this.insert(doc, events)) return { ok: true };
    // The id exists (a retry with the same idempotency key): the claim names that very case, so it stays.
    return { ok: false, exists: true };
  }

  /** The open case of a kind for a household, if any (via its claim; a stale claim is not one). */
  async openCaseOf(kind: CaseKind, householdId: string): Promise<CaseDoc | null> {
    const claim = await this.claims.findOne({ _id: `${kind}:${householdId}` });
    if (!claim) return null;
    const c = await this.get(claim.caseId);
    return c?.open ? c : null;
  }

  /** True, or the id of the open case holding the claim. */
  private async claimOpen(kind: CaseKind, householdId: string, caseId: string): Promise<true | string> {
    const _id = `${kind}:${householdId}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.claims.insertOne({ _id, caseId, at: new Date() });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      const held = await this.claims.findOne({ _id });
      if (!held) continue;
      if (held.caseId === caseId) return true;
      const holder = await this.get(held.caseId);
      const stale = holder ? !holder.open : Date.now() - held.at.getTime() > ORPHAN_CLAIM_MS;
      if (!stale) return held.caseId;
      // Removed, then claimed again by insert: of several takers, one insert wins.
      await this.claims.deleteOne({ _id, $or: [{ caseId: held.caseId }] });
    }
    const held = await this.claims.findOne({ _id });
    return held?.caseId ?? '';
  }

  /** Lets the household have a new open case of this kind (called when a case reaches a final state). */
  async releaseOpen(kind: CaseKind, householdId: string, caseId: string): Promise<void> {
    await this.claims.deleteOne({ _id: `${kind}:${householdId}`, $or: [{ caseId }] });
  }

  /**
   * Applies `change` and appends `step` if the case is still at `expectedVersion`; its events leave
   * once the write is done. Returns the case after the write, or null when another writer moved it.
   */
  async updateVersioned(
    id: string,
    expectedVersion: number,
    change: CaseChange,
    step: identificationV1.CaseStep,
    events: OutboxEntry[],
  ): Promise<CaseDoc | null> {
    return this.writes.move(
      CaseStore.aggregate(id),
      expectedVersion,
      events,
      async () => (await this.get(id))?.version === expectedVersion,
      () =>
        this.coll.findOneAndUpdate(
          { _id: id, $or: [{ version: expectedVersion }] },
          { $set: { ...change, version: expectedVersion + 1 }, $push: { steps: step } },
          { returnDocument: 'after' },
        ),
    );
  }

  /** Cases of an area and below, newest first, one keyset page at a time, with the filter's total. */
  async list(
    filter: CaseFilter,
    page: { size: number; after?: CaseCursor },
  ): Promise<{ docs: CaseDoc[]; total: number }> {
    const and: Record<string, unknown>[] = [{ areaCode: { $gte: filter.areaPrefix, $lt: `${filter.areaPrefix}~` } }];
    if (filter.kind) and.push({ kind: filter.kind });
    if (filter.state) and.push({ state: filter.state });
    if (filter.householdId) and.push({ householdId: filter.householdId });
    if (filter.lateOn)
      and.push({
        $or: [{ open: true, dueOn: { $ne: '', $lt: filter.lateOn } }, { decidedLate: true }],
      });
    const q = { $and: and };
    const total = await this.coll.countDocuments(q);
    const pageQ = page.after
      ? {
          $and: [
            ...and,
            {
              $or: [
                { submittedAt: { $lt: page.after.submittedAt } },
                { submittedAt: page.after.submittedAt, _id: { $lt: page.after.id } },
              ],
            },
          ],
        }
      : q;
    const docs = await this.coll.find(pageQ).sort({ submittedAt: -1, _id: -1 }).limit(page.size).toArray();
    return { docs, total };
  }

  /** Open cases of a kind in a county (the quota's pipeline). Cases are few; this scans them. */
  async openInCounty(kind: CaseKind, countyCode: string): Promise<CaseDoc[]> {
    return this.coll.find({ countyCode, kind, open: true }).toArray();
  }

  /** Every case of a household, newest first. */
  async ofHousehold(householdId: string): Promise<CaseDoc[]> {
    return this.coll.find({ householdId }).sort({ submittedAt: -1, _id: -1 }).toArray();
  }
}
