import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { credentials, makeGenericClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { repoRoot } from '@shouwang/devstack';
import { startTestPlatform, waitFor } from './support';

jest.setTimeout(120000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
beforeAll(async () => {
  env = await startTestPlatform('readiness-shutdown');
});
afterAll(async () => {
  await env?.platform.stop();
});

const infraScript = (name: string, ...args: string[]) =>
  execFileSync('bash', [path.join(repoRoot, 'infra/local', name), ...args], { stdio: 'pipe', timeout: 90000 });

async function readyz(
  url: string,
): Promise<{ status: number; body: { ready: boolean; checks: Record<string, { ok: boolean }> } }> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as never };
}

describe('health, readiness and metrics', () => {
  it('/readyz turns unready when Redis stops and ready again when it returns', async () => {
    const gateway = env.platform.services.gateway.httpUrl;
    expect((await readyz(gateway)).status).toBe(200);
    try {
      infraScript('down.sh', 'redis');
      const down = await waitFor(
        'gateway to turn unready',
        async () => {
          const r = await readyz(gateway);
          return r.status === 503 ? r : undefined;
        },
        20000,
      );
      expect(down.body.checks.redis.ok).toBe(false);
      // Liveness does not depend on Redis: the process must not be restarted for an outage.
      expect((await fetch(`${gateway}/healthz`)).status).toBe(200);
    } finally {
      infraScript('up.sh', 'redis');
    }
    const up = await waitFor(
      'gateway to turn ready again',
      async () => {
        const r = await readyz(gateway);
        return r.status === 200 ? r : undefined;
      },
      30000,
    );
    expect(up.body.checks.redis.ok).toBe(true);
  });

  it('reports MongoDB and Kafka in the readiness of the services that use them', async () => {
    for (const s of [env.platform.services.identification, env.platform.services.reporting]) {
      const r = await readyz(s.httpUrl);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.checks).sort()).toEqual(['kafka', 'mongodb']);
    }
  });

  it('serves grpc.health.v1 SERVING on the gRPC port', async () => {
    const Health = makeGenericClientConstructor(healthService as unknown as ServiceDefinition, 'Health');
    const client = new Health(`127.0.0.1:${env.ports.identificationGrpc}`, credentials.createInsecure());
    const status = await waitFor(
      'SERVING',
      async () => {
        const r = await new Promise<{ status: string | number }>((resolve, reject) =>
          (
            client as unknown as {
              check: (req: object, cb: (e: Error | null, r: { status: string | number }) => void) => void;
            }
          ).check({ service: '' }, (e, res) => (e ? reject(e) : resolve(res))),
        );
        return r.status === 'SERVING' || r.status === 1 ? r.status : undefined;
      },
      10000,
    );
    expect(['SERVING', 1]).toContain(status);
    client.close();
  });

  it('exposes Prometheus metrics', async () => {
    await fetch(`${env.platform.gatewayUrl}/api/v1/openapi.json`);
    const text = await (await fetch(`${env.platform.services.gateway.httpUrl}/metrics`)).text();
    expect(text).toContain('http_server_request_duration_seconds_bucket');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('stops gracefully on SIGTERM: exit code 0 well within the shutdown timeout', async () => {
    const reporting = env.platform.services.reporting;
    const started = Date.now();
    expect(await reporting.stop('SIGTERM', 15000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(10000);
    expect(reporting.logTail(50)).toContain('"msg":"stopped"');
  });
});
