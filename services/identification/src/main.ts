import './instrument';
import { auditV1, identificationV1, monitoringEvents, monitoringV1, topics } from '@shouwang/contracts';
import {
  auditHandlers,
  AuditTrail,
  createGrpcClient,
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
import { AreaStore } from './areas/area-store';
import { HouseholdStore } from './households/household-store';
import { IdNumberClaims } from './households/id-number-claims';
import { identificationHandlers } from './households/grpc-handlers';
import { clockFromConfig } from './workflow/clock';
import { CaseStore } from './workflow/case-store';
import { QuotaLedger } from './workflow/quota-ledger';
import { Identifications } from './workflow/identifications';
import { WorkflowPolicyStore } from './workflow/workflow-policy-store';
import { recoverWorkflowCommits, WORKFLOW_COMMITS } from './workflow/recovery';
import { monitoringAssessments } from './workflow/assessments';
import { workflowHandlers } from './workflow/workflow-handlers';
import { exitAndViolationHandlers } from './exits/exit-handlers';
import { ViolationStore } from './violations/violation-store';
import { openViolationFromSignal, type ViolationDeps } from './violations/violations';
import type { WorkflowDeps } from './workflow/workflow-deps';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const host = ServiceHost.fromConfig(config);
  const { logger } = host;
  await host.http(config.HTTP_PORT);

  const db = await host.mongo(config.MONGODB_URI);
  const { kafka, admin, producer } = await host.kafka(config, [
    topics.identificationHousehold,
    topics.identificationCase,
    topics.identificationViolation,
    // Consumed (monitoring publishes it; whichever service starts first creates it).
    topics.monitoringCommitmentViolation,
  ]);
  const areas = await AreaStore.open(db);
  const seeded = await areas.seed();
  if (seeded) logger.info({ seeded }, 'area table seeded');
  const households = await HouseholdStore.open(db);
  const claims = await IdNumberClaims.open(db, households);
  const backfilled = await claims.backfill();
  if (backfilled) logger.info({ backfilled }, 'ID-number claims backfilled');
  // Households move through versioned writes too; their events travel in household_commits.
  const householdRecovery = await households.recover();
  if (householdRecovery.released || householdRecovery.adopted)
    logger.info(householdRecovery, 'household events of interrupted writes released');

  const clock = clockFromConfig(config);
  const audit = await AuditTrail.open(db);
  // Workflow aggregates change through versioned writes whose events travel in workflow_commits.
  const writes = await VersionedWrites.open(db, WORKFLOW_COMMITS);
  const cases = await CaseStore.open(db, writes);
  const quota = await QuotaLedger.open(db, writes);
  const policies = await WorkflowPolicyStore.open(db, writes);
  // The relay is created below; writes wake it once it exists.
  const wakeRelay = () => relay.wake();
  const identifications = await Identifications.open(db, { writes, quota, audit, clock, onEventsWritten: wakeRelay });
  const violations = await ViolationStore.open(db, writes);
  const recovered = await recoverWorkflowCommits(
    { writes, cases, identifications },
    { [ViolationStore.aggregate('')]: async (id) => (await violations.get(id))?.version ?? null },
  );
  if (recovered) logger.info({ recovered }, 'workflow events of interrupted writes released');

  const crash = () => process.kill(process.pid, 'SIGKILL');
  const relay = new OutboxRelay({
    // Commits only: the relay never writes an aggregate document (see VersionedWrites).
    collections: [households.writes.coll, writes.coll],
    producer,
    logger,
    pollMs: config.OUTBOX_POLL_MS,
    leaseMs: config.OUTBOX_LEASE_MS,
    afterPublish: config.FAULT_INJECTION === 'crash-after-publish' ? crash : undefined,
  });
  await host.worker(relay);

  const deps = {
    households,
    claims,
    areas,
    pii: piiCipherFromConfig(config),
    audit,
    onEventsWritten: config.FAULT_INJECTION === 'crash-after-write' ? crash : () => relay.wake(),
  };
  const monitoring = createGrpcClient(
    monitoringV1.MonitoringServiceClient,
    config.MONITORING_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  host.onStop('connections', async () => monitoring.close());
  const workflow: WorkflowDeps = {
    cases,
    quota,
    identifications,
    policies,
    households,
    audit,
    clock,
    assessments: monitoringAssessments(monitoring.call, config.INTERNAL_IDENTITY_SECRET),
    onEventsWritten: wakeRelay,
  };
  const violationDeps: ViolationDeps = {
    violations,
    households,
    identifications,
    audit,
    now: () => clock.now(),
    onEventsWritten: wakeRelay,
    logger,
  };
  // Monitoring's commitment-violation signals open violation cases (反向约束).
  const consumer = new EventConsumer({
    kafka,
    groupId: config.KAFKA_CONSUMER_GROUP,
    db,
    producer,
    logger,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  }).on(monitoringEvents.commitmentViolationSignalled, async (signal) => {
    const outcome = await openViolationFromSignal(violationDeps, signal);
    logger.info({ householdId: signal.householdId, outcome }, 'commitment violation signal');
  });
  if (config.KAFKA_NEW_GROUP_START === 'latest')
    await startNewGroupAtLatest(kafka, admin, config.KAFKA_CONSUMER_GROUP, consumer.topics);
  await host.worker(consumer);

  await host.grpc(config.GRPC_PORT, [
    {
      definition: identificationV1.IdentificationServiceService,
      implementation: unaryService(identificationHandlers(deps, config.INTERNAL_IDENTITY_SECRET), logger),
    },
    {
      definition: identificationV1.WorkflowServiceService,
      implementation: unaryService(
        workflowHandlers(
          workflow,
          config.INTERNAL_IDENTITY_SECRET,
          exitAndViolationHandlers(workflow, violationDeps, config.INTERNAL_IDENTITY_SECRET),
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

runService('identification', main);
