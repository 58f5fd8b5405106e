// Server field errors (error.issues[].field) as antd form fields: pure, unit-tested.
import type { FieldError } from '../api/client';

export type ItemName = (string | number)[];

/**
 * The messages of each form item, in the officer's language, in the order the server sent them;
 * `nameOf` maps a server field to its item (null: about the request as a whole, not shown inline).
 */
export function formFieldErrors(
  errors: readonly FieldError[],
  lang: 'zh' | 'en',
  nameOf: (field: string) => ItemName | null,
): { name: ItemName; errors: string[] }[] {
  const byItem = new Map<string, { name: ItemName; errors: string[] }>();
  for (const e of errors) {
    const name = e.field ? nameOf(e.field) : null;
    if (!name || name.length === 0) continue;
    const key = JSON.stringify(name);
    const text = lang === 'zh' ? (e.messageZh ?? e.message) : e.message;
    const item = byItem.get(key) ?? { name, errors: [] };
    if (!item.errors.includes(text)) item.errors.push(text);
    byItem.set(key, item);
  }
  return [...byItem.values()];
}
