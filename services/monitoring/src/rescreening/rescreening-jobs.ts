import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';
import type { monitoringV1 } from '@shouwang/contracts';
import { AppError, isTransient, type Logger, type Worker } from '@shouwang/kit';
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
}

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
  ) {}

  static async open(conn: Connection, households: HouseholdProjection): Promise<RescreeningJobs> {
    const coll = conn.collection<JobDoc>('rescreening_jobs');
    await coll.createIndex({ activeKey: 1 }, { unique: true });
    await coll.createIndex({ status: 1, leaseUntil: 1 });
    return new RescreeningJobs(coll, households);
  }

  get(id: string): Promise<JobDoc | null> {
    return this.coll.findOne({ _id: id });
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
      const restarted = await this.coll.findOneAndUpdate(
        { _id: running._id, status: 'running' },
        {
          $set: {
            checkpoint: '',
            processed: 0,
            skipped: 0,
            total,
            trigger: 'policy',
            policyVersion: input.policyVersion,
          },
          $inc: { epoch: 1 },
        },
        { returnDocument: 'after' },
      );
      if (restarted) return { job: restarted as JobDoc, created: false };
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

  private async claim(): Promise<JobDoc | null> {
    const now = new Date();
    const r = await this.deps.jobs.coll.findOneAndUpdate(
      { status: 'running', leaseUntil: { $lt: now } },
      { $set: { leaseOwner: this.owner, leaseUntil: new Date(now.getTime() + this.deps.leaseMs) }, $inc: { runs: 1 } },
      { returnDocument: 'after', sort: { leaseUntil: 1 } },
    );
    const job = (r as JobDoc | null) ?? null;
    if (job)
      this.deps.logger.info(
        { jobId: job._id, areaCode: job.areaCode, checkpoint: job.checkpoint ? 'set' : 'start', runs: job.runs },
        're-screening job taken',
      );
    return job;
  }

  private async run(claimed: JobDoc): Promise<void> {
    const { jobs, households, reassessor, logger } = this.deps;
    let job = claimed;
    const mine = () => ({ _id: job._id, leaseOwner: this.owner, epoch: job.epoch, status: 'running' as const });
    try {
      while (!this.stopped) {
        const ids = await households.idsAfter(job.areaCode, job.checkpoint, this.deps.batchSize);
        if (ids.length === 0) {
          const done = await jobs.coll.findOneAndUpdate(
            mine(),
            {
              $set: { status: 'succeeded', activeKey: `done:${job._id}`, finishedAt: new Date(), leaseOwner: '' },
            },
            { returnDocument: 'after' },
          );
          if (done) {
            const d = done as JobDoc;
            // Households that arrived during the job were screened too.
            if (d.processed > d.total) await jobs.coll.updateOne({ _id: d._id }, { $set: { total: d.processed } });
            logger.info({ jobId: job._id, processed: d.processed, skipped: d.skipped }, 're-screening job finished');
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
        for (const id of ids) {
          try {
            const outcome = await reassessor.reassess(id, { source, policy, year: job.year || undefined });
            if (outcome !== 'assessed') skipped++;
          } catch (err) {
            if (isTransient(err)) throw err;
            // One household's failure does not stop the job; it is counted and logged (never with personal data).
            skipped++;
            logger.error({ err, householdId: id, jobId: job._id }, 're-screening of a household failed');
          }
        }
        const progressed = await jobs.coll.findOneAndUpdate(
          mine(),
          {
            $set: {
              checkpoint: ids[ids.length - 1],
              leaseUntil: new Date(Date.now() + this.deps.leaseMs),
            },
            $inc: { processed: ids.length, skipped },
          },
          { returnDocument: 'after' },
        );
        if (progressed) job = progressed as JobDoc;
        else {
          const reread = await this.reread(job);
          if (!reread) return;
          job = reread;
        }
        if (this.deps.batchPauseMs > 0) await new Promise((r) => setTimeout(r, this.deps.batchPauseMs));
      }
    } finally {
      // Let go at once (shutdown or error) so the job continues elsewhere without waiting for the lease.
      await jobs.coll
        .updateOne({ _id: job._id, leaseOwner: this.owner, status: 'running' }, { $set: { leaseUntil: new Date(0) } })
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
