/**
 * The Helm chart (charts/shouwang): lints strictly against its values.schema.json, and what it renders
 * deploys every service securely with an environment that service's own configSchema accepts.
 *
 * Needs a helm v3 binary: infra/tools/helm.sh builds one from source through the Go module proxy the first
 * time (several minutes), then reuses it from ~/.cache/shouwang.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import {
  configSchemaOf,
  describeProblems,
  Env,
  envProblems,
  hostPorts,
  repoRoot,
  secretPlaceholder,
  serviceNames,
} from './support';

const chart = join(repoRoot, 'charts', 'shouwang');
const externalValues = join(repoRoot, 'infra', 'k8s', 'values-external.yaml');
const release = 'sw';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered Kubernetes objects are checked structurally */
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: any;
};

let helmBin = '';
let tmp = '';

function helm(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(helmBin, args, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function render(...extra: string[]): K8sObject[] {
  const r = helm(['template', release, chart, '--namespace', 'shouwang', ...extra]);
  if (r.status !== 0) throw new Error(`helm template ${extra.join(' ')} failed:\n${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => {
      if (d.errors.length) throw new Error(`rendered YAML does not parse: ${d.errors[0].message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => !!o);
}

const componentOf = (o: K8sObject) => o.metadata.labels?.['app.kubernetes.io/component'];
const find = (objs: K8sObject[], kind: string, component: string) =>
  objs.find((o) => o.kind === kind && componentOf(o) === component);

/** A container's environment as the process would see it: Secrets replaced by placeholders, $(VAR) expanded. */
function containerEnv(container: any, service: string): Env {
  const env: Env = {};
  const plain: Env = Object.fromEntries(
    (container.env ?? []).filter((e: any) => !e.valueFrom).map((e: any) => [e.name, String(e.value ?? '')]),
  );
  for (const e of container.env ?? []) {
    if (e.valueFrom?.secretKeyRef) env[e.name] = secretPlaceholder(e.name, service, plain);
    else if (e.valueFrom?.fieldRef) env[e.name] = `field-${e.valueFrom.fieldRef.fieldPath}`;
    else if (e.valueFrom) env[e.name] = 'value-from-placeholder';
    else env[e.name] = String(e.value ?? '').replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => env[v] ?? m);
  }
  return env;
}

/** Every problem with one rendered component: security, resources, probes, ports and its environment. */
function componentProblems(objs: K8sObject[], service: string): string[] {
  const problems: string[] = [];
  const deployment = find(objs, 'Deployment', service);
  const svc = find(objs, 'Service', service);
  if (!deployment) return [`${service}: no Deployment`];
  if (!svc) problems.push(`${service}: no Service`);

  const pod = deployment.spec.template.spec;
  const podSc = pod.securityContext ?? {};
  if (pod.automountServiceAccountToken !== false)
    problems.push(`${service}: automountServiceAccountToken is not false`);
  const tmpVolume = (pod.volumes ?? []).find((v: any) => v.emptyDir !== undefined && v.name);
  const containers: any[] = pod.containers ?? [];
  if (containers.length === 0) problems.push(`${service}: no containers`);

  for (const c of containers) {
    const where = `${service}/${c.name}`;
    const sc = c.securityContext ?? {};
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push(`${where}: runs as uid 0`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (sc.privileged === true) problems.push(`${where}: privileged`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
    if (sc.capabilities?.add?.length) problems.push(`${where}: adds capabilities ${sc.capabilities.add}`);
    if ((sc.seccompProfile ?? podSc.seccompProfile)?.type !== 'RuntimeDefault')
      problems.push(`${where}: seccompProfile is not RuntimeDefault`);

    const tmpMount = (c.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
    if (!tmpMount || tmpMount.name !== tmpVolume?.name) problems.push(`${where}: /tmp is not an emptyDir mount`);

    for (const kind of ['requests', 'limits']) {
      for (const res of ['cpu', 'memory']) {
        if (!c.resources?.[kind]?.[res]) problems.push(`${where}: no resources.${kind}.${res}`);
      }
    }

    const env = containerEnv(c, service);
    const ports: any[] = c.ports ?? [];
    const portNamed = (name: string) => ports.find((p) => p.name === name)?.containerPort;
    if (String(portNamed('http')) !== env.HTTP_PORT) {
      problems.push(`${where}: container port "http" (${portNamed('http')}) is not HTTP_PORT (${env.HTTP_PORT})`);
    }
    if (env.GRPC_PORT !== undefined && String(portNamed('grpc')) !== env.GRPC_PORT) {
      problems.push(`${where}: container port "grpc" (${portNamed('grpc')}) is not GRPC_PORT (${env.GRPC_PORT})`);
    }
    for (const [probe, path] of [
      ['livenessProbe', '/healthz'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      const get = c[probe]?.httpGet;
      const port = typeof get?.port === 'string' ? portNamed(get.port) : get?.port;
      if (!get) problems.push(`${where}: no ${probe}`);
      else if (get.path !== path || String(port) !== env.HTTP_PORT) {
        problems.push(`${where}: ${probe} is ${get.path} on ${get.port}, wanted ${path} on HTTP_PORT`);
      }
    }

    const schema = configSchemaOf(service);
    if (schema) problems.push(...envProblems(schema, env).map((p) => `${where}: ${p}`));
    if (env.SERVICE_NAME !== service) problems.push(`${where}: SERVICE_NAME is ${env.SERVICE_NAME}`);

    // Addresses of other components must name a rendered Service port.
    for (const [variable, value] of Object.entries(env)) {
      if (!variable.endsWith('_GRPC_ADDR')) continue;
      const [target] = hostPorts(value);
      const targetSvc = objs.find((o) => o.kind === 'Service' && o.metadata.name === target?.host);
      const port = targetSvc?.spec.ports.find((p: any) => p.port === target?.port);
      if (!port || port.name !== 'grpc')
        problems.push(`${where}: ${variable}=${value} is not a gRPC port of a rendered Service`);
    }
  }

  if (svc) {
    for (const p of svc.spec.ports ?? []) {
      const target = containers
        .flatMap((c) => c.ports ?? [])
        .find((cp: any) => cp.name === p.targetPort || cp.containerPort === p.targetPort);
      if (!target) problems.push(`${service}: Service port ${p.name} targets no container port`);
    }
    const selector = svc.spec.selector ?? {};
    const labels = deployment.spec.template.metadata.labels ?? {};
    if (!Object.keys(selector).length || Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
      problems.push(`${service}: Service selector does not select the Deployment's pods`);
    }
  }
  return problems;
}

beforeAll(
  () => {
    helmBin = execFileSync('bash', [join(repoRoot, 'infra', 'tools', 'helm.sh')], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 20 * 60 * 1000,
    }).trim();
    tmp = mkdtempSync(join(tmpdir(), 'shouwang-chart-'));
  },
  20 * 60 * 1000,
);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('charts/shouwang', () => {
  const services = serviceNames();

  it('is helm v3', () => {
    expect(helm(['version', '--short']).stdout).toMatch(/^v3\./);
  });

  it('passes helm lint --strict, with default values and with the infra/k8s example values', () => {
    for (const extra of [[], ['-f', externalValues], ['--set', 'networkPolicy.enabled=true']]) {
      const r = helm(['lint', '--strict', chart, ...extra]);
      expect({ extra, status: r.status, out: r.stdout + r.stderr }).toMatchObject({ status: 0 });
    }
  });

  describe.each([
    ['default values', [] as string[]],
    ['NetworkPolicies enabled', ['--set', 'networkPolicy.enabled=true']],
    ['the infra/k8s example values', ['-f', externalValues]],
  ])('rendered with %s', (_label, extra) => {
    let objs: K8sObject[] = [];
    beforeAll(() => {
      objs = render(...extra);
    });

    it.each(services)(
      'deploys %s securely, probed on HTTP_PORT, with an environment its configSchema accepts',
      (service) => {
        expect(describeProblems(componentProblems(objs, service))).toBe('no problems');
      },
    );

    it('gives every Deployment a PodDisruptionBudget and a HorizontalPodAutoscaler', () => {
      for (const d of objs.filter((o) => o.kind === 'Deployment')) {
        const pdb = objs.find((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === d.metadata.name);
        const hpa = objs.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === d.metadata.name);
        expect(pdb?.spec.selector.matchLabels).toEqual(d.spec.selector.matchLabels);
        expect(hpa?.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name });
        expect(hpa?.spec.minReplicas).toBeLessThanOrEqual(hpa?.spec.maxReplicas);
        expect(d.spec.replicas).toBeUndefined(); // the HPA owns the replica count
      }
    });

    it('uses one ServiceAccount that mounts no token, and standard labels', () => {
      const sa = objs.filter((o) => o.kind === 'ServiceAccount');
      expect(sa).toHaveLength(1);
      expect((sa[0] as any).automountServiceAccountToken).toBe(false);
      for (const o of objs) {
        expect(o.metadata.labels).toMatchObject({
          'app.kubernetes.io/part-of': 'shouwang',
          'app.kubernetes.io/instance': release,
          'app.kubernetes.io/managed-by': 'Helm',
        });
      }
      for (const d of objs.filter((o) => o.kind === 'Deployment')) {
        const name = componentOf(d);
        expect(d.metadata.labels).toMatchObject({
          'app.kubernetes.io/name': name,
          'app.kubernetes.io/version': expect.any(String),
        });
        expect(d.spec.template.spec.serviceAccountName).toBe(sa[0].metadata.name);
      }
    });
  });

  describe('NetworkPolicies', () => {
    it('are off by default', () => {
      expect(render().filter((o) => o.kind === 'NetworkPolicy')).toHaveLength(0);
    });

    it('when on: only the gateway is open to the outside; services accept the release only; egress only to what each uses', () => {
      const objs = render('--set', 'networkPolicy.enabled=true', '-f', externalValues);
      const policies = objs.filter((o) => o.kind === 'NetworkPolicy');
      const deployments = objs.filter((o) => o.kind === 'Deployment');
      expect(policies).toHaveLength(deployments.length);

      const releasePeer = {
        podSelector: {
          matchLabels: { 'app.kubernetes.io/part-of': 'shouwang', 'app.kubernetes.io/instance': release },
        },
      };
      const egressPorts = (p: K8sObject) =>
        new Set<number>(p.spec.egress.flatMap((r: any) => (r.ports ?? []).map((x: any) => x.port)));
      for (const d of deployments) {
        const service = componentOf(d)!;
        const policy = policies.find((p) => p.metadata.name === d.metadata.name)!;
        expect(policy.spec.podSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
        expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
        for (const rule of policy.spec.ingress) {
          // A rule without `from` admits any source; the infra/k8s values narrow even the gateway's.
          expect(rule.from?.length ?? 0).toBeGreaterThan(0);
          const external = rule.from.some((peer: any) => JSON.stringify(peer) !== JSON.stringify(releasePeer));
          if (external && service !== 'gateway') {
            // only metrics scraping may come from outside the release, and only on the HTTP port
            expect(rule.ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
          }
        }
        const env = containerEnv(d.spec.template.spec.containers[0], service);
        const ports = egressPorts(policy);
        expect(ports.has(27017)).toBe(env.MONGODB_URI !== undefined);
        expect(ports.has(9092)).toBe(env.KAFKA_BROKERS !== undefined);
        expect(ports.has(6379)).toBe(env.REDIS_URL !== undefined);
        expect(ports.has(53)).toBe(true);
      }
      // With publicFrom empty (default values) the gateway accepts anyone on its HTTP port, and nobody else does.
      const open = render('--set', 'networkPolicy.enabled=true').filter(
        (o) => o.kind === 'NetworkPolicy' && o.spec.ingress.some((r: any) => !r.from),
      );
      expect(open.map(componentOf)).toEqual(['gateway']);
      expect(open[0].spec.ingress.find((r: any) => !r.from).ports).toEqual([{ port: 'http', protocol: 'TCP' }]);
    });
  });

  describe('values.schema.json and the template checks reject bad values', () => {
    // values.schema.json failures fail `helm lint` and `helm template`/`install`. The templates' own
    // checks (`fail`) fail `helm template`/`install` only: helm lint downgrades them to INFO lines.
    const rejects = (name: string, values: string, message: RegExp, by: 'schema' | 'template') => {
      const file = join(tmp, `${name}.yaml`);
      writeFileSync(file, values);
      const template = helm(['template', release, chart, '-f', file]);
      expect(template.status).not.toBe(0);
      expect(template.stderr).toMatch(message);
      if (by === 'schema') {
        expect(template.stderr).toMatch(/don't meet the specifications of the schema/);
        const lint = helm(['lint', '--strict', chart, '-f', file]);
        expect(lint.status).not.toBe(0);
        expect(lint.stdout + lint.stderr).toMatch(message);
      }
    };

    it('replicas: "two"', () =>
      rejects('replicas-two', 'default:\n  replicas: "two"\n', /replicas.*got string, want integer/, 'schema'));
    it('an unknown key (a typo) in a component', () =>
      rejects(
        'typo',
        'components:\n  gateway:\n    replica: 3\n',
        /additional properties 'replica' not allowed/,
        'schema',
      ));
    it('a component without ports.http', () =>
      rejects(
        'no-http',
        'components:\n  billing:\n    ports:\n      grpc: 50060\n',
        /missing propert.*http/,
        'schema',
      ));
    it('a Kafka broker that is not host:port', () =>
      rejects('broker', 'kafka:\n  brokers: ["kafka"]\n', /brokers/, 'schema'));
    it('a MongoDB-using component with no Secret to read its URI from', () =>
      rejects(
        'no-secret',
        'components:\n  reporting:\n    mongodb:\n      existingSecret: ""\n',
        /reporting's MongoDB URI/,
        'template',
      ));
    it('a gRPC client of a component that does not exist', () =>
      rejects(
        'grpc-target',
        'components:\n  gateway:\n    grpcClients:\n      BILLING_GRPC_ADDR: billing\n',
        /no component named "billing"/,
        'template',
      ));
    it('a PII key as a plain value instead of from its Secret', () =>
      rejects(
        'pii-plain',
        'components:\n  identification:\n    env:\n      PII_KEYS: "key-1:AAAA"\n',
        /PII_KEYS/,
        'schema',
      ));
    it('PII encryption enabled without the Secret holding its keys', () =>
      rejects(
        'pii-secret',
        'components:\n  identification:\n    pii:\n      existingSecret: ""\n',
        /existingSecret/,
        'schema',
      ));
    it('the PII index key read from the same Secret key as the encryption keys', () =>
      rejects(
        'pii-same-key',
        'components:\n  identification:\n    pii:\n      indexKeyKey: keys\n',
        /keysKey and indexKeyKey must be different/,
        'template',
      ));
    it('a grace period too short to drain', () =>
      rejects(
        'grace',
        'default:\n  terminationGracePeriodSeconds: 10\n',
        /terminationGracePeriodSeconds \(10\) must exceed/,
        'template',
      ));
  });

  describe('the component checks catch', () => {
    let objs: K8sObject[] = [];
    beforeAll(() => {
      objs = render();
    });
    const copy = () => structuredClone(objs);
    const container = (all: K8sObject[], service: string) =>
      find(all, 'Deployment', service)!.spec.template.spec.containers[0];

    it('a variable the service requires going missing', () => {
      const all = copy();
      const c = container(all, 'gateway');
      c.env = c.env.filter((e: any) => e.name !== 'REDIS_URL');
      expect(componentProblems(all, 'gateway')).toContain('gateway/gateway: REDIS_URL is missing');
    });

    it('a weakened security context, missing limits and a wrong probe', () => {
      const all = copy();
      const c = container(all, 'identification');
      c.securityContext.readOnlyRootFilesystem = false;
      c.securityContext.capabilities = { drop: ['NET_RAW'] };
      delete c.resources.limits;
      c.readinessProbe.httpGet.path = '/healthz';
      const problems = componentProblems(all, 'identification');
      expect(problems).toEqual(
        expect.arrayContaining([
          'identification/identification: readOnlyRootFilesystem is not true',
          'identification/identification: capabilities do not drop ALL',
          'identification/identification: no resources.limits.cpu',
          'identification/identification: readinessProbe is /healthz on http, wanted /readyz on HTTP_PORT',
        ]),
      );
    });

    it('a service with no Deployment', () => {
      expect(componentProblems(objs, 'education-aid')).toEqual(['education-aid: no Deployment']);
    });
  });

  describe('the infra/k8s examples', () => {
    const docs = (file: string) =>
      parseAllDocuments(readFileSync(join(repoRoot, 'infra', 'k8s', file), 'utf8')).map((d) => {
        expect(d.errors).toEqual([]);
        return d.toJS() as K8sObject;
      });

    it('give every MongoDB-using component its own user, database and connection-string Secret', () => {
      const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
      const external = parse(readFileSync(externalValues, 'utf8'));
      const [mdb] = docs('mongodb/mongodbcommunity.yaml').filter((o) => o.kind === 'MongoDBCommunity');
      expect(mdb).toBeDefined();
      const objs = render('-f', externalValues);
      for (const d of objs.filter((o) => o.kind === 'Deployment')) {
        const service = componentOf(d)!;
        const ref = d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'MONGODB_URI')?.valueFrom
          .secretKeyRef;
        if (!ref) continue;
        const user = mdb.spec.users.find((u: any) => u.connectionStringSecretName === ref.name);
        expect({ service, user: user?.name, db: user?.db, roles: user?.roles }).toEqual({
          service,
          user: service,
          db: `shouwang_${service}`,
          roles: [{ name: 'readWrite', db: `shouwang_${service}` }],
        });
        expect(user.connectionStringSecretNamespace).toBe('shouwang');
        expect(ref.key).toBe('connectionString.standard');
      }
      expect(values.mongodb.uriKey).toBe('connectionString.standard');
      expect(external.kafka.brokers).toEqual(values.kafka.brokers);
    });

    it('point kafka.brokers at the plain listener of the Strimzi cluster', () => {
      const objs = docs('strimzi/kafka.yaml');
      const kafka = objs.find((o) => o.kind === 'Kafka')!;
      const plain = kafka.spec.kafka.listeners.find((l: any) => l.tls === false);
      const external = parse(readFileSync(externalValues, 'utf8'));
      expect(external.kafka.brokers).toEqual([`${kafka.metadata.name}-kafka-bootstrap.kafka.svc:${plain.port}`]);
      expect(
        objs
          .filter((o) => o.kind === 'KafkaNodePool')
          .every((p) => p.metadata.labels?.['strimzi.io/cluster'] === kafka.metadata.name),
      ).toBe(true);
    });
  });
});
