/**
 * The village cadre's path in a real browser, against the whole platform (registry, monitoring,
 * gateway serving the console): find a household in the list, open its form (一户一表), see a wrong
 * ID number refused inline, edit the housing so feature F6 (唯一住房是土坯房) triggers, save, see F6 in
 * the household's assessment and its warning arrive in the warnings inbox, acknowledge and dismiss it,
 * and meet a version conflict; then a bulk-import dry run, and a department officer's feed record.
 * Screenshots go to test-artifacts/e2e/household-warning/.
 *
 * Needs what tests/e2e/console.test.ts needs: `npm run infra:up`, `npm run build` and the console build.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { FEATURE_TEXT, type Household } from '@shouwang/domain';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { ARTIFACTS, ConsoleSuite, DEMO_PASSWORD, STEP_MS, expectText, expectVisible } from './support';

jest.setTimeout(180_000);

const suite = new ConsoleSuite('e2e-household-warning', path.join(ARTIFACTS, 'household-warning'));
beforeAll(() => suite.start(), 300_000);
afterAll(() => suite.stop(), 60_000);

/** The cadre's village (README: cadre.yudu). */
const VILLAGE = '360731101201';
/** A warning is raised by the monitoring service after the registry's event: allow it this long. */
const WARNING_WAIT_MS = 60_000;

const run = String(randomInt(1000, 9999));
const headName = `测试户主${run}`;
const headId = syntheticIdNumber(41, '1968-03-15');

/**
 * One member with low income (per capita 3 000 < the 2021 line of 6 000), employed (so no F3), an
 * ordinary labourer (no F2), in a brick-and-concrete house: no typical feature until the edit.
 */
function household(): Household {
  return {
    areaCode: VILLAGE,
    address: `E2E测试地址${run}号`,
    povertyStatus: 'none',
    members: [
      {
        name: headName,
        idNumber: headId,
        relation: 'head',
        birthDate: '1968-03-15',
        labour: 'ordinary',
        mainLabour: true,
        health: 'healthy',
        employed: true,
      },
    ],
    income: { year: 2021, wage: 3000, business: 0, property: 0, transfer: 0 },
    housing: { structure: 'brick_concrete', safetyGrade: 'B' },
    drinkingWaterSafe: true,
    medicalInsuranceEnrolled: true,
  };
}

async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${suite.gatewayUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Opens an antd Select (by its test id) and picks the option with this label. */
async function choose(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', {
    hasText: label,
  });
  await option.first().click();
  await expectText(
    page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-select-selection-item'),
    label,
  );
}

/** The inline error of the form item holding the control with this test id. */
const inlineError = (page: Page, testId: string): Locator =>
  page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-form-item-explain-error');

/** Polls (bounded) until `check` holds, clicking `refresh` between tries; fails naming `what`. */
async function eventually(what: string, refresh: () => Promise<void>, check: () => Promise<boolean>, ms: number) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await refresh();
    await new Promise((r) => setTimeout(r, 1500));
  }
  if (!(await check())) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

