import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { monitoringEvents, type monitoringV1 } from '@shouwang/contracts';
import {
  AppError,
  areaPathOf,
  keysetToken,
  outboxEntry,
  parseKeysetToken,
  type OutboxEntry,
  type OutboxFields,
  type VersionedWrites,
} from '@shouwang/kit';
import {
  CAUSE_TEXT,
  canonicalKey,
  type CauseSignal,
  type HeldWarning,
  type Reconciliation,
  type WarningCause,
  type WarningStatus,
} from './reconcile';

/** The assessment a warning was raised or last updated by. */
export interface AssessmentRef {
  assessedAt: Date;
  policyVersion: number;
  householdVersion: number;
  year: number;
  asOf: string;
  perCapitaIncome: number;
  monitoringLine: number;
  category: string | null;
  features: string[];
}

export interface WarningDoc {
  _id: string;
  householdId: string;
  areaCode: string;
  areaPath: string[];
  cause: WarningCause;
  status: WarningStatus;
  /**
   * `<householdId>:<cause>` while the warning holds its household's slot for the cause (unique index:
   * one per household and cause), `released:<id>` once it gave it up.
   */
  slot: string;
  holding: boolean;
  source: string;
  lastSource: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  explanation: { zh: string; en: string };
  /** JSON of the triggering inputs (JSON text: input keys are not field names to store). */
  inputsJson: string;
  inputsKey: string;
  assessment: AssessmentRef;
  dismissReason?: string;
  applicationId?: string;
  statusChangedAt?: Date;
  statusChangedBy?: string;
  version: number;
}

/** A write lost a race (another replica or consumer changed the same warnings): re-assess and try again. */
export class WarningRace extends Error {}

const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : '');

export function warningToWire(w: WarningDoc): monitoringV1.Warning {
  const text = CAUSE_TEXT[w.cause];
  return {
    id: w._id,
    householdId: w.householdId,
    areaCode: w.areaCode,
    cause: w.cause,
    causeTextZh: text?.zh ?? '',
    causeTextEn: text?.en ?? '',
    status: w.status,
    source: w.source,
    lastSource: w.lastSource,
    firstSeenAt: iso(w.firstSeenAt),
    lastSeenAt: iso(w.lastSeenAt),
    explanationZh: w.explanation.zh,
    explanationEn: w.explanation.en,
    inputsJson: w.inputsJson,
    dismissReason: w.dismissReason ?? '',
    applicationId: w.applicationId ?? '',
    version: w.version,
    assessment: {
      assessedAt: iso(w.assessment.assessedAt),
      policyVersion: w.assessment.policyVersion,
      householdVersion: w.assessment.householdVersion,
      year: w.assessment.year,
      asOf: w.assessment.asOf,
      perCapitaIncome: w.assessment.perCapitaIncome,
      monitoringLine: w.assessment.monitoringLine,
      category: w.assessment.category ?? '',
      features: w.assessment.features,
    },
    statusChangedAt: iso(w.statusChangedAt),
    statusChangedBy: w.statusChangedBy ?? '',
  };
}

export interface WarningFilter {
  areaCode: string;
  cause?: string;
  source?: string;
  status?: string;
  householdId?: string;
}

const notFound = () =>
  new AppError('not_found', 'warning not found', { code: 'warning_not_found', messageZh: '未找到该预警' });

/**
 * Warnings change through VersionedWrites (a claimed commit per version, carrying the events): a
 * household's warnings are re-assessed by the event consumer, the feeds and the re-screening runner,
 * and moved by officers, all at once, and on FerretDB 1.24 a conditional update alone is not exclusive
 * (two `{_id, version}` updates can both apply) — nor could the outbox relay write a warning without
 * risking to undo a concurrent change. So the relay watches the commits, never the warnings.
 */
