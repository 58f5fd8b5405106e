import diff from 'microdiff';
import { householdJson, type householdV1 } from '@shouwang/contracts';

/** Fields the registry keeps itself; they change with every write and are never "what changed". */
const META = new Set(['id', 'version', 'createdAt', 'updatedAt']);

export interface FieldChange {
  /** Path in the canonical household, e.g. "income.wage" or "members[1].health". */
  path: string;
  /** JSON text of the value before / after; '' when absent. */
  before: string;
  after: string;
}

/** The canonical JSON of a household (DOMAIN.md §3 names) without the registry's own fields. */
export function canonicalJson(h: householdV1.Household): Record<string, unknown> {
  return withoutMeta(householdJson(h));
}

export function withoutMeta(json: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([k]) => !META.has(k)));
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

const text = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

/** Every leaf that differs between two canonical households, in path order. */
export function householdChanges(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  return diff(withoutMeta(before), withoutMeta(after))
    .map((d) => ({
      path: pathText(d.path),
      before: d.type === 'CREATE' ? '' : text(d.oldValue),
      after: d.type === 'REMOVE' ? '' : text(d.value),
    }))
    .sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
}

/** Top-level fields that differ, e.g. ["income", "members"]: what HouseholdUpdated announces. */
export function changedTopLevelFields(changes: FieldChange[]): string[] {
  return [...new Set(changes.map((c) => c.path.split(/[.[]/)[0]!))].sort();
}