test('a cadre finds a household, edits it so F6 triggers, and sees the F6 warning in the inbox', async () => {
  const { body } = await suite.apiLogin('cadre.yudu', DEMO_PASSWORD);
  const token = body.accessToken!;
  const { household: created } = await api<{ household: { id: string; version: number } }>(
    'POST',
    '/households',
    token,
    household(),
  );
  const id = created.id;

  await suite.inBrowser(
    'cadre-f6',
    async (page) => {
      // 1. The list: search by the head's name.
      await suite.signIn(page, 'cadre.yudu');
      await page.waitForURL('**/console/households');
      await page.getByTestId('page-households').waitFor();
      await page.getByTestId('household-search').fill(headName);
      await page.getByTestId('household-search').press('Enter');
      const row = page.locator(`tr[data-row-key="${id}"]`);
      await expectText(row, { contains: headName });
      await expectText(page.getByTestId('household-total'), { contains: '1' });
      await suite.shot(page, '01-list-search');

      // 2. The household: its form, read-only until 编辑.
      await row.getByRole('link', { name: headName }).click();
      await page.waitForURL(`**/console/households/${id}`);
      await expectText(page.getByTestId('page-title'), headName);
      await expectText(page.getByTestId('household-version'), { contains: String(created.version) });
      expect(await page.getByTestId('field-address').inputValue()).toBe(household().address);
      expect(await page.getByTestId('field-address').isDisabled()).toBe(true);
      // The member's coded and yes/no fields show what was registered, in words.
      const shown = (testId: string) =>
        page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-select-selection-item');
      await expectText(shown('field-members.0.labour'), '普通劳动力');
      await expectText(shown('field-members.0.mainLabour'), '是');
      await expectText(shown('field-members.0.health'), '健康');
      await expectText(shown('field-members.0.employed'), '是');
      await suite.shot(page, '02-household-form');

      // 3. A wrong ID number: refused by the server, the error shown on that very field.
      await page.getByTestId('household-edit').click();
      const idInput = page.getByTestId('field-members.0.idNumber');
      await idInput.fill(`${headId.slice(0, 17)}${headId[17] === '0' ? '1' : '0'}`);
      await page.getByTestId('household-save').click();
      await expectText(inlineError(page, 'field-members.0.idNumber'), { contains: '身份证号' });
      await expectVisible(page.getByTestId('household-errors'));
      await suite.shot(page, '03-inline-field-error');

      // 4. The edit that makes F6: the only home is a mud-brick house.
      await idInput.fill(headId);
      await choose(page, 'field-housing.structure', '土坯房');
      await choose(page, 'field-housing.onlyHome', '是');
      await page.getByTestId('household-save').click();
      await expectText(page.getByTestId('household-version'), { contains: String(created.version + 1) });
      await expectVisible(page.getByTestId('household-edit')); // back to reading
      expect(await inlineError(page, 'field-members.0.idNumber').count()).toBe(0);
      await suite.shot(page, '04-saved');

      // 5. The history names the change.
      await page.getByTestId('tab-history').click();
      await expectText(page.getByTestId('household-history'), { contains: '土坯房' });
      await suite.shot(page, '05-history');

      // 6. The assessment shows F6 with its Chinese text (the monitoring service assesses the new version).
      await page.getByTestId('tab-assessment').click();
      const f6 = page.getByTestId('assessment-feature-F6');
      await eventually(
        'F6 in the assessment',
        () => page.getByTestId('assessment-refresh').click(),
        async () => (await f6.count()) > 0,
        WARNING_WAIT_MS,
      );
      await expectText(f6, { contains: FEATURE_TEXT.F6.zh });
      await expectText(page.getByTestId('assessment-below-line'), '低于监测标准');
      await suite.shot(page, '06-assessment');

      // 7. The warnings inbox: the F6 warning of this household, open, then acknowledged.
      await page.getByTestId('nav-warnings').click();
      await page.waitForURL('**/console/warnings');
      await expectText(page.getByTestId('page-title'), '预警处置');
      const warning = page.locator(`tr[data-household="${id}"][data-cause="F6"]`);
      await eventually(
        'the F6 warning in the inbox',
        () => page.getByTestId('warnings-refresh').click(),
        async () => (await warning.count()) > 0,
        WARNING_WAIT_MS,
      );
      await expectText(warning, { contains: FEATURE_TEXT.F6.zh });
      await expectText(warning.getByTestId('warning-status'), '待处置');
      await suite.shot(page, '07-warnings-inbox');

      await warning.getByTestId('warning-acknowledge').click();
      await expectText(warning.getByTestId('warning-status'), '已确认');
      await suite.shot(page, '08-warning-acknowledged');

      // Dismissing asks for a reason first.
      await warning.getByTestId('warning-dismiss').click();
      await page.getByTestId('dismiss-ok').click();
      await expectText(inlineError(page, 'dismiss-reason'), '请填写忽略原因');
      await page.getByTestId('dismiss-reason').fill('入户核实：已列入危房改造计划，下月开工');
      await page.getByTestId('dismiss-ok').click();
      await expectText(warning.getByTestId('warning-status'), '已忽略');
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await suite.shot(page, '08b-warning-dismissed');

      // 8. The warning's household link leads back to the household.
      await warning.getByTestId('warning-household').click();
      await page.waitForURL(`**/console/households/${id}`, { timeout: STEP_MS });
      await expectText(page.getByTestId('page-title'), headName);

      // 9. Someone else saves meanwhile: this save is refused (412) and the page offers the latest version.
      const read = await fetch(`${suite.gatewayUrl}/api/v1/households/${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const etag = read.headers.get('etag') ?? '';
      const { household: latest } = (await read.json()) as { household: Record<string, unknown> };
      const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...fields } = latest;
      const put = await fetch(`${suite.gatewayUrl}/api/v1/households/${id}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify({ ...fields, address: `E2E他人修改${run}号` }),
      });
      expect(put.status).toBe(200);

      await page.getByTestId('household-edit').click();
      await page.getByTestId('field-address').fill(`E2E本人修改${run}号`);
      await page.getByTestId('household-save').click();
      await expectText(page.getByTestId('household-conflict'), { contains: '已被他人修改，请刷新' });
      await suite.shot(page, '09-version-conflict');
      await page.getByTestId('household-reload').click();
      await expectText(page.getByTestId('household-version'), { contains: String(created.version + 2) });
      expect(await page.getByTestId('field-address').inputValue()).toBe(`E2E他人修改${run}号`);
    },
    [400, 412],
  );

  // The server agrees: one F6 warning for the household, dismissed.
  const { warnings } = await api<{ warnings: { cause: string; status: string }[] }>(
    'GET',
    `/warnings?householdId=${id}&cause=F6`,
    token,
  );
  expect(warnings.map((w) => [w.cause, w.status])).toEqual([['F6', 'dismissed']]);
});

