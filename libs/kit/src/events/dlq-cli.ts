#!/usr/bin/env node
/**
 * shouwang-dlq — inspect and replay dead letters.
 *   shouwang-dlq list <topic>                 every dead letter of <topic>.dlq
 *   shouwang-dlq replay <topic> [--offset N…] publish them (or the given ones) back to <topic>
 * Brokers come from KAFKA_BROKERS (comma-separated).
 */
import { Command } from 'commander';
import { dlqTopic } from '@shouwang/contracts';
import { createLogger } from '../logger';
import { createKafka } from '../infra/kafka';
import { readDeadLetters, replayDeadLetters } from './dlq';

export function dlqProgram(env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = console.log): Command {
  const kafka = () =>
    createKafka({
      clientId: 'shouwang-dlq',
      brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
      logger: createLogger('shouwang-dlq', 'error'),
    });
  const program = new Command('shouwang-dlq').description('Inspect and replay dead-lettered events');
  program
    .command('list')
    .argument('<topic>', 'original topic, e.g. shouwang.identification.household.v1')
    .option('--json', 'one JSON object per line')
    .option('--timeout-ms <ms>', 'give up reading after this long', '15000')
    .action(async (topic: string, o: { json?: boolean; timeoutMs: string }) => {
      const letters = await readDeadLetters(kafka(), dlqTopic(topic), Number(o.timeoutMs));
      for (const l of letters) {
        const row = {
          offset: `${l.partition}:${l.offset}`,
          eventId: l.eventId ?? '-',
          type: l.eventType ?? '-',
          subject: l.subject ?? '-',
          group: l.group,
          at: l.at,
          error: l.error,
        };
        out(o.json ? JSON.stringify(row) : Object.values(row).join('\t'));
      }
      out(`${letters.length} dead letter(s) in ${dlqTopic(topic)}`);
    });
  program
    .command('replay')
    .argument('<topic>', 'original topic')
    .option('--offset <partition:offset...>', 'only these dead letters (default: all)')
    .option('--timeout-ms <ms>', 'give up reading after this long', '15000')
    .action(async (topic: string, o: { offset?: string[]; timeoutMs: string }) => {
      const k = kafka();
      let letters = await readDeadLetters(k, dlqTopic(topic), Number(o.timeoutMs));
      if (o.offset) letters = letters.filter((l) => o.offset!.includes(`${l.partition}:${l.offset}`));
      const n = await replayDeadLetters(k, letters);
      out(`replayed ${n} dead letter(s) to ${topic}`);
    });
  return program;
}

if (require.main === module) {
  dlqProgram()
    .parseAsync()
    .catch((err: Error) => {
      process.stderr.write(`shouwang-dlq: ${err.message}\n`);
      process.exit(1);
    });
}
