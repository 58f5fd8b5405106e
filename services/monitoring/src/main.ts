import './instrument';
import {
  auditV1,
  events,
  FEED_DEPARTMENTS,
  feedEvents,
  monitoringV1,
  topics,
  type EventDefinition,
} from '@shouwang/contracts';
import {
  auditHandlers,
  AuditTrail,
  EventConsumer,
  startNewGroupAtLatest,
  loadConfig,
  OutboxRelay,
  piiCipherFromConfig,
  runService,
  ServiceHost,
  unaryService,
  VersionedWrites,
} from '@shouwang/kit';
import { configSchema } from './config';
import { Reassessor } from './assessment/reassess';
import { FeedFactStore } from './feeds/feed-fact-store';
import { Feeds } from './feeds/feeds';
import { monitoringHandlers } from './grpc-handlers';
import { HouseholdProjection } from './households/household-projection';
import { PolicyStore } from './policy/policy-store';
import { RescreeningJobs, RescreeningRunner } from './rescreening/rescreening-jobs';
import { ViolationSignals } from './warnings/violation-signals';
import { WarningStore } from './warnings/warning-store';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const host = ServiceHost.fromConfig(config);
  const { logger } = host;
  await host.http(config.HTTP_PORT);

  const pii = piiCipherFromConfig(config);
  const db = await host.mongo(config.MONGODB_URI);
  const feedTopics = FEED_DEPARTMENTS.map((d) => feedEvents[d].topic);
  const { kafka, admin, producer } = await host.kafka(config, [
    topics.identificationHousehold,
    topics.monitoringWarning,
    topics.monitoringCommitmentViolation,
    ...feedTopics,
  ]);

  const households = await HouseholdProjection.open(db);
  const facts = await FeedFactStore.open(db);
  const policies = await PolicyStore.open(db);
  // Warnings and re-screening jobs move through versioned writes; warning events travel in monitoring_commits.
  const writes = await VersionedWrites.open(db, 'monitoring_commits');
  const warnings = await WarningStore.open(db, writes);
  const recovered = await warnings.recover();
  if (recovered) logger.info({ recovered }, 'warning events of interrupted writes released');
  const signals = await ViolationSignals.open(db);
  const audit = await AuditTrail.open(db);

  const relay = new OutboxRelay({
    // Never the warnings themselves (see WarningStore); signals are insert-only (see ViolationSignals).
    collections: [writes.coll, signals.coll],
    producer,
    logger,
    pollMs: config.OUTBOX_POLL_MS,
    leaseMs: config.OUTBOX_LEASE_MS,
  });
  await host.worker(relay);
  const onEventsWritten = () => relay.wake();

  const reassessor = new Reassessor({ households, facts, policies, warnings, signals, logger, onEventsWritten });
  const feeds = new Feeds({ facts, households, reassessor, pii, producer });

  const consumer = new EventConsumer({
    kafka,
    groupId: config.KAFKA_CONSUMER_GROUP,
    db,
    producer,
    logger,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  })
    .on(events.householdRegistered, async (e) => {
      await households.apply(e.household!, e.memberIdNumberIndexes);
      await reassessor.reassess(e.household!.id, { source: 'registry' });
    })
    .on(events.householdUpdated, async (e) => {
      await households.apply(e.household!, e.memberIdNumberIndexes);
      await reassessor.reassess(e.household!.id, { source: 'registry' });
    });
  for (const department of FEED_DEPARTMENTS)
    consumer.on(feedEvents[department] as EventDefinition<unknown>, (record) => feeds.ingest(department, record));
  if (config.KAFKA_NEW_GROUP_START === 'latest')
    await startNewGroupAtLatest(kafka, admin, config.KAFKA_CONSUMER_GROUP, consumer.topics);
  await host.worker(consumer);

  const jobs = await RescreeningJobs.open(db, households, writes);
  const runner = new RescreeningRunner({
    jobs,
    households,
    policies,
    reassessor,
    logger,
    pollMs: config.RESCREENING_POLL_MS,
    leaseMs: config.RESCREENING_LEASE_MS,
    batchSize: config.RESCREENING_BATCH_SIZE,
    concurrency: config.RESCREENING_CONCURRENCY,
    batchPauseMs: config.RESCREENING_BATCH_PAUSE_MS,
  });
  await host.worker(runner);

  await host.grpc(config.GRPC_PORT, [
    {
      definition: monitoringV1.MonitoringServiceService,
      implementation: unaryService(
        monitoringHandlers(
          { households, warnings, policies, jobs, runner, feeds, audit, onEventsWritten },
          config.INTERNAL_IDENTITY_SECRET,
        ),
        logger,
      ),
    },
    {
      definition: auditV1.AuditServiceService,
      implementation: unaryService(auditHandlers(audit, config.INTERNAL_IDENTITY_SECRET), logger),
    },
  ]);
  host.ready();
}

runService('monitoring', main);
