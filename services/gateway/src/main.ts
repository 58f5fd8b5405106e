import './instrument';
import { identificationV1, reportingV1 } from '@shouwang/contracts';
import { createGrpcClient, createLogger, loadConfig, runService, ServiceHost } from '@shouwang/kit';
import { configSchema } from './config';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
  const host = new ServiceHost(config.SERVICE_NAME, logger, config.SHUTDOWN_TIMEOUT_MS);
  host.redis(config.REDIS_URL);
  const identification = createGrpcClient(
    identificationV1.IdentificationServiceClient,
    config.IDENTIFICATION_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const reporting = createGrpcClient(
    reportingV1.ReportingServiceClient,
    config.REPORTING_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  host.onStop('connections', async () => {
    identification.close();
    reporting.close();
  });
  const app = createApp({
    identification: identification.call,
    reporting: reporting.call,
    logger,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
  });
  const server = await host.http(config.HTTP_PORT, app);
  host.ready();
  logger.info({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1` }, 'gateway listening');
}

runService('gateway', main);
