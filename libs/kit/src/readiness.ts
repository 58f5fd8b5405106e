/**
 * Readiness: a named set of dependency checks (MongoDB, Kafka, Redis, ...). /readyz and the gRPC
 * health service both report it; while the process shuts down it is never ready.
 */
export type Check = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; ms: number }>;
}

export class Readiness {
  private readonly checks = new Map<string, Check>();
  private draining = false;
  private started = false;

  add(name: string, check: Check): this {
    this.checks.set(name, check);
    return this;
  }

  /** Called once every dependency is connected; until then the service is not ready. */
  markStarted(): void {
    this.started = true;
  }

  /** Called first thing on shutdown so load balancers stop sending work. */
  markDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async check(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const start = Date.now();
        try {
          await check();
          return [name, { ok: true, ms: Date.now() - start }] as const;
        } catch (e) {
          return [name, { ok: false, error: (e as Error).message, ms: Date.now() - start }] as const;
        }
      }),
    );
    const checks: ReadinessReport['checks'] = Object.fromEntries(entries);
    if (!this.started) checks.startup = { ok: false, error: 'still starting', ms: 0 };
    if (this.draining) checks.shutdown = { ok: false, error: 'shutting down', ms: 0 };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }
}
