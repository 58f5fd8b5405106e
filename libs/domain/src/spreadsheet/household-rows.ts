import { IMPORT_COLUMNS } from './columns';

/** The text of a cell as the template expects it: booleans 是/否, numbers plain, absent empty. */
function cellOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

function at(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p], o);
}

/**
 * A canonical household as rows of the import template, one per member, household columns on the
 * first row only: what groupHouseholds reads back (shocks excepted, which the template has no columns for).
 */
export function householdRows(household: Record<string, unknown>, key: string): string[][] {
  const members = (household.members as Record<string, unknown>[] | undefined) ?? [];
  return members.map((member, i) =>
    IMPORT_COLUMNS.map((c) => {
      if (c.level === 'row') return key;
      if (c.level === 'member') return cellOf(member[c.key]);
      return i === 0 ? cellOf(at(household, c.key)) : '';
    }),
  );
}

export const templateHeader = (): string[] => IMPORT_COLUMNS.map((c) => c.zh);
