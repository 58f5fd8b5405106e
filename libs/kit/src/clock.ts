import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { todayInChina } from '@shouwang/domain';

/**
 * A service's sense of time: notice periods, due dates, delivery dates and policy start dates are China
 * civil dates, so rules ask the clock rather than `new Date()`. One clock per process.
 */
export interface Clock {
  now(): Date;
  /** Today in China (YYYY-MM-DD). */
  today(): string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => todayInChina(),
};

/**
 * A clock tests can move: the file holds an ISO timestamp that is "now", read on every call, so an
 * integration test can step past a notice's end date without waiting. No file (or an empty one) is
 * real time. Never used in production (clockConfigShape refuses CLOCK_FILE there).
 */
export function fileClock(path: string): Clock {
  const now = (): Date => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return new Date();
      throw err;
    }
    if (!text) return new Date();
    const t = Date.parse(text);
    if (Number.isNaN(t)) throw new Error(`CLOCK_FILE does not hold an ISO timestamp`);
    return new Date(t);
  };
  return { now, today: () => todayInChina(now()) };
}

/** A clock fixed at one instant (unit and component tests); `set` moves it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let t = new Date(iso);
  return {
    now: () => new Date(t),
    today: () => todayInChina(t),
    set: (next: string) => {
      t = new Date(next);
    },
  };
}

/** Config of the test clock; services whose rules depend on dates extend their schema with it. */
export const clockConfigShape = {
  /**
   * Test-only: a file holding an ISO timestamp that is "now" (read on every use; no file = real time),
   * so integration tests can step past notice end dates and due dates. Refused when NODE_ENV=production.
   */
  CLOCK_FILE: z.string().min(1).optional(),
  NODE_ENV: z.string().optional(),
};

/** For a config schema's superRefine: a test clock in production is a configuration error. */
export function checkClockConfig(c: { CLOCK_FILE?: string; NODE_ENV?: string }, ctx: z.RefinementCtx): void {
  if (c.CLOCK_FILE && c.NODE_ENV === 'production')
    ctx.addIssue({ code: 'custom', path: ['CLOCK_FILE'], message: 'must not be set when NODE_ENV=production' });
}

export function clockFromConfig(config: { CLOCK_FILE?: string }): Clock {
  return config.CLOCK_FILE ? fileClock(config.CLOCK_FILE) : systemClock;
}
