import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import { insertManyNew, isDuplicateKey } from '../infra/mongo';
import { areaLevel, type Role } from '@shouwang/domain';
import { AppError } from '../errors';
import { GENESIS_HASH, auditEntryHash } from './canonical';
import { checkAggregateChain, type AuditProblem, type StoredAuditEntry } from './chain';
import { redact, type AuditValue } from './redact';

/** The collection, in the owning service's own database. */
export const AUDIT_COLLECTION = 'audit_log';
export const AUDIT_MAX_PAGE = 200;
const DEFAULT_PAGE = 50;
const MAX_TEXT = 200;

export interface AuditUserActor {
  id: string;
  username: string;
  role: Role;
  areaCode: string;
}
/** A change no user asked for directly: a consumer, a scheduled job, a migration. */
export interface AuditSystemActor {
  system: string;
}
export type AuditActor = AuditUserActor | AuditSystemActor;

export interface AuditEntry {
  _id: string;
  aggregateType: string;
  aggregateId: string;
  /** 1, 2, 3… per aggregate, without gaps. */
  seq: number;
  at: Date;
  actor: AuditActor;
  /** What happened, e.g. 'household.registered'. */
  action: string;
  /** The aggregate's area and every area above it, e.g. ['3607', '360731', '360731101', '360731101201']. */
  areaPath: string[];
  before: AuditValue | null;
  after: AuditValue | null;
  /** The hash of the aggregate's previous entry (GENESIS_HASH for seq 1). */
  prevHash: string;
  /** sha256(prevHash + canonical JSON of this entry without `hash`). */
  hash: string;
}

export interface AuditAppendInput {
  aggregateType: string;
  aggregateId: string;
  actor: AuditActor;
  action: string;
  /** The aggregate's area code (city, county, township or village); null for what lies outside the area tree. */
  areaCode: string | null;
  /** The state before the change (omit or null for a creation); redacted before it is stored. */
  before?: unknown;
  /** The state after the change (omit or null for a removal); redacted before it is stored. */
  after?: unknown;
}

export interface AuditListFilter {
  /** Entries of aggregates in this area or any area below it. */
  areaCode?: string;
  aggregateType?: string;
  aggregateId?: string;
  /** The user who made the change (actor.id). */
  actorId?: string;
  action?: string;
  /** From this instant, inclusive. */
  from?: Date;
  /** Until this instant, exclusive. */
  to?: Date;
}

export interface AuditPageRequest {
  /** 1 to 200; default 50. */
  limit?: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** Pass to list() for the next (older) page; null when this page is the last. */
  nextCursor: string | null;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  /** Aggregates checked. */
  aggregates: number;
  problems: AuditProblem[];
}

export interface AuditTrailOptions {
  /** Create the collection's indexes (default true; the verification CLI opens read-only with false). */
  ensureIndexes?: boolean;
  /** Bound on append attempts when concurrent appends to one aggregate collide (default 100). */
  maxAttempts?: number;
  /** Source of entry times (tests). */
  clock?: () => Date;
}

/** The actor for a change made by an authenticated user (an Identity from the kit). */
export function auditActorOf(identity: { userId: string; username: string; role: Role; areaCode: string }) {
  return {
    id: identity.userId,
    username: identity.username,
    role: identity.role,
    areaCode: identity.areaCode,
  } satisfies AuditUserActor;
}

/** An area code and every area code above it, city first: what `areaPath` holds. */
export function areaPathOf(areaCode: string): string[] {
  if (areaLevel(areaCode) === null)
    throw new AppError('invalid_argument', 'areaCode must be a 4, 6, 9 or 12-digit area code', {
      code: 'invalid_area_code',
      field: 'areaCode',
      messageZh: '区划代码应为4、6、9或12位数字',
    });
  return [4, 6, 9, 12].filter((n) => n <= areaCode.length).map((n) => areaCode.slice(0, n));
}

