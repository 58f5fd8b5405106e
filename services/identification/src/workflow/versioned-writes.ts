import type { Collection, Connection } from 'mongoose';
import { outboxIndex, type OutboxEntry, type OutboxFields } from '@shouwang/kit';

/**
 * One claimed move of an aggregate from one version to the next, and the events it implies.
 * `_id` = `${aggregate}@${version}#${generation}`.
 */
export interface CommitDoc extends OutboxFields {
  _id: string;
  aggregate: string;
  /** The version the aggregate moves to. */
  version: number;
  at: Date;
  /** Claimed, and the aggregate's write neither confirmed nor abandoned yet. */
  open?: boolean;
}

/** A claim whose writer never confirmed it is taken over after this long (the writer is presumed dead). */
export const CLAIM_LEASE_MS = 30_000;

/**
 * Versioned writes that stay exclusive on FerretDB 1.24 as on MongoDB.
 *
 * Why: FerretDB's SQLite backend applies an update as a query followed by a write, outside any
 * transaction (FerretDB issue #3040), so two concurrent conditional updates of one document can both
 * "match" — of two `{_id, version: 3}` updates both succeed — and any concurrent update (the outbox
 * relay's `$pop` included) can overwrite the other's change. Measured on the local FerretDB: 17–20 of
 * 20 concurrent pairs both won; a transition racing a relay `$pop` was lost in 22 of 40 runs. Inserts
 * with the same `_id`, however, are exclusive (0 of 30 rounds of five inserts let two in).
 *
 * So every move of a workflow aggregate (case, identification, county quota, workflow policy) first
 * inserts a commit document keyed by (aggregate, next version): exactly one writer gets it and only
 * that writer updates the aggregate from the version it read. The move's events travel in the commit
 * document, not in the aggregate, and are released to the outbox relay only after the aggregate's
 * write succeeded: the relay never writes an aggregate document, so it cannot undo a move.
 *
 * Crash safety: a writer that dies between claim and write leaves a claim the next writer takes over
 * once it is older than CLAIM_LEASE_MS (a new generation of the same key); a writer that dies between
 * write and release leaves events that `recover` (at start) releases. Events are at least once, as
 * everywhere (consumers dedupe by event id); their order per aggregate follows the versions except when
 * a writer stalls between its write and its release.
 */
export class VersionedWrites {
  private constructor(readonly coll: Collection<CommitDoc>) {}

  static async open(conn: Connection): Promise<VersionedWrites> {
    const coll = conn.collection<CommitDoc>('workflow_commits');
    await coll.createIndex(outboxIndex);
    return new VersionedWrites(coll);
  }

  /**
   * Moves `aggregate` from version `from` to `from + 1`: claims the move, runs `write` (the aggregate's
   * own conditional update, returning null if it did not apply) and releases `events` if it applied.
   * Returns what `write` returned, or null when another writer claimed this move first.
   * `stillAt` reads whether the aggregate is still at `from` (to take over a dead writer's claim).
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
      await this.abandon(id);
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
          if ((err as { code?: number }).code === 11000) return null;
          throw err;
        }
      },
    );
    return stored === true;
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
        await this.coll.insertOne({ _id, aggregate, version, at: new Date(), open: true, _outbox: events });
        return _id;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      const held = await this.coll.findOne({ _id }, { projection: { _outbox: 0 } });
      if (!held) return null;
      const expired = held.open === true && Date.now() - held.at.getTime() > CLAIM_LEASE_MS;
      if (!expired || !(await stillAt())) return null;
      // Its writer died before writing: its events never happened. The next generation is claimed.
      await this.abandon(_id);
    }
    return null;
  }

  /** The aggregate's write happened: its events may leave (the relay owns the document from here). */
  private async release(id: string, hasEvents: boolean): Promise<void> {
    await this.coll.updateOne(
      { _id: id },
      hasEvents ? { $set: { _outboxPending: true }, $unset: { open: '' } } : { $unset: { open: '' } },
    );
  }

  /** The write did not happen: the move's events are dropped. */
  private async abandon(id: string): Promise<void> {
    await this.coll.updateOne({ _id: id }, { $set: { _outbox: [] }, $unset: { open: '' } });
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
      const now = await versionOf(c.aggregate);
      if (now === null || now < c.version) continue;
      const later = await this.coll.findOne({ _id: `${c.aggregate}@${c.version}#${generationOf(c._id) + 1}` });
      if (later) continue; // taken over: that generation wrote this version
      await this.release(c._id, true);
      released++;
    }
    return released;
  }
}

function generationOf(id: string): number {
  return Number(id.slice(id.lastIndexOf('#') + 1));
}
