import type { RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '@shouwang/kit';

/** Security headers (CSP, HSTS, no sniffing, frame denial …) with helmet's defaults. */
export const securityHeaders = (): RequestHandler => helmet();

/** CORS only for the configured origins; none configured means same-origin only. */
export function corsFor(origins: string[]): RequestHandler {
  return cors({ origin: origins.length ? origins : false, credentials: false, maxAge: 600 });
}

/**
 * Fixed-window rate limit backed by Redis (shared by every gateway replica). While Redis is down a
 * per-process limiter stands in, so an outage neither blocks all traffic nor lifts the limit.
 */
export function rateLimit(
  redis: Redis,
  opts: {
    name: string;
    points: number;
    durationSeconds: number;
    key: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => string;
  },
): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `rl:${opts.name}`,
    points: opts.points,
    duration: opts.durationSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: opts.points, duration: opts.durationSeconds }),
  });
  return async (req, res, next) => {
    try {
      const r = await limiter.consume(opts.key(req, res));
      res.set('RateLimit-Remaining', String(r.remainingPoints));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      res.set('Retry-After', String(Math.ceil(e.msBeforeNext / 1000)));
      throw new AppError('rate_limited', 'too many requests; slow down', {
        code: 'rate_limited',
        messageZh: '请求过于频繁，请稍后再试',
      });
    }
    next();
  };
}
