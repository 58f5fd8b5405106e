import { readFileSync } from 'node:fs';
import { todayInChina } from '@shouwang/domain';

/**
 * The workflows' sense of time: notice periods, due dates and the policy start date are China civil
 * dates, so every rule asks the clock rather than `new Date()`. One clock per process.
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
 * real time. Never used in production (config refuses CLOCK_FILE there).
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

/** A clock fixed at one instant (unit tests); `set` moves it. */
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

export function clockFromConfig(config: { CLOCK_FILE?: string }): Clock {
  return config.CLOCK_FILE ? fileClock(config.CLOCK_FILE) : systemClock;
}
