/**
 * The web console in a real browser: Debian's headless Chromium, driven by playwright-core, against the
 * whole platform (gateway serving the console build at /console/, identification, reporting, on the local
 * Kafka, FerretDB and Redis). Signs in as two roles and checks what each sees. Screenshots of every step
 * go to test-artifacts/e2e/*.png (and <step>-failure.png when a step fails).
 *
 * Needs: `npm run infra:up`, `npm run build` (services) and the console build
 * (`npm run build -w services/gateway/console`); Chromium comes from infra/tools/chromium.sh (apt).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { NAVIGATION, ROLE_NAMES, can, countyName, syntheticAreas, type Role } from '@shouwang/domain';
import { repoRoot, type Platform } from '@shouwang/devstack';
import { startTestPlatform } from '../integration/support';

jest.setTimeout(90_000);

const DEMO_PASSWORD = 'Shouwang-demo-2026';
const ARTIFACTS = path.join(repoRoot, 'test-artifacts', 'e2e');
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
const STEP_MS = 15_000;

interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string;
  department: string | null;
}

let browser: Browser | undefined;
let platform: Platform | undefined;
let gatewayUrl = '';

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

beforeAll(async () => {
  if (!fs.existsSync(CONSOLE_INDEX))
    throw new Error(
      `the console is not built (${CONSOLE_INDEX} is missing); run \`npm run build -w services/gateway/console\``,
    );
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));

  // launch() starts Chromium with a fresh temporary user-data-dir, removed again on close; every user
  // below also gets a context of their own, so no storage is shared between them.
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });

  platform = (await startTestPlatform('e2e-console')).platform;
  gatewayUrl = platform.gatewayUrl;
  const res = await fetch(`${gatewayUrl}/console/`);
  const html = await res.text();
  if (!res.ok || !html.includes('<div id="root">'))
    throw new Error(`the gateway does not serve the console at ${gatewayUrl}/console/ (HTTP ${res.status})`);
}, 300_000);

afterAll(async () => {
  try {
    await browser?.close();
  } finally {
    await platform?.stop();
  }
}, 60_000);

/**
 * Waits (bounded) until the element's text equals the string or contains the part; fails naming the
 * element and its last text. playwright-core has no retrying assertions of its own.
 */
async function expectText(locator: Locator, expected: string | { contains: string }): Promise<string> {
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

async function expectVisible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible' });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Runs the steps in a fresh browser context (own storage, Chinese browser locale). A failing step
 * leaves <name>-failure.png; uncaught page errors and console errors (CSP violations among them) fail
 * the test, except the browser's own note on the 401 of a wrong password.
 */
async function inBrowser(name: string, steps: (page: Page) => Promise<void>): Promise<void> {
  if (!browser) throw new Error('the browser did not start (see beforeAll)');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.setDefaultNavigationTimeout(STEP_MS);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .*\b401\b/.test(m.text()))
      problems.push(`console error: ${m.text()}`);
  });
  try {
    await steps(page);
    expect(problems).toEqual([]);
  } catch (e) {
    await shot(page, `${name}-failure`).catch(() => undefined);
    throw e;
  } finally {
    await context.close();
  }
}

