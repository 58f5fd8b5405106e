// Bulk import (批量导入) arithmetic: which format a chosen file is, how many rows it holds, how far
// a job has got. Pure, so it is unit-tested apart from React.
import type { ImportFormat, ImportJob } from '../api/households';

const FORMATS: Readonly<Record<string, { format: ImportFormat; contentType: string }>> = {
  csv: { format: 'csv', contentType: 'text/csv' },
  xlsx: { format: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  jsonl: { format: 'jsonl', contentType: 'application/x-ndjson' },
  ndjson: { format: 'jsonl', contentType: 'application/x-ndjson' },
};

/** The import format and request Content-Type of a file, judged by its extension; null when unsupported. */
export function importFormatOf(fileName: string): { format: ImportFormat; contentType: string } | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return (ext && FORMATS[ext]) || null;
}

/**
 * Roughly how many households a text file holds, for the progress bar: its non-blank lines, less the
 * header of a CSV. A quoted line break inside a CSV cell makes it an overestimate, hence "roughly";
 * null for formats whose rows cannot be counted without parsing (xlsx).
 */
export function estimateRows(text: string, format: ImportFormat): number | null {
  if (format === 'xlsx') return null;
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').length;
  return Math.max(0, format === 'csv' ? lines - 1 : lines);
}

export const isFinished = (job: ImportJob): boolean => job.status !== 'running';

/**
 * The progress bar's percentage: 100 when the job is over; while it runs, the share of the file the
 * server has read, or else processed ÷ estimated rows — held below 100 either way (the last rows are
 * still being saved, or the estimate was short); null when there is nothing to measure against.
 */
export function progressPercent(job: ImportJob, estimatedRows: number | null): number | null {
  if (isFinished(job)) return 100;
  if (typeof job.percent === 'number' && Number.isFinite(job.percent)) return Math.max(0, Math.min(99, job.percent));
  if (!estimatedRows || estimatedRows <= 0) return null;
  return Math.min(99, Math.floor((job.processed / estimatedRows) * 100));
}

/** A byte count as people read it: 812 B, 12.5 KB, 3.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
