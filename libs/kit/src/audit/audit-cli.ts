#!/usr/bin/env node
/**
 * shouwang-audit — check a service's audit trail for tampering.
 *   shouwang-audit verify --mongodb-uri <uri> [--aggregate <id>] [--aggregate-type <type>] [--json]
 * The URI names the service's own database (default: MONGODB_URI). Reads only.
 * Exit status: 0 every chain holds; 1 problems found; 2 could not check (connection, usage).
 */
import { Command, CommanderError } from 'commander';
import { connectMongo } from '../infra/mongo';
import { AUDIT_COLLECTION, AuditTrail, type AuditVerifyResult } from './trail';

/** Thrown by the verify action when the trail has problems; maps to exit status 1. */
export class AuditProblemsFound extends Error {
  constructor(readonly result: AuditVerifyResult) {
    super(`${result.problems.length} audit trail problem(s) found`);
    this.name = 'AuditProblemsFound';
  }
}

export function auditProgram(
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = console.log,
  err: (text: string) => void = (t) => process.stderr.write(t),
): Command {
  const program = new Command('shouwang-audit')
    .description('Verify the hash chains of a service audit trail')
    // Usage errors and --help throw a CommanderError (with its exit code) instead of exiting the
    // process, so runAuditCli decides the exit status and tests can call the program in-process.
    .exitOverride()
    .configureOutput({ writeOut: (t) => out(t.replace(/\n$/, '')), writeErr: err });
  program
    .command('verify')
    .description('recompute every chain (or one aggregate) and report modified, deleted or moved entries')
    .option('--mongodb-uri <uri>', "the owning service's database (default: MONGODB_URI)")
    .option('--aggregate <id>', 'only this aggregate id')
    .option('--aggregate-type <type>', 'only aggregates of this type')
    .option('--json', 'print the result as one JSON object')
    .action(async (o: { mongodbUri?: string; aggregate?: string; aggregateType?: string; json?: boolean }) => {
      const uri = o.mongodbUri ?? env.MONGODB_URI;
      if (!uri) throw new Error('no database: pass --mongodb-uri or set MONGODB_URI');
      const conn = await connectMongo(uri);
      try {
        const trail = await AuditTrail.open(conn, { ensureIndexes: false });
        const result = await trail.verify({ aggregateId: o.aggregate, aggregateType: o.aggregateType });
        const where = `${conn.name}.${AUDIT_COLLECTION}`;
        if (o.json) {
          out(JSON.stringify({ database: conn.name, ...result }));
        } else {
          for (const p of result.problems)
            out(`${p.problem}\t${p.aggregateType} ${p.aggregateId}\tseq ${p.seq}\t${p.detail}`);
          if (result.checked === 0)
            out(`warning: no audit entries in ${where}${o.aggregate ? ' for that aggregate' : ''}`);
          out(
            `${where}: ${result.checked} entr${result.checked === 1 ? 'y' : 'ies'} in ${result.aggregates} aggregate(s) checked, ` +
              (result.ok ? 'every chain intact' : `${result.problems.length} problem(s) found`),
          );
        }
        if (!result.ok) throw new AuditProblemsFound(result);
      } finally {
        await conn.close();
      }
    });
  return program;
}

/** Runs the CLI and returns its exit status: 0 intact, 1 problems found, 2 could not check. */
export async function runAuditCli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = console.log,
  err: (text: string) => void = (t) => process.stderr.write(t),
): Promise<number> {
  try {
    await auditProgram(env, out, err).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof AuditProblemsFound) return 1;
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    err(`shouwang-audit: ${(e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  runAuditCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
