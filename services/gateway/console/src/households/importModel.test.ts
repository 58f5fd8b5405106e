// Bulk-import arithmetic (root jest, node environment).
import type { ImportJob } from '../api/households';
import { estimateRows, formatBytes, importFormatOf, progressPercent } from './importModel';

test.each([
  ['households.csv', 'csv', 'text/csv'],
  ['一户一表.XLSX', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['batch.jsonl', 'jsonl', 'application/x-ndjson'],
  ['batch.ndjson', 'jsonl', 'application/x-ndjson'],
])('%s is imported as %s with Content-Type %s', (name, format, contentType) => {
  expect(importFormatOf(name)).toEqual({ format, contentType });
});

test.each(['households.xls', 'notes.txt', 'csv', ''])('%j is not importable', (name) => {
  expect(importFormatOf(name)).toBeNull();
});

test('rows are counted without the CSV header and without blank lines', () => {
  expect(estimateRows('areaCode,address\r\n1,a\r\n2,b\r\n\r\n', 'csv')).toBe(2);
  expect(estimateRows('areaCode,address\n', 'csv')).toBe(0);
  expect(estimateRows('{"a":1}\n{"a":2}\n{"a":3}', 'jsonl')).toBe(3);
  expect(estimateRows('', 'csv')).toBe(0);
  expect(estimateRows('binary', 'xlsx')).toBeNull();
});

const job = (over: Partial<ImportJob>): ImportJob => ({
  id: 'j1',
  status: 'running',
  dryRun: true,
  format: 'csv',
  processed: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  invalid: 0,
  ratePerSecond: 0,
  startedAt: '2026-01-01T00:00:00Z',
  errors: [],
  ...over,
});

test('progress: processed of the estimate while running, never 100 until the job is over', () => {
  expect(progressPercent(job({ processed: 250 }), 1000)).toBe(25);
  expect(progressPercent(job({ processed: 1200 }), 1000)).toBe(99); // the estimate was short
  expect(progressPercent(job({ processed: 10 }), null)).toBeNull();
  expect(progressPercent(job({ processed: 10 }), 0)).toBeNull();
  expect(progressPercent(job({ status: 'succeeded', processed: 3 }), 1000)).toBe(100);
  expect(progressPercent(job({ status: 'failed' }), null)).toBe(100);
});

test('progress: the share of the file the server has read wins over the row estimate', () => {
  expect(progressPercent(job({ processed: 10, percent: 40 }), 1000)).toBe(40);
  expect(progressPercent(job({ percent: 100 }), null)).toBe(99); // read, not yet all saved
  expect(progressPercent(job({ status: 'succeeded', percent: 100 }), null)).toBe(100);
});

test('file sizes', () => {
  expect(formatBytes(812)).toBe('812 B');
  expect(formatBytes(12_800)).toBe('12.5 KB');
  expect(formatBytes(3_355_443)).toBe('3.2 MB');
});
