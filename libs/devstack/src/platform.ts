import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, infraEnv } from './infra-env';
import { repoRoot, ServiceProcess } from './service-process';

export interface PlatformPorts {
  gatewayHttp: number;
  identificationGrpc: number;
  identificationHttp: number;
  reportingGrpc: number;
  reportingHttp: number;
  monitoringGrpc: number;
  monitoringHttp: number;
  assistanceGrpc: number;
  assistanceHttp: number;
}

/** Free ports for every service, so several platforms (test suites, a benchmark) run side by side. */
export async function freePlatformPorts(): Promise<PlatformPorts> {
  const ports = {} as PlatformPorts;
  for (const name of Object.keys(defaultPorts) as (keyof PlatformPorts)[]) ports[name] = await freePort();
  return ports;
}

export const defaultPorts: PlatformPorts = {
  gatewayHttp: 8080,
  identificationGrpc: 50051,
  identificationHttp: 9101,
  reportingGrpc: 50052,
  reportingHttp: 9102,
  monitoringGrpc: 50053,
  monitoringHttp: 9103,
  assistanceGrpc: 50054,
  assistanceHttp: 9104,
};

export type ServiceName = 'gateway' | 'identification' | 'reporting' | 'monitoring' | 'assistance';

export interface PlatformOptions {
  ports?: PlatformPorts;
  /** Suffix of every database name, so test runs do not see each other's data. */
  dbSuffix?: string;
  logDir?: string;
  logLevel?: string;
  /** Extra environment per service. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
}

export interface Platform {
  gatewayUrl: string;
  services: Record<ServiceName, ServiceProcess>;
  stop(): Promise<void>;
}

/**
 * Secrets for a local run, made fresh each time (tokens do not survive a restart of `npm start`).
 * Deployments take them from Kubernetes secrets instead.
 */
export function localSecrets() {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    INTERNAL_IDENTITY_SECRET: randomBytes(32).toString('base64url'),
    JWT_SIGNING_KEYS: `local-1:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
    JWT_ACTIVE_KID: 'local-1',
    PII_KEYS: `local-1:${randomBytes(32).toString('base64')}`,
    PII_ACTIVE_KEY_ID: 'local-1',
    PII_INDEX_KEY: randomBytes(32).toString('base64'),
  };
}

/** The environment of every service, as docker-compose and the Helm chart also set it. */
export function platformEnv(opts: PlatformOptions = {}) {
  const p = opts.ports ?? defaultPorts;
  const infra = infraEnv();
  const suffix = opts.dbSuffix ?? '';
  const secrets = localSecrets();
  const common = {
    LOG_LEVEL: opts.logLevel ?? 'info',
    KAFKA_BROKERS: infra.kafkaBrokers,
    SHUTDOWN_TIMEOUT_MS: '10000',
    INTERNAL_IDENTITY_SECRET: secrets.INTERNAL_IDENTITY_SECRET,
  };
  return {
    identification: {
      ...common,
      SERVICE_NAME: 'identification',
      HTTP_PORT: String(p.identificationHttp),
      GRPC_PORT: String(p.identificationGrpc),
      MONGODB_URI: `${infra.mongoBase}/shouwang_identification${suffix}`,
      OUTBOX_POLL_MS: '500',
      PII_KEYS: secrets.PII_KEYS,
      PII_ACTIVE_KEY_ID: secrets.PII_ACTIVE_KEY_ID,
      PII_INDEX_KEY: secrets.PII_INDEX_KEY,
      // Approvals read the household's current assessment from monitoring.
      MONITORING_GRPC_ADDR: `127.0.0.1:${p.monitoringGrpc}`,
      // Its own consumer group on a test platform (see monitoring below).
      ...(suffix ? { KAFKA_CONSUMER_GROUP: `identification${suffix}`, KAFKA_NEW_GROUP_START: 'latest' } : {}),
      ...opts.env?.identification,
    },
    reporting: {
      ...common,
      SERVICE_NAME: 'reporting',
      HTTP_PORT: String(p.reportingHttp),
      GRPC_PORT: String(p.reportingGrpc),
      MONGODB_URI: `${infra.mongoBase}/shouwang_reporting${suffix}`,
      // Its own consumer group on a test platform (see monitoring below).
      ...(suffix ? { KAFKA_CONSUMER_GROUP: `reporting${suffix}`, KAFKA_NEW_GROUP_START: 'latest' } : {}),
      ...opts.env?.reporting,
    },
    monitoring: {
      ...common,
      SERVICE_NAME: 'monitoring',
      HTTP_PORT: String(p.monitoringHttp),
      GRPC_PORT: String(p.monitoringGrpc),
      MONGODB_URI: `${infra.mongoBase}/shouwang_monitoring${suffix}`,
      OUTBOX_POLL_MS: '500',
      // The same index key as identification: department records are matched to households by it.
      PII_KEYS: secrets.PII_KEYS,
      PII_ACTIVE_KEY_ID: secrets.PII_ACTIVE_KEY_ID,
      PII_INDEX_KEY: secrets.PII_INDEX_KEY,
      // A test platform (own databases) also gets its own consumer group, starting at the end of the
      // shared topics: other runs' households and feeds are not its business, and other platforms
      // running at the same time do not take its partitions.
      ...(suffix ? { KAFKA_CONSUMER_GROUP: `monitoring${suffix}`, KAFKA_NEW_GROUP_START: 'latest' } : {}),
      ...opts.env?.monitoring,
    },
    assistance: {
      ...common,
      SERVICE_NAME: 'assistance',
      HTTP_PORT: String(p.assistanceHttp),
      GRPC_PORT: String(p.assistanceGrpc),
      MONGODB_URI: `${infra.mongoBase}/shouwang_assistance${suffix}`,
      OUTBOX_POLL_MS: '500',
      // Its own consumer group on a test platform (see monitoring above).
      ...(suffix ? { KAFKA_CONSUMER_GROUP: `assistance${suffix}`, KAFKA_NEW_GROUP_START: 'latest' } : {}),
      ...opts.env?.assistance,
    },
    gateway: {
      ...common,
      SERVICE_NAME: 'gateway',
      HTTP_PORT: String(p.gatewayHttp),
      REDIS_URL: infra.redisUrl,
      MONGODB_URI: `${infra.mongoBase}/shouwang_gateway${suffix}`,
      JWT_SIGNING_KEYS: secrets.JWT_SIGNING_KEYS,
      JWT_ACTIVE_KID: secrets.JWT_ACTIVE_KID,
      SEED_DEMO_USERS: 'true',
      // Every local client is 127.0.0.1 and the tests poll: the limits themselves are tested in the gateway's app test.
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      RATE_LIMIT_PER_MINUTE: '100000',
      IDENTIFICATION_GRPC_ADDR: `127.0.0.1:${p.identificationGrpc}`,
      REPORTING_GRPC_ADDR: `127.0.0.1:${p.reportingGrpc}`,
      MONITORING_GRPC_ADDR: `127.0.0.1:${p.monitoringGrpc}`,
      ASSISTANCE_GRPC_ADDR: `127.0.0.1:${p.assistanceGrpc}`,
      ...opts.env?.gateway,
    },
  };
}

/** Starts identification, reporting, monitoring, assistance and then the gateway, and waits until each is ready. */
export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const env = platformEnv(opts);
  const logDir = opts.logDir ?? path.join(repoRoot, '.local', 'logs');
  const make = (name: keyof typeof env) => new ServiceProcess(name, env[name], path.join(logDir, `${name}.log`));
  const services = {
    identification: make('identification'),
    reporting: make('reporting'),
    monitoring: make('monitoring'),
    assistance: make('assistance'),
    gateway: make('gateway'),
  };
  const stop = async () => {
    await services.gateway.stop();
    await Promise.all([
      services.identification.stop(),
      services.reporting.stop(),
      services.monitoring.stop(),
      services.assistance.stop(),
    ]);
  };
  try {
    services.identification.start();
    services.reporting.start();
    services.monitoring.start();
    services.assistance.start();
    await Promise.all([
      services.identification.waitReady(),
      services.reporting.waitReady(),
      services.monitoring.waitReady(),
      services.assistance.waitReady(),
    ]);
    services.gateway.start();
    await services.gateway.waitReady();
  } catch (err) {
    await stop();
    throw err;
  }
  return { gatewayUrl: `http://127.0.0.1:${env.gateway.HTTP_PORT}`, services, stop };
}
