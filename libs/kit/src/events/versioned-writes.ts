import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Collection, Connection } from 'mongoose';
import { insertManyNew, isDuplicateKey } from '../infra/mongo';
import { outboxIndex, type OutboxEntry, type OutboxFields } from './outbox';

/**
 * One claimed move of an aggregate from one version to the next, and the events it implies.
 * `_id` = `${aggregate}@${version}#${generation}`; aggregates are named `<type>:<id>`.
 */
export interface CommitDoc extends OutboxFields {
  _id: string;
  aggregate: string;
  /** The version the aggregate moves to. */
  version: number;
  at: Date;
  /** Claimed, and the aggregate's write neither confirmed nor abandoned yet. */
  open?: boolean;
  /** The write did not happen: the next writer from the same version claims the next generation at once. */
  abandoned?: boolean;
  /** A claim of a bulk creation: the batch commit holding its events. */
  batch?: string;
  /** A batch commit: the aggregates it creates, in order, with how many of `_outbox` are each one's. */
  parts?: { aggregate: string; events: number }[];
}

/** A claim whose writer never confirmed it is taken over after this long (the writer is presumed dead). */
export const CLAIM_LEASE_MS = 30_000;

/**
 * Per aggregate type, keyed by its name prefix `<type>:` (as a store's `aggregate('')` gives it), the
 * stored version of one aggregate by id (null when it does not exist).
 */
export type VersionLookups = Record<string, (id: string) => Promise<number | null>>;

/** Claim lookups in flight at once when a bulk creation meets existing claims. */
const LOOKUP_CONCURRENCY = 16;

/**
 * Events per batch commit of a bulk creation. Few and large: on FerretDB 1.24 each release (an update)
 * costs a pass over the collection, so 500 creations cost one release, not five.
 */
const BATCH_EVENTS = 500;

/**
 * Versioned writes that stay exclusive on FerretDB 1.24 as on MongoDB.
 *
 * Why: FerretDB's SQLite backend applies an update as a query followed by a write, outside any
 * transaction (FerretDB issue #3040), so two concurrent conditional updates of one document can both
 * "match" — of two `{_id, version: 3}` updates both succeed — and any concurrent update (the outbox
 * relay's `$pop` included) can overwrite the other's change. Measured on the local FerretDB: 17–20 of
 * 20 concurrent pairs both won; a versioned update racing a relay `$pop` was lost in 22 of 40 runs.
 * Inserts with the same `_id`, however, are exclusive (0 of 30 rounds of five inserts let two in).
 *
 * So every move of an aggregate first inserts a commit document keyed by (aggregate, next version):
 * exactly one writer gets it and only that writer updates the aggregate from the version it read. The
 * move's events travel in the commit document, not in the aggregate, and are released to the outbox
 * relay (which watches `coll`) only after the aggregate's write succeeded: the relay never writes an
 * aggregate document, so it cannot undo a move.
 *
 * Crash safety: a writer that dies between claim and write leaves a claim the next writer takes over
 * once it is older than CLAIM_LEASE_MS (a new generation of the same key); a writer that dies between
 * write and release leaves events that `recover` (at start) releases. Events are at least once, as
 * everywhere (consumers dedupe by event id); their order per aggregate follows the versions except when
 * a writer stalls between its write and its release.
 */
export class VersionedWrites {
  private constructor(readonly coll: Collection<CommitDoc>) {}

  /** The commits of a service's aggregates live in `collection`; give it to the outbox relay. */
  static async open(conn: Connection, collection: string): Promise<VersionedWrites> {
    const coll = conn.collection<CommitDoc>(collection);
    await coll.createIndex(outboxIndex);
    return new VersionedWrites(coll);
  }

