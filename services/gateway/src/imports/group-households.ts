import type { FieldIssue } from '@shouwang/kit';
import { columnFor, type CellType, type Column } from '@shouwang/domain';

/** One spreadsheet row: its number in the file (header = 1) and its cells by header. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

/** One household assembled from its rows: canonical JSON, the file row it starts on, cell problems. */

export interface ImportedHousehold {
  row: number;
  /** The file row of each member, so an error about members[i] names its own row. */
  memberRows: number[];
  household: Record<string, unknown>;
  issues: FieldIssue[];
}

const TRUE = new Set(['是', 'true', '1', 'y', 'yes', '有']);
const FALSE = new Set(['否', 'false', '0', 'n', 'no', '无']);

type Cell = { value: unknown } | { issue: Omit<FieldIssue, 'field'> };

/** A cell's text as the column's type; empty means absent. */
export function convertCell(text: string, type: CellType): Cell | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (typeof type === 'object') {
    return type.enum.includes(t)
      ? { value: t }
      : { issue: { code: 'invalid_enum', message: 'is not one of the allowed values', messageZh: '不是允许的取值' } };
  }
  switch (type) {
    case 'text':
    case 'date':
      return { value: t };
    case 'boolean': {
      const l = t.toLowerCase();
      if (TRUE.has(l)) return { value: true };
      if (FALSE.has(l)) return { value: false };
      return { issue: { code: 'invalid_boolean', message: 'must be 是 or 否 (yes/no)', messageZh: '须填“是”或“否”' } };
    }
    case 'number':
    case 'integer': {
      const n = Number(t.replace(/,/g, ''));
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isInteger(n)))
        return {
          issue: {
            code: 'invalid_number',
            message: type === 'integer' ? 'must be a whole number' : 'must be a number',
            messageZh: type === 'integer' ? '须为整数' : '须为数字',
          },
        };
      return { value: n };
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = target;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts.at(-1)!] = value;
}

/** Header cells that name no column: reported once, for the whole file. */
export function unknownHeaders(headers: string[]): string[] {
  return headers.filter((h) => h.trim() !== '' && !columnFor(h));
}

/**
 * Assembles households from consecutive rows sharing a 户号, streaming: memory holds one household.
 * Member fields come from each row, household fields from the first row that fills them; a household
 * field that two rows of one household fill differently is reported. Paths in issues are those of the
 * canonical household (members[1].birthDate) so they read the same as the API's.
 */
export async function* groupHouseholds(rows: AsyncIterable<SheetRow>): AsyncGenerator<ImportedHousehold> {
  let current: { key: string; item: ImportedHousehold; members: Record<string, unknown>[] } | undefined;
  const columns = new Map<string, Column | undefined>();
  const column = (h: string) => {
    if (!columns.has(h)) columns.set(h, columnFor(h));
    return columns.get(h);
  };
  for await (const { row, cells } of rows) {
    if (Object.values(cells).every((v) => v.trim() === '')) continue; // blank line
    const key = (Object.entries(cells).find(([h]) => column(h)?.key === 'householdKey')?.[1] ?? '').trim();
    if (!current || key === '' || key !== current.key) {
      if (current) yield finish(current);
      current = { key, item: { row, memberRows: [], household: {}, issues: [] }, members: [] };
      if (key === '')
        current.item.issues.push({
          field: 'householdKey',
          code: 'required',
          message: 'is required (户号)',
          messageZh: '户号为必填项',
        });
    }
    const memberIndex = current.members.length;
    const member: Record<string, unknown> = {};
    for (const [header, text] of Object.entries(cells)) {
      const col = column(header);
      if (!col || col.level === 'row') continue;
      const cell = convertCell(text, col.type);
      if (!cell) continue;
      const field = col.level === 'member' ? `members[${memberIndex}].${col.key}` : col.key;
      if ('issue' in cell) {
        current.item.issues.push({ field, ...cell.issue });
        continue;
      }
      if (col.level === 'member') {
        member[col.key] = cell.value;
        continue;
      }
      const existing = getPath(current.item.household, col.key);
      if (existing === undefined) setPath(current.item.household, col.key, cell.value);
      else if (existing !== cell.value)
        current.item.issues.push({
          field,
          code: 'inconsistent_household_field',
          message: `differs from the value on row ${current.item.row} of the same household`,
          messageZh: `与同户第${current.item.row}行的取值不一致`,
        });
    }
    current.members.push(member);
    current.item.memberRows.push(row);
  }
  if (current) yield finish(current);
}

function getPath(o: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p], o);
}

function finish(c: { item: ImportedHousehold; members: Record<string, unknown>[] }): ImportedHousehold {
  c.item.household.members = c.members;
  return c.item;
}
