import pLimit from 'p-limit';
import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { monitoringV1 } from '@shouwang/contracts';
import { AppError, isTransient, type Logger, type VersionedWrites, type Worker } from '@shouwang/kit';
import type { Reassessor } from '../assessment/reassess';
import type { HouseholdProjection } from '../households/household-projection';
import type { PolicyStore } from '../policy/policy-store';

/**
 * A re-screening job (DOMAIN.md §5 "re-screening after any change of data or policy"): re-assess
 * every household of a city or county. Resumable and idempotent: it walks the area's households in id
 * order and moves a checkpoint (the last id done) after each batch, in the same write as the progress
 * counters; re-assessing a household twice changes nothing. One replica runs it at a time: the runner
 * holds a lease (owner and expiry) it renews every batch; a replica that dies lets the lease lapse and
 * another one (or itself, restarted) takes the job over from the checkpoint.
 *
 * A job is written by the runners of every replica (take, progress, finish, let go) and by a policy
 * change (restart), at once. On FerretDB 1.24 a conditional update is not exclusive (two can both
 * apply, one overwriting the other), so every change of a job is a move of VersionedWrites from the
 * version read: of two replicas taking a lapsed job one wins, and a restart is never overwritten by
 * the progress of the batch under way (that progress is dropped instead, the job starts over).
 */
export interface JobDoc {
  _id: string;
  areaCode: string;
  /** 0: each household's own income year. */
  year: number;
  status: 'running' | 'succeeded' | 'failed';
  /** `<areaCode>` while running (unique: one running job per area), `done:<id>` after. */
  activeKey: string;
  trigger: 'manual' | 'policy';
  startedBy: string;
  policyVersion: number;
  processed: number;
  skipped: number;
  total: number;
  checkpoint: string;
  /** Bumped when a policy change restarts a running job from the beginning; the runner's writes check it. */
  epoch: number;
  leaseOwner: string;
  leaseUntil: Date;
  /** How many times a replica took the job (1 when it ran without interruption). */
  runs: number;
  startedAt: Date;
  finishedAt?: Date;
  failure?: string;
  /** Moves with every change (absent on jobs stored before versions: 0). */
  version?: number;
}

/** A change of a job: fields set and counters added. */
type JobChange = {
  $set?: Partial<JobDoc>;
  $inc?: Partial<Record<'epoch' | 'processed' | 'skipped' | 'runs', number>>;
};

export function jobToWire(j: JobDoc, now = new Date()): monitoringV1.RescreeningJob {
  const end = j.finishedAt ?? now;
  const seconds = Math.max((end.getTime() - j.startedAt.getTime()) / 1000, 0.001);
  return {
    id: j._id,
    areaCode: j.areaCode,
    year: j.year,
    status: j.status,
    processed: j.processed,
    total: j.total,
    skipped: j.skipped,
    ratePerSecond: Math.round((j.processed / seconds) * 100) / 100,
    startedAt: j.startedAt.toISOString(),
    finishedAt: j.finishedAt?.toISOString() ?? '',
    trigger: j.trigger,
    policyVersion: j.policyVersion,
    startedBy: j.startedBy,
    failure: j.failure ?? '',
    runs: j.runs,
  };
}

export class RescreeningJobs {
  private constructor(
    readonly coll: Collection<JobDoc>,
    private readonly households: HouseholdProjection,
    private readonly writes: VersionedWrites,
  ) {}

  static async open(
    conn: Connection,
    households: HouseholdProjection,
    writes: VersionedWrites,
  ): Promise<RescreeningJobs> {
    const coll = conn.collection<JobDoc>('rescreening_jobs');
    await coll.createIndex({ activeKey: 1 }, { unique: true });
    await coll.createIndex({ status: 1, leaseUntil: 1 });
    return new RescreeningJobs(coll, households, writes);
  }

  /** The commit key of a job's moves. */
  static aggregate(id: string): string {
    return `rescreening:${id}`;
  }

  get(id: string): Promise<JobDoc | null> {
    return this.coll.findOne({ _id: id });
  }

