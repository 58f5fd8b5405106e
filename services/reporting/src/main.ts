import './instrument';
import { events, reportingV1, topics } from '@shouwang/contracts';
import { runService, EventConsumer, loadConfig, ServiceHost, startNewGroupAtLatest, unaryService } from '@shouwang/kit';
import { configSchema } from './config';
import { HouseholdProjection } from './villages/household-projection';
import { reportingHandlers } from './villages/grpc-handlers';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const host = ServiceHost.fromConfig(config);
  const { logger } = host;
  await host.http(config.HTTP_PORT);

  const db = await host.mongo(config.MONGODB_URI);
  const { kafka, admin, producer } = await host.kafka(config, [topics.identificationHousehold]);
  const projection = await HouseholdProjection.open(db);

  const consumer = new EventConsumer({
    kafka,
    groupId: config.KAFKA_CONSUMER_GROUP,
    db,
    producer,
    logger,
    concurrency: config.KAFKA_CONSUMER_CONCURRENCY,
    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
  })
    .on(events.householdRegistered, (event) => projection.apply(event))
    .on(events.householdUpdated, (event) => projection.apply(event));
  if (config.KAFKA_NEW_GROUP_START === 'latest')
    await startNewGroupAtLatest(kafka, admin, config.KAFKA_CONSUMER_GROUP, consumer.topics);
  await host.worker(consumer);

  await host.grpc(config.GRPC_PORT, [
    {
      definition: reportingV1.ReportingServiceService,
      implementation: unaryService(reportingHandlers(projection, config.INTERNAL_IDENTITY_SECRET), logger),
    },
  ]);
  host.ready();
}

runService('reporting', main);
