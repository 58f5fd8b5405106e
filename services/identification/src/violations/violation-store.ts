import { createHash } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { OutboxEntry, VersionedWrites } from '@shouwang/kit';

export const VIOLATION_STATES = ['open', 'warned', 'assistance_ended'] as const;
export type ViolationState = (typeof VIOLATION_STATES)[number];

export type ViolationDoc = {
  /** Derived from (household, department, record id): a replayed signal finds the case it opened. */
  _id: string;
  householdId: string;
  areaCode: string;
  headName: string;
  department: string;
  recordId: string;
  asset: string;
  observedOn: string;
  state: ViolationState;
  decisionReason: string;
  decidedBy: string;
  decidedAt: Date | null;
  openedAt: Date;
  version: number;
};

export type ViolationFields = ViolationDoc;

export function violationId(householdId: string, department: string, recordId: string): string {
  return createHash('sha256').update(`${householdId}\u0000${department}\u0000${recordId}`).digest('hex').slice(0, 32);
}

/**
 * Violation cases (反向约束, DOMAIN.md §7): one document each. Like every workflow aggregate they move
 * through VersionedWrites (a claimed commit per version carrying the events), because a conditional
 * update alone is not exclusive on FerretDB 1.24 (see the kit's versioned-writes.ts).
 */
export class ViolationStore {
  private constructor(
    readonly coll: Collection<ViolationDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static aggregate(id: string): string {
    return `violation:${id}`;
  }

  static async open(db: Connection, writes: VersionedWrites): Promise<ViolationStore> {
    const coll = db.collection<ViolationDoc>('violation_cases');
    await coll.createIndex({ areaCode: 1, openedAt: -1 });
    return new ViolationStore(coll, writes);
  }

  /** Inserts a new case with its events; false when the case already exists (a replayed signal). */
  async insertNew(doc: ViolationFields, events: OutboxEntry[]): Promise<boolean> {
    return this.writes.create(ViolationStore.aggregate(doc._id), events, this.coll, doc);
  }

  get(id: string): Promise<ViolationDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /** Applies `fields` over `expectedVersion`; null when another write got there first. */
  async updateIfVersion(
    id: string,
    expectedVersion: number,
    fields: Partial<ViolationFields>,
    events: OutboxEntry[],
  ): Promise<ViolationDoc | null> {
    return this.writes.move(
      ViolationStore.aggregate(id),
      expectedVersion,
      events,
      async () => (await this.get(id))?.version === expectedVersion,
      () =>
        this.coll.findOneAndUpdate(
          { _id: id, $or: [{ version: expectedVersion }] },
          { $set: { ...fields, version: expectedVersion + 1 } },
          { returnDocument: 'after' },
        ),
    );
  }

  /** Cases of an area and below, newest first, after a keyset position. Few per county, so a filtered scan. */
  async list(areaPrefix: string, state: string, after: { openedAt: Date; id: string } | undefined, limit: number) {
    const filter: Record<string, unknown> = { areaCode: { $regex: `^${areaPrefix}` } };
    if (state) filter.state = state;
    const docs = await this.coll.find(filter).sort({ openedAt: -1, _id: -1 }).toArray();
    const rest = after
      ? docs.filter(
          (d) =>
            d.openedAt.getTime() < after.openedAt.getTime() ||
            (d.openedAt.getTime() === after.openedAt.getTime() && d._id < after.id),
        )
      : docs;
    return { page: rest.slice(0, limit), total: docs.length, more: rest.length > limit };
  }
}
