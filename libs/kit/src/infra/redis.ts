import { Redis } from 'ioredis';
import { withTimeout } from './mongo';

/**
 * Redis client that fails fast while Redis is down (no offline queue) and keeps reconnecting, so
 * /readyz reports the outage at once and recovers by itself when Redis returns.
 */
export function createRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
}

export async function pingRedis(redis: Redis, timeoutMs = 1000): Promise<void> {
  const answer = await withTimeout(redis.ping(), timeoutMs, 'Redis ping');
  if (answer !== 'PONG') throw new Error(`Redis answered ${answer}`);
}