test('a cadre dry-runs a bulk import and sees its progress and the rows in error', async () => {
  // Headers may be the column keys; one valid household, and one whose member has no relation.
  const csv = [
    'householdKey,areaCode,address,povertyStatus,housing.structure,housing.safetyGrade,name,relation,idNumber',
    `A,${VILLAGE},E2E导入${run}-1号,none,brick_concrete,A,导入甲${run},head,${syntheticIdNumber(43, '1975-06-01')}`,
    `B,${VILLAGE},E2E导入${run}-2号,none,brick_concrete,A,导入乙${run},,${syntheticIdNumber(44, '1980-07-02')}`,
  ].join('\r\n');

  await suite.inBrowser('cadre-import', async (page) => {
    await suite.signIn(page, 'cadre.yudu');
    await page.waitForURL('**/console/households');
    await page.getByTestId('household-import').click();
    await page.waitForURL('**/console/households/import');
    await page.locator('input[type=file]').setInputFiles({
      name: 'households.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await expectText(page.getByTestId('import-file'), { contains: 'households.csv' });
    await page.getByTestId('import-dry-run').click();

    const job = page.getByTestId('import-job');
    await expectVisible(job);
    await eventually(
      'the dry run to finish',
      async () => undefined,
      async () => (await job.getAttribute('data-status')) !== 'running',
      WARNING_WAIT_MS,
    );
    expect(await job.getAttribute('data-status')).toBe('succeeded');
    await expectText(page.getByTestId('import-status'), '已完成');
    await expectText(page.getByTestId('import-count-invalid'), { contains: '1' });
    await expectText(page.getByTestId('import-errors'), { contains: '与户主关系' });
    await expectVisible(page.getByTestId('import-errors-csv'));
    await suite.shot(page, '10-import-dry-run');
  });

  // A dry run writes nothing: the valid household of the file is not registered.
  const { body } = await suite.apiLogin('cadre.yudu', DEMO_PASSWORD);
  const { total } = await api<{ total: number }>(
    'GET',
    `/households?q=${encodeURIComponent(`导入甲${run}`)}`,
    body.accessToken!,
  );
  expect(total).toBe(0);
});

test('a health officer posts a medical-insurance record; a wrong ID number is refused on its field', async () => {
  await suite.inBrowser(
    'department-feed',
    async (page) => {
      await suite.signIn(page, 'dept.health');
      await page.waitForURL('**/console/feeds');
      await expectText(page.getByTestId('page-title'), '部门数据');
      const form = page.getByTestId('feed-form');
      expect(await form.getAttribute('data-department')).toBe('medical_insurance');

      await page.getByTestId('feed-field-idNumber').fill('36073119800101903');
      await page.getByTestId('feed-field-year').fill('2021');
      await page.getByTestId('feed-field-selfPaid').fill('15234.5');
      await page.getByTestId('feed-field-occurredOn').fill('2021-05-03');
      await page.getByTestId('feed-field-occurredOn').press('Enter');
      await page.getByTestId('feed-submit').click();
      await expectVisible(inlineError(page, 'feed-field-idNumber'));
      await expectVisible(page.getByTestId('feed-errors'));
      await suite.shot(page, '11-feed-field-error');

      await page.getByTestId('feed-field-idNumber').fill(syntheticIdNumber(42, '1980-01-01'));
      await page.getByTestId('feed-submit').click();
      await expectText(page.getByTestId('feed-accepted'), { contains: '已接收 1 条记录' });
      await suite.shot(page, '12-feed-accepted');
    },
    [400],
  );
});
