import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { infraEnv, portOpen } from './infra-env';

type Component = 'FerretDB' | 'Kafka' | 'Redis';

/** Fails a test file early, and says how to fix it, when the local infrastructure it needs is not up. */
export async function requireLocalInfra(...components: Component[]): Promise<void> {
  const { mongoPort, kafkaPort, redisPort } = infraEnv();
  const ports: Record<Component, number> = { FerretDB: mongoPort, Kafka: kafkaPort, Redis: redisPort };
  for (const what of components)
    if (!(await portOpen(ports[what])))
      throw new Error(`${what} is not running on 127.0.0.1:${ports[what]}; run \`bash infra/local/up.sh\``);
}

/**
 * A database of its own on the local FerretDB for one test file (`shouwang_<name>_test_<random>`),
 * so test files never see each other's data. Drop it with dropScratchDatabase in afterAll.
 */
export async function scratchDatabase(name: string): Promise<Connection> {
  await requireLocalInfra('FerretDB');
  const uri = `${infraEnv().mongoBase}/shouwang_${name}_test_${randomBytes(4).toString('hex')}`;
  return mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
}

/** Drops a scratch database and closes its connection (a no-op for one that never opened). */
export async function dropScratchDatabase(conn: Connection | undefined): Promise<void> {
  if (!conn) return;
  await conn.db?.dropDatabase();
  await conn.close();
}
