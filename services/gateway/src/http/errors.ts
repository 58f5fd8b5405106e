import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type Logger } from '@shouwang/kit';

/** Every request gets an id (kept from X-Request-Id when the caller sent a sane one), echoed back. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  const id = given && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.set('X-Request-Id', id);
  // The trace id lets an officer's support ticket be followed through every service's logs.
  const traceId = trace.getActiveSpan()?.spanContext().traceId;
  if (traceId) res.set('X-Trace-Id', traceId);
  next();
};

/** One line per request (method, route, status, duration) carrying the request's trace id. */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on(
      'finish',
      context.bind(context.active(), () => {
        logger.info(
          {
            method: req.method,
            route: req.baseUrl + ((req.route?.path as string | undefined) ?? ''),
            status: res.statusCode,
            ms: Number(process.hrtime.bigint() - start) / 1e6,
            requestId: res.locals.requestId,
          },
          'request',
        );
      }),
    );
    next();
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(
    new AppError('not_found', `no route ${req.method} ${req.path}`, {
      code: 'route_not_found',
      messageZh: '接口不存在',
    }),
  );
};

/** Translates body-parser failures into our error kinds. */
function fromBodyParser(err: { type?: string; status?: number; message: string }): AppError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_argument', 'the request body is not valid JSON', {
        code: 'malformed_json',
        field: 'body',
        messageZh: '请求体不是合法的JSON',
      });
    case 'entity.too.large':
      return new AppError('payload_too_large', 'the request body is too large', {
        code: 'payload_too_large',
        field: 'body',
        messageZh: '请求体过大',
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('invalid_argument', err.message, { code: 'unsupported_encoding', field: 'body' });
    default:
      return undefined;
  }
}

/** The one place an error becomes an HTTP response: { error: { code, kind, message, messageZh, field, issues, requestId } }. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    void _next;
    const app =
      err instanceof AppError ? err : (fromBodyParser(err as never) ?? new AppError('internal', 'internal error'));
    if (app.kind === 'internal')
      logger.error({ err, path: req.path, requestId: res.locals.requestId }, 'request failed');
    res.status(app.httpStatus).json({ error: { ...app.toJSON(), requestId: res.locals.requestId } });
  };
}

/** Only JSON bodies are accepted on writes. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is('application/json')) {
    next(
      new AppError('unsupported_media_type', 'Content-Type must be application/json', {
        code: 'unsupported_media_type',
        field: 'Content-Type',
        messageZh: '请求须为JSON格式',
      }),
    );
    return;
  }
  next();
};
