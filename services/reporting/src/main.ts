import './instrument';
import { events, reportingV1, topics } from '@shouwang/contracts';
import { createLogger, EventConsumer, loadConfig, ServiceHost, unaryService } from '@shouwang/kit';
import { configSchema } from './config';
import { HouseholdProjection } from './villages/household-projection';
import { reportingHandlers } from './villages/grpc-handlers';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  const host = new ServiceHost(config.SERVICE_NAME, logger, config.SHUTDOWN_TIMEOUT_MS);
  await host.http(config.HTTP_PORT);

  const db = await host.mongo(config.MONGODB_URI);
  const { kafka, producer } = await host.kafka({
    brokers: config.KAFKA_BROKERS,
    topics: [topics.identificationHousehold],
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
  });
  const projection = await HouseholdProjection.open(db);

  const consumer = new EventConsumer({ kafka, groupId: 'reporting', db, producer, logger }).on(
    events.householdRegistered,
    (event) => projection.applyRegistered(event),
  );
  await host.worker(consumer);

  await host.grpc(config.GRPC_PORT, [
    {
      definition: reportingV1.ReportingServiceService,
      implementation: unaryService(reportingHandlers(projection), logger),
    },
  ]);
  host.ready();
}

main().catch((err: unknown) => {
  process.stderr.write(`reporting failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
