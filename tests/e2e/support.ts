/**
 * What every browser test needs: Debian's headless Chromium (infra/tools/chromium.sh) driven by
 * playwright-core, the whole platform on free ports (tests/integration/support.ts) serving the console
 * build at /console/, screenshots in test-artifacts/e2e, and bounded waits that fail with what they
 * waited for (playwright-core has no retrying assertions of its own).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { repoRoot, type Platform } from '@shouwang/devstack';
import type { Role } from '@shouwang/domain';
import { DEMO_PASSWORD, startTestPlatform } from '../integration/support';

export { DEMO_PASSWORD };

export const ARTIFACTS = path.join(repoRoot, 'test-artifacts', 'e2e');
const CONSOLE_INDEX = path.join(repoRoot, 'services', 'gateway', 'console', 'dist', 'index.html');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Browser-side waits: bounded, so a broken page fails in seconds with the locator it waited for. */
export const STEP_MS = 15_000;

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  department: string | null;
}

/** Debian's chromium, installed by the project's own script when missing (prints its path last). */
function chromiumPath(): string {
  const script = path.join(repoRoot, 'infra', 'tools', 'chromium.sh');
  const out = execFileSync('bash', [script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  });
  const bin = out.trim().split('\n').pop() ?? '';
  if (!bin || !fs.existsSync(bin))
    throw new Error(`${script} printed no usable browser path (got ${JSON.stringify(out)})`);
  return bin;
}

/** A browser suite: its Chromium, its platform, and the folder its screenshots go to. */
export class ConsoleSuite {
  browser: Browser | undefined;
  platform: Platform | undefined;
  gatewayUrl = '';

  /**
   * `shots` is emptied of its .png files first (only those: other suites' folders stay);
   * `platformOptions` go to the test platform (e.g. a test clock's env, tests/integration/support.ts).
   */
  constructor(
    readonly name: string,
    readonly shots: string = ARTIFACTS,
    readonly platformOptions: Parameters<typeof startTestPlatform>[1] = {},
  ) {}

  async start(): Promise<void> {
    if (!fs.existsSync(CONSOLE_INDEX))
      throw new Error(
        `the console is not built (${CONSOLE_INDEX} is missing); run \`npm run build -w services/gateway/console\``,
      );
    fs.mkdirSync(this.shots, { recursive: true });
    for (const f of fs.readdirSync(this.shots)) if (f.endsWith('.png')) fs.rmSync(path.join(this.shots, f));

    // launch() starts Chromium with a fresh temporary user-data-dir, removed again on close; every user
    // also gets a context of their own (inBrowser), so no storage is shared between them.
    this.browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });

    this.platform = (await startTestPlatform(this.name, this.platformOptions)).platform;
    this.gatewayUrl = this.platform.gatewayUrl;
    const res = await fetch(`${this.gatewayUrl}/console/`);
    const html = await res.text();
    if (!res.ok || !html.includes('<div id="root">'))
      throw new Error(`the gateway does not serve the console at ${this.gatewayUrl}/console/ (HTTP ${res.status})`);
  }

  async stop(): Promise<void> {
    try {
      await this.browser?.close();
    } finally {
      await this.platform?.stop();
    }
  }

  async shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(this.shots, `${name}.png`), fullPage: true });
  }

  /**
   * Runs the steps in a fresh browser context (own storage, Chinese browser locale). A failing step
   * leaves <name>-failure.png; uncaught page errors and console errors (CSP violations among them) fail
   * the test, except the browser's own note on an HTTP status the steps provoke on purpose (401 of a
   * wrong password always; others as `expectedStatuses`, e.g. 400 for a field error, 412 for a conflict).
   */
  async inBrowser(
    name: string,
    steps: (page: Page) => Promise<void>,
    expectedStatuses: readonly number[] = [],
  ): Promise<void> {
    if (!this.browser) throw new Error('the browser did not start (see beforeAll)');
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_MS);
    page.setDefaultNavigationTimeout(STEP_MS);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      const status = /^Failed to load resource: .*status of (\d{3})\b/.exec(m.text())?.[1];
      if (m.type() === 'error' && !(status && [401, ...expectedStatuses].includes(Number(status))))
        problems.push(`console error: ${m.text()}`);
    });
    try {
      await steps(page);
      expect(problems).toEqual([]);
    } catch (e) {
      await this.shot(page, `${name}-failure`).catch(() => undefined);
      throw e;
    } finally {
      await context.close();
    }
  }

  async apiLogin(username: string, password: string) {
    const res = await fetch(`${this.gatewayUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { user?: PublicUser; accessToken?: string; error?: { messageZh?: string } },
    };
  }

  /** The user as the API describes them: what the header must show. */
  async demoUser(username: string): Promise<PublicUser> {
    const { status, body } = await this.apiLogin(username, DEMO_PASSWORD);
    if (status !== 200 || !body.user)
      throw new Error(`API sign-in as ${username} answered ${status}: ${JSON.stringify(body)}`);
    return body.user;
  }

  async signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
    await page.goto(`${this.gatewayUrl}/console/`);
    await page.waitForURL('**/console/sign-in');
    await page.getByTestId('username').fill(username);
    await page.getByTestId('password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  }
}

/**
 * Waits (bounded) until the element's text equals the string or contains the part; fails naming the
 * element and its last text.
 */
export async function expectText(locator: Locator, expected: string | { contains: string }): Promise<string> {
  const deadline = Date.now() + STEP_MS;
  const ok = (t: string) => (typeof expected === 'string' ? t === expected : t.includes(expected.contains));
  let last: string | null = null;
  while (Date.now() < deadline) {
    try {
      last = await locator.textContent({ timeout: Math.max(1, deadline - Date.now()) });
    } catch {
      break; // not there in time
    }
    if (last !== null && ok(last.trim())) return last.trim();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${String(locator)}: expected text ${JSON.stringify(expected)}, last saw ${JSON.stringify(last)}`);
}

export async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}
