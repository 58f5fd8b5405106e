import { randomUUID } from 'node:crypto';
import type { Collection, Connection } from 'mongoose';

export type ImportJobStatus = 'running' | 'succeeded' | 'failed';

export interface ImportError {
  row: number;
  field: string;
  code: string;
  message: string;
  messageZh: string;
}

export interface ImportJob {
  _id: string;
  status: ImportJobStatus;
  dryRun: boolean;
  format: string;
  userId: string;
  /** The uploader's area: who may follow the job. */
  areaCode: string;
  /** Households read from the file so far. */
  processed: number;
  /** Bytes of the file read so far and in all, for a percentage while the total of rows is unknown. */
  bytesRead: number;
  bytesTotal: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  errorCount: number;
  /** Households per second since the start. */
  ratePerSecond?: number;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt?: Date;
  failure?: { code: string; message: string; messageZh: string };
}

/** A running job whose runner has been silent this long died with its gateway replica. */
export const HEARTBEAT_TIMEOUT_MS = 60_000;
/** Errors shown with the job; errors.csv has them all. */
export const ERRORS_SHOWN = 1000;

/** Import jobs and their row errors, in the gateway's own database (they are about an upload, not households). */
export class ImportJobStore {
  private constructor(
    private readonly jobs: Collection<ImportJob>,
    private readonly errors: Collection<ImportError & { jobId: string; seq: number }>,
  ) {}

  static async open(conn: Connection): Promise<ImportJobStore> {
    const store = new ImportJobStore(conn.collection('import_jobs'), conn.collection('import_errors'));
    await store.errors.createIndex({ jobId: 1, seq: 1 });
    return store;
  }

  async create(
    fields: Pick<ImportJob, 'dryRun' | 'format' | 'userId' | 'areaCode' | 'bytesTotal'>,
  ): Promise<ImportJob> {
    const now = new Date();
    const job: ImportJob = {
      _id: randomUUID(),
      status: 'running',
      processed: 0,
      bytesRead: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      invalid: 0,
      errorCount: 0,
      startedAt: now,
      heartbeatAt: now,
      ...fields,
    };
    await this.jobs.insertOne(job);
    return job;
  }

  async progress(id: string, fields: Partial<ImportJob>): Promise<void> {
    await this.jobs.updateOne({ _id: id, status: 'running' }, { $set: { ...fields, heartbeatAt: new Date() } });
  }

  async addErrors(id: string, firstSeq: number, errors: ImportError[]): Promise<void> {
    if (errors.length === 0) return;
    await this.errors.insertMany(errors.map((e, i) => ({ ...e, jobId: id, seq: firstSeq + i })));
  }

  /** The job; a running one whose runner stopped beating is marked failed (its upload is gone with it). */
  async get(id: string): Promise<ImportJob | null> {
    const job = await this.jobs.findOne({ _id: id });
    if (job?.status === 'running' && Date.now() - new Date(job.heartbeatAt).getTime() > HEARTBEAT_TIMEOUT_MS) {
      const failure = {
        code: 'interrupted',
        message:
          'the import stopped with the server that ran it; upload the file again (rows already imported are matched, not duplicated)',
        messageZh: '导入因服务器中断而停止，请重新上传（已导入的行会被匹配更新，不会重复）',
      };
      await this.jobs.updateOne(
        { _id: id, status: 'running' },
        { $set: { status: 'failed', failure, finishedAt: new Date() } },
      );
      return { ...job, status: 'failed', failure };
    }
    return job;
  }

  async firstErrors(id: string, limit = ERRORS_SHOWN): Promise<ImportError[]> {
    return this.errors
      .find({ jobId: id }, { projection: { _id: 0, jobId: 0, seq: 0 } })
      .sort({ seq: 1 })
      .limit(limit)
      .toArray();
  }

  /** Every error of a job in order, streamed. */
  allErrors(id: string): AsyncIterable<ImportError> {
    return this.errors.find({ jobId: id }, { projection: { _id: 0, jobId: 0, seq: 0 } }).sort({ seq: 1 });
  }
}
