import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import {
  freePlatformPorts,
  infraEnv,
  repoRoot,
  requireLocalInfra,
  startPlatform,
  type Platform,
  type PlatformOptions,
} from '@shouwang/devstack';
import { createKafka, createLogger } from '@shouwang/kit';
import type { Household } from '@shouwang/domain';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';

/** Fails at once, with the fix, when the infrastructure the integration tests need is not running. */
export function requireInfra(): Promise<void> {
  return requireLocalInfra('Kafka', 'FerretDB', 'Redis');
}

/** A whole platform on free ports with its own databases, logs under .local/logs/<suite>/. */
export async function startTestPlatform(
  suite: string,
  opts: Omit<PlatformOptions, 'ports' | 'dbSuffix' | 'logDir'> = {},
) {
  await requireInfra();
  const ports = await freePlatformPorts();
  const dbSuffix = `_${suite.replace(/\W/g, '_')}_${randomBytes(3).toString('hex')}`;
  const logDir = path.join(repoRoot, '.local', 'logs', 'tests', suite);
  const platform: Platform = await startPlatform({
    ...opts,
    ports,
    dbSuffix,
    logDir,
    logLevel: opts.logLevel ?? 'debug',
  });
  return { platform, ports, dbSuffix, logDir };
}

export function connectDb(name: string): Promise<Connection> {
  return mongoose.createConnection(`${infraEnv().mongoBase}/${name}`).asPromise();
}

export function testKafka() {
  return createKafka({
    clientId: 'integration-test',
    brokers: [infraEnv().kafkaBrokers],
    logger: createLogger('test', 'error'),
  });
}

/** Polls until check returns a value other than undefined; bounded, reports the last value on timeout. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Password of the demo users the local platform seeds (README). */
export const DEMO_PASSWORD = 'Shouwang-demo-2026';

/** Signs in and returns the access token. */
export async function login(gatewayUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${gatewayUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login as ${username} answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the tests
export type Json = Record<string, any>;

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The JSON answer ({} when the answer is not JSON: a file, or nothing). */
  body: Json;
  bytes: Buffer;
}

/** One REST call as a demo user (token cached per gateway): JSON in, the answer out. */
export async function call(
  gatewayUrl: string,
  username: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const res = await fetch(`${gatewayUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await tokenFor(gatewayUrl, username)}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const json = (res.headers.get('content-type') ?? '').includes('application/json');
  return {
    status: res.status,
    headers: res.headers,
    body: json ? (JSON.parse(bytes.toString('utf8')) as Json) : {},
    bytes,
  };
}

/** Creates a user (password DEMO_PASSWORD) as the city administrator; returns its id. */
export async function createUser(
  gatewayUrl: string,
  user: { username: string; role: string; areaCode: string; department?: string | null },
): Promise<string> {
  const r = await call(gatewayUrl, 'admin', 'POST', '/users', {
    ...user,
    password: DEMO_PASSWORD,
    displayName: `测试${user.department ?? user.role}`,
    department: user.department ?? null,
  });
  if (r.status !== 201)
    throw new Error(`creating user ${user.username} answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.user.id as string;
}

const tokenCache = new Map<string, string>();
/** A demo user's token, cached per gateway. */
export async function tokenFor(gatewayUrl: string, username: string): Promise<string> {
  const key = `${gatewayUrl} ${username}`;
  if (!tokenCache.has(key)) tokenCache.set(key, await login(gatewayUrl, username));
  return tokenCache.get(key)!;
}

/** Drops a cached token, so the next call signs in again (after the user's role changed: it is in the token). */
export function forgetToken(gatewayUrl: string, username: string): void {
  tokenCache.delete(`${gatewayUrl} ${username}`);
}

/** Only a village's own cadre registers its households: creates (once) and signs in `cadre.<village>`. */
export async function cadreToken(gatewayUrl: string, village: string): Promise<string> {
  const username = `cadre.${village}`;
  const key = `${gatewayUrl} ${username}`;
  if (tokenCache.has(key)) return tokenCache.get(key)!;
  const res = await fetch(`${gatewayUrl}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(gatewayUrl, 'admin')}` },
    body: JSON.stringify({
      username,
      password: DEMO_PASSWORD,
      displayName: `村干部${village}`,
      role: 'village_cadre',
      areaCode: village,
      department: null,
    }),
  });
  if (res.status !== 201 && res.status !== 409) throw new Error(`creating ${username} answered ${res.status}`);
  tokenCache.set(key, await login(gatewayUrl, username));
  return tokenCache.get(key)!;
}

