/**
 * The web console in a real browser: Debian's headless Chromium, driven by playwright-core, against the
 * whole platform (gateway serving the console build at /console/, identification, reporting, on the local
 * Kafka, FerretDB and Redis). Signs in as two roles and checks what each sees. Screenshots of every step
 * go to test-artifacts/e2e/*.png (and <step>-failure.png when a step fails).
 *
 * Needs: `npm run infra:up`, `npm run build` (services) and the console build
 * (`npm run build -w services/gateway/console`); Chromium comes from infra/tools/chromium.sh (apt).
 */
import type { Page } from 'playwright-core';
import { NAVIGATION, ROLE_NAMES, can, countyName, syntheticAreas, type Role } from '@shouwang/domain';
import { ConsoleSuite, expectText, expectVisible, type PublicUser } from './support';

jest.setTimeout(90_000);

const suite = new ConsoleSuite('e2e-console');
const shot = (page: Page, name: string) => suite.shot(page, name);
const inBrowser = (name: string, steps: (page: Page) => Promise<void>) => suite.inBrowser(name, steps);
const signIn = (page: Page, username: string) => suite.signIn(page, username);

beforeAll(() => suite.start(), 300_000);
afterAll(() => suite.stop(), 60_000);

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
  const { status, body } = await suite.apiLogin('nobody.e2e', 'not-the-password');
  expect(status).toBe(401);
  const messageZh = body.error?.messageZh ?? '';
  expect(messageZh).toMatch(/[\u4e00-\u9fff]/);

  await inBrowser('sign-in', async (page) => {
    await page.goto(`${suite.gatewayUrl}/`);
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
  const user = await suite.demoUser('cadre.yudu');
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
    await page.goto(`${suite.gatewayUrl}/console/users`);
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
    await page.goto(`${suite.gatewayUrl}/console/households`);
    await expectSignInPage(page);
  });
});

test('the city administrator sees users and audit too', async () => {
  const user = await suite.demoUser('admin');
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