  /**
   * Applies `change` to the job if it is still as read (`job`, its version); the job after the change,
   * or null when another writer changed it first.
   */
  async change(job: JobDoc, change: JobChange): Promise<JobDoc | null> {
    const v = job.version ?? 0;
    const atV = v === 0 ? [{ version: 0 }, { version: { $exists: false } }] : [{ version: v }];
    return this.writes.move(
      RescreeningJobs.aggregate(job._id),
      v,
      [],
      async () => ((await this.get(job._id))?.version ?? 0) === v,
      async () =>
        (await this.coll.findOneAndUpdate(
          { _id: job._id, $or: atV },
          { ...change, $set: { ...change.$set, version: v + 1 } },
          { returnDocument: 'after' },
        )) as JobDoc | null,
    );
  }

  /** The running job whose lease lapsed longest ago, if any. */
  async lapsed(now: Date): Promise<JobDoc | null> {
    const [job] = await this.coll
      .find({ status: 'running', leaseUntil: { $lt: now } })
      .sort({ leaseUntil: 1 })
      .limit(1)
      .toArray();
    return job ?? null;
  }

  /**
   * Starts a job for the area, or returns the one already running there (created false). A policy
   * change restarts a running job from the beginning under the new policy instead.
   */
  async start(input: {
    areaCode: string;
    year: number;
    trigger: JobDoc['trigger'];
    startedBy: string;
    policyVersion: number;
  }): Promise<{ job: JobDoc; created: boolean }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const total = await this.households.count(input.areaCode);
      const now = new Date();
      const doc: JobDoc = {
        _id: randomUUID(),
        ...input,
        status: 'running',
        activeKey: input.areaCode,
        processed: 0,
        skipped: 0,
        total,
        checkpoint: '',
        epoch: 0,
        leaseOwner: '',
        leaseUntil: new Date(0),
        runs: 0,
        startedAt: now,
        version: 1,
      };
      try {
        await this.coll.insertOne(doc);
        return { job: doc, created: true };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
      const running = await this.coll.findOne({ activeKey: input.areaCode });
      if (!running) continue; // it finished meanwhile: start a new one
      if (input.trigger !== 'policy') return { job: running, created: false };
      if (running.status !== 'running') continue;
      const restarted = await this.change(running, {
        $set: {
          checkpoint: '',
          processed: 0,
          skipped: 0,
          total,
          trigger: 'policy',
          policyVersion: input.policyVersion,
        },
        $inc: { epoch: 1 },
      });
      if (restarted) return { job: restarted, created: false };
    }
    throw new AppError('conflict', 'could not start the re-screening; try again', { code: 'rescreening_busy' });
  }
}

/**
 * Runs re-screening jobs on this replica: takes a job whose lease lapsed (or was never taken), works
 * through it batch by batch, and lets go on shutdown so another replica continues at once.
 */
