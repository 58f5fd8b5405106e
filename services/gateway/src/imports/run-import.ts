import fs from 'node:fs';
import { Transform } from 'node:stream';
import type { Metadata } from '@grpc/grpc-js';
import { householdV1, type identificationV1 } from '@shouwang/contracts';
import { AppError, isTransient, type FieldIssue, type Logger, type PromiseClient } from '@shouwang/kit';
import { validateHousehold } from '@shouwang/domain';
import { groupHouseholds, unknownHeaders, type ImportedHousehold } from './group-households';
import { csvRows, jsonLines, xlsxRows, type ImportFormat } from './read-rows';
import type { ImportError, ImportJob, ImportJobStore } from './import-jobs';

/** Households per call to the registry. */
export const IMPORT_BATCH = 200;
const BATCH_DEADLINE_MS = 120_000;
const ATTEMPTS = 3;
/** Well inside HEARTBEAT_TIMEOUT_MS of import-jobs.ts. */
const HEARTBEAT_MS = 15_000;

export interface ImportRunnerDeps {
  identification: PromiseClient<identificationV1.IdentificationServiceClient>;
  jobs: ImportJobStore;
  logger: Logger;
  /** Fresh signed identity of the uploader for each call (an import outlives one token). */
  callAs: () => Promise<Metadata>;
}

/** Counts the bytes that pass, for progress while the number of rows is unknown. */
function byteCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk.length);
      done(null, chunk);
    },
  });
}

/** The households of an uploaded file, one at a time, whatever its format. */
async function* householdsOf(
  format: ImportFormat,
  input: NodeJS.ReadableStream & import('node:stream').Readable,
  onHeaderIssues: (issues: ImportError[]) => void,
): AsyncGenerator<ImportedHousehold> {
  if (format === 'jsonl') {
    for await (const { row, text } of jsonLines(input)) {
      try {
        const household = JSON.parse(text) as unknown;
        if (!household || typeof household !== 'object' || Array.isArray(household)) throw new Error('not an object');
        yield { row, memberRows: [], household: household as Record<string, unknown>, issues: [] };
      } catch {
        yield {
          row,
          memberRows: [],
          household: {},
          issues: [
            {
              field: '',
              code: 'malformed_json',
              message: 'the line is not a JSON object',
              messageZh: '该行不是JSON对象',
            },
          ],
        };
      }
    }
    return;
  }
  const checkHeaders = (headers: string[]) =>
    onHeaderIssues(
      unknownHeaders(headers).map((h) => ({
        row: 1,
        field: h,
        code: 'unknown_column',
        message: 'is not a column of the import template; ignored',
        messageZh: '不是导入模板中的列，已忽略',
      })),
    );
  yield* groupHouseholds(format === 'csv' ? csvRows(input, checkHeaders) : xlsxRows(input, checkHeaders));
}

function rowOf(item: ImportedHousehold, field: string): number {
  const m = /^members\[(\d+)\]/.exec(field);
  return (m && item.memberRows[Number(m[1])]) || item.row;
}

const asError = (
  item: ImportedHousehold,
  i: { field: string; code: string; message: string; messageZh?: string },
): ImportError => ({
  row: rowOf(item, i.field),
  field: i.field,
  code: i.code,
  message: i.message,
  messageZh: i.messageZh ?? '',
});

/**
 * Streams an uploaded file through the registry in batches: bounded memory whatever the file's size
 * (one household being assembled, one batch in flight), progress and errors recorded as it goes.
 * The registry makes re-running a file harmless, so a transient failure of a batch is retried.
 */
export async function runImport(deps: ImportRunnerDeps, job: ImportJob, filePath: string): Promise<void> {
  const t = { processed: 0, created: 0, updated: 0, unchanged: 0, invalid: 0, errorCount: 0, bytesRead: 0 };
  const started = Date.now();
  const pending: ImportError[] = [];
  const record = (errors: ImportError[]) => pending.push(...errors);
  const flushErrors = async () => {
    const errors = pending.splice(0);
    await deps.jobs.addErrors(job._id, t.errorCount, errors);
    t.errorCount += errors.length;
  };
  const report = async () => {
    await flushErrors();
    const seconds = (Date.now() - started) / 1000;
    await deps.jobs.progress(job._id, { ...t, ratePerSecond: seconds > 0 ? Math.round(t.processed / seconds) : 0 });
  };

  let batch: { item: ImportedHousehold; wire: householdV1.Household }[] = [];
  const send = async () => {
    if (batch.length === 0) return;
    const rows = batch.map((b, i) => ({ row: i, household: b.wire }));
    let outcomes: identificationV1.ImportOutcome[] | undefined;
    for (let attempt = 1; !outcomes; attempt++) {
      try {
        ({ outcomes } = await deps.identification.importHouseholds(
          { rows, dryRun: job.dryRun },
          { metadata: await deps.callAs(), deadlineMs: BATCH_DEADLINE_MS },
        ));
      } catch (err) {
        if (!isTransient(err) || attempt >= ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
    for (const o of outcomes) {
      const item = batch[o.row]!.item;
      if (o.result === 'created' || o.result === 'would_create') t.created++;
      else if (o.result === 'updated' || o.result === 'would_update') t.updated++;
      else if (o.result === 'unchanged') t.unchanged++;
      else {
        t.invalid++;
        record(o.issues.map((i) => asError(item, i)));
      }
    }
    batch = [];
    await report();
  };

  const input = fs.createReadStream(filePath).pipe(byteCounter((n) => (t.bytesRead += n)));
  // A heartbeat between batches too: a slow batch must not make the job look abandoned.
  const heartbeat = setInterval(() => {
    deps.jobs.progress(job._id, { bytesRead: t.bytesRead }).catch(() => undefined);
  }, HEARTBEAT_MS);
  try {
    for await (const item of householdsOf(job.format as ImportFormat, input, record)) {
      t.processed++;
      let issues: FieldIssue[] = item.issues;
      if (issues.length === 0) {
        const { id, ...fields } = item.household;
        const result = validateHousehold(fields);
        if (result.ok) {
          batch.push({
            item,
            wire: householdV1.Household.fromJSON({ ...result.value, id: typeof id === 'string' ? id : '' }),
          });
          if (batch.length >= IMPORT_BATCH) await send();
          continue;
        }
        issues = result.issues;
      }
      t.invalid++;
      record(issues.map((i) => asError(item, i)));
    }
    await send();
    await flushErrors();
    await deps.jobs.progress(job._id, { ...t, status: 'succeeded', finishedAt: new Date() } as Partial<ImportJob>);
  } catch (err) {
    const app = err instanceof AppError ? err : undefined;
    deps.logger.error({ err, jobId: job._id }, 'import failed');
    await flushErrors().catch(() => undefined);
    await deps.jobs.progress(job._id, {
      ...t,
      status: 'failed',
      finishedAt: new Date(),
      failure: {
        code: app?.code ?? 'unreadable_file',
        message: app?.message ?? 'the file could not be read to the end (is it the format you said?)',
        messageZh: app?.messageZh ?? '文件无法完整读取（格式是否与所选一致？）',
      },
    } as Partial<ImportJob>);
  } finally {
    clearInterval(heartbeat);
    await fs.promises.rm(filePath, { force: true });
  }
}
