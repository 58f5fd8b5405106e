import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generateHouseholds, validateHousehold } from '@shouwang/domain';
import { EXIT_HOUSEHOLD_FAILED, EXIT_OK, EXIT_USAGE, runShouwang, type CliIo } from './main';

const dir = mkdtempSync(join(tmpdir(), 'shouwang-seed-'));

/** Runs `shouwang args…` in-process; `env` stands in for the process environment. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo & { env: NodeJS.ProcessEnv } = {
    stdin: Readable.from([]),
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env,
  };
  const code = await runShouwang(args, io);
  return { code, stdout, stderr };
}

const jsonLines = (households: unknown[]) => households.map((h) => `${JSON.stringify(h)}\n`).join('');

describe('shouwang seed (JSON lines)', () => {
  it('prints N households as JSON lines on stdout, the generator’s output exactly, with a summary on stderr', async () => {
    const r = await run(['seed', '--households', '25', '--county', '360731', '--seed', '7', '--year', '2020']);
    expect(r.code).toBe(EXIT_OK);
    const expected = [...generateHouseholds(25, { county: '360731', seed: 7, year: 2020 })];
    expect(r.stdout).toBe(jsonLines(expected));
    for (const line of r.stdout.trimEnd().split('\n'))
      expect(validateHousehold(JSON.parse(line), { asOf: '2020-12-31' }).ok).toBe(true);
    expect(r.stderr).toBe(
      'shouwang seed: wrote 25 households of 于都县 (360731), seed 7, income year 2020, as of 2020-12-31 to standard output\n',
    );
  });

  it('is reproducible; --seed, --year and --as-of change the output; --out - is stdout', async () => {
    const base = ['seed', '--households', '10', '--county', '360702'];
    const a = await run([...base, '--seed', '1']);
    expect((await run([...base, '--seed', '1', '--out', '-'])).stdout).toBe(a.stdout);
    expect((await run(base)).stdout).toBe(a.stdout); // seed 1 is the default
    expect((await run([...base, '--seed', '2'])).stdout).not.toBe(a.stdout);
    const asOf = await run([...base, '--seed', '1', '--as-of', '2022-03-01']);
    expect(asOf.stdout).not.toBe(a.stdout);
    expect(asOf.stdout).toBe(
      jsonLines([...generateHouseholds(10, { county: '360702', seed: 1, year: 2021, asOf: '2022-03-01' })]),
    );
  });

  it('--out FILE writes the same lines to the file and nothing to stdout', async () => {
    const file = join(dir, 'households.jsonl');
    const r = await run(['seed', '--households', '30', '--county', '360781', '--seed', '5', '--out', file]);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(jsonLines([...generateHouseholds(30, { county: '360781', seed: 5 })]));
    expect(r.stderr).toContain(`to ${file}`);
  });

  it('prints a progress line per tenth on stderr for large N, none for small N', async () => {
    const r = await run(['seed', '--households', '10000', '--county', '360731', '--out', join(dir, 'big.jsonl')]);
    expect(r.code).toBe(EXIT_OK);
    const progress = r.stderr.split('\n').filter((l) => l.includes('generated'));
    expect(progress).toHaveLength(10);
    expect(progress[9]).toBe('shouwang seed: generated 10000/10000 households (100 %)');
    expect(readFileSync(join(dir, 'big.jsonl'), 'utf8').split('\n')).toHaveLength(10_001);
    const small = await run(['seed', '--households', '9', '--county', '360731']);
    expect(small.stderr).not.toContain('generated');
  });

  it.each([
    [['--county', '360731'], "required option '--households <N>'"],
    [['--households', '5'], "required option '--county <code>'"],
    [['--households', '0', '--county', '360731'], '--households must be a whole number from 1'],
    [['--households', '1e3', '--county', '360731'], '--households must be a whole number'],
    [['--households', '5', '--county', '360727'], 'not one of the 18 county codes'],
    [['--households', '5', '--county', '360731', '--seed', '-1'], '--seed'],
    [['--households', '5', '--county', '360731', '--seed', '4294967296'], '--seed must be'],
    [['--households', '5', '--county', '360731', '--year', '2000'], '--year must be'],
    [['--households', '5', '--county', '360731', '--as-of', '2021-02-29'], 'YYYY-MM-DD'],
    [['--households', '5', '--county', '360731', '--as-of', '2020-12-31'], 'on or after 2021-01-01'],
    [['--households', '5', '--county', '360731', '--username', 'u'], '--username goes with --url'],
    [['--households', '5', '--county', '360731', '--dry-run'], '--dry-run goes with --url'],
    [['--households', '5', '--county', '360731', '--url', 'ftp://x'], 'use an http(s) URL'],
    [['--households', '5', '--county', '360731', '--url', 'http://127.0.0.1:1', '--out', 'x'], 'exclude each other'],
    [['--households', '5', '--county', '360731', '--url', 'http://127.0.0.1:1', '--password', 'p'], '--username'],
    [['--households', '5', '--county', '360731', '--url', 'http://127.0.0.1:1', '--username', 'u'], '--password'],
    [['--households', '5', '--county', '360731', '--out', join(dir, 'no/such/dir/x.jsonl')], 'ENOENT'],
  ])('bad usage %j exits 2 with a message and no output', async (args, message) => {
    const r = await run(['seed', ...args]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });
});

/** What the stub platform saw and how it should answer. */
interface Stub {
  url: string;
  server: Server;
  logins: { username: string; password: string }[];
  imports: { query: string; contentType: string; authorization: string; body: string }[];
  polls: number;
  /** Answer the next request to this path with 401 / 429 once. */
  expireTokenOnce?: boolean;
  throttleImportOnce?: boolean;
  /** Rows (1-based, per batch) reported invalid; a batch index whose job fails. */
  invalidRows?: number[];
  failBatch?: number;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const apiError = (res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}) =>
  json(res, status, { error: { code, kind: code, message: `${code} (stub)`, messageZh: code } }, headers);
