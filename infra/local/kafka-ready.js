'use strict';
// Waits until a Kafka broker answers metadata requests, with kafkajs (the client the services use).
//
//   node infra/local/kafka-ready.js [--brokers 127.0.0.1:19092] [--timeout 60] [--smoke]
//
// --brokers  comma-separated list; default $KAFKA_BROKERS, else 127.0.0.1:19092
// --timeout  total seconds for all attempts (bounded retries, one per second); default 60
// --smoke    afterwards create a throwaway topic, produce one message (idempotent producer), consume it
//            in a consumer group, commit, read the group's offsets and delete the topic: proves that this
//            kafkajs version talks to this broker version end to end
// Exit 0 when ready, 1 on timeout or a failed smoke test, 2 when kafkajs is not installed.

const { parseArgs } = require('node:util');

let kafkajs;
try {
  kafkajs = require('kafkajs');
} catch {
  console.error('[infra] kafka-ready: cannot load kafkajs; run `npm ci` at the repository root');
  process.exit(2);
}
const { Kafka, logLevel, Partitioners } = kafkajs;

const { values: opts } = parseArgs({
  options: {
    brokers: { type: 'string', default: process.env.KAFKA_BROKERS || '127.0.0.1:19092' },
    timeout: { type: 'string', default: '60' },
    smoke: { type: 'boolean', default: false },
  },
});
const brokers = opts.brokers
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const timeoutMs = Math.max(1, Number(opts.timeout) || 60) * 1000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// readiness probes fail fast (retries: 0, the loop in main() retries); the smoke test uses the
// default retry policy, as the services do (an idempotent producer requires retries)
function client(retries = 0) {
  return new Kafka({
    clientId: 'shouwang-infra-check',
    brokers,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries },
    logLevel: logLevel.NOTHING,
  });
}

async function describe() {
  const admin = client().admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const topics = await admin.listTopics();
    return { cluster, topics };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

async function smoke(kafka) {
  const topic = `shouwang.infra-smoke.${process.pid}.${Date.now()}`;
  const groupId = `${topic}.group`;
  const value = `ping ${new Date().toISOString()}`;
  const admin = kafka.admin();
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 500 });
  const t0 = Date.now();
  const step = (what) => console.log(`[infra] kafka smoke: ${what} (${Date.now() - t0} ms)`);
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    step(`created topic ${topic}`);
    await producer.connect();
    const [meta] = await producer.send({ topic, acks: -1, messages: [{ key: 'household-1', value }] });
    step(`produced one message (idempotent producer) at offset ${meta.baseOffset}`);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise((resolve) => {
      consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => resolve(message),
      });
    });
    const message = await received;
    if (message.value.toString() !== value || message.key.toString() !== 'household-1') {
      throw new Error(`consumed an unexpected message: ${message.key} = ${message.value}`);
    }
    step(`consumed it in group ${groupId}`);
    await consumer.commitOffsets([{ topic, partition: 0, offset: String(Number(message.offset) + 1) }]);
    await consumer.stop();
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    const topicOffsets = await admin.fetchTopicOffsets(topic);
    const committed = offsets[0].partitions[0].offset;
    if (committed !== '1' || topicOffsets[0].high !== '1') {
      throw new Error(`unexpected offsets: committed ${committed}, high watermark ${topicOffsets[0].high}`);
    }
    step('committed offset 1 = high watermark 1 (OffsetCommit, OffsetFetch, ListOffsets)');
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin
      .deleteTopics({ topics: [topic] })
      .catch((e) => console.error(`[infra] kafka smoke: delete failed: ${e.message}`));
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  step('deleted the topic and the group: kafkajs works against this broker');
}

async function main() {
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError;
  for (;;) {
    attempts += 1;
    try {
      const { cluster, topics } = await describe();
      const list = cluster.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(', ');
      console.log(
        `[infra] kafka: ready (cluster ${cluster.clusterId}, controller ${cluster.controller}, brokers ${list}, ${topics.length} topics; attempt ${attempts})`,
      );
      break;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      console.error(
        `[infra] kafka-ready: no metadata from ${brokers.join(',')} within ${timeoutMs / 1000}s (${attempts} attempts); last error: ${lastError && lastError.message}`,
      );
      process.exit(1);
    }
    if (attempts % 10 === 0) {
      console.log(
        `[infra] kafka: still waiting for metadata (${attempts} attempts, last error: ${lastError && lastError.message})`,
      );
    }
    await sleep(1000);
  }
  if (opts.smoke) {
    const timer = setTimeout(() => {
      console.error(`[infra] kafka smoke: did not finish within ${timeoutMs / 1000}s`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    await smoke(client(5));
  }
}

main().catch((e) => {
  console.error(`[infra] kafka-ready: ${e.stack || e}`);
  process.exit(1);
});
