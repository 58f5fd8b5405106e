import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DEFAULT_POLICY } from '@shouwang/domain';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import { EXIT_HOUSEHOLD_FAILED, EXIT_OK, EXIT_USAGE, runShouwang } from './main';

const AS_OF = '2021-06-30';
const dir = mkdtempSync(join(tmpdir(), 'shouwang-cli-'));

/** One output line: a result or { error }. */
type Out = Record<string, unknown> & {
  householdId?: string;
  error?: Record<string, unknown>;
  explanation?: { zh: string };
};

/** Runs `shouwang args…` in-process with `input` on stdin. */
async function run(args: string[], input = '') {
  let stdout = '';
  let stderr = '';
  const code = await runShouwang(args, {
    stdin: Readable.from([input]),
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  const lines = stdout.split('\n').filter((l) => l !== '');
  return { code, stdout, stderr, results: () => lines.map((l) => JSON.parse(l) as Out) };
}

const income = (wage: number, year = 2021) => ({ year, wage, business: 0, property: 0, transfer: 0 });
/** Poor (2 000 yuan) with a seriously ill head (F2: no labour): an edge household in 2021. */
const poor = (id: string) =>
  minimalHousehold({
    id,
    income: income(2_000),
    members: [{ name: '赵一', relation: 'head', idNumber: syntheticIdNumber(1, '1970-05-12'), labour: 'lost' }],
  });
const rich = (id: string) => minimalHousehold({ id, income: income(100_000) });
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const jsonl = (...values: unknown[]) => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

describe('shouwang assess', () => {
  it('assesses JSON lines from stdin, one result per household in input order', async () => {
    const r = await run(['assess', '--as-of', AS_OF], jsonl(poor('h-1'), rich('h-2'), poor('h-3')));
    expect(r.code).toBe(EXIT_OK);
    const out = r.results();
    expect(out.map((o) => o.householdId)).toEqual(['h-1', 'h-2', 'h-3']);
    expect(out[0]).toMatchObject({
      householdId: 'h-1',
      year: 2021,
      asOf: AS_OF,
      monitoringLine: 6000,
      perCapitaIncome: 2000,
      incomeBelowLine: true,
      features: ['F2'],
      monitoringObject: true,
      category: 'edge',
      warnings: [],
    });
    expect(typeof out[0].explanation?.zh).toBe('string');
    expect(out[1]).toMatchObject({ incomeBelowLine: false, monitoringObject: false, category: null });
  });

  it('reads a file, and `-` as stdin; blank lines are skipped', async () => {
    const path = file('two.jsonl', '\n' + jsonl(poor('f-1')) + '\n\n' + jsonl(rich('f-2')));
    const fromFile = await run(['assess', path, '--as-of', AS_OF]);
    expect(fromFile.code).toBe(EXIT_OK);
    expect(fromFile.results().map((o) => o.householdId)).toEqual(['f-1', 'f-2']);
    const fromDash = await run(['assess', '-', '--as-of', AS_OF], jsonl(rich('s-1')));
    expect(fromDash.results().map((o) => o.householdId)).toEqual(['s-1']);
  });

  it('reads one pretty-printed household (with a byte-order mark, CRLF line ends)', async () => {
    const text = '\uFEFF' + JSON.stringify(poor('p-1'), null, 2).replaceAll('\n', '\r\n') + '\r\n';
    const r = await run(['assess', '--as-of', AS_OF], text);
    expect(r.code).toBe(EXIT_OK);
    expect(r.results()).toHaveLength(1);
    expect(r.results()[0]).toMatchObject({ householdId: 'p-1', category: 'edge' });
  });

  it('reads several pretty-printed households in a row, braces in strings notwithstanding', async () => {
    const a = { ...poor('a-{[1'), address: '于都县}青山乡]"1组' };
    const text = JSON.stringify(a, null, 2) + '\n' + JSON.stringify(rich('b-2'), null, 4) + '\n';
    const r = await run(['assess', '--as-of', AS_OF], text);
    expect(r.results().map((o) => o.householdId)).toEqual(['a-{[1', 'b-2']);
  });

  it('puts an error in place of an invalid household or bad JSON line, exit 1, never printing ID numbers', async () => {
    const badId = syntheticIdNumber(7, '1980-01-01').slice(0, 17) + 'X'; // wrong check digit
    const invalid = minimalHousehold({
      id: 'bad',
      income: income(1000),
      members: [{ name: '赵一', relation: 'head', idNumber: badId }],
    });
    const leaky = `{"id": "x", "members": [{"idNumber": "${syntheticIdNumber(8, '1990-02-02')}"`; // truncated line
    const noIncome = minimalHousehold({ id: 'no-income' });
    const input = jsonl(rich('ok-1'), invalid) + leaky + '\n' + jsonl(noIncome, rich('ok-2'));
    const r = await run(['assess', '--as-of', AS_OF], input);
    expect(r.code).toBe(EXIT_HOUSEHOLD_FAILED);
    const out = r.results();
    expect(out).toHaveLength(5);
    expect(out[0].householdId).toBe('ok-1');
    expect(out[1].error).toMatchObject({ code: 'invalid_household', field: 'members[0].idNumber', line: 2 });
    expect(out[2]).toEqual({
      error: { code: 'invalid_json', field: 'line 3', message: 'Line 3 is not valid JSON', line: 3 },
    });
    expect(out[3].error).toMatchObject({ code: 'income_required', field: 'income', line: 4 });
    expect(out[4].householdId).toBe('ok-2');
    for (const e of out.filter((o) => o.error)) expect(Object.keys(e)).toEqual(['error']);
    expect(r.stdout + r.stderr).not.toContain(badId);
    expect(r.stdout + r.stderr).not.toContain(syntheticIdNumber(8, '1990-02-02'));
    expect(r.stderr).toContain('3 of 5');
  });

  it('reports an unclosed pretty-printed document as invalid JSON', async () => {
    const text = JSON.stringify(rich('u'), null, 2).slice(0, -2);
    const r = await run(['assess', '--as-of', AS_OF], text);
    expect(r.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(r.results()).toEqual([
      {
        error: {
          code: 'invalid_json',
          field: 'line 1',
          message: 'The JSON document starting on line 1 is not valid JSON',
          line: 1,
        },
      },
    ]);
  });

  it('--year selects the year: a household whose income is for another year fails', async () => {
    const r = await run(['assess', '--year', '2020', '--as-of', AS_OF], jsonl(rich('y-1'), rich('y-2')));
    expect(r.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(r.results().map((o) => o.error?.code)).toEqual(['income_year_mismatch', 'income_year_mismatch']);
    const oneYen = await run(
      ['assess', '--year', '2020', '--as-of', AS_OF],
      jsonl({ ...rich('y-3'), income: income(1) }),
    );
    expect(oneYen.code).toBe(EXIT_HOUSEHOLD_FAILED); // income.year 2021 ≠ 2020
    const y2020 = await run(
      ['assess', '--year', '2020', '--as-of', AS_OF],
      jsonl({ ...poor('y-4'), income: income(2_000, 2020) }),
    );
    expect(y2020.code).toBe(EXIT_OK);
    expect(y2020.results()[0]).toMatchObject({ year: 2020, monitoringLine: 6000, category: 'edge' });
  });

  it('--as-of is the date of the result; the default is today', async () => {
    const r = await run(['assess', '--as-of', '2021-12-31'], jsonl(rich('d')));
    expect(r.results()[0].asOf).toBe('2021-12-31');
    const today = await run(['assess'], jsonl(rich('t')));
    expect(today.results()[0].asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([
    [['--year', '21'], 'year'],
    [['--year', '2021.5'], 'year'],
    [['--as-of', '2021-02-30'], 'YYYY-MM-DD'],
    [['--as-of', '30/06/2021'], 'YYYY-MM-DD'],
    [['--bogus'], 'unknown option'],
  ])('bad options %j exit 2 with a message and no output', async (args, text) => {
    const r = await run(['assess', ...args], jsonl(rich('x')));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(text);
  });

  it('--policy replaces the default policy', async () => {
    const policy = { ...DEFAULT_POLICY, monitoringLineFen: { 2021: 1_500_000 } };
    const path = file('policy.json', JSON.stringify(policy, null, 2));
    const r = await run(['assess', '--policy', path, '--as-of', AS_OF], jsonl(rich('p')));
    expect(r.code).toBe(EXIT_OK);
    expect(r.results()[0]).toMatchObject({ monitoringLine: 15000, perCapitaIncome: 100000 });
    const noLine = await run(
      ['assess', '--policy', path, '--as-of', AS_OF],
      jsonl({ ...rich('q'), income: income(1, 2020) }),
    );
    expect(noLine.code).toBe(EXIT_HOUSEHOLD_FAILED);
    expect(noLine.results()[0].error).toMatchObject({ code: 'no_monitoring_line', field: 'year' });
  });

  it.each([
    ['an invalid policy', JSON.stringify({ ...DEFAULT_POLICY, tolerance: 0.12345 }), 'policy.tolerance'],
    ['a policy that is not JSON', '{ tolerance: 0 }', 'not valid JSON'],
  ])('%s exits 2 with the problem on stderr', async (_case, text, message) => {
    const r = await run(['assess', '--policy', file('bad-policy.json', text)], jsonl(rich('x')));
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('a missing input or policy file exits 2', async () => {
    const missing = join(dir, 'missing.jsonl');
    const r = await run(['assess', missing]);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toContain('ENOENT');
    const p = await run(['assess', '--policy', missing], jsonl(rich('x')));
    expect(p.code).toBe(EXIT_USAGE);
  });

  it('empty input: no output, exit 0, a note on stderr', async () => {
    const r = await run(['assess'], '\n\n');
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no household');
  });
});

describe('shouwang --help', () => {
  it('lists the assess command on stdout and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain('Usage: shouwang');
    expect(r.stdout).toContain('assess');
  });

  it('assess --help documents the options', async () => {
    const r = await run(['assess', '--help']);
    expect(r.code).toBe(EXIT_OK);
    for (const o of ['--year', '--as-of', '--policy', '[file]']) expect(r.stdout).toContain(o);
  });
});
