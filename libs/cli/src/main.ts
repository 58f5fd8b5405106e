#!/usr/bin/env node
/**
 * shouwang — the Shouwang command line.
 *   shouwang assess [FILE|-] [--year Y] [--as-of YYYY-MM-DD] [--policy FILE]
 * reads households (one JSON object, possibly pretty-printed, or JSON lines) and prints one JSON
 * result per household, in input order. Exit status: 0 all assessed, 1 some household failed,
 * 2 bad usage (option, policy or input file).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DEFAULT_POLICY, assessHousehold, isValidDate, policyProblem, type AssessmentPolicy } from '@shouwang/domain';
import { readHouseholds } from './read-households';
import { addRescreenCommand } from './rescreen';
import { addSeedCommand } from './seed';

export const EXIT_OK = 0;
export const EXIT_HOUSEHOLD_FAILED = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  /** Read when the input is `-` or not given. */
  stdin: NodeJS.ReadableStream;
  /** Standard output; may return a promise to apply back-pressure. */
  stdout: (text: string) => void | Promise<void>;
  stderr: (text: string) => void;
}

/** A usage problem: reported on stderr as `shouwang: message`, exit status 2. */
class UsageError extends Error {}

const parseYear = (value: string): number => {
  if (!/^[0-9]{4}$/.test(value)) throw new InvalidArgumentError('the year must be a 4-digit whole number, e.g. 2021');
  return Number(value);
};

const parseAsOf = (value: string): string => {
  if (!isValidDate(value)) throw new InvalidArgumentError('the date must be a real date written YYYY-MM-DD');
  return value;
};

async function loadPolicy(path: string): Promise<AssessmentPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the policy file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let policy: unknown;
  try {
    policy = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new UsageError(`the policy file ${path} is not valid JSON`);
  }
  const problem = policyProblem(policy);
  if (problem) throw new UsageError(`the policy file ${path} is invalid: ${problem.field} ${problem.message}`);
  return policy as AssessmentPolicy;
}

/** Opens FILE, or stdin for `-` / no FILE; a file that cannot be opened is a usage error. */
async function openInput(file: string | undefined, io: CliIo): Promise<NodeJS.ReadableStream> {
  if (file === undefined || file === '-') return io.stdin;
  const stream = createReadStream(file, { encoding: 'utf8' });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot read ${file}: ${err.code ?? 'error'}`)),
    );
  });
  return stream;
}

interface AssessFlags {
  year?: number;
  asOf?: string;
  policy?: string;
}

async function assessCommand(file: string | undefined, flags: AssessFlags, io: CliIo): Promise<number> {
  const policy = flags.policy === undefined ? DEFAULT_POLICY : await loadPolicy(flags.policy);
  const input = await openInput(file, io);
  let failed = 0;
  let count = 0;
  for await (const item of readHouseholds(input)) {
    count++;
    let out: unknown;
    if (!item.ok) {
      failed++;
      out = { error: { code: item.code, field: `line ${item.line}`, message: item.message, line: item.line } };
    } else {
      const outcome = assessHousehold(item.value, { year: flags.year, asOf: flags.asOf, policy });
      if (outcome.ok) out = outcome.result;
      else {
        failed++;
        // AssessmentError carries field names and fixed text only, never the values (ID numbers) at fault.
        const { code, field, message, messageZh, issues } = outcome.error;
        out = { error: { code, field, message, messageZh, line: item.line, ...(issues ? { issues } : {}) } };
      }
    }
    await io.stdout(`${JSON.stringify(out)}\n`);
  }
  if (count === 0) io.stderr('shouwang assess: the input holds no household\n');
  if (failed > 0) io.stderr(`shouwang assess: ${failed} of ${count} household(s) could not be assessed\n`);
  return failed > 0 ? EXIT_HOUSEHOLD_FAILED : EXIT_OK;
}

/**
 * The `shouwang` program. Its actions store their exit status in `status.code`; commander is set to
 * throw instead of exiting, so the program can run in-process (tests) as well as from main().
 */
export function shouwangProgram(io: CliIo, status: { code: number }): Command {
  const program = new Command('shouwang')
    .description('守望 Shouwang — relative-poverty monitoring: command-line tools')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(run shouwang --help for usage)');
  program
    .command('assess')
    .summary('assess households read as JSON or JSON lines; one JSON result per household')
    .description(
      'Assess households (DOMAIN.md §4). Input: one household in the canonical JSON of DOMAIN.md §3 ' +
        '(pretty-printing allowed) or JSON lines, one household per line. Output: one JSON line per ' +
        'household, in input order: the result, or {"error":{"code","field","message",…}}. ' +
        'Exit status 0: all assessed; 1: some household failed; 2: bad option, policy or file.',
    )
    .argument('[file]', 'file to read; - or none for standard input')
    .option('--year <Y>', 'year assessed (default: each household’s income.year)', parseYear)
    .option('--as-of <YYYY-MM-DD>', 'date ages and recent events are taken on (default: today in China)', parseAsOf)
    .option('--policy <file>', 'JSON policy (AssessmentPolicy) replacing the default monitoring lines and ratios')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) })
    .action(async (file: string | undefined, flags: AssessFlags) => {
      status.code = await assessCommand(file, flags, io);
    });
  addRescreenCommand(program, io, status);
  addSeedCommand(program, io, status);
  return program;
}

/** Runs `shouwang` with arguments (without node and the script) and returns the exit status. */
export async function runShouwang(args: string[], io: CliIo): Promise<number> {
  const status = { code: EXIT_OK };
  const program = shouwangProgram(io, status);
  try {
    await program.parseAsync(args, { from: 'user' });
    return status.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; every other commander error is a usage error (already printed).
      return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr(`shouwang: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** stdout with back-pressure: waits for 'drain' when the pipe is full, so output memory stays bounded. */
const writeStdout = (text: string): void | Promise<void> => {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
};

if (require.main === module) {
  runShouwang(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: writeStdout,
    stderr: (s) => void process.stderr.write(s),
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: Error) => {
      process.stderr.write(`shouwang: ${err.message}\n`);
      process.exitCode = 70;
    });
}
