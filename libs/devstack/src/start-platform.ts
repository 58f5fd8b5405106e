/**
 * `npm start`: starts the local infrastructure (infra/local/up.sh), every service, prints the
 * gateway URL, and on Ctrl-C stops the services and whatever infrastructure it started itself.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { infraEnv, portOpen } from './infra-env';
import { startPlatform } from './platform';
import { repoRoot } from './service-process';

async function main(): Promise<void> {
  const infra = infraEnv();
  const components = { kafka: infra.kafkaPort, ferretdb: infra.mongoPort, redis: infra.redisPort };
  const runningBefore = new Set<string>();
  for (const [name, port] of Object.entries(components)) if (await portOpen(port)) runningBefore.add(name);

  const up = spawnSync('bash', [path.join(repoRoot, 'infra/local/up.sh')], { stdio: 'inherit' });
  if (up.status !== 0) throw new Error('infra/local/up.sh failed');

  console.log('[platform] starting identification, reporting, monitoring, assistance, gateway …');
  const platform = await startPlatform();
  console.log(
    `[platform] ready. Gateway: ${platform.gatewayUrl}/api/v1  (API docs: ${platform.gatewayUrl}/api/v1/docs)`,
  );
  console.log(`[platform] logs: ${path.join(repoRoot, '.local/logs')}. Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[platform] stopping services …');
    await platform.stop();
    const started = Object.keys(components).filter((c) => !runningBefore.has(c));
    if (started.length) {
      console.log(`[platform] stopping infrastructure it started: ${started.join(', ')}`);
      spawnSync('bash', [path.join(repoRoot, 'infra/local/down.sh'), ...started], { stdio: 'inherit' });
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`[platform] ${err.message}`);
  process.exit(1);
});