export async function villageCount(gatewayUrl: string, areaCode: string): Promise<number> {
  const res = await fetch(`${gatewayUrl}/api/v1/reports/villages/${areaCode}`, {
    headers: { authorization: `Bearer ${await tokenFor(gatewayUrl, 'admin')}` },
  });
  if (!res.ok) throw new Error(`report answered ${res.status}`);
  return ((await res.json()) as { householdCount: number }).householdCount;
}

/** Registers a household as the cadre of its village (the village of the example household when unknown). */
export async function postHousehold(gatewayUrl: string, body: unknown, headers: Record<string, string> = {}) {
  const village = (body as { areaCode?: unknown })?.areaCode;
  const token = await cadreToken(
    gatewayUrl,
    typeof village === 'string' && /^\d{12}$/.test(village) ? village : '360731102203',
  );
  const res = await fetch(`${gatewayUrl}/api/v1/households`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the tests
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
}

/**
 * Reads a topic with a throwaway group until a message matches; bounded. It starts at the messages of
 * the last `sinceMs` (the shared Kafka keeps every earlier run's history, which may be long).
 */
export async function findMessage<T>(
  topic: string,
  match: (value: Buffer, headers: Record<string, unknown>) => T | undefined,
  timeoutMs = 20000,
  sinceMs = 10 * 60_000,
): Promise<T> {
  const admin = testKafka().admin();
  await admin.connect();
  const starts = await admin
    .fetchTopicOffsetsByTimestamp(topic, Date.now() - sinceMs)
    .finally(() => admin.disconnect());
  const consumer = testKafka().consumer({ groupId: `it-reader-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message on ${topic} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            const found = message.value
              ? match(message.value, (message.headers ?? {}) as Record<string, unknown>)
              : undefined;
            if (found !== undefined) {
              clearTimeout(timer);
              resolve(found);
            }
          },
        })
        .then(() => {
          for (const { partition, offset } of starts) consumer.seek({ topic, partition, offset });
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}

let householdSeq = 0;
/**
 * A valid household whose head has an ID number no other call of this test file used (the registry
 * refuses an ID number already in another household).
 */
export function freshHousehold(overrides: Partial<Household> = {}): Household {
  const n = householdSeq++;
  const birth = new Date(Date.UTC(1950, 0, 1) + n * 86400000).toISOString().slice(0, 10);
  return minimalHousehold({
    members: [{ name: '赵一', relation: 'head', idNumber: syntheticIdNumber(n % 100, birth) }],
    ...overrides,
  });
}

/**
 * A clock the identification service's workflows and the assistance service (policy start, task due
 * and delivery dates) read "now" from (CLOCK_FILE, test-only): start the platform with
 * `{ env: clock.env }` and move it with setDate to step past notice end dates and due dates. Without
 * a date set the services run on real time.
 */
export function testClock(suite: string) {
  const file = path.join(
    repoRoot,
    '.local',
    'clocks',
    `${suite.replace(/\W/g, '_')}-${randomBytes(3).toString('hex')}.txt`,
  );
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  return {
    file,
    env: { identification: { CLOCK_FILE: file }, assistance: { CLOCK_FILE: file } },
    /** "Now" becomes 10:00 China time (UTC+8) on the YYYY-MM-DD date. */
    setDate(date: string): void {
      writeFileSync(file, `${date}T02:00:00.000Z`);
    },
    remove(): void {
      rmSync(file, { force: true });
    },
  };
}