/**
 * The append-only, tamper-evident audit trail of one service (ARCHITECTURE.md "Security"): every
 * state change appends who, when, what, before and after. Entries are hash-chained per aggregate
 * (aggregateType + aggregateId), so verify() finds an entry that was modified, deleted or moved.
 *
 * Concurrency without transactions: an append reads the aggregate's newest entry and inserts the
 * next seq; the unique index (aggregateType, aggregateId, seq) lets exactly one of several
 * concurrent appends take a given seq, and the others re-read the head and try again (bounded).
 *
 * Nothing here updates or deletes an entry. Retention, if ever needed, is an operation outside the
 * code, and one that verify() would report.
 */
/**
 * The newest entry of each aggregate, kept beside the trail under the key `${type}:${id}` so an append
 * finds where its chain ends by one key lookup. (A query for the highest seq is an index seek on
 * MongoDB but a full scan on FerretDB 1.24: an import of 100 000 households would take hours.) The
 * head is only a hint: the unique (aggregate, seq) index is what keeps a chain gap-free, and a stale
 * or missing head falls back to that query.
 */
interface AuditHead {
  _id: string;
  seq: number;
  hash: string;
  at: Date;
}

export class AuditTrail {
  readonly #coll: Collection<AuditEntry>;
  readonly #heads: Collection<AuditHead>;
  readonly #maxAttempts: number;
  readonly #clock: () => Date;

  private constructor(coll: Collection<AuditEntry>, heads: Collection<AuditHead>, opts: AuditTrailOptions) {
    this.#coll = coll;
    this.#heads = heads;
    this.#maxAttempts = opts.maxAttempts ?? 100;
    this.#clock = opts.clock ?? (() => new Date());
  }

  static async open(conn: Connection, opts: AuditTrailOptions = {}): Promise<AuditTrail> {
    const coll = conn.collection<AuditEntry>(AUDIT_COLLECTION);
    if (opts.ensureIndexes ?? true) {
      await coll.createIndex({ aggregateType: 1, aggregateId: 1, seq: 1 }, { unique: true, name: 'aggregate_seq' });
      await coll.createIndex({ at: -1, seq: -1, _id: -1 }, { name: 'newest' });
      await coll.createIndex({ areaPath: 1, at: -1 }, { name: 'area_newest' });
      await coll.createIndex({ aggregateId: 1, at: -1 }, { name: 'aggregate_newest' });
      await coll.createIndex({ 'actor.id': 1, at: -1 }, { name: 'actor_newest' });
    }
    return new AuditTrail(coll, conn.collection<AuditHead>(`${AUDIT_COLLECTION}_heads`), opts);
  }

