import { z } from 'zod';
import { AppError } from '@shouwang/kit';

/** Parses a request part with a zod schema; every problem becomes a field issue (400). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw AppError.invalid(
    result.error.issues.map((i) => ({
      field: i.path.map(String).join('.') || 'body',
      code: i.code === 'invalid_type' && i.input === undefined ? 'required' : i.code,
      message: i.message,
    })),
  );
}
