import type { Server as HttpServer } from 'node:http';
import express from 'express';
import type { Connection } from 'mongoose';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { Redis } from 'ioredis';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { dlqTopic } from '@shouwang/contracts';
import { createLogger, type Logger } from './logger';
import { Readiness } from './readiness';
import { connectMongo, pingMongo } from './infra/mongo';
import { createRedis, pingRedis } from './infra/redis';
import { createKafka, ensureTopics, pingKafka } from './infra/kafka';
import { startGrpcServer, type GrpcServerHandle } from './grpc/server';
import { opsRouter, requestMetrics } from './http/ops';
import { stopTelemetry } from './telemetry';

/** Something that runs in the background (an outbox relay, a consumer) and can be stopped cleanly. */
export interface Worker {
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

type Stage = 'intake' | 'work' | 'connections';

/**
 * The lifecycle every service shares: connect its dependencies (each registers a readiness check
 * and a close step), serve gRPC and HTTP, run workers, and on SIGTERM/SIGINT shut down in order —
 * stop intake (readiness off, servers drain in-flight calls), stop work (relays finish their pass,
 * consumers commit offsets and leave), close connections — all within SHUTDOWN_TIMEOUT_MS.
 */
export class ServiceHost {
  readonly readiness = new Readiness();
  private readonly stops: Record<Stage, (() => Promise<unknown>)[]> = { intake: [], work: [], connections: [] };
  private grpcHandle?: GrpcServerHandle;
  private healthTimer?: NodeJS.Timeout;
  private stopping?: Promise<void>;

  constructor(
    readonly name: string,
    readonly logger: Logger,
    private readonly shutdownTimeoutMs: number,
  ) {}

  /** The host of a service, with its logger, from the shared part of its parsed configuration. */
  static fromConfig(config: { SERVICE_NAME: string; LOG_LEVEL: string; SHUTDOWN_TIMEOUT_MS: number }): ServiceHost {
    const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
    return new ServiceHost(config.SERVICE_NAME, logger, config.SHUTDOWN_TIMEOUT_MS);
  }

  onStop(stage: Stage, fn: () => Promise<unknown>): void {
    this.stops[stage].push(fn);
  }

  async mongo(uri: string): Promise<Connection> {
    const conn = await connectMongo(uri);
    this.readiness.add('mongodb', () => pingMongo(conn));
    this.onStop('connections', () => conn.close());
    return conn;
  }

  /** Connects in the background: a Redis outage at start makes the service unready, not dead. */
  redis(url: string): Redis {
    const redis = createRedis(url);
    redis.on('error', (err: Error) => this.logger.debug({ err: err.message }, 'redis connection error'));
    redis.connect().catch((err: Error) => this.logger.warn({ err: err.message }, 'redis not reachable yet'));
    this.readiness.add('redis', () => pingRedis(redis));
    this.onStop('connections', () => redis.quit().catch(() => redis.disconnect()));
    return redis;
  }

  /** Connects to Kafka, creates the service's topics (and their DLQs) if missing, and a producer. */
  async kafka(
    config: { KAFKA_BROKERS: string[]; KAFKA_TOPIC_PARTITIONS: number; KAFKA_TOPIC_REPLICATION_FACTOR: number },
    topics: string[],
  ): Promise<{ kafka: Kafka; admin: Admin; producer: Producer }> {
    const opts = {
      brokers: config.KAFKA_BROKERS,
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_TOPIC_REPLICATION_FACTOR,
    };
    const kafka = createKafka({ clientId: this.name, brokers: opts.brokers, logger: this.logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      topics.flatMap((t) => [{ topic: t }, { topic: dlqTopic(t) }]),
      opts,
      this.logger,
    );
    const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.readiness.add('kafka', () => pingKafka(admin));
    this.onStop('connections', () => producer.disconnect());
    this.onStop('connections', () => admin.disconnect());
    return { kafka, admin, producer };
  }

  async grpc(
    port: number,
    services: { definition: ServiceDefinition; implementation: UntypedServiceImplementation }[],
  ): Promise<GrpcServerHandle> {
    const handle = await startGrpcServer(port, services);
    this.grpcHandle = handle;
    this.onStop('intake', () => handle.drain(this.shutdownTimeoutMs / 2));
    return handle;
  }

  /**
   * Serves /healthz, /readyz and /metrics, then the given app (the gateway's public API) on one port.
   */
  async http(port: number, app?: express.Express): Promise<HttpServer> {
    const root = express();
    root.disable('x-powered-by');
    root.use(requestMetrics());
    root.use(opsRouter(this.readiness));
    if (app) root.use(app);
    const server = await new Promise<HttpServer>((resolve, reject) => {
      const s = root.listen(port, () => resolve(s)).on('error', reject);
    });
    this.onStop('intake', () => closeHttpServer(server, this.shutdownTimeoutMs / 2));
    return server;
  }

  async worker(worker: Worker): Promise<void> {
    await worker.start();
    this.onStop('work', () => worker.stop());
  }

  /** Marks the service up, mirrors readiness into grpc.health.v1, and handles SIGTERM/SIGINT. */
  ready(): void {
    this.readiness.markStarted();
    const mirror = async () => {
      const report = await this.readiness.check();
      this.grpcHandle?.health.setStatus('', report.ready ? 'SERVING' : 'NOT_SERVING');
    };
    void mirror();
    this.healthTimer = setInterval(() => void mirror(), 2000);
    this.healthTimer.unref();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void this.shutdown(signal).then((ok) => process.exit(ok ? 0 : 1));
      });
    }
    this.logger.info('service ready');
  }

  /** Resolves true when everything stopped in time. Safe to call twice. */
  shutdown(reason: string): Promise<boolean> {
    this.stopping ??= this.runShutdown(reason);
    return this.stopping.then(
      () => true,
      () => false,
    );
  }

  private async runShutdown(reason: string): Promise<void> {
    this.logger.info({ reason }, 'shutting down');
    this.readiness.markDraining();
    clearInterval(this.healthTimer);
    this.grpcHandle?.health.setStatus('', 'NOT_SERVING');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`shutdown exceeded ${this.shutdownTimeoutMs} ms`)),
        this.shutdownTimeoutMs,
      );
    });
    const stages = async () => {
      for (const stage of ['intake', 'work', 'connections'] as const) {
        const results = await Promise.allSettled(this.stops[stage].map((fn) => fn()));
        for (const r of results)
          if (r.status === 'rejected') this.logger.warn({ err: r.reason, stage }, 'shutdown step failed');
      }
      await stopTelemetry();
    };
    try {
      await Promise.race([stages(), timeout]);
      this.logger.info('stopped');
    } catch (err) {
      this.logger.error({ err }, 'shutdown did not finish in time');
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Stops accepting connections, lets requests in flight finish, then cuts what is left. */
export function closeHttpServer(server: HttpServer, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** Runs a service's main function; a failure to start is printed and exits 1. */
export function runService(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${name} failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