export class WarningStore {
  private constructor(
    readonly coll: Collection<WarningDoc>,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(conn: Connection, writes: VersionedWrites): Promise<WarningStore> {
    const coll = conn.collection<WarningDoc>('warnings');
    await coll.createIndex({ slot: 1 }, { unique: true });
    await coll.createIndex({ householdId: 1, holding: 1 });
    await coll.createIndex({ areaPath: 1, firstSeenAt: -1, _id: -1 });
    return new WarningStore(coll, writes);
  }

  /** The commit key of a warning's moves. */
  static aggregate(id: string): string {
    return `warning:${id}`;
  }

  /**
   * At start: releases the events of warning writes completed just before a crash, and moves events
   * still kept in warning documents (written before warnings moved through commits) to commits.
   */
  async recover(): Promise<number> {
    const adopted = await this.writes.adoptEmbeddedOutbox(
      this.coll as unknown as Collection<WarningDoc & OutboxFields>,
      WarningStore.aggregate,
    );
    const released = await this.writes.recoverByType({
      [WarningStore.aggregate('')]: async (id) => (await this.get(id))?.version ?? null,
    });
    return adopted + released;
  }

  /** The warnings holding a slot of the household (at most one per cause). */
  async held(householdId: string): Promise<(HeldWarning & { version: number })[]> {
    const docs = await this.coll.find({ householdId, holding: true }).toArray();
    return docs.map((d) => ({
      id: d._id,
      cause: d.cause,
      status: d.status as HeldWarning['status'],
      inputsKey: d.inputsKey,
      version: d.version,
    }));
  }

  get(id: string): Promise<WarningDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /**
   * Carries out one reconciliation step. Raises take the unique slot and updates move the version, so two
   * re-assessments of one household racing each other cannot open two warnings for a cause: the
   * loser gets a WarningRace and re-assesses. Returns whether events were written.
   */
  async apply(
    step: Reconciliation,
    ctx: { householdId: string; areaCode: string; source: string; assessment: AssessmentRef; now: Date },
    versions: ReadonlyMap<string, number>,
  ): Promise<boolean> {
    const { now } = ctx;
    if (step.kind === 'raise') {
      const doc: WarningDoc = {
        _id: randomUUID(),
        householdId: ctx.householdId,
        areaCode: ctx.areaCode,
        areaPath: areaPathOf(ctx.areaCode),
        cause: step.signal.cause,
        status: 'open',
        slot: `${ctx.householdId}:${step.signal.cause}`,
        holding: true,
        source: ctx.source,
        lastSource: ctx.source,
        firstSeenAt: now,
        lastSeenAt: now,
        ...signalFields(step.signal),
        assessment: ctx.assessment,
        version: 1,
      };
      const event = outboxEntry(
        monitoringEvents.warningRaised,
        ctx.householdId,
        { warning: warningToWire(doc) },
        'monitoring',
      );
      const raised = await this.writes.move(
        WarningStore.aggregate(doc._id),
        0,
        [event],
        async () => (await this.get(doc._id)) === null,
        async () => {
          try {
            await this.coll.insertOne({ ...doc });
            return true;
          } catch (err) {
            // The household's slot for the cause is taken (the id is random).
            if ((err as { code?: number }).code === 11000) return null;
            throw err;
          }
        },
      );
      if (!raised) throw new WarningRace('cause raised concurrently');
      return true;
    }
    const id = step.warning.id;
    const version = versions.get(id) ?? 0;
    let set: Partial<WarningDoc> = { lastSeenAt: now, lastSource: ctx.source };
    let event: ((w: WarningDoc) => OutboxEntry) | undefined;
    if (step.kind === 'update') {
      if (step.changed) {
        set = { ...set, ...signalFields(step.signal), assessment: ctx.assessment };
        event = (w) =>
          outboxEntry(monitoringEvents.warningUpdated, w.householdId, { warning: warningToWire(w) }, 'monitoring');
      }
    } else if (step.kind === 'resolve') {
      set = { ...set, status: 'resolved', slot: `released:${id}`, holding: false, statusChangedAt: now };
      set.statusChangedBy = 'system';
      const previous = step.warning.status;
      event = (w) =>
        outboxEntry(
          monitoringEvents.warningResolved,
          w.householdId,
          { warning: warningToWire(w), previousStatus: previous },
          'monitoring',
        );
    } else {
      set = { slot: `released:${id}`, holding: false };
    }
    const updated = await this.versionedUpdate(id, version, set, event);
    if (!updated) throw new WarningRace('warning changed concurrently');
    return event !== undefined;
  }

  /**
   * Moves the warning from `version` to the next with `set` and its event (built from the document as
   * it will be after the update); null when another writer moved it first.
   */
  private async versionedUpdate(
    id: string,
    version: number,
    set: Partial<WarningDoc>,
    event?: (after: WarningDoc) => OutboxEntry,
  ): Promise<WarningDoc | null> {
    const before = await this.get(id);
    if (before?.version !== version) return null;
    const after = { ...before, ...set, version: version + 1 } as WarningDoc;
    return this.writes.move(
      WarningStore.aggregate(id),
      version,
      event ? [event(after)] : [],
      async () => (await this.get(id))?.version === version,
      // The version inside a one-element $or: FerretDB 1.24 uses the _id index only for _id alone.
      () =>
        this.coll.findOneAndUpdate(
          { _id: id, $or: [{ version }] },
          { $set: { ...set, version: version + 1 } },
          { returnDocument: 'after' },
        ),
    );
  }

  /**
   * An officer's step in the lifecycle (open → acknowledged; open | acknowledged → dismissed | converted).
   * Returns the warning before and after.
   */
  async transition(
    id: string,
    to: 'acknowledged' | 'dismissed' | 'converted',
    by: string,
    extra: { dismissReason?: string; applicationId?: string },
    check: (w: WarningDoc) => void,
  ): Promise<{ before: WarningDoc; after: WarningDoc }> {
    const allowedFrom: Record<typeof to, WarningStatus[]> = {
      acknowledged: ['open'],
      dismissed: ['open', 'acknowledged'],
      converted: ['open', 'acknowledged'],
    };
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.get(id);
      if (!before) throw notFound();
      check(before);
      if (!allowedFrom[to].includes(before.status))
        throw new AppError('conflict', `a warning that is ${before.status} cannot become ${to}`, {
          code: 'invalid_transition',
          field: 'status',
          messageZh: `预警当前状态为${before.status}，不能变更为${to}`,
        });
      const now = new Date();
      const set: Partial<WarningDoc> = { status: to, statusChangedAt: now, statusChangedBy: by, ...extra };
      const after = await this.versionedUpdate(id, before.version, set, (w) =>
        outboxEntry(
          monitoringEvents.warningStatusChanged,
          w.householdId,
          { warning: warningToWire(w), previousStatus: before.status, actorUsername: by },
          'monitoring',
        ),
      );
      if (after) return { before, after };
    }
    throw new AppError('conflict', 'the warning keeps changing; try again', { code: 'version_conflict' });
  }

