import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { OutboxEntry, VersionedWrites } from '@shouwang/kit';
import type { Department, FeatureCode, Measure, MeasureCode, NotPlanned } from '@shouwang/domain';
import { isDuplicateKey } from '@shouwang/kit';

/** One measure of a plan, with what the plan took from the catalogue when the measure came in. */
export interface PlanMeasureDoc {
  code: MeasureCode;
  /** The household's causes it answers. */
  answers: FeatureCode[];
  /** YYYY-MM-DD, never before the plan's policy start date. */
  startsOn: string;
  kind: Measure['kind'];
  status: 'active' | 'dropped' | 'closed';
  /** 'system' (generated or proposed) or the officer's username. */
  addedBy: string;
  dropReason: string;
  note: string;
  plannedAmountYuan: number | null;
  /** The plan version at which the measure (last) became active: its tasks are keyed by it. */
  since: number;
  /** Taken from the catalogue when the measure came into the plan. */
  departments: Department[];
  amountLimitYuan: number | null;
  dueDays: number | null;
}

export interface ProposalDoc {
  id: string;
  add: MeasureCode[];
  drop: MeasureCode[];
  /** The causes (features) the proposal answers. */
  features: FeatureCode[];
  /** RFC 3339. */
  raisedAt: string;
  status: 'open' | 'accepted' | 'rejected' | 'superseded';
  decidedBy: string;
  decidedAt: string;
  note: string;
}

/** A household's assistance plan, `_id` = household id; a re-identification after an exit starts it over. */
export interface PlanDoc {
  _id: string;
  areaCode: string;
  headName: string;
  caseId: string;
  category: string;
  causes: FeatureCode[];
  policyStartDate: string;
  measures: PlanMeasureDoc[];
  notPlanned: NotPlanned[];
  proposals: ProposalDoc[];
  status: 'active' | 'closed';
  closedReason: string;
  /** RFC 3339: when this plan (this identification) was made. */
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Everything but the key and the version: what a move writes. */
export type PlanContent = Omit<PlanDoc, '_id' | 'version'>;

/**
 * A plan change under way: recorded before the plan moves and removed once the plan's tasks follow
 * it, so a crash between the two is finished at the next start (recovery).
 */
interface PlanSyncIntent {
  _id: string;
  planId: string;
  at: Date;
}

/**
 * The `plans` collection. A plan changes only through VersionedWrites (one writer per version; its
 * event travels in the commit), so two officers, or an officer and a consumer, never both apply a change.
 */
export class PlanStore {
  private constructor(
    readonly coll: Collection<PlanDoc>,
    private readonly intents: Collection<PlanSyncIntent>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<PlanStore> {
    const coll = conn.collection<PlanDoc>('plans');
    await coll.createIndex({ areaCode: 1 });
    return new PlanStore(coll, conn.collection<PlanSyncIntent>('plan_sync_intents'), writes);
  }

  static aggregate(id: string): string {
    return `plan:${id}`;
  }

  get(id: string): Promise<PlanDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /**
   * Writes `content` as the plan's next version if it is still at `from` (0: there is no plan yet);
   * its events leave once written. Null when another writer moved it first.
   */
  async move(id: string, from: number, content: PlanContent, events: OutboxEntry[]): Promise<PlanDoc | null> {
    return this.writes.move(
      PlanStore.aggregate(id),
      from,
      events,
      async () => ((await this.get(id))?.version ?? 0) === from,
      async () => {
        if (from === 0) {
          try {
            const doc: PlanDoc = { _id: id, ...content, version: 1 };
            await this.coll.insertOne(doc);
            return doc;
          } catch (err) {
            if (isDuplicateKey(err)) return null;
            throw err;
          }
        }
        return this.coll.findOneAndUpdate(
          { _id: id, $or: [{ version: from }] },
          { $set: { ...content, version: from + 1 } },
          { returnDocument: 'after' },
        );
      },
    );
  }

  /** Records that the plan is about to change; returns the intent's id (to remove when its tasks follow). */
  async intend(planId: string): Promise<string> {
    const _id = randomUUID();
    await this.intents.insertOne({ _id, planId, at: new Date() });
    return _id;
  }

  async done(intentId: string): Promise<void> {
    await this.intents.deleteOne({ _id: intentId });
  }

  /** Plans with a change older than `olderThanMs` whose tasks may not have followed (a crash). */
  async unfinished(olderThanMs: number): Promise<{ intentId: string; planId: string }[]> {
    const docs = await this.intents.find({ at: { $lt: new Date(Date.now() - olderThanMs) } }).toArray();
    return docs.map((d) => ({ intentId: d._id, planId: d.planId }));
  }
}
