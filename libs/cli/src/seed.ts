/**
 * shouwang seed — synthetic households (libs/domain/src/synthetic) as JSON lines, or straight into a
 * running platform through the bulk import API (POST /api/v1/households/imports?format=jsonl).
 *
 *   shouwang seed --households N --county CODE [--seed S] [--year Y] [--as-of D] [--out FILE|-]
 *   shouwang seed --households N --county CODE [...] --url URL --username U [--password P]
 *                 [--batch-size B] [--dry-run] [--poll-interval MS]
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, InvalidArgumentError } from 'commander';
import {
  COUNTIES,
  SYNTHETIC_DEFAULT_YEAR,
  countyName,
  generateHouseholds,
  isValidDate,
  type Household,
} from '@shouwang/domain';
import type { CliIo } from './main';

/** Below this many households no progress lines are printed. */
const PROGRESS_FROM = 10_000;
/** Output is written in pieces of about this many characters. */
const CHUNK_CHARS = 64 * 1024;
/**
 * Households per import job by default: about 16 MB of JSON lines in one request body (the gateway
 * streams uploads to disk and takes up to 512 MB), few enough jobs to follow, each one done in seconds.
 */
export const DEFAULT_BATCH_SIZE = 10_000;

interface SeedFlags {
  households: number;
  county: string;
  seed: number;
  year: number;
  asOf?: string;
  out?: string;
  url?: string;
  username?: string;
  password?: string;
  batchSize: number;
  dryRun?: boolean;
  pollInterval: number;
}

