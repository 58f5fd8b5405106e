/**
 * docker-compose.yml stays in step with the code: every service is in it, each one's environment passes the
 * service's own configSchema, images are pinned, and depends_on covers everything a service connects to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configSchemaOf, describeProblems, Env, envProblems, hostPorts, repoRoot, serviceNames } from './support';

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, unknown> };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
}
interface ComposeFile {
  services: Record<string, ComposeService>;
}

const composePath = join(repoRoot, 'docker-compose.yml');

function loadCompose(): ComposeFile {
  // merge: the file shares settings through YAML anchors and `<<` merge keys, as Compose allows.
  return parse(readFileSync(composePath, 'utf8'), { merge: true }) as ComposeFile;
}

/** Compose's variable interpolation, with every variable taken at its default: `up` must work with no .env. */
function interpolate(value: string, where: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, _braced, def) => {
      if (m === '$$') return '$';
      if (def !== undefined) return def;
      throw new Error(`${where}: ${m} has no default, so docker compose up needs it set`);
    },
  );
}

function environmentOf(svc: ComposeService, where: string): Env {
  const env: Env = {};
  const raw = svc.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(raw)
    ? raw.map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, undefined] : [line.slice(0, i), line.slice(i + 1)];
      })
    : Object.entries(raw);
  for (const [k, v] of entries) {
    if (v === undefined || v === null) continue; // "KEY" alone passes the host's value through: not set here
    env[k] = interpolate(String(v), `${where}.environment.${k}`);
  }
  return env;
}

function dependsOn(svc: ComposeService): Record<string, string> {
  const d = svc.depends_on ?? {};
  if (Array.isArray(d)) return Object.fromEntries(d.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(d).map(([name, v]) => [name, v?.condition ?? 'service_started']));
}

function hasHealthcheck(svc: ComposeService | undefined): boolean {
  return !!svc?.healthcheck && !svc.healthcheck.disable && svc.healthcheck.test !== undefined;
}

/** Every problem found in a compose document; empty when it is right. */
function composeProblems(doc: ComposeFile, services: string[]): string[] {
  const problems: string[] = [];
  const all = doc.services ?? {};

  for (const name of services) {
    const svc = all[name];
    if (!svc) {
      problems.push(`services/${name} has no service "${name}" in docker-compose.yml`);
      continue;
    }
    const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
    if (!build || (build.context ?? '.') !== '.' || build.dockerfile !== 'Dockerfile' || build.args?.SERVICE !== name) {
      problems.push(`${name}: build must be { context: ., dockerfile: Dockerfile, args: { SERVICE: ${name}, PORTS } }`);
    }
    if (!hasHealthcheck(svc)) problems.push(`${name}: no healthcheck`);

    const schema = configSchemaOf(name);
    if (!schema) continue;
    const env = environmentOf(svc, name);
    problems.push(...envProblems(schema, env).map((p) => `${name}: ${p}`));
    if (env.SERVICE_NAME !== undefined && env.SERVICE_NAME !== name) {
      problems.push(`${name}: SERVICE_NAME is ${env.SERVICE_NAME}`);
    }
  }

  for (const [name, svc] of Object.entries(all)) {
    // Pinned images: a tag (or digest) that is not "latest".
    const image = svc.image ? interpolate(svc.image, `${name}.image`) : undefined;
    if (!image) {
      problems.push(`${name}: no image (give built services an image name with a version tag too)`);
    } else {
      const digest = image.includes('@sha256:');
      const lastPart = image.split('/').pop() ?? image;
      const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
      if (!digest && (!tag || tag === 'latest')) problems.push(`${name}: image ${image} is not pinned to a version`);
    }

    // depends_on covers every other compose service this one connects to (named in its environment),
    // waiting for health where the target has a healthcheck.
    const env = environmentOf(svc, name);
    const deps = dependsOn(svc);
    for (const [variable, value] of Object.entries(env)) {
      for (const { host, port } of hostPorts(value)) {
        if (host === name || !all[host]) continue;
        const wanted = hasHealthcheck(all[host]) ? 'service_healthy' : 'service_started';
        if (!deps[host]) problems.push(`${name}: ${variable} connects to ${host}:${port} but depends_on lacks ${host}`);
        else if (deps[host] !== wanted) problems.push(`${name}: depends_on ${host} should be condition ${wanted}`);
      }
    }
    for (const dep of Object.keys(deps)) {
      if (!all[dep]) problems.push(`${name}: depends_on unknown service ${dep}`);
    }
  }

  // A gRPC address must point at the port its target serves on.
  for (const name of services) {
    const svc = all[name];
    if (!svc) continue;
    const env = environmentOf(svc, name);
    for (const [variable, value] of Object.entries(env)) {
      if (!variable.endsWith('_GRPC_ADDR')) continue;
      const [target] = hostPorts(value);
      const targetSvc = target && all[target.host];
      if (!target || !targetSvc) {
        problems.push(`${name}: ${variable}=${value} names no compose service`);
        continue;
      }
      const grpcPort = environmentOf(targetSvc, target.host).GRPC_PORT;
      if (String(target.port) !== grpcPort) {
        problems.push(`${name}: ${variable}=${value} but ${target.host} serves gRPC on ${grpcPort ?? 'no port'}`);
      }
    }
  }

  // Each service owns its own MongoDB database.
  const databases = new Map<string, string>();
  for (const name of services) {
    const uri = all[name] ? environmentOf(all[name], name).MONGODB_URI : undefined;
    if (!uri) continue;
    const db = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri)?.[1];
    if (!db) problems.push(`${name}: MONGODB_URI has no database name`);
    else if (databases.has(db)) problems.push(`${name}: shares MongoDB database ${db} with ${databases.get(db)}`);
    else databases.set(db, name);
  }
  return problems;
}

