/**
 * The platform under load, end to end on this machine (real Kafka, FerretDB, Redis; every service a
 * process), in three stages on one fresh set of databases:
 *   1. bulk import: N synthetic households of one county as the officers' CSV (one row per member)
 *      through POST /api/v1/households/imports, with the gateway's peak memory (the file is streamed);
 *   2. re-screening: every household of the county re-assessed by a monitoring job, against a raw
 *      cursor scan of the same projection collection measured in the same run (the floor any
 *      re-screening pays on this store);
 *   3. department feed: school-dropout records published on Kafka at a fixed offered rate for a fixed
 *      time; for each, the latency until its WarningRaised event is out (p50, p99), and the sustained rate.
 *
 *   npm run bench:platform -- [--households 100000] [--county 360731] [--seed 7] [--feed-rate 20] [--feed-seconds 30] [--import-only]
 *                             [--store ferretdb|mongo-java-server]
 *
 * --store ferretdb (default): the local infrastructure's store (SHOUWANG_MONGO_PORT, FerretDB 1.24 on
 * SQLite). --store mongo-java-server: the opt-in in-memory Java store of
 * infra/local/mongo-java-server (port SHOUWANG_MJS_PORT, default 27037), started for the run by its
 * up.sh when nothing answers there, and then stopped again at the end: FerretDB's updates cost time
 * proportional to the collection, so 100 000 households are out of its reach (BENCHMARKS.md).
 *
 * A script that prints numbers, not a test. Every loop is bounded; everything runs on 127.0.0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { feedEvents, feedV1, monitoringV1, topics } from '@shouwang/contracts';
import { createEnvelope, createKafka, createLogger, decodeEnvelope, encodeEnvelope } from '@shouwang/kit';
import { ageOn, generateHouseholds, householdRows, templateHeader, todayInChina } from '@shouwang/domain';
import { freePlatformPorts, infraEnv, portOpen, repoRoot, startPlatform, type Platform } from '@shouwang/devstack';

const PASSWORD = 'Shouwang-demo-2026';
const COUNTY_OFFICER = 'county.yudu';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const v = Number(process.argv[at + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const households = arg('households', 100_000);
const county = String(arg('county', 360731));
const seed = arg('seed', 7);
const feedRate = arg('feed-rate', 20);
const feedSeconds = arg('feed-seconds', 30);
/** Stop after the import (the 100 000-row import measurement). */
const importOnly = process.argv.includes('--import-only');
const store = process.argv.includes('--store') ? process.argv[process.argv.indexOf('--store') + 1] : 'ferretdb';
if (store !== 'ferretdb' && store !== 'mongo-java-server')
  throw new Error('--store needs ferretdb or mongo-java-server');

const log = (...parts: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid?: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/** The county officer's session; access tokens live 15 minutes and a 100 000-household run takes longer. */
interface Session {
  platform: Platform;
  token: string;
}

async function login(platform: Platform): Promise<Session> {
  const res = await fetch(`${platform.gatewayUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: COUNTY_OFFICER, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login failed: HTTP ${res.status}`);
  return { platform, token: ((await res.json()) as { accessToken: string }).accessToken };
}

/** One API call; logs in again once when the token has expired. */
async function api(session: Session, method: string, p: string, body?: unknown) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${session.platform.gatewayUrl}/api/v1${p}`, {
      method,
      headers: { authorization: `Bearer ${session.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401 && attempt === 0) {
      session.token = (await login(session.platform)).token;
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench reads a few known fields
    return { status: res.status, body: (await res.json().catch(() => ({}))) as any };
  }
}

/** A child of school age today, in school, not excused (so a dropout record raises school_dropout). */
interface Pupil {
  idNumber: string;
}

async function main(): Promise<void> {
  const stopStore = await useStore();
  try {
    await bench();
  } finally {
    stopStore();
  }
}

