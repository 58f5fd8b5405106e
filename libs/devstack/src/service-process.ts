import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');

/**
 * One service running as a real process from its build (services/<name>/dist/main.js), its output
 * appended to a log file. Used by the platform launcher and by integration tests.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
    readonly logFile: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.env.HTTP_PORT}`;
  }

  start(): this {
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const out = fs.openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [path.join(repoRoot, 'services', this.name, 'dist', 'main.js')], {
      env: { PATH: process.env.PATH ?? '', ...this.env },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    return this;
  }

  /** Waits until /readyz answers 200, failing early if the process exits. */
  async waitReady(timeoutMs = 60000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exited?.then(() => (exited = true));
    while (Date.now() < deadline) {
      if (exited) throw new Error(`${this.name} exited during start; see ${this.logFile}\n${this.logTail()}`);
      try {
        const res = await fetch(`${this.httpUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}\n${this.logTail()}`);
  }

  /** Resolves with the exit code (-1 when killed by a signal) once the process has exited; bounded. */
  async waitExit(timeoutMs: number): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.exited!,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.name} still running after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Sends the signal and waits (bounded) for the exit code; SIGKILLs if it does not stop in time. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20000): Promise<number | null> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null)
      return this.child?.exitCode ?? null;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited!;
    } finally {
      clearTimeout(timer);
    }
  }

  logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}
