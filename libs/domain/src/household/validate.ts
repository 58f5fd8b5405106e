import type { z } from 'zod';
import { todayInChina } from '../time/dates';
import { makeIssue, type FieldIssue, type IssueCode, type PathSegment } from './issues';
import { createHouseholdSchema, type HouseholdSchema } from './schema';
import type { Household } from './types';

export type ValidationResult = { ok: true; value: Household } | { ok: false; issues: FieldIssue[] };

// Building a schema costs far more than parsing with it, and callers use a handful of as-of dates
// (mostly today), so keep the last few.
const cache = new Map<string, HouseholdSchema>();
function schemaFor(asOf: string): HouseholdSchema {
  let schema = cache.get(asOf);
  if (!schema) {
    schema = createHouseholdSchema(asOf);
    if (cache.size >= 8) cache.delete(cache.keys().next().value as string);
    cache.set(asOf, schema);
  }
  return schema;
}

/**
 * Validates a household submitted to the registry (DOMAIN.md §3). On success `value` is the
 * household with ID numbers normalised (final 'X' upper-case) and nothing added: absent optional
 * fields stay absent. On failure every problem found is listed, at most once per field and code.
 * `asOf` (YYYY-MM-DD, default today in China) is the date no birth or shock date may pass;
 * an invalid asOf is a programming error and throws RangeError.
 */
export function validateHousehold(input: unknown, opts: { asOf?: string } = {}): ValidationResult {
  const result = schemaFor(opts.asOf ?? todayInChina()).safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, issues: toFieldIssues(result.error.issues, input) };
}

function toFieldIssues(zodIssues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  const out: FieldIssue[] = [];
  const seen = new Set<string>();
  const add = (path: PathSegment[], code: IssueCode) => {
    const issue = makeIssue(path, code);
    const key = `${issue.field}\u0000${code}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(issue);
    }
  };
  for (const issue of zodIssues) {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    switch (issue.code) {
      case 'custom':
        add(path, (issue.params as { code: IssueCode }).code);
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) add([...path, key], 'unknown_field');
        break;
      case 'invalid_value':
        add(path, valueAt(input, path) === undefined ? 'required' : 'invalid_enum');
        break;
      case 'invalid_type':
        add(path, valueAt(input, path) === undefined ? 'required' : 'invalid_type');
        break;
      default:
        // The schema uses no other zod checks; map anything unexpected conservatively.
        add(path, 'invalid_type');
    }
  }
  return out;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PathSegment, unknown>)[seg];
  }
  return v;
}