  /**
   * Moves `aggregate` from version `from` to `from + 1`: claims the move, runs `write` (the aggregate's
   * own conditional update, or its insert when `from` is 0, returning null if it did not apply) and
   * releases `events` if it applied. Returns what `write` returned, or null when another writer
   * claimed this move first. `stillAt` reads whether the aggregate is still at `from` (to take over a
   * dead writer's claim, and to tell after a failed write whether it happened).
   */
  async move<T>(
    aggregate: string,
    from: number,
    events: OutboxEntry[],
    stillAt: () => Promise<boolean>,
    write: () => Promise<T | null>,
  ): Promise<T | null> {
    const id = await this.claim(aggregate, from + 1, events, stillAt);
    if (!id) return null;
    let result: T | null;
    try {
      result = await write();
    } catch (err) {
      await this.settleFailed(id, events.length > 0, stillAt);
      throw err;
    }
    if (result === null) await this.abandon(id);
    else await this.release(id, events.length > 0);
    return result;
  }

  /**
   * Creates an aggregate (version 0 → 1) by inserting `doc` into `coll`, its events leaving once it is
   * stored. False when the aggregate exists already (a retried or replayed creation).
   */
  async create<T extends { _id: string }>(
    aggregate: string,
    events: OutboxEntry[],
    coll: Collection<T>,
    doc: T,
  ): Promise<boolean> {
    const stored = await this.move(
      aggregate,
      0,
      events,
      async () => (await coll.findOne({ _id: doc._id } as Parameters<typeof coll.findOne>[0])) === null,
      async () => {
        try {
          await coll.insertOne({ ...doc } as Parameters<typeof coll.insertOne>[0]);
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
   * Creates many aggregates at once (version 0 → 1), each with its events, in a fixed number of
   * requests however many there are: one bulk insert of the commits (a claim per aggregate, and the
   * events in a few batch commits of at most BATCH_EVENTS events), one bulk insert of the aggregates
   * (`insert`: given the positions claimed, it inserts those and returns the positions refused as
   * existing), one release per batch commit. (On FerretDB 1.24 every update costs a pass over the
   * collection, and a bulk of updates is far slower still, so the claims are never updated.)
   * A position whose claim is held already is created the slow way (`move`, taking over the claim of
   * a writer that died) only if `absent` says the aggregate does not exist. Returns the positions created.
   */
  async createMany(
    creations: { aggregate: string; events: OutboxEntry[] }[],
    insert: (positions: number[]) => Promise<Set<number>>,
    absent: (position: number) => Promise<boolean>,
  ): Promise<Set<number>> {
    if (creations.length === 0) return new Set();
    const at = new Date();
    const batchId = `batch:${randomUUID()}`;
    const batches: CommitDoc[] = [];
    const batchOf: string[] = [];
    for (let i = 0; i < creations.length; i++) {
      const events = creations[i]!.events;
      let b = batches.at(-1);
      if (!b || b._outbox!.length + events.length > BATCH_EVENTS) {
        b = {
          _id: `${batchId}#${batches.length}`,
          aggregate: batchId,
          version: 1,
          at,
          open: true,
          parts: [],
          _outbox: [],
          _outboxSealed: true,
        };
        batches.push(b);
      }
      b.parts!.push({ aggregate: creations[i]!.aggregate, events: events.length });
      b._outbox!.push(...events);
      batchOf.push(b._id);
    }
    const claims: CommitDoc[] = creations.map((c, i) => ({
      _id: `${c.aggregate}@1#0`,
      aggregate: c.aggregate,
      version: 1,
      at,
      batch: batchOf[i]!,
    }));
    // The batch commits first in the request; the claims' positions follow them.
    const refusedCommits = await insertManyNew(this.coll, [...batches, ...claims]);
    const held = new Set([...refusedCommits].map((j) => j - batches.length));
    if ([...held].some((i) => i < 0)) throw new Error('a batch commit id collided');
    const claimed = creations.map((_c, i) => i).filter((i) => !held.has(i));

    let created: Set<number>;
    try {
      const refused = claimed.length ? await insert(claimed) : new Set<number>();
      created = new Set(claimed.filter((i) => !refused.has(i)));
    } catch (err) {
      // Some may be written: settle by whether each aggregate exists now (unknown: left to recover).
      const positionOf = new Map(claimed.map((i) => [creations[i]!.aggregate, i]));
      await this.settleBatches(batches, async (aggregate) => {
        const i = positionOf.get(aggregate);
        return i !== undefined && !(await absent(i));
      }).catch(() => undefined);
      throw err;
    }
    const createdAggregates = new Set([...created].map((i) => creations[i]!.aggregate));
    await this.settleBatches(batches, async (aggregate) => createdAggregates.has(aggregate));

    // Held claims: mostly existing aggregates (a re-import); rarely a writer that died before writing.
    const limit = pLimit(LOOKUP_CONCURRENCY);
    await Promise.all(
      [...held].map((i) =>
        limit(async () => {
          const claim = await this.coll.findOne({ _id: claims[i]!._id }, { projection: { _outbox: 0 } });
          if (claim && !this.takeable(claim)) return;
          if (!(await absent(i))) return;
          const done = await this.move(
            creations[i]!.aggregate,
            0,
            creations[i]!.events,
            () => absent(i),
            async () => ((await insert([i])).has(i) ? null : true),
          );
          if (done) created.add(i);
        }),
      ),
    );
    return created;
  }

  /**
   * Releases the events of the aggregates a batch wrote and drops the others', one write per batch
   * commit. Returns how many aggregates' events were released.
   */
  private async settleBatches(batches: CommitDoc[], written: (aggregate: string) => Promise<boolean>): Promise<number> {
    let released = 0;
    for (const b of batches) {
      const kept: OutboxEntry[] = [];
      const parts: NonNullable<CommitDoc['parts']> = [];
      let at = 0;
      for (const part of b.parts ?? []) {
        const events = (b._outbox ?? []).slice(at, at + part.events);
        at += part.events;
        if (!(await written(part.aggregate))) continue;
        kept.push(...events);
        parts.push(part);
      }
      await this.coll.updateOne(
        { _id: b._id },
        kept.length
          ? { $set: { _outbox: kept, parts, _outboxPending: true }, $unset: { open: '' } }
          : { $set: { _outbox: [], parts }, $unset: { open: '' } },
      );
      released += parts.length;
    }
    return released;
  }

  /** The commit id when this writer may move the aggregate to `version`; null when someone else may. */
  private async claim(
    aggregate: string,
    version: number,
    events: OutboxEntry[],
    stillAt: () => Promise<boolean>,
  ): Promise<string | null> {
    for (let generation = 0; generation < 10; generation++) {
      const _id = `${aggregate}@${version}#${generation}`;
      try {
        await this.coll.insertOne({
          _id,
          aggregate,
          version,
          at: new Date(),
          open: true,
          _outbox: events,
          _outboxSealed: true,
        });
        return _id;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const held = await this.coll.findOne({ _id }, { projection: { _outbox: 0 } });
      if (!held) return null;
      if (!this.takeable(held) || !(await stillAt())) return null;
      // Its writer died before writing, or its write did not apply: its events never happened.
      if (held.open) await this.abandon(_id);
    }
    return null;
  }

  /**
   * A claim another writer may replace by the next generation, if the aggregate is still where it was:
   * an abandoned one at once; an open one, or a bulk creation's, once its writer is presumed dead.
   */
  private takeable(held: CommitDoc): boolean {
    if (held.open === true || held.batch !== undefined) return Date.now() - held.at.getTime() > CLAIM_LEASE_MS;
    return held.abandoned === true;
  }

  /** The aggregate's write happened: its events may leave (the relay owns the document from here). */
  private async release(id: string, hasEvents: boolean): Promise<void> {
    await this.coll.updateOne({ _id: id }, releaseUpdate(hasEvents));
  }

  /** The write did not happen: the move's events are dropped. */
  private async abandon(id: string): Promise<void> {
    await this.coll.updateOne({ _id: id }, abandonUpdate);
  }

  /**
   * The write threw: it may or may not have happened. Only this claim's holder moves the aggregate
   * from its version, so "no longer there" means it did. Unknown (the read fails too): the claim stays
   * open, for `recover` or a takeover to settle.
   */
  private async settleFailed(id: string, hasEvents: boolean, stillAt: () => Promise<boolean>): Promise<void> {
    try {
      if (await stillAt()) await this.abandon(id);
      else await this.release(id, hasEvents);
    } catch {
      // Left open; the caller sees the write's own error.
    }
  }

  /**
   * At start: commits left open by a crash. Those whose aggregate reached their version were written,
   * so their events are released; the others are left to be taken over (or are taken over already).
   */
  async recover(versionOf: (aggregate: string) => Promise<number | null>): Promise<number> {
    const open = await this.coll.find({ open: true }, { projection: { _outbox: 0 } }).toArray();
    let released = 0;
    for (const c of open) {
      if (Date.now() - c.at.getTime() <= CLAIM_LEASE_MS) continue;
      if (c.parts) {
        // A bulk creation: its aggregates that exist by its own claim (not taken over) were written by it.
        const batch = await this.coll.findOne({ _id: c._id });
        if (batch)
          released += await this.settleBatches([batch], async (aggregate) => {
            const claim = await this.coll.findOne({ _id: `${aggregate}@1#0` }, { projection: { _outbox: 0 } });
            if (claim?.batch !== c._id || (await this.coll.findOne({ _id: `${aggregate}@1#1` }))) return false;
            return ((await versionOf(aggregate)) ?? 0) >= 1;
          });
        continue;
      }
      const now = await versionOf(c.aggregate);
      if (now === null || now < c.version) continue;
      const later = await this.coll.findOne({ _id: `${c.aggregate}@${c.version}#${generationOf(c._id) + 1}` });
      if (later) continue; // taken over: that generation wrote this version
      await this.release(c._id, true);
      released++;
    }
    return released;
  }

  /** `recover` with a version lookup per aggregate type (`{ 'case:': id => … }` for `case:<id>`). */
  async recoverByType(lookups: VersionLookups): Promise<number> {
    return this.recover(async (aggregate) => {
      const colon = aggregate.indexOf(':');
      const lookup = colon > 0 ? lookups[aggregate.slice(0, colon + 1)] : undefined;
      return lookup ? lookup(aggregate.slice(colon + 1)) : null;
    });
  }

  /**
   * At start, for aggregates that kept their events in their own document before they moved through
   * commits (withOutbox/pushOutbox): moves each such document's pending events into a commit (released)
   * and clears them from the aggregate, so the relay need not write aggregate documents any more.
   * Idempotent: the commit id derives from the first pending event, so a crash midway repeats nothing.
   */
  async adoptEmbeddedOutbox<D extends OutboxFields & { _id: string; version: number }>(
    aggregates: Collection<D>,
    aggregateOf: (id: string) => string,
  ): Promise<number> {
    const pending = (await aggregates.find({ _outboxPending: true } as never).toArray()) as D[];
    let adopted = 0;
    for (const doc of pending) {
      const entries = doc._outbox ?? [];
      if (entries.length) {
        const aggregate = aggregateOf(doc._id);
        await insertManyNew(this.coll, [
          {
            _id: `${aggregate}@${doc.version}#adopted-${entries[0]!.id}`,
            aggregate,
            version: doc.version,
            at: new Date(),
            _outbox: entries,
            _outboxPending: true,
            _outboxSealed: true,
          },
        ]);
        adopted += entries.length;
      }
      await aggregates.updateOne(
        { _id: doc._id } as never,
        {
          $unset: { _outbox: '', _outboxPending: '', _outboxLeaseUntil: '' },
        } as never,
      );
    }
    return adopted;
  }
}

function releaseUpdate(hasEvents: boolean) {
  const close = { $unset: { open: '' as const } };
  return hasEvents ? { ...close, $set: { _outboxPending: true } } : close;
}

const abandonUpdate = { $set: { _outbox: [] as OutboxEntry[], abandoned: true }, $unset: { open: '' as const } };

function generationOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('#') + 1));
}
