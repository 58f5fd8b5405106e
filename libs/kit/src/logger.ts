import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Personal data (ID numbers, phones, bank accounts) never reaches a log: these paths are censored
 * wherever they appear in a logged object, at any of the depths we log households at.
 */
const sensitiveKeys = ['idNumber', 'phone', 'bankAccount', 'password'];
export const redactPaths = sensitiveKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*[*].${k}`, `*[*].${k}`]);

/** pino logger whose every line carries the active trace and span ids. */
export function createLogger(name: string, level = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name,
      level,
      base: { service: name },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin() {
        const ctx = trace.getActiveSpan()?.spanContext();
        return ctx ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
      },
    },
    destination,
  );
}