const wholeNumber = (what: string, min: number, max: number) => (value: string) => {
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}`);
  return Number(value);
};

const parseCounty = (value: string): string => {
  if (countyName(value) === null)
    throw new InvalidArgumentError(`not one of the 18 county codes (${COUNTIES.map((c) => c.code).join(', ')})`);
  return value;
};

const parseDate = (value: string): string => {
  if (!isValidDate(value)) throw new InvalidArgumentError('the date must be a real date written YYYY-MM-DD');
  return value;
};

const parseUrl = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('not a URL, e.g. http://127.0.0.1:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('use an http(s) URL');
  // The gateway's base URL; a trailing /api/v1 is accepted too.
  return url.href.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
};

/** Exit statuses, as for every shouwang command (main.ts). */
const EXIT_OK = 0;
const EXIT_FAILED = 1;

/** Standard output and error as main.ts provides them; env (default process.env) for SHOUWANG_USERNAME/PASSWORD. */
type SeedIo = Pick<CliIo, 'stdout' | 'stderr'> & { env?: NodeJS.ProcessEnv };

/**
 * Adds `seed` to the shouwang program; its action stores the exit status in `status.code`. Bad
 * usage throws a CommanderError, which runShouwang turns into the usage status.
 */
export function addSeedCommand(program: Command, io: SeedIo, status: { code: number }): Command {
  const command: Command = program
    .command('seed')
    .summary('generate reproducible synthetic households: JSON lines, or into a running platform')
    .description(
      'Generate N synthetic households of a county (DOMAIN.md §3): villages of the synthetic area table, ' +
        '1–7 members with consistent relations, ages, ID numbers (synthetic, unique in the run), schooling, ' +
        'labour and health, incomes with about one household in ten below the 6 000-yuan monitoring line, and ' +
        'the typical features F1–F10 in a realistic minority. The same options give the same households. ' +
        'Output: JSON lines on standard output or --out FILE; with --url, the households are sent to the ' +
        'platform by the bulk import API in batches, and each import job is followed until it ends. ' +
        'Exit status 0: all written or imported; 1: the platform refused households or the import failed; ' +
        '2: bad option.',
    )
    .requiredOption(
      '--households <N>',
      'how many households (1 to 10 000 000)',
      wholeNumber('--households', 1, 10_000_000),
    )
    .requiredOption('--county <code>', 'county code, one of the 18 (e.g. 360731 于都县)', parseCounty)
    .option('--seed <S>', 'seed of the generator (0 to 4294967295)', wholeNumber('--seed', 0, 0xffff_ffff), 1)
    .option('--year <Y>', 'income year', wholeNumber('--year', 2001, 2100), SYNTHETIC_DEFAULT_YEAR)
    .option(
      '--as-of <YYYY-MM-DD>',
      'date ages are taken on and no date passes (default: 31 December of --year)',
      parseDate,
    )
    .option('--out <file>', 'write JSON lines to this file; - or none for standard output')
    .option('--url <url>', 'send to the platform at this gateway URL instead, e.g. http://127.0.0.1:8080', parseUrl)
    .option(
      '--username <user>',
      'with --url: user allowed to import households, e.g. county.yudu (default: SHOUWANG_USERNAME)',
    )
    .option('--password <password>', 'with --url: the password (default: SHOUWANG_PASSWORD)')
    .option(
      '--batch-size <B>',
      'with --url: households per import job',
      wholeNumber('--batch-size', 1, 100_000),
      DEFAULT_BATCH_SIZE,
    )
    .option('--dry-run', 'with --url: validate on the platform without storing anything')
    .option(
      '--poll-interval <ms>',
      'with --url: milliseconds between looks at a running import',
      wholeNumber('--poll-interval', 1, 60_000),
      1_000,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) })
    .action(async (flags: SeedFlags) => {
      if (flags.asOf !== undefined && flags.asOf < `${flags.year}-01-01`)
        command.error(`error: --as-of must be on or after ${flags.year}-01-01, the start of the income year`);
      if (flags.url !== undefined) {
        if (flags.out !== undefined) command.error('error: --out and --url exclude each other');
        const env = io.env ?? process.env;
        const username = flags.username ?? env.SHOUWANG_USERNAME;
        const password = flags.password ?? env.SHOUWANG_PASSWORD;
        if (username === undefined) command.error('error: --url needs --username or SHOUWANG_USERNAME');
        if (password === undefined) command.error('error: --url needs --password or SHOUWANG_PASSWORD');
        const ok = await seedPlatform({ ...flags, url: flags.url, username, password }, io);
        status.code = ok ? EXIT_OK : EXIT_FAILED;
      } else {
        for (const [flag, given] of [
          ['--username', flags.username],
          ['--password', flags.password],
          ['--dry-run', flags.dryRun],
        ] as const)
          if (given !== undefined) command.error(`error: ${flag} goes with --url`);
        const target = await openOutput(flags.out, io).catch((err: Error) => command.error(`error: ${err.message}`));
        await seedFile(flags, target, io);
        status.code = EXIT_OK;
      }
    });
  return command;
}

// ---------------------------------------------------------------------------------------------------
// JSON lines to a file or standard output.

interface Output {
  name: string;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

async function openOutput(file: string | undefined, io: SeedIo): Promise<Output> {
  if (file === undefined || file === '-')
    return { name: 'standard output', write: async (text) => void (await io.stdout(text)), close: async () => {} };
  const stream: WriteStream = createWriteStream(file, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`cannot write ${file}: ${err.code ?? 'error'}`)),
    );
  });
  return {
    name: file,
    write: async (text) => {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    close: async () => {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

const summary = (flags: SeedFlags): string =>
  `${countyName(flags.county)} (${flags.county}), seed ${flags.seed}, income year ${flags.year}` +
  `, as of ${flags.asOf ?? `${flags.year}-12-31`}`;

function households(flags: SeedFlags): Generator<Household> {
  return generateHouseholds(flags.households, {
    county: flags.county,
    seed: flags.seed,
    year: flags.year,
    asOf: flags.asOf,
  });
}

/** Prints "k/N households (p %)" each time another tenth is done, for large N. */
function progress(io: SeedIo, total: number, verb: string): (done: number) => void {
  let nextTenth = 1;
  return (done) => {
    if (total < PROGRESS_FROM) return;
    while (done >= (total * nextTenth) / 10) {
      io.stderr(`shouwang seed: ${verb} ${done}/${total} households (${nextTenth * 10} %)\n`);
      nextTenth++;
    }
  };
}

async function seedFile(flags: SeedFlags, out: Output, io: SeedIo): Promise<void> {
  const report = progress(io, flags.households, 'generated');
  let chunk = '';
  let count = 0;
  for (const h of households(flags)) {
    chunk += `${JSON.stringify(h)}\n`;
    count++;
    if (chunk.length >= CHUNK_CHARS) {
      await out.write(chunk);
      chunk = '';
      report(count);
    }
  }
  if (chunk !== '') await out.write(chunk);
  await out.close();
  report(count);
  io.stderr(`shouwang seed: wrote ${count} households of ${summary(flags)} to ${out.name}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Into a running platform (bulk import API, /work/notes/api-spec.md).

/** ImportJob of the bulk import API. */
interface ImportJob {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  processed: number;
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  ratePerSecond?: number;
  errors?: { row: number; field?: string; code: string; message: string }[];
  failure?: unknown;
}

/** A request the platform answered with an error, or could not be sent. */
class PlatformError extends Error {}

const RETRIES = 5;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The gateway API with a bearer token: signs in again once when the token has expired (15 min). */
class Gateway {
  private token = '';

