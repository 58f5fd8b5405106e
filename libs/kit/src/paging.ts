import type { FieldIssue } from './errors';

/**
 * Keyset paging, as every list of the platform does it: a page token is the sort key and the id of
 * the page's last row, opaque to clients (base64url of JSON), so a page is stable under concurrent inserts.
 */
export interface KeysetCursor {
  /** The sort key of the last row (a date, an area code, an ISO timestamp …). */
  key: string;
  id: string;
}

export function keysetToken(key: string, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

/** The cursor a token stands for; undefined when the token is not one this API gave. */
export function parseKeysetToken(token: string): KeysetCursor | undefined {
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string')
      return { key: v[0], id: v[1] };
  } catch {
    // Not base64url JSON: not ours.
  }
  return undefined;
}

/**
 * The page size (the default when 0 or absent) and the cursor of a list request, with an issue for a
 * size out of 1…maxSize or a token this API did not give (the caller adds its own and throws them
 * together). `cursor` turns the token's key and id into the store's cursor, undefined when the key
 * does not parse (a bad token too).
 */
export function pageRequest<C = KeysetCursor>(
  req: { pageSize?: number; pageToken?: string },
  limits: { defaultSize: number; maxSize: number },
  cursor: (c: KeysetCursor) => C | undefined = (c) => c as C,
): { size: number; after: C | undefined; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const size = req.pageSize || limits.defaultSize;
  if (!Number.isInteger(size) || size < 1 || size > limits.maxSize)
    issues.push({
      field: 'pageSize',
      code: 'out_of_range',
      message: `must be 1 to ${limits.maxSize}`,
      messageZh: `须为1至${limits.maxSize}`,
    });
  const token = req.pageToken ? parseKeysetToken(req.pageToken) : undefined;
  const after = token ? cursor(token) : undefined;
  if (req.pageToken && !after)
    issues.push({
      field: 'pageToken',
      code: 'invalid_page_token',
      message: 'is not a token this API gave',
      messageZh: '分页标记无效',
    });
  return { size, after, issues };
}
