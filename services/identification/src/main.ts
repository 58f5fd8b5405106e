import './instrument';
import { auditV1, identificationV1, topics } from '@shouwang/contracts';
import {
  auditHandlers,
  AuditTrail,
  loadConfig,
  OutboxRelay,
  piiCipherFromConfig,
  runService,
  ServiceHost,
  unaryService,
} from '@shouwang/kit';
import { configSchema } from './config';
import { AreaStore } from './areas/area-store';
import { HouseholdStore } from './households/household-store';
import { IdNumberClaims } from './households/id-number-claims';
import { identificationHandlers } from './households/grpc-handlers';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const host = ServiceHost.fromConfig(config);
  const { logger } = host;
  await host.http(config.HTTP_PORT);

  const db = await host.mongo(config.MONGODB_URI);
  const { producer } = await host.kafka(config, [topics.identificationHousehold]);
  const areas = await AreaStore.open(db);
  const seeded = await areas.seed();
  if (seeded) logger.info({ seeded }, 'area table seeded');
  const households = await HouseholdStore.open(db);
  const claims = await IdNumberClaims.open(db, households);
  const backfilled = await claims.backfill();
  if (backfilled) logger.info({ backfilled }, 'ID-number claims backfilled');

  const crash = () => process.kill(process.pid, 'SIGKILL');
  const relay = new OutboxRelay({
    collections: [households.coll],
    producer,
    logger,
    pollMs: config.OUTBOX_POLL_MS,
    afterPublish: config.FAULT_INJECTION === 'crash-after-publish' ? crash : undefined,
  });
  await host.worker(relay);

  const audit = await AuditTrail.open(db);
  const deps = {
    households,
    claims,
    areas,
    pii: piiCipherFromConfig(config),
    audit,
    onEventsWritten: config.FAULT_INJECTION === 'crash-after-write' ? crash : () => relay.wake(),
  };
  await host.grpc(config.GRPC_PORT, [
    {
      definition: identificationV1.IdentificationServiceService,
      implementation: unaryService(identificationHandlers(deps, config.INTERNAL_IDENTITY_SECRET), logger),
    },
    {
      definition: auditV1.AuditServiceService,
      implementation: unaryService(auditHandlers(audit, config.INTERNAL_IDENTITY_SECRET), logger),
    },
  ]);
  host.ready();
}

runService('identification', main);
