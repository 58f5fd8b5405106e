import type { Redis } from 'ioredis';

/**
 * Repeated failed sign-ins lock an account for a while: `maxFailures` failures within `windowSeconds`
 * lock it for `lockSeconds`. Counts live in Redis so every gateway replica sees them.
 */
export class Lockout {
  constructor(
    private readonly redis: Redis,
    private readonly maxFailures = 5,
    private readonly windowSeconds = 900,
    private readonly lockSeconds = 900,
  ) {}

  /** Seconds until the account unlocks, or 0. */
  async lockedFor(username: string): Promise<number> {
    const ttl = await this.redis.ttl(`auth:lock:${username}`);
    return ttl > 0 ? ttl : 0;
  }

  /** Records a failure; returns true when this failure locked the account. */
  async fail(username: string): Promise<boolean> {
    const key = `auth:fail:${username}`;
    const n = await this.redis.incr(key);
    if (n === 1) await this.redis.expire(key, this.windowSeconds);
    if (n >= this.maxFailures) {
      await this.redis.set(`auth:lock:${username}`, '1', 'EX', this.lockSeconds);
      await this.redis.del(key);
      return true;
    }
    return false;
  }

  async succeed(username: string): Promise<void> {
    await this.redis.del(`auth:fail:${username}`);
  }
}
