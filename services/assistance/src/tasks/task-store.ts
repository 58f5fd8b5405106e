import type { Collection, Connection } from 'mongoose';
import type { OutboxEntry, VersionedWrites } from '@shouwang/kit';
import type { Department, MeasureCode, TaskState } from '@shouwang/domain';
import { isDuplicateKey } from '@shouwang/kit';

export interface DeliveryDoc {
  /** YYYY-MM-DD. */
  deliveredOn: string;
  amountYuan: number | null;
  note: string;
  recordedBy: string;
  /** RFC 3339. */
  recordedAt: string;
}

/** One measure of one plan for one department (its queue). Tasks are never deleted. */
export interface TaskDoc {
  _id: string;
  householdId: string;
  /** The household's village code. */
  areaCode: string;
  headName: string;
  measureCode: MeasureCode;
  department: Department;
  state: TaskState;
  /** The plan version at which its measure became active (the key it was made from). */
  since: number;
  /** YYYY-MM-DD. */
  startsOn: string;
  dueOn: string;
  /** Upper limit of one delivery, from the plan's measure. */
  amountLimitYuan: number | null;
  deliveries: DeliveryDoc[];
  declineReason: string;
  closedReason: string;
  /** Who last acted on it, and when (RFC 3339). */
  actedBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export type TaskChange = Partial<Pick<TaskDoc, 'state' | 'declineReason' | 'closedReason' | 'actedBy'>>;

export interface TaskFilter {
  /** Area code prefix (any level). */
  areaPrefix: string;
  department?: string;
  state?: string;
  householdId?: string;
  /** Only tasks still to be worked (open, accepted) whose due day is before this day. */
  overdueOn?: string;
}

/** Keyset position of the queue order (dueOn, then id). */
export interface TaskCursor {
  dueOn: string;
  id: string;
}

/**
 * The `tasks` collection. A task is created and changed only through VersionedWrites (key
 * `task:<id>`), so of two concurrent actions on one task exactly one applies, on FerretDB as on MongoDB.
 * Filters beside `_id` sit inside a one-element `$or` (FerretDB 1.24 then still uses the `_id` index).
 */
export class TaskStore {
  private constructor(
    readonly coll: Collection<TaskDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<TaskStore> {
    const coll = conn.collection<TaskDoc>('tasks');
    await coll.createIndex({ householdId: 1 });
    await coll.createIndex({ department: 1, dueOn: 1, _id: 1 });
    await coll.createIndex({ areaCode: 1 });
    return new TaskStore(coll, writes);
  }

  static aggregate(id: string): string {
    return `task:${id}`;
  }

  get(id: string): Promise<TaskDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /** Every task of a household (a plan has tens at most). */
  ofHousehold(householdId: string): Promise<TaskDoc[]> {
    return this.coll.find({ householdId }).toArray();
  }

  /** Inserts a task; its events leave once it is stored. False when it exists already. */
  async insert(doc: TaskDoc, events: OutboxEntry[]): Promise<boolean> {
    const stored = await this.writes.move(
      TaskStore.aggregate(doc._id),
      0,
      events,
      async () => (await this.get(doc._id)) === null,
      async () => {
        try {
          await this.coll.insertOne({ ...doc });
          return true;
        } catch (err) {
          if (isDuplicateKey(err)) return null;
          throw err;
        }
      },
    );
    return stored === true;
  }

  /**
   * Applies `change` (and appends `delivery`) if the task is still at `from`; its events leave once
   * written. The task after the write, or null when another writer moved it first.
   */
  async move(
    id: string,
    from: number,
    change: TaskChange,
    events: (after: TaskDoc) => OutboxEntry[],
    now: Date,
    delivery?: DeliveryDoc,
  ): Promise<TaskDoc | null> {
    const current = await this.get(id);
    if (!current || current.version !== from) return null;
    // The events describe the task after the move, which is known before the write.
    const after: TaskDoc = {
      ...current,
      ...change,
      deliveries: delivery ? [...current.deliveries, delivery] : current.deliveries,
      updatedAt: now.toISOString(),
      version: from + 1,
    };
    return this.writes.move(
      TaskStore.aggregate(id),
      from,
      events(after),
      async () => (await this.get(id))?.version === from,
      () =>
        this.coll.findOneAndUpdate(
          { _id: id, $or: [{ version: from }] },
          {
            $set: { ...change, updatedAt: after.updatedAt, version: from + 1 },
            ...(delivery ? { $push: { deliveries: delivery } } : {}),
          },
          { returnDocument: 'after' },
        ),
    );
  }

  /** A queue page in due order, with the filter's total. */
  async list(
    filter: TaskFilter,
    page: { size: number; after?: TaskCursor },
  ): Promise<{ docs: TaskDoc[]; total: number }> {
    const and: Record<string, unknown>[] = [{ areaCode: { $gte: filter.areaPrefix, $lt: `${filter.areaPrefix}~` } }];
    if (filter.department) and.push({ department: filter.department });
    if (filter.state) and.push({ state: filter.state });
    if (filter.householdId) and.push({ householdId: filter.householdId });
    if (filter.overdueOn) and.push({ state: { $in: ['open', 'accepted'] }, dueOn: { $lt: filter.overdueOn } });
    const q = { $and: and };
    const total = await this.coll.countDocuments(q);
    const after = page.after;
    const pageQ = after
      ? { $and: [...and, { $or: [{ dueOn: { $gt: after.dueOn } }, { dueOn: after.dueOn, _id: { $gt: after.id } }] }] }
      : q;
    const docs = await this.coll.find(pageQ).sort({ dueOn: 1, _id: 1 }).limit(page.size).toArray();
    return { docs, total };
  }
}
