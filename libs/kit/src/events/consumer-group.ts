import type { Admin, Kafka } from 'kafkajs';
import { z } from 'zod';

/** Config of a service's consumer group (services that consume events extend their schema with it). */
export function consumerGroupConfigShape(defaultGroup: string) {
  return {
    /** Kafka consumer group of the service's consumers. */
    KAFKA_CONSUMER_GROUP: z.string().min(1).default(defaultGroup),
    /**
     * Where a consumer group with no committed offsets starts: earliest (deployments: projections are
     * built from the whole history) or latest (test platforms, each with its own group and database,
     * sharing one Kafka with the history of every earlier run).
     */
    KAFKA_NEW_GROUP_START: z.enum(['earliest', 'latest']).default('earliest'),
    /**
     * Events of one partition handled at once (never two of one aggregate together): a bulk import's
     * thousands of household events are worked through in parallel rather than one round trip after another.
     */
    KAFKA_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    /**
     * How long the group waits for a silent member before handing its partitions to the others. A
     * replica killed without leaving (SIGKILL, OOM, a lost node) holds its partitions that long, and
     * its replacement waits as long to join. 6 000 is the broker's least (group.min.session.timeout.ms).
     */
    KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300000).default(30000),
  };
}

/**
 * A group that never committed an offset starts at the end of its topics instead of their beginning:
 * it joins once and commits every partition's current end (the consumer itself reads from the
 * committed offsets on).
 */
export async function startNewGroupAtLatest(
  kafka: Kafka,
  admin: Admin,
  groupId: string,
  topicNames: string[],
): Promise<void> {
  // Topics created a moment ago may not be known to every broker's metadata yet: retry what is retriable.
  for (let attempt = 1; ; attempt++) {
    try {
      return await joinAtLatest(kafka, admin, groupId, topicNames);
    } catch (err) {
      if (!(err as { retriable?: boolean }).retriable || attempt >= 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function joinAtLatest(kafka: Kafka, admin: Admin, groupId: string, topicNames: string[]): Promise<void> {
  const committed = await admin.fetchOffsets({ groupId, topics: topicNames });
  if (!committed.every((t) => t.partitions.every((p) => p.offset === '-1'))) return;
  const ends = await Promise.all(
    topicNames.map(async (topic) =>
      (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, offset: p.high })),
    ),
  );
  const joiner = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await joiner.connect();
  try {
    await joiner.subscribe({ topics: topicNames, fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      joiner.on(joiner.events.GROUP_JOIN, () => resolve());
      joiner.run({ autoCommit: false, eachMessage: async () => undefined }).catch(reject);
    });
    // kafkajs ignores a commit until its runner is running, which is a moment after the join: retry until stored.
    for (let attempt = 0; attempt < 100; attempt++) {
      await joiner.commitOffsets(ends.flat());
      const now = await admin.fetchOffsets({ groupId, topics: topicNames });
      if (now.every((t) => t.partitions.every((p) => p.offset !== '-1'))) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`could not commit the start offsets of consumer group ${groupId}`);
  } finally {
    await joiner.disconnect();
  }
}
