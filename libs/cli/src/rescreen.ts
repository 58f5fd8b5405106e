import { InvalidArgumentError, type Command } from 'commander';

/**
 *   shouwang rescreen --area CODE [--year Y] [--url URL] [--username U] [--password P] [--every MS]
 * starts a re-screening job (re-assess every household of the city or a county) through the REST API,
 * or joins the one already running for the area, and prints a progress line whenever the progress
 * changes until the job ends. Exit status: 0 succeeded, 1 failed (or the API refused), 2 bad usage.
 * The password may come from SHOUWANG_PASSWORD (and the user and URL from SHOUWANG_USERNAME, SHOUWANG_URL)
 * so that it is not left in the shell history.
 */

interface RescreenIo {
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
  env?: NodeJS.ProcessEnv;
}

interface RescreenFlags {
  area: string;
  year?: number;
  url?: string;
  username?: string;
  password?: string;
  every: number;
}

interface Job {
  id: string;
  areaCode: string;
  status: string;
  processed: number;
  total: number;
  skipped: number;
  ratePerSecond: number;
  failure?: string;
}

const parseArea = (v: string): string => {
  if (!/^(\d{4}|\d{6})$/.test(v))
    throw new InvalidArgumentError('the area must be the 4-digit city or a 6-digit county code');
  return v;
};
const parseYear = (v: string): number => {
  if (!/^[0-9]{4}$/.test(v)) throw new InvalidArgumentError('the year must be a 4-digit whole number, e.g. 2021');
  return Number(v);
};
const parseEvery = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100 || n > 60000) throw new InvalidArgumentError('must be 100 to 60000 milliseconds');
  return n;
};

class ApiError extends Error {}

async function api<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers });
  } catch (err) {
    throw new ApiError(`cannot reach ${new URL(url).origin}: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string; field?: string } };
  if (!res.ok) {
    const e = body.error ?? {};
    throw new ApiError(
      `${res.status} ${e.code ?? ''}${e.field ? ` (${e.field})` : ''}: ${e.message ?? res.statusText}`,
    );
  }
  return body as T;
}

export function progressLine(job: Job): string {
  const pct = job.total > 0 ? Math.min(100, Math.floor((job.processed / job.total) * 100)) : 100;
  const skipped = job.skipped ? `, ${job.skipped} skipped` : '';
  return `job ${job.id} area ${job.areaCode}: ${job.processed}/${job.total} households (${pct}%)${skipped}, ${job.ratePerSecond}/s, ${job.status}\n`;
}

async function rescreen(flags: RescreenFlags, io: RescreenIo): Promise<number> {
  const env = io.env ?? process.env;
  const base = (flags.url ?? env.SHOUWANG_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const username = flags.username ?? env.SHOUWANG_USERNAME;
  const password = flags.password ?? env.SHOUWANG_PASSWORD;
  if (!username || !password) {
    io.stderr('shouwang rescreen: give --username and --password (or SHOUWANG_USERNAME and SHOUWANG_PASSWORD)\n');
    return 2;
  }
  try {
    const { accessToken: token } = await api<{ accessToken: string }>(`${base}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username, password }),
    });
    const started = await api<{ job: Job; created: boolean }>(`${base}/api/v1/rescreening-jobs`, {
      method: 'POST',
      token,
      body: JSON.stringify({ areaCode: flags.area, ...(flags.year ? { year: flags.year } : {}) }),
    });
    if (!started.created) await io.stdout(`a re-screening of ${flags.area} is already running; following it\n`);
    let job = started.job;
    let last = '';
    for (;;) {
      const line = progressLine(job);
      if (line !== last) await io.stdout(line);
      last = line;
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, flags.every));
      job = (await api<{ job: Job }>(`${base}/api/v1/rescreening-jobs/${encodeURIComponent(job.id)}`, { token })).job;
    }
    if (job.status !== 'succeeded') {
      io.stderr(`shouwang rescreen: the job ${job.status}${job.failure ? `: ${job.failure}` : ''}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    io.stderr(`shouwang rescreen: ${err.message}\n`);
    return 1;
  }
}

/** Adds `rescreen` to the shouwang program; its action stores the exit status in `status.code`. */
export function addRescreenCommand(program: Command, io: RescreenIo, status: { code: number }): void {
  program
    .command('rescreen')
    .summary('re-screen every household of the city or a county through the API and follow its progress')
    .description(
      'Start a re-screening job (re-assess every household of an area under the current policy) through the ' +
        'REST API — or follow the one already running for the area — and print a progress line until it ends. ' +
        'Needs a county officer or the city administrator. Exit status 0: succeeded; 1: failed or refused; 2: bad usage.',
    )
    .requiredOption('--area <CODE>', 'the 4-digit city or a 6-digit county code', parseArea)
    .option('--year <Y>', 'assess this year only (default: each household’s income year)', parseYear)
    .option('--url <URL>', 'the platform (default: SHOUWANG_URL or http://127.0.0.1:8080)')
    .option('--username <U>', 'sign in as (default: SHOUWANG_USERNAME)')
    .option('--password <P>', 'password (default: SHOUWANG_PASSWORD)')
    .option('--every <MS>', 'poll interval in milliseconds', parseEvery, 1000)
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) })
    .action(async (flags: RescreenFlags) => {
      status.code = await rescreen(flags, io);
    });
}