async function bench(): Promise<void> {
  log(
    `machine: ${os.cpus()[0]?.model ?? '?'} × ${os.availableParallelism()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shouwang-bench-'));
  const csv = path.join(dir, 'households.csv');

  // Households of the county as a CSV file; school-age pupils kept for the feed stage.
  const today = todayInChina();
  const pupils: Pupil[] = [];
  let rows = 0;
  {
    const out = fs.createWriteStream(csv);
    const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
    out.write(`${templateHeader().join(',')}\n`);
    let i = 0;
    for (const h of generateHouseholds(households, { county, seed })) {
      for (const r of householdRows(h as unknown as Record<string, unknown>, `H${i}`)) {
        if (!out.write(`${r.map(quote).join(',')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
        rows++;
      }
      for (const m of h.members) {
        const age = m.birthDate ? ageOn(m.birthDate, today) : -1;
        if (
          m.idNumber &&
          m.inSchool &&
          age >= 7 &&
          age <= 14 &&
          m.health !== 'disabled' &&
          m.health !== 'serious_illness'
        )
          if (pupils.length < 20_000) pupils.push({ idNumber: m.idNumber });
      }
      i++;
    }
    await new Promise<void>((r) => out.end(() => r()));
    log(`generated ${households} households, ${rows} CSV rows, ${(fs.statSync(csv).size / 2 ** 20).toFixed(1)} MiB`);
  }

  const ports = await freePlatformPorts();
  const dbSuffix = `_bench_${randomBytes(3).toString('hex')}`;
  const platform = await startPlatform({
    ports,
    dbSuffix,
    logDir: path.join(repoRoot, '.local', 'logs', 'bench'),
    logLevel: 'warn',
  });
  const monitoringDb = await mongoose
    .createConnection(`${infraEnv().mongoBase}/shouwang_monitoring${dbSuffix}`)
    .asPromise();
  const kafka = createKafka({
    clientId: 'bench',
    brokers: [infraEnv().kafkaBrokers],
    logger: createLogger('bench', 'error'),
  });
  try {
    const session = await login(platform);

    // 1. Import.
    const started = Date.now();
    const upload = await fetch(`${platform.gatewayUrl}/api/v1/households/imports?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.token}`, 'content-type': 'text/csv' },
      body: fs.createReadStream(csv) as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const jobId = ((await upload.json()) as { job: { id: string } }).job.id;
    let peakRss = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench reads a few known fields
    let job: any;
    for (let polls = 0; polls < 20_000; polls++) {
      await sleep(1000);
      peakRss = Math.max(peakRss, rssMb(platform.services.gateway.pid));
      const polled = await api(session, 'GET', `/households/imports/${jobId}`);
      if (!polled.body.job) {
        log(`import poll: HTTP ${polled.status} ${JSON.stringify(polled.body).slice(0, 200)}`);
        continue;
      }
      job = polled.body.job;
      if (polls % 15 === 0 || job.status !== 'running')
        log(
          `import ${job.status} ${job.processed}/${households} households (${job.percent}% of the file), ${job.ratePerSecond}/s, gateway RSS ${rssMb(platform.services.gateway.pid).toFixed(0)} MB`,
        );
      if (job.status !== 'running') break;
    }
    const importSeconds = (Date.now() - started) / 1000;
    log(
      `IMPORT ${job.created} created, ${job.invalid} invalid of ${households} households / ${rows} rows in ${importSeconds.toFixed(0)} s: ` +
        `${(households / importSeconds).toFixed(0)} households/s, ${(rows / importSeconds).toFixed(0)} rows/s; gateway peak RSS ${peakRss.toFixed(0)} MB`,
    );

    if (importOnly) return;

    // Monitoring assesses each household from its event; wait until it holds them all.
    const projection = monitoringDb.collection('households');
    const eventsStarted = Date.now();
    for (let polls = 0; polls < 14_400; polls++) {
      const n = await projection.estimatedDocumentCount();
      if (polls % 15 === 0) log(`monitoring projection ${n}/${job.created}`);
      if (n >= job.created) break;
      await sleep(1000);
    }
    log(`PROJECTION caught up ${((Date.now() - eventsStarted) / 1000).toFixed(0)} s after the import ended`);

    // 2. Re-screening against a raw scan of the same collection.
    const scanStarted = process.hrtime.bigint();
    let scanned = 0;
    for await (const doc of projection.find({})) if (doc) scanned++;
    const scanSeconds = Number(process.hrtime.bigint() - scanStarted) / 1e9;
    const start = await api(session, 'POST', '/rescreening-jobs', { areaCode: county });
    const rescreenId = start.body.job?.id as string;
    const rescreenStarted = Date.now();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bench reads a few known fields
    let rj: any = start.body.job;
    for (let polls = 0; polls < 20_000 && rj?.status === 'running'; polls++) {
      await sleep(1000);
      const polled = await api(session, 'GET', `/rescreening-jobs/${rescreenId}`);
      if (!polled.body.job) {
        log(`re-screening poll: HTTP ${polled.status} ${JSON.stringify(polled.body).slice(0, 200)}`);
        continue;
      }
      rj = polled.body.job;
      if (polls % 15 === 0) log(`re-screening ${rj.status} ${rj.processed}/${rj.total}, ${rj.ratePerSecond}/s`);
    }
    // The job's own start and finish times when it reports them (the polls are a second apart).
    const rescreenSeconds =
      rj.startedAt && rj.finishedAt
        ? (Date.parse(rj.finishedAt) - Date.parse(rj.startedAt)) / 1000
        : (Date.now() - rescreenStarted) / 1000;
    const rescreenRate = rj.processed / rescreenSeconds;
    const scanRate = scanned / scanSeconds;
    log(
      `RESCREEN ${rj.status}: ${rj.processed} households (${rj.skipped} skipped) in ${rescreenSeconds.toFixed(0)} s = ${rescreenRate.toFixed(0)}/s; ` +
        `raw cursor scan ${scanned} in ${scanSeconds.toFixed(1)} s = ${scanRate.toFixed(0)}/s; ratio ${(rescreenRate / scanRate).toFixed(3)}`,
    );

    // 3. Feed → warning, at a fixed offered rate. Each pupil's household is looked up once beforehand;
    // one pupil per household, and only households without an open school_dropout warning, so every
    // record must raise exactly one WarningRaised (a missing one is a loss, not a rule at work).
    const wanted = Math.ceil(feedRate * feedSeconds);
    const warnings = monitoringDb.collection('warnings');
    const householdOf = new Map<string, string>(); // id number → household id
    const chosen = new Set<string>();
    let skipped = 0;
    for (const p of pupils) {
      if (householdOf.size >= wanted) break;
      const found = await api(session, 'GET', `/households?q=${p.idNumber}`);
      const id = found.body.households?.[0]?.id as string | undefined;
      if (!id || chosen.has(id)) continue;
      if (await warnings.findOne({ householdId: id, cause: 'school_dropout', holding: true })) {
        skipped++;
        continue;
      }
      chosen.add(id);
      householdOf.set(p.idNumber, id);
    }
    log(
      `feed targets: ${householdOf.size} pupils in as many households (${skipped} skipped: school_dropout already open)`,
    );
    const sentAt = new Map<string, number>(); // household id → publish time
    const latencies: number[] = [];
    let lastOutAt = 0;
    const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topics.monitoringWarning], fromBeginning: false });
    let assigned = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (assigned = true));
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        const env = decodeEnvelope(message.value);
        if (env.type !== 'shouwang.monitoring.warning.raised') return;
        const w = monitoringV1.WarningRaised.decode(env.payload).warning;
        const t = w && w.cause === 'school_dropout' ? sentAt.get(w.householdId) : undefined;
        if (t !== undefined) {
          lastOutAt = Date.now();
          latencies.push(lastOutAt - t);
          sentAt.delete(w!.householdId);
        }
      },
    });
    for (let i = 0; i < 100 && !assigned; i++) await sleep(100);
    const producer = kafka.producer();
    await producer.connect();
    const targets = [...householdOf.entries()];
    const feedStarted = Date.now();
    for (let i = 0; i < targets.length; i++) {
      const due = feedStarted + (i * 1000) / feedRate;
      if (due > Date.now()) await sleep(due - Date.now());
      const [idNumber, householdId] = targets[i]!;
      const recordId = `bench-${i}`;
      const record = feedV1.SchoolEnrolmentRecord.fromPartial({
        recordId,
        idNumber,
        status: 'dropped_out',
        stage: 'primary',
        effectiveOn: today,
        source: { department: 'education', system: 'bench', publisher: 'bench', publishedAt: new Date().toISOString() },
      });
      const envelope = createEnvelope(feedEvents.education, `education:${recordId}`, record, 'education-system');
      sentAt.set(householdId, Date.now());
      await producer.send({
        topic: feedEvents.education.topic,
        acks: -1,
        messages: [{ key: recordId, value: encodeEnvelope(envelope) }],
      });
    }
    const offeredSeconds = (Date.now() - feedStarted) / 1000;
    for (let i = 0; i < 1200 && sentAt.size > 0; i++) await sleep(100);
    await producer.disconnect();
    await consumer.disconnect();
    latencies.sort((a, b) => a - b);
    // Sustained: warnings out per second from the first record published to the last warning out.
    const outSeconds = Math.max(offeredSeconds, (lastOutAt - feedStarted) / 1000);
    log(
      `FEEDS offered ${targets.length} records at ${feedRate}/s over ${offeredSeconds.toFixed(1)} s (${(targets.length / offeredSeconds).toFixed(1)}/s achieved); ` +
        `${latencies.length} warnings out in ${outSeconds.toFixed(1)} s (${(latencies.length / outSeconds).toFixed(1)}/s sustained), ${sentAt.size} missing after 120 s; ` +
        `latency p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${latencies.at(-1)} ms`,
    );
    log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await platform.stop();
    // An in-memory store reused across runs would keep every run's data: drop this run's databases.
    if (store === 'mongo-java-server')
      for (const db of ['identification', 'reporting', 'monitoring', 'gateway'])
        await monitoringDb.useDb(`shouwang_${db}${dbSuffix}`).dropDatabase();
    await monitoringDb.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Points the platform (and this script) at the chosen store: infraEnv() reads SHOUWANG_MONGO_PORT.
 * Returns what stops the store again when this run started it.
 */
async function useStore(): Promise<() => void> {
  if (store === 'ferretdb') {
    log(`store: FerretDB at ${infraEnv().mongoBase}`);
    return () => {};
  }
  const port = Number(process.env.SHOUWANG_MJS_PORT ?? '27037');
  const env = { ...process.env, SHOUWANG_MJS_PORT: String(port) };
  const script = (name: string) => path.join(repoRoot, 'infra/local/mongo-java-server', name);
  const startedHere = !(await portOpen(port));
  const up = spawnSync('bash', [script('up.sh')], { stdio: 'inherit', env });
  if (up.status !== 0) throw new Error('infra/local/mongo-java-server/up.sh failed');
  process.env.SHOUWANG_MONGO_PORT = String(port);
  log(`store: mongo-java-server (in memory) at ${infraEnv().mongoBase}${startedHere ? ', started for this run' : ''}`);
  return () => {
    if (startedHere) spawnSync('bash', [script('down.sh')], { stdio: 'inherit', env });
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