const readBody = async (req: IncomingMessage) => {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
};

/**
 * A tiny stand-in for the gateway's sign-in and bulk import API (/work/notes/api-spec.md): every job
 * is 'running' at its first look and finished at the second.
 */
async function startStub(options: Partial<Stub> = {}): Promise<Stub> {
  const jobs = new Map<string, { lines: number; batch: number; looks: number }>();
  let tokens = 0;
  const valid = new Set<string>();
  const stub = { logins: [], imports: [], polls: 0, ...options } as unknown as Stub;
  stub.server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const body = await readBody(req);
    if (req.method === 'POST' && url.pathname === '/api/v1/auth/login') {
      const creds = JSON.parse(body) as { username: string; password: string };
      stub.logins.push(creds);
      if (creds.password !== 'Shouwang-demo-2026') return apiError(res, 401, 'unauthenticated');
      const token = `token-${++tokens}`;
      valid.add(token);
      return json(res, 200, { accessToken: token, refreshToken: 'r', expiresIn: 900 });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!valid.has(token)) return apiError(res, 401, 'unauthenticated');
    const job = (id: string) => {
      const j = jobs.get(id)!;
      const done = j.looks > 0;
      const invalid = done ? (stub.invalidRows ?? []).filter((row) => row <= j.lines) : [];
      const failed = done && stub.failBatch === j.batch;
      return {
        job: {
          id,
          status: !done ? 'running' : failed ? 'failed' : 'succeeded',
          dryRun: url.searchParams.get('dryRun') === 'true',
          format: 'jsonl',
          processed: done ? j.lines : Math.floor(j.lines / 2),
          created: done && !failed ? j.lines - invalid.length : 0,
          updated: 0,
          unchanged: 0,
          invalid: invalid.length,
          ratePerSecond: 1234.5,
          startedAt: '2026-01-01T00:00:00Z',
          errors: invalid.map((row) => ({
            row,
            field: 'members[0].idNumber',
            code: 'duplicate_id_number',
            message: 'The ID number is already in another household',
            messageZh: '身份证号已在其他户',
          })),
          ...(failed ? { failure: { code: 'internal', message: 'stub failure' } } : {}),
        },
      };
    };
    if (req.method === 'POST' && url.pathname === '/api/v1/households/imports') {
      if (stub.throttleImportOnce) {
        stub.throttleImportOnce = false;
        return apiError(res, 429, 'rate_limited', { 'retry-after': '0' });
      }
      const batch = stub.imports.length;
      stub.imports.push({
        query: url.search,
        contentType: req.headers['content-type'] ?? '',
        authorization: req.headers.authorization ?? '',
        body,
      });
      const id = `job-${batch + 1}`;
      jobs.set(id, { lines: body.split('\n').filter((l) => l !== '').length, batch, looks: 0 });
      return json(res, 202, job(id));
    }
    const look = /^\/api\/v1\/households\/imports\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && look && jobs.has(look[1])) {
      stub.polls++;
      if (stub.expireTokenOnce) {
        stub.expireTokenOnce = false;
        valid.delete(token);
        return apiError(res, 401, 'unauthenticated');
      }
      jobs.get(look[1])!.looks++;
      return json(res, 200, job(look[1]));
    }
    return apiError(res, 404, 'not_found');
  });
  await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
  return stub;
}

