import { backOff } from 'exponential-backoff';
import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger';
import { withTimeout } from './mongo';

/** kafkajs behind our own small surface; its log lines go through pino. */
export function createKafka(opts: { clientId: string; brokers: string[]; logger: Logger }): Kafka {
  const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
    [logLevel.ERROR]: 'error',
    [logLevel.WARN]: 'warn',
    [logLevel.INFO]: 'info',
    [logLevel.DEBUG]: 'debug',
  };
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }: LogEntry) => {
        const { message, ...extra } = log;
        opts.logger[levels[level] ?? 'info']({ kafka: namespace, ...extra }, message);
      },
  });
}

export interface TopicSpec {
  topic: string;
  numPartitions?: number;
}

/**
 * Creates missing topics (and their dead-letter topics); existing ones are left as they are.
 * Services start together and race to create the same topics; for a moment after another client's
 * creation the broker may answer "does not host this topic-partition" or "leader not available",
 * so the whole step is retried until every topic is served with a leader.
 */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpec[],
  opts: { partitions: number; replicationFactor: number } = { partitions: 3, replicationFactor: 1 },
  logger?: Logger,
): Promise<void> {
  if (specs.length === 0) return;
  await backOff(
    async () => {
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((s) => !existing.has(s.topic));
      if (missing.length > 0)
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((s) => ({
            topic: s.topic,
            numPartitions: s.numPartitions ?? opts.partitions,
            replicationFactor: opts.replicationFactor,
          })),
        });
      const meta = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
      const leaderless = meta.topics.filter((t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0));
      if (leaderless.length > 0)
        throw new Error(`topics without a leader yet: ${leaderless.map((t) => t.name).join(', ')}`);
    },
    {
      numOfAttempts: 10,
      startingDelay: 200,
      maxDelay: 3000,
      jitter: 'full',
      retry: (err: unknown, attempt: number) => {
        logger?.warn({ attempt, err: (err as Error).message }, 'Kafka topics not ready yet; retrying');
        return true;
      },
    },
  );
}

export async function pingKafka(admin: Admin, timeoutMs = 2000): Promise<void> {
  const cluster = await withTimeout(admin.describeCluster(), timeoutMs, 'Kafka metadata request');
  if (cluster.brokers.length === 0) throw new Error('Kafka reports no brokers');
}