  /** Appends the next entry of the aggregate's chain and returns it as stored. */
  async append(input: AuditAppendInput): Promise<AuditEntry> {
    const aggregateType = text(input.aggregateType, 'aggregateType');
    const aggregateId = text(input.aggregateId, 'aggregateId');
    const action = text(input.action, 'action');
    const areaPath = input.areaCode === null ? [] : areaPathOf(input.areaCode);
    const actor = actorOf(input.actor);
    const before = input.before === undefined || input.before === null ? null : redact(input.before);
    const after = input.after === undefined || input.after === null ? null : redact(input.after);

    const key = `${aggregateType}:${aggregateId}`;
    for (let attempt = 1; ; attempt++) {
      // First the kept head; after a collision (a concurrent append, or a head not yet moved) the trail itself.
      const head =
        attempt === 1 ? await this.#heads.findOne({ _id: key }) : await this.head(aggregateType, aggregateId);
      const now = this.#clock();
      // One aggregate's entries never go back in time, even across replicas with skewed clocks.
      const at = head && head.at instanceof Date && head.at > now ? head.at : now;
      const entry: Omit<AuditEntry, 'hash'> = {
        _id: randomUUID(),
        aggregateType,
        aggregateId,
        seq: head ? head.seq + 1 : 1,
        at,
        actor,
        action,
        areaPath,
        before,
        after,
        prevHash: head ? head.hash : GENESIS_HASH,
      };
      const doc: AuditEntry = { ...entry, hash: auditEntryHash(entry) };
      try {
        await this.#coll.insertOne({ ...doc });
      } catch (err) {
        // FerretDB's duplicate-key error names no index; _id is a fresh UUID, so it is the seq index.
        if (!isDuplicateKey(err)) throw err;
        if (attempt >= this.#maxAttempts)
          throw new AppError(
            'conflict',
            `audit trail of ${aggregateType} ${aggregateId}: gave up after ${attempt} concurrent appends`,
            { code: 'audit_append_contention', cause: err },
          );
        await sleep(attempt === 1 ? 0 : Math.random() * Math.min(2 ** attempt, 50));
        continue;
      }
      // Move the head forward only: a slower concurrent append must not set it back.
      await this.#heads
        .updateOne(
          { _id: key, seq: { $lt: doc.seq } },
          { $set: { seq: doc.seq, hash: doc.hash, at: doc.at } },
          { upsert: true },
        )
        .catch((err: { code?: number }) => {
          if (!isDuplicateKey(err)) throw err; // the head is already at or past this entry
        });
      return doc;
    }
  }

  /**
   * The first entries of many new aggregates in two writes (a bulk import creates thousands a
   * minute). An aggregate that turns out to have a trail already gets its entry by append().
   */
  async appendFirst(inputs: AuditAppendInput[]): Promise<void> {
    if (inputs.length === 0) return;
    const now = this.#clock();
    const docs = inputs.map((input) => {
      const entry: Omit<AuditEntry, 'hash'> = {
        _id: randomUUID(),
        aggregateType: text(input.aggregateType, 'aggregateType'),
        aggregateId: text(input.aggregateId, 'aggregateId'),
        seq: 1,
        at: now,
        actor: actorOf(input.actor),
        action: text(input.action, 'action'),
        areaPath: input.areaCode === null ? [] : areaPathOf(input.areaCode),
        before: input.before === undefined || input.before === null ? null : redact(input.before),
        after: input.after === undefined || input.after === null ? null : redact(input.after),
        prevHash: GENESIS_HASH,
      };
      return { ...entry, hash: auditEntryHash(entry) } as AuditEntry;
    });
    const failed = await insertManyNew(this.#coll, docs);
    await insertManyNew(
      this.#heads,
      docs
        .filter((_d, i) => !failed.has(i))
        .map((d) => ({ _id: `${d.aggregateType}:${d.aggregateId}`, seq: 1, hash: d.hash, at: d.at })),
    );
    for (const i of failed) await this.append(inputs[i]!);
  }

  /** The aggregate's newest entry: keep its seq and hash elsewhere to detect a truncated trail. */
  head(aggregateType: string, aggregateId: string): Promise<AuditEntry | null> {
    return this.#coll
      .find({ aggregateType: text(aggregateType, 'aggregateType'), aggregateId: text(aggregateId, 'aggregateId') })
      .sort({ seq: -1 })
      .limit(1)
      .next();
  }

  /** Entries matching every given filter, newest first, a page at a time. */
  async list(filter: AuditListFilter = {}, page: AuditPageRequest = {}): Promise<AuditPage> {
    const limit = page.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_MAX_PAGE)
      throw new AppError('invalid_argument', `limit must be an integer from 1 to ${AUDIT_MAX_PAGE}`, {
        code: 'invalid_limit',
        field: 'limit',
      });
    const q: Record<string, unknown> = {};
    // areaPath holds every ancestor, so "in this area or below" is an equality match on an array member.
    if (filter.areaCode !== undefined) q.areaPath = validArea(text(filter.areaCode, 'areaCode'));
    if (filter.aggregateType !== undefined) q.aggregateType = text(filter.aggregateType, 'aggregateType');
    if (filter.aggregateId !== undefined) q.aggregateId = text(filter.aggregateId, 'aggregateId');
    if (filter.actorId !== undefined) q['actor.id'] = text(filter.actorId, 'actorId');
    if (filter.action !== undefined) q.action = text(filter.action, 'action');
    if (filter.from !== undefined || filter.to !== undefined) {
      const range: Record<string, Date> = {};
      if (filter.from !== undefined) range.$gte = instant(filter.from, 'from');
      if (filter.to !== undefined) range.$lt = instant(filter.to, 'to');
      q.at = range;
    }
    if (page.cursor !== undefined) {
      const c = decodeCursor(page.cursor);
      q.$or = [{ at: { $lt: c.at } }, { at: c.at, seq: { $lt: c.seq } }, { at: c.at, seq: c.seq, _id: { $lt: c.id } }];
    }
    const rows = await this.#coll
      .find(q)
      .sort({ at: -1, seq: -1, _id: -1 })
      .limit(limit + 1)
      .toArray();
    const entries = rows.slice(0, limit) as AuditEntry[];
    const last = entries.at(-1);
    return { entries, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /** Recomputes every chain (or one aggregate's) and reports what does not hold. Reads only. */
  async verify(filter: { aggregateType?: string; aggregateId?: string } = {}): Promise<AuditVerifyResult> {
    const q: Record<string, unknown> = {};
    if (filter.aggregateType !== undefined) q.aggregateType = text(filter.aggregateType, 'aggregateType');
    if (filter.aggregateId !== undefined) q.aggregateId = text(filter.aggregateId, 'aggregateId');
    const problems: AuditProblem[] = [];
    let checked = 0;
    let aggregates = 0;
    let group: StoredAuditEntry[] = [];
    const flush = () => {
      if (group.length === 0) return;
      aggregates++;
      problems.push(...checkAggregateChain(group));
      group = [];
    };
    const cursor = this.#coll.find(q).sort({ aggregateType: 1, aggregateId: 1, seq: 1 });
    for await (const doc of cursor) {
      const e = doc as unknown as StoredAuditEntry;
      const g = group[0];
      if (g && (g.aggregateType !== e.aggregateType || g.aggregateId !== e.aggregateId)) flush();
      group.push(e);
      checked++;
    }
    flush();
    return { ok: problems.length === 0, checked, aggregates, problems };
  }
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_TEXT)
    throw new AppError('invalid_argument', `${field} must be a non-empty string of at most ${MAX_TEXT} characters`, {
      code: 'invalid_audit_field',
      field,
    });
  return v;
}

function validArea(code: string): string {
  areaPathOf(code);
  return code;
}

function instant(v: unknown, field: string): Date {
  if (!(v instanceof Date) || Number.isNaN(v.getTime()))
    throw new AppError('invalid_argument', `${field} must be a valid date`, { code: 'invalid_audit_field', field });
  return v;
}

function actorOf(a: AuditActor): AuditActor {
  if (a && typeof a === 'object' && 'system' in a) return { system: text(a.system, 'actor.system') };
  const u = (a ?? {}) as Partial<AuditUserActor>;
  return {
    id: text(u.id, 'actor.id'),
    username: text(u.username, 'actor.username'),
    role: text(u.role, 'actor.role') as Role,
    areaCode: text(u.areaCode, 'actor.areaCode'),
  };
}

function encodeCursor(e: AuditEntry): string {
  return Buffer.from(JSON.stringify([e.at.toISOString(), e.seq, e._id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; seq: number; id: string } {
  try {
    const [at, seq, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(at as string);
    if (typeof at === 'string' && !Number.isNaN(date.getTime()) && Number.isInteger(seq) && typeof id === 'string')
      return { at: date, seq: seq as number, id };
  } catch {
    // fall through
  }
  throw new AppError('invalid_argument', 'cursor is not one this API returned', {
    code: 'invalid_cursor',
    field: 'cursor',
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
