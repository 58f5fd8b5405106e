import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { SheetRow } from './group-households';

export const IMPORT_FORMATS = ['csv', 'xlsx', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Rows of a CSV file (UTF-8, with or without BOM), numbered as a spreadsheet shows them (header = 1). */
export async function* csvRows(input: Readable, onHeaders?: (headers: string[]) => void): AsyncGenerator<SheetRow> {
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  let headers: string[] | undefined;
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    row++;
    if (!headers) {
      headers = record;
      onHeaders?.(headers);
      continue;
    }
    yield { row, cells: Object.fromEntries(headers.map((h, i) => [h, record[i] ?? ''])) };
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

/** Rows of the first worksheet of an .xlsx file, read as a stream (the whole workbook is never in memory). */
export async function* xlsxRows(input: Readable, onHeaders?: (headers: string[]) => void): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'cache', // without the styles a date cell reads as its serial number
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    let headers: string[] | undefined;
    for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = (r.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      if (!headers) {
        headers = values;
        onHeaders?.(headers);
        continue;
      }
      yield { row: r.number, cells: Object.fromEntries(headers.map((h, i) => [h, values[i] ?? ''])) };
    }
    return; // the first worksheet only: the template's notes sheet follows it
  }
}

/** Lines of a JSON-lines file, each one whole canonical household; blank lines skipped. */
export async function* jsonLines(input: Readable): AsyncGenerator<{ row: number; text: string }> {
  let row = 0;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    row++;
    if (line.trim()) yield { row, text: line };
  }
}
