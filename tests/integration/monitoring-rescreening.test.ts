import { runShouwang } from '@shouwang/cli';
import { call, DEMO_PASSWORD, startTestPlatform, waitFor, type Json } from './support';
import { family, registerAndAssess, waitForWarning } from './support-monitoring';

/**
 * Re-screening jobs on the real platform: progress through the API and the CLI, one running job per
 * area, resumption from the checkpoint after the service is killed mid-job, and a policy change that
 * re-screens the city under the new policy.
 */
jest.setTimeout(240000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let url: string;
const households: string[] = [];

const job = async (id: string, as = 'county.yudu'): Promise<Json> => {
  const r = await call(url, as, 'GET', `/rescreening-jobs/${id}`);
  if (r.status !== 200) throw new Error(`job answered ${r.status}`);
  return r.body.job;
};
const finished = (id: string, as = 'county.yudu') =>
  waitFor(
    `re-screening job ${id} to finish`,
    async () => {
      const j = await job(id, as);
      return j.status === 'running' ? undefined : j;
    },
    120000,
  );

beforeAll(async () => {
  env = await startTestPlatform('monitoring-rescreening', {
    // One household per batch with a pause, so a job lasts long enough to be joined and interrupted;
    // short leases and session, so a restarted replica takes over the job, the outbox and the consumer
    // group's partitions soon.
    env: {
      monitoring: {
        RESCREENING_BATCH_SIZE: '1',
        RESCREENING_BATCH_PAUSE_MS: '250',
        RESCREENING_LEASE_MS: '2000',
        OUTBOX_LEASE_MS: '3000',
        KAFKA_SESSION_TIMEOUT_MS: '6000',
      },
    },
  });
  url = env.platform.gatewayUrl;
  for (let i = 0; i < 12; i++) households.push(await registerAndAssess(url, family().body));
});
afterAll(async () => {
  await env?.platform.stop();
});

describe('re-screening', () => {
  it('re-assesses every household of a county with progress; a second start returns the running job', async () => {
    const start = await call(url, 'county.yudu', 'POST', '/rescreening-jobs', { areaCode: '360731' });
    expect(start.status).toBe(202);
    expect(start.body.created).toBe(true);
    expect(start.body.job).toMatchObject({ areaCode: '360731', status: 'running', trigger: 'manual' });
    expect(start.body.job.total).toBeGreaterThanOrEqual(households.length);
    const second = await call(url, 'county.yudu', 'POST', '/rescreening-jobs', { areaCode: '360731' });
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ created: false, job: { id: start.body.job.id, status: 'running' } });

    const done = await finished(start.body.job.id);
    expect(done.status).toBe('succeeded');
    expect(done.processed).toBe(done.total);
    expect(done.ratePerSecond).toBeGreaterThan(0);
    expect(done.finishedAt).toBeTruthy();
    const a = await call(url, 'county.yudu', 'GET', `/households/${households[0]}/assessment`);
    expect(Date.parse(a.body.assessment.assessedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));
  });

  it('refuses bad areas, areas outside one’s scope and roles that may not run it', async () => {
    const town = await call(url, 'county.yudu', 'POST', '/rescreening-jobs', { areaCode: '360731101' });
    expect(town.status).toBe(400);
    expect(town.body.error.field).toBe('areaCode');
    expect((await call(url, 'county.yudu', 'POST', '/rescreening-jobs', { areaCode: '360702' })).status).toBe(404);
    expect((await call(url, 'cadre.yudu', 'POST', '/rescreening-jobs', { areaCode: '360731' })).status).toBe(403);
  });

  it('resumes from its checkpoint after the service is killed mid-job', async () => {
    const start = await call(url, 'admin', 'POST', '/rescreening-jobs', { areaCode: '360731' });
    expect(start.body.created).toBe(true);
    const id = start.body.job.id as string;
    const before = await waitFor('the job to be under way', async () => {
      const j = await job(id);
      return j.processed >= 2 ? j : undefined;
    });
    expect(before.status).toBe('running');
    const monitoring = env.platform.services.monitoring;
    await monitoring.stop('SIGKILL');
    monitoring.start();
    await monitoring.waitReady();

    const done = await finished(id);
    expect(done.status).toBe('succeeded');
    expect(done.runs).toBeGreaterThanOrEqual(2); // taken over after the lease lapsed
    // Resumed, not restarted: every household counted exactly once.
    expect(done.processed).toBe(done.total);
    expect(done.processed).toBeGreaterThanOrEqual(before.processed);
  });

  it('runs from the CLI, printing progress until it ends', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runShouwang(
      [
        'rescreen',
        '--area',
        '360731',
        '--url',
        url,
        '--username',
        'county.yudu',
        '--password',
        DEMO_PASSWORD,
        '--every',
        '200',
      ],
      { stdin: process.stdin, stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) },
    );
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    const lines = out.join('').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toMatch(
      /^job [0-9a-f-]{36} area 360731: (\d+)\/\1 households \(100%\), [\d.]+\/s, succeeded$/,
    );
  });

  it('a policy change is versioned, validated and re-screens the city under the new policy', async () => {
    // Industry failed by force majeure (F7), but income above the line: no warning under policy 1.
    const withFeature = await registerAndAssess(
      url,
      family({ industry: { covered: true, failedDueToForceMajeure: true } }).body,
    );
    const before = await call(url, 'county.yudu', 'GET', `/households/${withFeature}/assessment`);
    expect(before.body.assessment).toMatchObject({ features: ['F7'], monitoringObject: false });

    const current = await call(url, 'admin', 'GET', '/policy');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ version: 1, policy: { tolerance: 0, monitoringLineFen: { 2021: 600000 } } });

    const invalid = await call(url, 'admin', 'PUT', '/policy', { policy: { ...current.body.policy, tolerance: 7 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe('policy.tolerance');
    expect((await call(url, 'county.yudu', 'PUT', '/policy', { policy: current.body.policy })).status).toBe(403);

    // A new year's line far above these households' income makes them all "below the line".
    const policy = {
      ...current.body.policy,
      monitoringLineFen: { ...current.body.policy.monitoringLineFen, 2021: 3000000 },
    };
    const changed = await call(url, 'admin', 'PUT', '/policy', { policy, version: 1 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      version: 2,
      updatedBy: 'admin',
      rescreeningJob: { areaCode: '3607', trigger: 'policy' },
    });
    const stale = await call(url, 'admin', 'PUT', '/policy', { policy, version: 1 });
    expect(stale.status).toBe(409);

    // A city-wide job: the city administrator follows it (a county officer sees only their county's).
    expect((await call(url, 'county.yudu', 'GET', `/rescreening-jobs/${changed.body.rescreeningJob.id}`)).status).toBe(
      404,
    );
    const done = await finished(changed.body.rescreeningJob.id, 'admin');
    expect(done).toMatchObject({ status: 'succeeded', policyVersion: 2 });
    const a = await call(url, 'county.yudu', 'GET', `/households/${households[1]}/assessment`);
    expect(a.body.assessment).toMatchObject({ policyVersion: 2, monitoringLine: 30000, incomeBelowLine: true });
    // Below the line but without a feature: still no warning for these households.
    expect(a.body.assessment.monitoringObject).toBe(false);

    // The household with a feature became a monitoring object under the new line: warned, source "policy".
    const w = await waitForWarning(url, withFeature, 'F7');
    expect(w).toMatchObject({ status: 'open', source: 'policy', assessment: { policyVersion: 2, category: 'edge' } });
  });
});