describe('shouwang seed --url (bulk import API, against a stub platform)', () => {
  const stubs: Stub[] = [];
  const stub = async (options: Partial<Stub> = {}) => {
    const s = await startStub(options);
    stubs.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(stubs.map((s) => new Promise((resolve) => s.server.close(resolve))));
  });
  const seedArgs = (url: string, ...more: string[]) => [
    'seed',
    ...['--households', '5', '--county', '360731', '--seed', '3'],
    ...['--url', url, '--username', 'county.yudu', '--password', 'Shouwang-demo-2026'],
    ...['--batch-size', '2', '--poll-interval', '5'],
    ...more,
  ];

  it('signs in, imports in batches of JSON lines identical to the file output, follows each job to its end', async () => {
    const s = await stub();
    const r = await run(seedArgs(`${s.url}/api/v1/`));
    expect(r.code).toBe(EXIT_OK);
    expect(s.logins).toEqual([{ username: 'county.yudu', password: 'Shouwang-demo-2026' }]);
    expect(s.imports.map((i) => i.body.split('\n').length - 1)).toEqual([2, 2, 1]);
    for (const i of s.imports) {
      expect(i.query).toBe('?format=jsonl&dryRun=false');
      expect(i.contentType).toBe('application/x-ndjson');
      expect(i.authorization).toBe('Bearer token-1');
    }
    const file = await run(['seed', '--households', '5', '--county', '360731', '--seed', '3']);
    expect(s.imports.map((i) => i.body).join('')).toBe(file.stdout);
    expect(s.polls).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('import job-1 running: 1 processed');
    expect(r.stderr).toContain(
      'import job-3 succeeded: 1 processed (created 1, updated 0, unchanged 0, invalid 0; 1235/s); households 5/5',
    );
    expect(r.stderr).toContain('imported 5 households of 于都县 (360731), seed 3, income year 2021');
    expect(r.stderr).toContain('created 5, updated 0, unchanged 0, invalid 0');
    expect(r.stderr).not.toContain('Shouwang-demo-2026');
  });

  it('takes the user and password from SHOUWANG_USERNAME and SHOUWANG_PASSWORD; --dry-run asks for a dry run', async () => {
    const s = await stub();
    const args = [
      'seed',
      '--households',
      '3',
      '--county',
      '360731',
      '--url',
      s.url,
      '--poll-interval',
      '5',
      '--dry-run',
    ];
    const r = await run(args, { SHOUWANG_USERNAME: 'admin', SHOUWANG_PASSWORD: 'Shouwang-demo-2026' });
    expect(r.code).toBe(EXIT_OK);
    expect(s.logins).toEqual([{ username: 'admin', password: 'Shouwang-demo-2026' }]);
    expect(s.imports.map((i) => i.query)).toEqual(['?format=jsonl&dryRun=true']);
    expect(r.stderr).toContain('checked (dry run) 3 households');
  });

  it('signs in again when the access token expires during the run, and waits out a 429', async () => {
    const s = await stub({ expireTokenOnce: true, throttleImportOnce: true });
    const r = await run(seedArgs(s.url));
    expect(r.code).toBe(EXIT_OK);
    expect(s.logins).toHaveLength(2);
    expect(s.imports.map((i) => i.authorization)).toEqual(['Bearer token-1', 'Bearer token-2', 'Bearer token-2']);
    expect(r.stderr).toContain('created 5');
  });

  it('reports rows the platform refused, numbered within the whole run, and exits 1', async () => {
    const s = await stub({ invalidRows: [2] });
    const r = await run(seedArgs(s.url));
    expect(r.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(r.stderr).toContain(
      'household 2: members[0].idNumber duplicate_id_number The ID number is already in another household',
    );
    expect(r.stderr).toContain('household 4: members[0].idNumber duplicate_id_number'); // row 2 of the second batch
    expect(r.stderr).not.toContain('household 6');
    expect(r.stderr).toContain('created 3, updated 0, unchanged 0, invalid 2');
  });

  it('stops at a failed import job and exits 1', async () => {
    const s = await stub({ failBatch: 1 });
    const r = await run(seedArgs(s.url));
    expect(r.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(s.imports).toHaveLength(2);
    expect(r.stderr).toContain('import job-2 failed: {"code":"internal","message":"stub failure"}');
    expect(r.stderr).not.toContain('imported');
  });

  it('a refused sign-in or an unreachable platform exits 1 with the reason, nothing sent', async () => {
    const s = await stub();
    const wrong = await run(seedArgs(s.url, '--password', 'wrong')); // the last --password counts
    expect(wrong.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(wrong.stderr).toContain('POST /api/v1/auth/login answered 401: unauthenticated');
    expect(s.imports).toHaveLength(0);

    const closed = await startStub();
    await new Promise((resolve) => closed.server.close(resolve));
    const gone = await run(seedArgs(closed.url));
    expect(gone.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(gone.stderr).toContain(`cannot reach ${closed.url}: ECONNREFUSED`);
  });
});

describe('shouwang seed --help', () => {
  it('shouwang --help lists seed; seed --help documents every option', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(EXIT_OK);
    expect(top.stdout).toMatch(/\n {2}seed \[options\] +generate reproducible synthetic households/);
    const help = await run(['seed', '--help']);
    expect(help.code).toBe(EXIT_OK);
    for (const option of [
      '--households <N>',
      '--county <code>',
      '--seed <S>',
      '--year <Y>',
      '--as-of <YYYY-MM-DD>',
      '--out <file>',
      '--url <url>',
      '--username <user>',
      '--password <password>',
      '--batch-size <B>',
      '--dry-run',
      '--poll-interval <ms>',
    ])
      expect(help.stdout).toContain(option);
  });
});
