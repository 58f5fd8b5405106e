import './instrument';
import { assistanceV1, auditV1, topics } from '@shouwang/contracts';
import {
  auditHandlers,
  AuditTrail,
  loadConfig,
  OutboxRelay,
  runService,
  ServiceHost,
  startNewGroupAtLatest,
  unaryService,
  VersionedWrites,
  clockFromConfig,
} from '@shouwang/kit';
import { configSchema } from './config';
import { COMMITS, type AssistanceDeps } from './assistance-deps';
import { CatalogueStore } from './catalogue/catalogue-store';
import { assistanceConsumer } from './event-handlers';
import { assistanceHandlers } from './grpc-handlers';
import { MembersProjection } from './households/members-projection';
import { PlanStore } from './plans/plan-store';
import { PointsStore } from './points/points-store';
import { recoverAssistance } from './recovery';
import { TaskStore } from './tasks/task-store';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const host = ServiceHost.fromConfig(config);
  const { logger } = host;
  await host.http(config.HTTP_PORT);

  const db = await host.mongo(config.MONGODB_URI);
  const { kafka, admin, producer } = await host.kafka(config, [
    topics.assistancePlan,
    topics.assistanceTask,
    // Consumed (identification and monitoring publish them; whichever service starts first creates them).
    topics.identificationHousehold,
    topics.monitoringWarning,
  ]);

  // Plans, tasks, the catalogue and points accounts change through versioned writes whose events
  // travel in the commits collection (FerretDB's conditional updates are not exclusive).
  const writes = await VersionedWrites.open(db, COMMITS);
  const measures = await CatalogueStore.open(db, writes);
  const seeded = await measures.seed();
  if (seeded) logger.info({ seeded }, 'measure catalogue seeded');
  // The relay is created below; writes wake it once it exists.
  const wakeRelay = () => relay.wake();
  const deps: AssistanceDeps = {
    writes,
    measures,
    households: await MembersProjection.open(db),
    plans: await PlanStore.open(db, writes),
    tasks: await TaskStore.open(db, writes),
    points: await PointsStore.open(db, writes),
    audit: await AuditTrail.open(db),
    clock: clockFromConfig(config),
    taskDueDays: config.TASK_DUE_DAYS,
    onEventsWritten: wakeRelay,
  };
  const recovered = await recoverAssistance(deps);
  if (recovered.released + recovered.plansSynced) logger.info(recovered, 'interrupted writes finished');

  const relay = new OutboxRelay({
    collections: [writes.coll],
    producer,
    logger,
    pollMs: config.OUTBOX_POLL_MS,
    leaseMs: config.OUTBOX_LEASE_MS,
  });
  await host.worker(relay);

  const consumer = assistanceConsumer(deps, {
    kafka,
    groupId: config.KAFKA_CONSUMER_GROUP,
    db,
    producer,
    logger,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  });
  if (config.KAFKA_NEW_GROUP_START === 'latest')
    await startNewGroupAtLatest(kafka, admin, config.KAFKA_CONSUMER_GROUP, consumer.topics);
  await host.worker(consumer);

  await host.grpc(config.GRPC_PORT, [
    {
      definition: assistanceV1.AssistanceServiceService,
      implementation: unaryService(assistanceHandlers(deps, config.INTERNAL_IDENTITY_SECRET), logger),
    },
    {
      definition: auditV1.AuditServiceService,
      implementation: unaryService(auditHandlers(deps.audit, config.INTERNAL_IDENTITY_SECRET), logger),
    },
  ]);
  host.ready();
}

runService('assistance', main);