async function apiLogin(username: string, password: string) {
  const res = await fetch(`${gatewayUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, body: (await res.json()) as { user?: PublicUser; error?: { messageZh?: string } } };
}

/** The user as the API describes them: what the header must show. */
async function demoUser(username: string): Promise<PublicUser> {
  const { status, body } = await apiLogin(username, DEMO_PASSWORD);
  if (status !== 200 || !body.user)
    throw new Error(`API sign-in as ${username} answered ${status}: ${JSON.stringify(body)}`);
  return body.user;
}

async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${gatewayUrl}/console/`);
  await page.waitForURL('**/console/sign-in');
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

/** Navigation entries shown and hidden are exactly those of the role (NAVIGATION + can). */
async function expectNavigationOf(page: Page, role: Role): Promise<void> {
  for (const entry of NAVIGATION) {
    const link = page.getByTestId(`nav-${entry.key}`);
    if (can(role, entry.permission)) await expectText(link, entry.zh);
    else expect(await link.count()).toBe(0);
  }
}

async function expectHeader(page: Page, user: PublicUser, areaName: string): Promise<void> {
  await expectText(page.getByTestId('user-name'), user.displayName);
  await expectText(page.getByTestId('user-role'), ROLE_NAMES[user.role].zh);
  const area = await page.getByTestId('user-area').textContent();
  expect(area).toContain(areaName);
  expect(area).toContain(user.areaCode);
}

async function expectSignInPage(page: Page): Promise<void> {
  await page.waitForURL('**/console/sign-in');
  await page.getByTestId('sign-in-submit').waitFor();
}

test('the console opens in Chinese at its sign-in page; a wrong password shows the server’s Chinese error', async () => {
  // What the gateway says for a wrong password. A user that does not exist gets the same answer, and
  // failures against it lock no real account (Redis keeps the lockout counters across local runs).
  const { status, body } = await apiLogin('nobody.e2e', 'not-the-password');
  expect(status).toBe(401);
  const messageZh = body.error?.messageZh ?? '';
  expect(messageZh).toMatch(/[\u4e00-\u9fff]/);

  await inBrowser('sign-in', async (page) => {
    await page.goto(`${gatewayUrl}/`);
    await expectSignInPage(page);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expectText(page.getByTestId('sign-in'), { contains: '登录' });
    await shot(page, '01-sign-in');

    await page.getByTestId('username').fill('nobody.e2e');
    await page.getByTestId('password').fill('not-the-password');
    await page.getByTestId('sign-in-submit').click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    await expectText(error, { contains: messageZh });
    expect(page.url()).toMatch(/\/console\/sign-in$/);
    await shot(page, '02-sign-in-wrong-password');
  });
});

test('a village cadre sees households and reports, not users or audit; English on request; signs out', async () => {
  const user = await demoUser('cadre.yudu');
  expect(user).toMatchObject({ role: 'village_cadre', areaCode: '360731101201' });
  const names = new Map(syntheticAreas().map((a) => [a.code, a.name]));
  const village = `${countyName('360731')}${names.get('360731101')}${names.get('360731101201')}`;

  await inBrowser('cadre', async (page) => {
    await signIn(page, 'cadre.yudu');
    await page.waitForURL('**/console/households');
    await page.getByTestId('page-households').waitFor();
    await expectHeader(page, user, village);
    await expectVisible(page.getByTestId('nav-households'));
    await expectVisible(page.getByTestId('nav-reports'));
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);
    await expectNavigationOf(page, 'village_cadre');
    await shot(page, '03-cadre-households');

    await page.getByTestId('nav-reports').click();
    await page.waitForURL('**/console/reports');
    await expectText(page.getByTestId('page-title'), '统计报表');

    // A typed address of a page the role may not use: the session survives the reload (refresh token)
    // and the page says no.
    await page.goto(`${gatewayUrl}/console/users`);
    await page.getByTestId('forbidden').waitFor();
    await expectText(page.getByTestId('user-name'), user.displayName);
    await shot(page, '04-cadre-users-forbidden');

    // English, remembered across a reload.
    await page.getByTestId('nav-households').click();
    await page.getByTestId('language-en').click();
    await expectText(page.getByTestId('user-role'), ROLE_NAMES.village_cadre.en);
    await expectText(page.getByTestId('nav-households'), 'Households');
    await page.reload();
    await page.getByTestId('page-households').waitFor();
    await expectText(page.getByTestId('user-role'), ROLE_NAMES.village_cadre.en);
    await expectText(page.getByTestId('sign-out'), { contains: 'Sign out' });
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shot(page, '05-cadre-english');
    await page.getByTestId('language-zh').click();
    await expectText(page.getByTestId('user-role'), ROLE_NAMES.village_cadre.zh);

    await page.getByTestId('sign-out').click();
    await expectSignInPage(page);
    await expectText(page.getByTestId('sign-in-notice'), { contains: '退出登录' });
    await shot(page, '06-cadre-signed-out');
    // Signed out means signed out: a reload does not bring the session back.
    await page.goto(`${gatewayUrl}/console/households`);
    await expectSignInPage(page);
  });
});

test('the city administrator sees users and audit too', async () => {
  const user = await demoUser('admin');
  expect(user).toMatchObject({ role: 'city_admin', areaCode: '3607' });

  await inBrowser('admin', async (page) => {
    await signIn(page, 'admin');
    await page.waitForURL('**/console/households');
    await expectHeader(page, user, '赣州市');
    for (const key of ['households', 'reports', 'users', 'audit']) await expectVisible(page.getByTestId(`nav-${key}`));
    await expectNavigationOf(page, 'city_admin');

    await page.getByTestId('nav-users').click();
    await page.waitForURL('**/console/users');
    await expectText(page.getByTestId('page-title'), '用户管理');
    await shot(page, '07-admin-users');

    await page.getByTestId('nav-audit').click();
    await page.waitForURL('**/console/audit');
    await expectText(page.getByTestId('page-title'), '审计日志');
    await shot(page, '08-admin-audit');

    await page.getByTestId('sign-out').click();
    await expectSignInPage(page);
  });
});
