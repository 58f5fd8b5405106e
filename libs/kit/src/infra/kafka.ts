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

/** Creates missing topics (and their dead-letter topics); existing ones are left as they are. */
export async function ensureTopics(
  admin: Admin,
  specs: TopicSpec[],
  opts: { partitions: number; replicationFactor: number } = { partitions: 3, replicationFactor: 1 },
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((s) => ({
      topic: s.topic,
      numPartitions: s.numPartitions ?? opts.partitions,
      replicationFactor: opts.replicationFactor,
    })),
  });
}

export async function pingKafka(admin: Admin, timeoutMs = 2000): Promise<void> {
  const cluster = await withTimeout(admin.describeCluster(), timeoutMs, 'Kafka metadata request');
  if (cluster.brokers.length === 0) throw new Error('Kafka reports no brokers');
}