  constructor(
    private readonly base: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  async login(): Promise<void> {
    const body = await this.send('POST', '/api/v1/auth/login', {
      body: JSON.stringify({ username: this.username, password: this.password }),
      contentType: 'application/json',
      signedIn: false,
    });
    const token = (body as { accessToken?: unknown }).accessToken;
    if (typeof token !== 'string') throw new PlatformError('the sign-in answer has no accessToken');
    this.token = token;
  }

  async send(
    method: 'GET' | 'POST',
    path: string,
    opts: { body?: string; contentType?: string; signedIn?: boolean } = {},
  ): Promise<unknown> {
    const signedIn = opts.signedIn ?? true;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(opts.contentType ? { 'content-type': opts.contentType } : {}),
            ...(signedIn ? { authorization: `Bearer ${this.token}` } : {}),
          },
          body: opts.body,
        });
      } catch (err) {
        const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw new PlatformError(`cannot reach ${this.base}: ${cause}`);
      }
      const text = await res.text();
      if (res.ok) return parseAnswer(method, path, text);
      if (res.status === 401 && signedIn && attempt === 0) {
        await this.login(); // the access token expired during a long run
        continue;
      }
      if ((res.status === 429 || res.status === 503) && attempt < RETRIES) {
        const wait = Number(res.headers.get('retry-after') ?? '1');
        await sleep(Math.min(Number.isFinite(wait) && wait >= 0 ? wait : 1, 30) * 1000);
        continue;
      }
      throw new PlatformError(`${method} ${path} answered ${res.status}${describeError(text)}`);
    }
  }
}

function parseAnswer(method: string, path: string, text: string): unknown {
  try {
    return text === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new PlatformError(`${method} ${path} answered something that is not JSON`);
  }
}

/** ": code message" from the platform's error body, when it has one. */
function describeError(text: string): string {
  try {
    const e = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    return e ? `: ${e.code ?? ''} ${e.message ?? ''}`.trimEnd() : '';
  } catch {
    return '';
  }
}

interface PlatformFlags extends SeedFlags {
  url: string;
  username: string;
  password: string;
}

async function seedPlatform(flags: PlatformFlags, io: SeedIo): Promise<boolean> {
  const gateway = new Gateway(flags.url, flags.username, flags.password);
  const totals = { created: 0, updated: 0, unchanged: 0, invalid: 0 };
  let sent = 0;
  try {
    await gateway.login();
    let batch: string[] = [];
    const importBatch = async (): Promise<boolean> => {
      const job = await runImport(gateway, batch.join(''), flags, io, sent, flags.households);
      for (const k of ['created', 'updated', 'unchanged', 'invalid'] as const) totals[k] += job[k];
      for (const e of (job.errors ?? []).slice(0, 10))
        io.stderr(`shouwang seed: household ${sent + e.row}: ${e.field ?? ''} ${e.code} ${e.message}\n`);
      if (job.invalid > 10) io.stderr(`shouwang seed: … see GET /api/v1/households/imports/${job.id}/errors.csv\n`);
      sent += batch.length;
      batch = [];
      if (job.status === 'failed') {
        io.stderr(`shouwang seed: import ${job.id} failed: ${JSON.stringify(job.failure ?? null)}\n`);
        return false;
      }
      return true;
    };
    for (const h of households(flags)) {
      batch.push(`${JSON.stringify(h)}\n`);
      if (batch.length === flags.batchSize && !(await importBatch())) return false;
    }
    if (batch.length > 0 && !(await importBatch())) return false;
  } catch (err) {
    if (!(err instanceof PlatformError)) throw err;
    io.stderr(`shouwang seed: ${err.message}\n`);
    return false;
  }
  io.stderr(
    `shouwang seed: ${flags.dryRun ? 'checked (dry run)' : 'imported'} ${sent} households of ${summary(flags)} ` +
      `into ${flags.url}: created ${totals.created}, updated ${totals.updated}, unchanged ${totals.unchanged}, ` +
      `invalid ${totals.invalid}\n`,
  );
  return totals.invalid === 0;
}

/** Starts one import job and follows it until it is no longer running, printing its progress. */
async function runImport(
  gateway: Gateway,
  body: string,
  flags: PlatformFlags,
  io: SeedIo,
  sentBefore: number,
  total: number,
): Promise<ImportJob> {
  const query = `format=jsonl&dryRun=${flags.dryRun ? 'true' : 'false'}`;
  let job = jobOf(
    await gateway.send('POST', `/api/v1/households/imports?${query}`, { body, contentType: 'application/x-ndjson' }),
  );
  let last = '';
  for (;;) {
    const line =
      `shouwang seed: import ${job.id} ${job.status}: ${job.processed} processed (created ${job.created}, ` +
      `updated ${job.updated}, unchanged ${job.unchanged}, invalid ${job.invalid}` +
      `${job.ratePerSecond ? `; ${Math.round(job.ratePerSecond)}/s` : ''}); households ${sentBefore + job.processed}/${total}\n`;
    if (line !== last) io.stderr(line);
    last = line;
    if (job.status !== 'running') return job;
    await sleep(flags.pollInterval);
    job = jobOf(await gateway.send('GET', `/api/v1/households/imports/${encodeURIComponent(job.id)}`));
  }
}

function jobOf(body: unknown): ImportJob {
  const job = (body as { job?: ImportJob }).job;
  if (typeof job !== 'object' || job === null || typeof job.id !== 'string' || typeof job.status !== 'string')
    throw new PlatformError('the import answer has no job');
  return job;
}
