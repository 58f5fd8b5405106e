import './instrument';
import path from 'node:path';
import { assistanceV1, auditV1, identificationV1, monitoringV1, reportingV1 } from '@shouwang/contracts';
import { AuditTrail, createGrpcClient, loadConfig, runService, ServiceHost } from '@shouwang/kit';
import { configSchema } from './config';
import { createApp } from './app';
import { parseSigningKeys, TokenService } from './auth/tokens';
import { seedDemoUsers, UserStore } from './auth/user-store';
import { Lockout } from './auth/lockout';
import { ImportJobStore } from './imports/import-jobs';

async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const host = ServiceHost.fromConfig(config);
  const { logger } = host;
  const redis = host.redis(config.REDIS_URL);
  const db = await host.mongo(config.MONGODB_URI);
  const users = await UserStore.open(db);
  if (config.SEED_DEMO_USERS) {
    const created = await seedDemoUsers(users);
    if (created) logger.info({ created }, 'demo users created');
  }
  const tokens = new TokenService(
    parseSigningKeys(config.JWT_SIGNING_KEYS),
    config.JWT_ACTIVE_KID,
    redis,
    config.ACCESS_TOKEN_TTL_SECONDS,
    config.REFRESH_TOKEN_TTL_SECONDS,
  );
  const identification = createGrpcClient(
    identificationV1.IdentificationServiceClient,
    config.IDENTIFICATION_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  // The workflows (identification, exit, quota, violations) are served by the identification service.
  const workflow = createGrpcClient(
    identificationV1.WorkflowServiceClient,
    config.IDENTIFICATION_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const reporting = createGrpcClient(
    reportingV1.ReportingServiceClient,
    config.REPORTING_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const identificationAudit = createGrpcClient(
    auditV1.AuditServiceClient,
    config.IDENTIFICATION_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const monitoringAudit = createGrpcClient(
    auditV1.AuditServiceClient,
    config.MONITORING_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const monitoring = createGrpcClient(
    monitoringV1.MonitoringServiceClient,
    config.MONITORING_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const assistance = createGrpcClient(
    assistanceV1.AssistanceServiceClient,
    config.ASSISTANCE_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  const assistanceAudit = createGrpcClient(
    auditV1.AuditServiceClient,
    config.ASSISTANCE_GRPC_ADDR,
    config.GRPC_DEADLINE_MS,
  );
  host.onStop('connections', async () => {
    monitoring.close();
    assistance.close();
    assistanceAudit.close();
    identification.close();
    workflow.close();
    identificationAudit.close();
    monitoringAudit.close();
    reporting.close();
  });
  const app = createApp({
    identification: identification.call,
    workflow: workflow.call,
    reporting: reporting.call,
    monitoring: monitoring.call,
    assistance: assistance.call,
    identificationAudit: identificationAudit.call,
    monitoringAudit: monitoringAudit.call,
    assistanceAudit: assistanceAudit.call,
    audit: await AuditTrail.open(db),
    logger,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    importJobs: await ImportJobStore.open(db),
    importMaxBytes: config.IMPORT_MAX_BYTES,
    tokens,
    users,
    lockout: new Lockout(redis),
    redis,
    identitySecret: config.INTERNAL_IDENTITY_SECRET,
    corsOrigins: config.CORS_ORIGINS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
    noticeObjectionContact: config.NOTICE_OBJECTION_CONTACT,
    consoleDir: path.resolve(__dirname, '../console/dist'),
  });
  const server = await host.http(config.HTTP_PORT, app);
  host.ready();
  logger.info({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1` }, 'gateway listening');
}

runService('gateway', main);