  /** Warnings matching the filter, newest first, a page at a time (keyset on firstSeenAt, id). */
  async list(
    filter: WarningFilter,
    pageSize: number,
    pageToken: string,
  ): Promise<{ warnings: WarningDoc[]; nextPageToken: string; total: number }> {
    const q: Record<string, unknown> = { areaPath: filter.areaCode };
    if (filter.cause) q.cause = filter.cause;
    if (filter.source) q.source = filter.source;
    if (filter.status) q.status = filter.status;
    if (filter.householdId) q.householdId = filter.householdId;
    const total = await this.coll.countDocuments(q);
    const page: Record<string, unknown> = { ...q };
    if (pageToken) {
      const { at, id } = decodeToken(pageToken);
      page.$or = [{ firstSeenAt: { $lt: at } }, { firstSeenAt: at, _id: { $lt: id } }];
    }
    const rows = await this.coll
      .find(page)
      .sort({ firstSeenAt: -1, _id: -1 })
      .limit(pageSize + 1)
      .toArray();
    const warnings = rows.slice(0, pageSize);
    const last = warnings.at(-1);
    const nextPageToken = rows.length > pageSize && last ? keysetToken(last.firstSeenAt.toISOString(), last._id) : '';
    return { warnings, nextPageToken, total };
  }
}

function signalFields(s: CauseSignal): Pick<WarningDoc, 'explanation' | 'inputsJson' | 'inputsKey'> {
  return { explanation: s.explanation, inputsJson: JSON.stringify(s.inputs), inputsKey: canonicalKey(s.inputs) };
}

function decodeToken(token: string): { at: Date; id: string } {
  const cursor = parseKeysetToken(token);
  const at = cursor && new Date(cursor.key);
  if (cursor && at && !Number.isNaN(at.getTime())) return { at, id: cursor.id };
  throw AppError.invalid([
    {
      field: 'pageToken',
      code: 'invalid_page_token',
      message: 'is not one this API returned',
      messageZh: '分页标记无效',
    },
  ]);
}