describe('docker-compose.yml', () => {
  const services = serviceNames();
  const doc = loadCompose();

  it('lists the services it checks (sanity: the repository has services)', () => {
    expect(services.length).toBeGreaterThan(0);
    expect(services).toEqual(expect.arrayContaining(['gateway', 'identification', 'reporting']));
  });

  it('has every service, each with an environment its configSchema accepts, pinned images and complete depends_on', () => {
    const problems = composeProblems(doc, services);
    expect(describeProblems(problems)).toBe('no problems');
  });

  it('builds from the Dockerfile at the root', () => {
    expect(existsSync(join(repoRoot, 'Dockerfile'))).toBe(true);
  });

  it('the otel collector config it mounts exists', () => {
    const collector = doc.services['otel-collector'] as ComposeService & { volumes?: string[] };
    const mounted = (collector.volumes ?? []).map((v) => v.split(':')[0]).filter((p) => p.startsWith('./'));
    expect(mounted.length).toBeGreaterThan(0);
    for (const file of mounted) expect(existsSync(join(repoRoot, file))).toBe(true);
  });

  // The checks above would be worthless if they could not fail: break a copy and watch them notice.
  describe('the checks catch', () => {
    const broken = (): ComposeFile => structuredClone(doc);

    it('a required variable missing from a service', () => {
      const d = broken();
      const env = d.services.identification.environment as Record<string, string>;
      delete env.MONGODB_URI;
      expect(composeProblems(d, services)).toContain('identification: MONGODB_URI is missing');
    });

    it('a malformed variable', () => {
      const d = broken();
      (d.services.gateway.environment as Record<string, string>).IDENTIFICATION_GRPC_ADDR = 'identification';
      expect(composeProblems(d, services).join('\n')).toMatch(/gateway: IDENTIFICATION_GRPC_ADDR="identification"/);
    });

    it('a service folder with no compose service', () => {
      expect(composeProblems(doc, [...services, 'education-aid'])).toContain(
        'services/education-aid has no service "education-aid" in docker-compose.yml',
      );
    });

    it('an unpinned image', () => {
      const d = broken();
      d.services.redis.image = 'redis:latest';
      d.services.mongodb.image = 'mongo';
      const problems = composeProblems(d, services);
      expect(problems).toContain('redis: image redis:latest is not pinned to a version');
      expect(problems).toContain('mongodb: image mongo is not pinned to a version');
    });

    it('a dependency missing from depends_on, or not waited for until healthy', () => {
      const d = broken();
      const deps = d.services.reporting.depends_on as Record<string, { condition: string }>;
      delete deps.kafka;
      deps.mongodb = { condition: 'service_started' };
      const problems = composeProblems(d, services);
      expect(problems).toContain('reporting: KAFKA_BROKERS connects to kafka:9092 but depends_on lacks kafka');
      expect(problems).toContain('reporting: depends_on mongodb should be condition service_healthy');
    });

    it('a gRPC address on the wrong port, and two services sharing a database', () => {
      const d = broken();
      (d.services.gateway.environment as Record<string, string>).REPORTING_GRPC_ADDR = 'reporting:50051';
      (d.services.reporting.environment as Record<string, string>).MONGODB_URI =
        'mongodb://mongodb:27017/shouwang_identification';
      const problems = composeProblems(d, services);
      expect(problems).toContain('gateway: REPORTING_GRPC_ADDR=reporting:50051 but reporting serves gRPC on 50052');
      expect(problems).toContain('reporting: shares MongoDB database shouwang_identification with identification');
    });
  });
});