export class RescreeningRunner implements Worker {
  readonly owner = randomUUID();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly deps: {
      jobs: RescreeningJobs;
      households: HouseholdProjection;
      policies: PolicyStore;
      reassessor: Reassessor;
      logger: Logger;
      pollMs: number;
      leaseMs: number;
      batchSize: number;
      /** Households of a batch re-assessed at once. */
      concurrency: number;
      batchPauseMs: number;
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Look for work now (after a job was started here). */
  wake(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.running = this.runAvailable()
      .catch((err: unknown) => this.deps.logger.warn({ err }, 're-screening pass failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.deps.pollMs);
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async runAvailable(): Promise<void> {
    while (!this.stopped) {
      const job = await this.claim();
      if (!job) return;
      await this.run(job);
    }
  }

  /** Takes a job whose lease lapsed; null when there is none or another replica took it first. */
  private async claim(): Promise<JobDoc | null> {
    const now = new Date();
    const lapsed = await this.deps.jobs.lapsed(now);
    const job = lapsed
      ? await this.deps.jobs.change(lapsed, {
          $set: { leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + this.deps.leaseMs) },
          $inc: { runs: 1 },
        })
      : null;
    if (job)
      this.deps.logger.info(
        { jobId: job._id, areaCode: job.areaCode, checkpoint: job.checkpoint ? 'set' : 'start', runs: job.runs },
        're-screening job taken',
      );
    return job;
  }

  private async run(claimed: JobDoc): Promise<void> {
    const { jobs, households, reassessor, logger } = this.deps;
    // Every write below applies only over `job` as read (its version), i.e. while the job is still ours.
    let job = claimed;
    const { batchSize } = this.deps;
    // One sorted read from the checkpoint; reopened when the checkpoint is not where the read stands
    // (a policy restart, or a batch whose progress was not written). Once it is through, households
    // that arrived meanwhile are picked up after the checkpoint, batch by batch.
    let readAt = job.checkpoint;
    let batches = households.idBatchesAfter(job.areaCode, readAt, batchSize);
    const nextIds = async (): Promise<string[]> => {
      if (job.checkpoint !== readAt) {
        await batches.return();
        readAt = job.checkpoint;
        batches = households.idBatchesAfter(job.areaCode, readAt, batchSize);
      }
      const next = await batches.next();
      const ids = next.done ? await households.idsAfter(job.areaCode, job.checkpoint, batchSize) : next.value;
      if (ids.length) readAt = ids[ids.length - 1]!;
      return ids;
    };
    try {
      while (!this.stopped) {
        const ids = await nextIds();
        if (ids.length === 0) {
          const done = await jobs.change(job, {
            $set: {
              status: 'succeeded',
              activeKey: `done:${job._id}`,
              finishedAt: new Date(),
              leaseOwner: '',
              // Households that arrived during the job were screened too.
              total: Math.max(job.total, job.processed),
            },
          });
          if (done) {
            logger.info(
              { jobId: job._id, processed: done.processed, skipped: done.skipped },
              're-screening job finished',
            );
            return;
          }
          const reread = await this.reread(job);
          if (!reread) return;
          job = reread;
          continue;
        }
        const policy = await this.deps.policies.current();
        const source = job.trigger === 'policy' ? 'policy' : 'rescreening';
        let skipped = 0;
        // The batch's households at once (up to `concurrency`); the checkpoint moves once all are done.
        const limit = pLimit(this.deps.concurrency);
        await Promise.all(
          ids.map((id) =>
            limit(async () => {
              try {
                const outcome = await reassessor.reassess(id, { source, policy, year: job.year || undefined });
                if (outcome !== 'assessed') skipped++;
              } catch (err) {
                if (isTransient(err)) throw err;
                // One household's failure does not stop the job; it is counted and logged (never with personal data).
                skipped++;
                logger.error({ err, householdId: id, jobId: job._id }, 're-screening of a household failed');
              }
            }),
          ),
        );
        const progressed = await jobs.change(job, {
          $set: { checkpoint: ids[ids.length - 1], leaseUntil: new Date(Date.now() + this.deps.leaseMs) },
          $inc: { processed: ids.length, skipped },
        });
        if (progressed) job = progressed;
        else {
          const reread = await this.reread(job);
          if (!reread) return;
          job = reread;
        }
        if (this.deps.batchPauseMs > 0) await new Promise((r) => setTimeout(r, this.deps.batchPauseMs));
      }
    } finally {
      await batches.return().catch(() => undefined);
      // Let go at once (shutdown or error) so the job continues elsewhere without waiting for the lease.
      await jobs
        .get(job._id)
        .then((now) =>
          now?.leaseOwner === this.owner && now.status === 'running'
            ? jobs.change(now, { $set: { leaseUntil: new Date(0) } })
            : null,
        )
        .catch(() => undefined);
    }
  }

  /** After a write found the job changed: continue if it is still ours (a policy restart), else stop. */
  private async reread(job: JobDoc): Promise<JobDoc | null> {
    const now = await this.deps.jobs.get(job._id);
    if (!now || now.status !== 'running' || now.leaseOwner !== this.owner) {
      this.deps.logger.warn({ jobId: job._id }, 're-screening job lost its lease; another replica continues');
      return null;
    }
    return now;
  }
}
