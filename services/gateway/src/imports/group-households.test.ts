import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { convertCell, groupHouseholds, unknownHeaders, type SheetRow } from './group-households';
import { csvRows, xlsxRows } from './read-rows';
import fc from 'fast-check';
import { arbHousehold } from '@shouwang/domain/testing';
import { IMPORT_COLUMNS, householdRows, templateHeader } from '@shouwang/domain';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* rowsOf(rows: Record<string, string>[]): AsyncGenerator<SheetRow> {
  let row = 1;
  for (const cells of rows) yield { row: ++row, cells };
}

describe('convertCell', () => {
  it.each([
    ['是', 'boolean', true],
    ['否', 'boolean', false],
    ['TRUE', 'boolean', true],
    ['0', 'boolean', false],
    ['1,234.5', 'number', 1234.5],
    ['-20', 'number', -20],
    ['2020', 'integer', 2020],
    [' mud_brick ', { enum: ['mud_brick'] }, 'mud_brick'],
  ] as const)('%j as %j is %j', (text, type, value) => {
    expect(convertCell(text, type)).toEqual({ value });
  });

  it.each([
    ['也许', 'boolean', 'invalid_boolean'],
    ['12a', 'number', 'invalid_number'],
    ['2020.5', 'integer', 'invalid_number'],
    ['土坯房', { enum: ['mud_brick'] }, 'invalid_enum'],
  ] as const)('%j as %j is refused with %s', (text, type, code) => {
    expect(convertCell(text, type)).toEqual({ issue: expect.objectContaining({ code }) });
  });

  it('treats an empty or blank cell as absent', () => {
    expect(convertCell('  ', 'number')).toBeUndefined();
  });
});

describe('groupHouseholds', () => {
  it('assembles consecutive rows sharing a 户号 into one household, household fields from its rows', async () => {
    const out = await collect(
      groupHouseholds(
        rowsOf([
          {
            户号: 'A',
            村级区划代码: '360731101201',
            收入年度: '2020',
            工资性收入: '1000',
            姓名: '甲',
            与户主关系: 'head',
          },
          { 户号: 'A', 村级区划代码: '', 工资性收入: '1000', 姓名: '乙', 与户主关系: 'spouse', 在校生: '否' },
          { 户号: 'B', 村级区划代码: '360731101202', 姓名: '丙', 与户主关系: 'head' },
        ]),
      ),
    );
    expect(out).toEqual([
      {
        row: 2,
        memberRows: [2, 3],
        issues: [],
        household: {
          areaCode: '360731101201',
          income: { year: 2020, wage: 1000 },
          members: [
            { name: '甲', relation: 'head' },
            { name: '乙', relation: 'spouse', inSchool: false },
          ],
        },
      },
      {
        row: 4,
        memberRows: [4],
        issues: [],
        household: { areaCode: '360731101202', members: [{ name: '丙', relation: 'head' }] },
      },
    ]);
  });

  it('reports cell problems with the canonical path, and a household field two rows fill differently', async () => {
    const [h] = await collect(
      groupHouseholds(
        rowsOf([
          { householdKey: 'A', areaCode: '360731101201', name: '甲', relation: 'head', birthDate: '1980-01-01' },
          { householdKey: 'A', areaCode: '360731101202', name: '乙', relation: 'child', inSchool: '在读' },
        ]),
      ),
    );
    expect(h!.issues.map((i) => [i.field, i.code])).toEqual([
      ['areaCode', 'inconsistent_household_field'],
      ['members[1].inSchool', 'invalid_boolean'],
    ]);
  });

  it('requires a 户号 and skips blank lines', async () => {
    const out = await collect(
      groupHouseholds(
        rowsOf([
          { 户号: '', 姓名: '甲' },
          { 户号: '', 姓名: '' },
        ]),
      ),
    );
    expect(out).toHaveLength(1);
    expect(out[0]!.issues.map((i) => i.code)).toEqual(['required']);
  });

  it('names headers that are not template columns', () => {
    expect(unknownHeaders(['户号', 'areaCode', '备注', ''])).toEqual(['备注']);
  });
});

describe('reading files', () => {
  const header = ['户号', '姓名', '与户主关系'];

  it('reads CSV with a BOM and quoted cells, numbering rows as a spreadsheet does', async () => {
    const csv = `\uFEFF${header.join(',')}\r\nA,"甲,大",head\r\nA,乙,child\r\n`;
    let seen: string[] = [];
    const rows = await collect(csvRows(Readable.from([Buffer.from(csv)]), (h) => (seen = h)));
    expect(seen).toEqual(header);
    expect(rows).toEqual([
      { row: 2, cells: { 户号: 'A', 姓名: '甲,大', 与户主关系: 'head' } },
      { row: 3, cells: { 户号: 'A', 姓名: '乙', 与户主关系: 'child' } },
    ]);
  });

  it('reads the first worksheet of an .xlsx as a stream, dates as YYYY-MM-DD', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('一户一表');
    sheet.addRow(['户号', '姓名', '出生日期', '工资性收入']);
    sheet.addRow(['A', '甲', new Date(Date.UTC(1980, 4, 6)), 1200.5]);
    wb.addWorksheet('填表说明').addRow(['not', 'rows']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const rows = await collect(xlsxRows(Readable.from([buffer])));
    expect(rows).toEqual([{ row: 2, cells: { 户号: 'A', 姓名: '甲', 出生日期: '1980-05-06', 工资性收入: '1200.5' } }]);
  });

  it('has one template column per key, Chinese titles unique', () => {
    expect(new Set(IMPORT_COLUMNS.map((c) => c.key)).size).toBe(IMPORT_COLUMNS.length);
    expect(new Set(IMPORT_COLUMNS.map((c) => c.zh)).size).toBe(IMPORT_COLUMNS.length);
  });
});

/** What cells can hold: an empty text, null or an empty group of fields is the same as nothing. */
function asCells(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asCells);
  if (v && typeof v === 'object') {
    const entries = Object.entries(v)
      .map(([k, x]) => [k, asCells(x)] as const)
      .filter(([, x]) => x !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return v === '' || v === null ? undefined : v;
}

describe('householdRows ⇄ groupHouseholds', () => {
  it('reads back every household written as template rows (shocks and empty texts aside)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbHousehold(), { minLength: 1, maxLength: 5 }), async (households) => {
        const header = templateHeader();
        const rows: SheetRow[] = [];
        households.forEach((h, i) => {
          for (const cells of householdRows(h as unknown as Record<string, unknown>, `K${i}`))
            rows.push({ row: rows.length + 2, cells: Object.fromEntries(header.map((name, j) => [name, cells[j]!])) });
        });
        const read = await collect(
          groupHouseholds(
            (async function* () {
              yield* rows;
            })(),
          ),
        );
        expect(read.map((r) => r.issues)).toEqual(households.map(() => []));
        expect(read.map((r) => r.household)).toEqual(
          households.map((h) => {
            const { shocks, ...rest } = h as unknown as Record<string, unknown>;
            void shocks;
            return asCells(rest);
          }),
        );
      }),
      { numRuns: 50 },
    );
  });
});
