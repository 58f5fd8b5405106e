import { Readiness } from './readiness';

describe('Readiness', () => {
  it('is ready only when every check passes, and reports each', async () => {
    let redisUp = true;
    const r = new Readiness()
      .add('mongodb', async () => {})
      .add('redis', async () => {
        if (!redisUp) throw new Error('Redis ping failed');
      });
    expect((await r.check()).checks.startup.ok).toBe(false);
    r.markStarted();
    expect((await r.check()).ready).toBe(true);
    redisUp = false;
    const down = await r.check();
    expect(down.ready).toBe(false);
    expect(down.checks.redis).toMatchObject({ ok: false, error: 'Redis ping failed' });
    expect(down.checks.mongodb.ok).toBe(true);
    redisUp = true;
    expect((await r.check()).ready).toBe(true);
  });

  it('is never ready while draining', async () => {
    const r = new Readiness().add('x', async () => {});
    r.markStarted();
    r.markDraining();
    const report = await r.check();
    expect(report.ready).toBe(false);
    expect(report.checks.shutdown.ok).toBe(false);
  });
});
