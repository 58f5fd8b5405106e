import express, { type Router } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Readiness } from '../readiness';

/** One Prometheus registry per process, with Node's default metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

/**
 * /healthz: the process is alive (never checks dependencies, so a broker outage does not restart pods).
 * /readyz: every dependency really answers; 503 with the failing checks otherwise.
 * /metrics: Prometheus text format.
 */
export function opsRouter(readiness: Readiness): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const report = await readiness.check();
    res.status(report.ready ? 200 : 503).json(report);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
  return router;
}

/** Records request durations by route pattern (not raw URL, to keep label cardinality bounded). */
export function requestMetrics(): express.RequestHandler {
  return (req, res, next) => {
    const end = httpRequestDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? (res.statusCode === 404 ? 'unmatched' : req.path);
      end({ method: req.method, route: req.baseUrl + route, status: String(res.statusCode) });
    });
    next();
  };
}
