import { AppError } from '@shouwang/kit';
import { isValidDate } from '@shouwang/domain';

/**
 * Request checks shared by the workflow routes (cases, exits, violations, quotas, notices) and the
 * assistance routes (measures, plans, tasks, points): each problem is a 400 naming the field, in
 * English and Chinese. The services check the same rules again; these give a fast answer and keep
 * malformed input off the wire.
 */
export function invalid(field: string, code: string, message: string, messageZh: string): AppError {
  return AppError.invalid([{ field, code, message, messageZh }]);
}

/** The JSON body as an object of known fields; anything else (array, unknown field) is refused. */
export function bodyOf(raw: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalid('body', 'invalid_type', 'the body must be a JSON object', '请求体须为JSON对象');
  const body = raw as Record<string, unknown>;
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown !== undefined)
    throw invalid(unknown.slice(0, 60), 'unrecognized_key', 'is not a field of this request', '不是该请求的字段');
  return body;
}

/** A text field of at most `max` characters; `required` also refuses blank text. */
export function textField(
  body: Record<string, unknown>,
  field: string,
  opts: { required?: boolean; max?: number } = {},
) {
  const max = opts.max ?? 500;
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw invalid(field, 'required', 'is required', '不能为空');
    return '';
  }
  if (typeof v !== 'string') throw invalid(field, 'invalid_type', 'must be text', '须为文本');
  if (opts.required && !v.trim()) throw invalid(field, 'required', 'is required', '不能为空');
  if (v.length > max) throw invalid(field, 'too_long', `at most ${max} characters`, `不超过${max}个字符`);
  return v;
}

/** One of the listed values; '' when absent and not required. */
export function enumField<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
  required: boolean,
): T | '' {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(field, 'required', `is required: one of ${values.join(', ')}`, '不能为空');
    return '';
  }
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    throw invalid(field, 'invalid_enum', `must be one of ${values.join(', ')}`, `须为以下之一：${values.join('、')}`);
  return v as T;
}

export function dateField(body: Record<string, unknown>, field: string, required: boolean): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw invalid(field, 'required', 'is required (YYYY-MM-DD)', '不能为空（YYYY-MM-DD）');
    return '';
  }
  if (!isValidDate(v)) throw invalid(field, 'invalid_date', 'must be a date YYYY-MM-DD', '须为日期 YYYY-MM-DD');
  return v;
}

/**
 * An amount of yuan: positive, at most 2 decimals (judged in fen, so no float rounding decides);
 * undefined when absent. A measure's upper limit is the service's to judge.
 */
export function yuanField(body: Record<string, unknown>, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw invalid(field, 'invalid_type', 'must be a number of yuan', '须为金额（元）');
  if (v <= 0 || v > 10_000_000)
    throw invalid(
      field,
      'out_of_range',
      'must be more than 0 and at most 10 000 000 yuan',
      '金额须大于0且不超过1000万元',
    );
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6)
    throw invalid(field, 'too_precise', 'must have at most 2 decimals', '金额最多保留两位小数');
  return v;
}

/** A record id in a path or field (case, household, violation, objection ids). */
export const RECORD_ID = /^[\w-]{1,64}$/;

export function idField(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') throw invalid(field, 'required', 'is required', '不能为空');
  if (typeof v !== 'string' || !RECORD_ID.test(v))
    throw invalid(field, 'invalid_id', 'is not a valid id', '编号格式不正确');
  return v;
}

/** One query parameter given at most once. */
export function queryText(query: unknown, name: string, max = 200): string {
  const v = (query as Record<string, unknown>)[name];
  if (v === undefined) return '';
  if (typeof v !== 'string') throw invalid(name, 'invalid_type', 'must be given once', '只能提供一次');
  if (v.length > max) throw invalid(name, 'too_long', `at most ${max} characters`, `不超过${max}个字符`);
  return v;
}

/** The keyset page a list asks for: ?pageSize (1–200; absent = the service's default) and ?pageToken. */
export function pageQuery(query: unknown): { pageSize: number; pageToken: string } {
  return { pageSize: pageSizeOf(query), pageToken: queryText(query, 'pageToken', 500) };
}

/** A keyset page as the REST lists answer it: the items under their name, the next page's token (null on the last page) and the total. */
export function pageJson<K extends string, T>(
  name: K,
  items: T[],
  page: { nextPageToken: string; total: number },
): Record<K, T[]> & { nextPageToken: string | null; total: number } {
  return { [name]: items, nextPageToken: page.nextPageToken || null, total: page.total } as Record<K, T[]> & {
    nextPageToken: string | null;
    total: number;
  };
}

/** pageSize 1–200 (0 = the service's default). */
export function pageSizeOf(query: unknown): number {
  const v = queryText(query, 'pageSize');
  if (v === '') return 0;
  if (!/^\d{1,3}$/.test(v) || Number(v) < 1 || Number(v) > 200)
    throw invalid('pageSize', 'out_of_range', 'must be from 1 to 200', '每页条数应为1至200');
  return Number(v);
}

/** An area filter: a city, county, township or village code (empty = the caller's own area). */
export function areaQuery(query: unknown): string {
  const v = queryText(query, 'areaCode');
  if (v !== '' && !/^(\d{4}|\d{6}|\d{9}|\d{12})$/.test(v))
    throw invalid('areaCode', 'invalid_area', 'must be a 4, 6, 9 or 12-digit area code', '须为4、6、9或12位区划代码');
  return v;
}

export function notFound(what: string, code: string, messageZh: string): AppError {
  return new AppError('not_found', `${what} not found`, { code, messageZh });
}
