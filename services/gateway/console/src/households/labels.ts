// Words for household fields and values in the officer's language: the labels of field paths
// (`members[0].idNumber` → 家庭成员 1 · 身份证号) in error lists and the change history, and the
// values of a change (JSON text) as officers read them. Pure: the dictionaries are passed in.
import { areaPath } from '../areas';
import type { Messages } from '../i18n/zh';
import { namePath } from './formModel';

/** A tree of labels: a group's own label is `_`. */
export interface LabelTree {
  readonly [key: string]: string | LabelTree;
}

/** The label of a field path, e.g. 家庭成员 2 · 身份证号; unknown segments are shown as they are. */
export function pathLabel(field: string, tree: LabelTree): string {
  const segments = namePath(field);
  const own = (node: LabelTree | undefined) => (typeof node?._ === 'string' ? node._ : undefined);
  if (segments.length === 0) return own(tree) ?? field;
  const parts: string[] = [];
  let node: LabelTree | undefined = tree;
  for (const seg of segments) {
    if (typeof seg === 'number') {
      if (parts.length) parts[parts.length - 1] += ` ${seg + 1}`;
      else parts.push(String(seg + 1));
      continue;
    }
    const entry: string | LabelTree | undefined = node?.[seg];
    if (typeof entry === 'string') {
      parts.push(entry);
      node = undefined;
    } else if (entry) {
      parts.push(own(entry) ?? seg);
      node = entry;
    } else {
      parts.push(seg);
      node = undefined;
    }
  }
  return parts.join(' · ');
}

/** The last named segment of a path: `members[1].labour` → labour. */
function lastKey(field: string): string {
  const named = namePath(field).filter((s): s is string => typeof s === 'string');
  return named[named.length - 1] ?? '';
}

/**
 * A value as officers read it: 是/否, an enum's name (土坯房 for mud_brick), a village by its name,
 * '—' when there is none.
 */
export function displayValue(field: string, value: unknown, m: Messages): string {
  if (value === null || value === undefined || value === '') return m.common.none;
  if (typeof value === 'boolean') return value ? m.common.yes : m.common.no;
  if (lastKey(field) === 'areaCode' && typeof value === 'string') {
    const name = areaPath(value);
    return name ? `${name}（${value}）` : value;
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const names = (m.household.enums as Record<string, Record<string, string> | undefined>)[lastKey(field)];
    return names?.[String(value)] ?? String(value);
  }
  return JSON.stringify(value);
}

/** A history value (JSON text, absent when the field was added or removed) as officers read it. */
export function formatChangeValue(field: string, jsonText: string | undefined, m: Messages): string {
  if (jsonText === undefined || jsonText === '') return m.common.none;
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch {
    return jsonText; // not JSON after all: show it as sent
  }
  return displayValue(field, value, m);
}

/** Explanation lines: the assessment sends a list; a single text is one line. */
export function explanationLines(explanation: readonly string[] | string | undefined): string[] {
  if (explanation === undefined) return [];
  return (typeof explanation === 'string' ? [explanation] : [...explanation]).filter((l) => l.trim() !== '');
}
