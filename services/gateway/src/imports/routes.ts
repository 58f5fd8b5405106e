import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { Router, type Request, type RequestHandler } from 'express';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify';
import type { identificationV1 } from '@shouwang/contracts';
import { AppError, requireInScope, type Identity, type Logger, type PromiseClient } from '@shouwang/kit';
import type { Metadata } from '@grpc/grpc-js';
import { authorize, currentUser } from '../auth/middleware';
import { describeType, IMPORT_COLUMNS } from '@shouwang/domain';
import { ERRORS_SHOWN, type ImportJob, type ImportJobStore } from './import-jobs';
import { IMPORT_FORMATS, type ImportFormat } from './read-rows';
import { runImport } from './run-import';

export interface ImportRoutesDeps {
  identification: PromiseClient<identificationV1.IdentificationServiceClient>;
  jobs: ImportJobStore;
  logger: Logger;
  callAs: (who: Identity) => Promise<Metadata>;
  /** Largest upload accepted (bytes). */
  maxBytes: number;
  /** Authentication and the per-user rate limit: this router is mounted before the JSON body parser. */
  authenticated: RequestHandler[];
}

const CONTENT_TYPES: Record<ImportFormat, string[]> = {
  csv: ['text/csv', 'application/csv', 'text/plain'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'],
  jsonl: ['application/x-ndjson', 'application/jsonl', 'application/json-lines', 'text/plain'],
};

function formatOf(req: Request): ImportFormat {
  const given = typeof req.query.format === 'string' ? req.query.format : undefined;
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const format =
    (given as ImportFormat | undefined) ??
    (IMPORT_FORMATS.find((f) => CONTENT_TYPES[f][0] === type) as ImportFormat | undefined);
  if (!format || !IMPORT_FORMATS.includes(format)) {
    throw new AppError(
      'unsupported_media_type',
      'send a CSV, Excel (.xlsx) or JSON-lines file (format=csv|xlsx|jsonl)',
      {
        code: 'unsupported_import_format',
        field: 'format',
        messageZh: '请上传CSV、Excel（.xlsx）或JSON Lines文件',
      },
    );
  }
  return format;
}

function dryRunOf(req: Request): boolean {
  const v = req.query.dryRun;
  if (v === undefined || v === 'false') return false;
  if (v === 'true' || v === '') return true;
  throw AppError.invalid([
    { field: 'dryRun', code: 'invalid_boolean', message: 'must be true or false', messageZh: '须为true或false' },
  ]);
}

/** The upload, streamed to a temporary file (never held in memory), refused past maxBytes. */
async function saveUpload(req: Request, maxBytes: number): Promise<{ file: string; bytes: number }> {
  const file = path.join(os.tmpdir(), `shouwang-import-${randomUUID()}`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(
          new AppError('payload_too_large', `the file is larger than ${maxBytes} bytes`, {
            code: 'payload_too_large',
            field: 'body',
            messageZh: '文件过大',
          }),
        );
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(req, limit, fs.createWriteStream(file));
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
  if (bytes === 0) {
    await fs.promises.rm(file, { force: true });
    throw AppError.invalid([{ field: 'body', code: 'empty', message: 'the file is empty', messageZh: '文件为空' }]);
  }
  return { file, bytes };
}

function jobResponse(job: ImportJob, errors: unknown[]) {
  const { _id, userId, areaCode, heartbeatAt, ...rest } = job;
  void userId;
  void areaCode;
  void heartbeatAt;
  return {
    id: _id,
    ...rest,
    ratePerSecond: job.ratePerSecond ?? 0,
    percent: job.bytesTotal ? Math.min(100, Math.round((100 * job.bytesRead) / job.bytesTotal)) : 0,
    errors,
  };
}

async function templateXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('一户一表');
  sheet.addRow(IMPORT_COLUMNS.map((c) => c.zh));
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((col) => (col.width = 14));
  const notes = wb.addWorksheet('填表说明');
  notes.addRow(['列名', 'key', 'English', '取值', '说明']);
  for (const c of IMPORT_COLUMNS) notes.addRow([c.zh, c.key, c.en, describeType(c.type), c.note ?? '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Bulk import of households (一户一表) from CSV, Excel or JSON lines: template, upload, progress, errors. */
export function importsRouter(deps: ImportRoutesDeps): Router {
  const router = Router();
  router.use(['/import-template', '/imports'], ...deps.authenticated);

  router.get('/import-template', authorize('households.import'), async (req, res) => {
    const format = req.query.format ?? 'xlsx';
    if (format === 'csv') {
      // A BOM so Excel opens the Chinese headers as UTF-8.
      res.type('text/csv; charset=utf-8').attachment('household-import-template.csv');
      res.send(`\uFEFF${IMPORT_COLUMNS.map((c) => c.zh).join(',')}\r\n`);
      return;
    }
    if (format !== 'xlsx') {
      throw AppError.invalid([
        { field: 'format', code: 'invalid_enum', message: 'must be csv or xlsx', messageZh: '须为csv或xlsx' },
      ]);
    }
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment('household-import-template.xlsx')
      .send(await templateXlsx());
  });

  router.post('/imports', authorize('households.import'), async (req, res) => {
    const user = currentUser(res.locals);
    const format = formatOf(req);
    const dryRun = dryRunOf(req);
    const { file, bytes } = await saveUpload(req, deps.maxBytes);
    const job = await deps.jobs.create({
      dryRun,
      format,
      userId: user.userId,
      areaCode: user.areaCode,
      bytesTotal: bytes,
    });
    // The import runs on after the answer; its progress is in the job.
    void runImport(
      { identification: deps.identification, jobs: deps.jobs, logger: deps.logger, callAs: () => deps.callAs(user) },
      job,
      file,
    ).catch((err: unknown) => deps.logger.error({ err, jobId: job._id }, 'import runner crashed'));
    res
      .status(202)
      .location(`/api/v1/households/imports/${job._id}`)
      .json({ job: jobResponse(job, []) });
  });

  const jobOf = async (req: Request, who: Identity) => {
    const job = /^[\w-]{1,64}$/.test(String(req.params.id)) ? await deps.jobs.get(String(req.params.id)) : null;
    if (!job)
      throw new AppError('not_found', 'import not found', { code: 'import_not_found', messageZh: '未找到该导入任务' });
    requireInScope(who, job.areaCode, 'import');
    return job;
  };

  router.get('/imports/:id', authorize('households.import'), async (req, res) => {
    const job = await jobOf(req, currentUser(res.locals));
    res.json({ job: jobResponse(job, await deps.jobs.firstErrors(job._id, ERRORS_SHOWN)) });
  });

  router.get('/imports/:id/errors.csv', authorize('households.import'), async (req, res) => {
    const job = await jobOf(req, currentUser(res.locals));
    res.type('text/csv; charset=utf-8').attachment(`import-${job._id}-errors.csv`);
    res.write('\uFEFF');
    const csv = stringify({ header: true, columns: ['row', 'field', 'code', 'message', 'messageZh'] });
    await pipeline(deps.jobs.allErrors(job._id), csv, res);
  });

  return router;
}
