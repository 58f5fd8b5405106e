/**
 * One application (识别认定) in a real browser from a warning to approval, against the whole platform:
 * the village cadre turns the household's F6 warning into an application (commitment and asset-check
 * authorisation ticked), verifies it (村级核实) so its public notice opens, downloads the notice PDF,
 * records and dismisses an objection, is refused closing the notice before its end date (409 shown on
 * the page), and closes it once the service clock has moved past the end; the township officer reviews it
 * on the board (乡镇复核); the county officer approves it (县级审批), is asked for an override reason
 * because the county's quota is set small (409 quota_override_required), gives it, and sees the case
 * approved with its policy start date and the household identified; the quota gauge shows the county
 * beyond its quota. The city administrator sets the quota through the API first, and reads the case's
 * audit entries on the case page last. Screenshots go to test-artifacts/e2e/case-approval/.
 *
 * The identification service reads "now" from a clock file (CLOCK_FILE, tests/integration/support.ts
 * testClock), so the notice can end without waiting five days.
 *
 * Needs what tests/e2e/console.test.ts needs: `npm run infra:up`, `npm run build` and the console build.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { addDays, policyStartDate, type Household } from '@shouwang/domain';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { testClock } from '../integration/support';
import { ARTIFACTS, ConsoleSuite, DEMO_PASSWORD, expectText, expectVisible } from './support';

jest.setTimeout(420_000);

const clock = testClock('e2e-case-approval');
const suite = new ConsoleSuite('e2e-case-approval', path.join(ARTIFACTS, 'case-approval'), { env: clock.env });
beforeAll(() => suite.start(), 300_000);
afterAll(async () => {
  try {
    await suite.stop();
  } finally {
    clock.remove();
  }
}, 60_000);

/** The demo users' village, township and county (README: cadre.yudu, township.yudu, county.yudu). */
const VILLAGE = '360731101201';
const COUNTY = '360731';
/** The service's "today" while the case is submitted and verified; the notice runs DAY0 … DAY0+4. */
const DAY0 = '2026-12-07';
const NOTICE_END = addDays(DAY0, 4);
const AFTER_NOTICE = addDays(DAY0, 5);
/**
 * A warning is raised by the monitoring service after the registry's event: allow it this long (a test
 * platform's monitoring also assesses the households other platforms publish on the shared Kafka, so
 * it lags while other suites run).
 */
const WARNING_WAIT_MS = 180_000;

const run = String(randomInt(1000, 9999));
const headName = `认定户主${run}`;

/**
 * Three persons in a mud-brick house that is their only home (F6), income below the line. The county's
 * quota is set to Q = 2 (population 40 × 0.05) with a hard limit of 3 (override ratio 0.5), so approving
 * these three persons needs an override reason.
 */
function household(): Household {
  const person = (n: number, name: string, relation: 'head' | 'spouse' | 'child', birthDate: string) => ({
    name,
    idNumber: syntheticIdNumber(n, birthDate),
    relation,
    birthDate,
    labour: 'ordinary' as const,
    mainLabour: relation === 'head',
    health: 'healthy' as const,
    employed: relation !== 'child',
  });
  return {
    areaCode: VILLAGE,
    address: `E2E认定地址${run}号`,
    povertyStatus: 'none',
    members: [
      person(51, headName, 'head', '1970-04-02'),
      person(52, `认定配偶${run}`, 'spouse', '1972-08-19'),
      person(53, `认定子女${run}`, 'child', '2001-01-23'),
    ],
    income: { year: 2021, wage: 6000, business: 0, property: 0, transfer: 0 },
    housing: { structure: 'mud_brick', onlyHome: true, safetyGrade: 'C' },
    drinkingWaterSafe: true,
    medicalInsuranceEnrolled: true,
  };
}

async function api<T>(method: string, apiPath: string, user: string, body?: unknown): Promise<T> {
  const { status, body: login } = await suite.apiLogin(user, DEMO_PASSWORD);
  if (status !== 200) throw new Error(`API sign-in as ${user} answered ${status}`);
  const res = await fetch(`${suite.gatewayUrl}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${apiPath} as ${user} answered ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Polls (bounded) until `check` gives a value; fails naming `what`. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** The confirm button of the Popconfirm open now (closed ones stay in the page, hidden). */
const openConfirm = (page: Page): Locator =>
  page.locator('.ant-popover:not(.ant-popover-hidden) [data-testid="case-action-confirm"]');

/** Clicks a step's button and confirms it. */
async function takeStep(page: Page, scope: Page | Locator, action: string): Promise<void> {
  await scope.getByTestId(`case-action-${action}`).click();
  await openConfirm(page).click();
}

const inlineError = (page: Page, testId: string): Locator =>
  page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-form-item-explain-error');

let householdId = '';
let caseId = '';

test('a case goes from a warning to approval: village cadre, township officer, county officer', async () => {
  // The city administrator configures the county's quota (Q = 2, hard limit 3).
  await api('PUT', `/workflow-policy/${COUNTY}`, 'admin', {
    policy: { registeredPoorPopulation: 40, quotaRatio: 0.05, overrideRatio: 0.5, noticeDays: 5, decisionDays: 15 },
    version: 0,
  });
  clock.setDate(DAY0);

  // The household and its F6 warning (the monitoring service assesses it after the registry's event).
  const { household: created } = await api<{ household: { id: string } }>(
    'POST',
    '/households',
    'cadre.yudu',
    household(),
  );
  householdId = created.id;
  let seen: string[] = [];
  const warningId = await eventually(
    'the F6 warning of the new household',
    async () => {
      const { warnings } = await api<{ warnings: { id: string; cause: string }[] }>(
        'GET',
        `/warnings?householdId=${householdId}`,
        'cadre.yudu',
      );
      seen = warnings.map((w) => w.cause);
      return warnings.find((w) => w.cause === 'F6')?.id;
    },
    WARNING_WAIT_MS,
  ).catch((e: Error) => {
    throw new Error(`${e.message} (warnings seen: ${seen.join(', ') || 'none'})`);
  });

  // 1. The village cadre: warning → application → verification → notice → objection → close.
  await suite.inBrowser(
    'cadre',
    async (page) => {
      await suite.signIn(page, 'cadre.yudu');
      await page.waitForURL('**/console/households');
      await page.goto(`${suite.gatewayUrl}/console/warnings?householdId=${householdId}`);
      const warning = page.locator(`tr[data-household="${householdId}"][data-cause="F6"]`);
      await expectVisible(warning);
      await warning.getByTestId('warning-convert').click();

      // Both consents are required before anything is sent.
      await expectVisible(page.getByTestId('application-form'));
      await page.getByTestId('application-submit').click();
      await expectText(inlineError(page, 'application-commitment'), '须签署承诺书');
      await expectText(inlineError(page, 'application-asset-check'), '须授权核查家庭财产');
      await page.getByTestId('application-commitment').check();
      await page.getByTestId('application-asset-check').check();
      await page.getByTestId('application-commitment-ref').fill(`CN-${run}`);
      await suite.shot(page, '01-application-form');
      await page.getByTestId('application-submit').click();

      // The new case: 村级核实, submitted from the warning.
      await page.waitForURL(/\/console\/cases\/[\w-]+$/);
      caseId = decodeURIComponent(page.url().split('/').pop()!);
      await expectText(page.getByTestId('case-state'), '村级核实');
      await expectText(page.getByTestId('page-title'), headName);
      await expectText(page.getByTestId('case-facts'), { contains: '预警转申请' });
      await expectText(page.getByTestId('case-documents'), { contains: `CN-${run}` });
      await expectVisible(page.getByTestId('step-submit'));
      await suite.shot(page, '02-case-submitted');

      // 村级核实 → 村内公示: the notice runs DAY0 … DAY0+4.
      await takeStep(page, page, 'verify');
      await expectText(page.getByTestId('case-state'), '村内公示');
      await expectText(page.getByTestId('notice-period'), { contains: `${DAY0} 至 ${NOTICE_END}` });

      // The village's notice as a PDF.
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('notice-pdf').click()]);
      expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
      const pdfPath = await pdf.path();
      expect(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      // An objection during the notice, recorded and dismissed.
      await page.getByTestId('objection-lodge').click();
      await page.getByTestId('objection-summary').fill('群众反映该户有外出务工收入，需核实');
      // A date after the service's today is refused on the field (400). (Enter in the date field takes
      // the typed date and submits the form.)
      await page.getByTestId('objection-lodged-on').fill(addDays(DAY0, 1));
      await page.getByTestId('objection-lodged-on').press('Enter');
      await expectVisible(inlineError(page, 'objection-lodged-on'));
      await page.getByTestId('objection-lodged-on').fill(DAY0);
      await page.getByTestId('objection-lodged-on').press('Enter');
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await expectText(page.getByTestId('objections-unresolved'), { contains: '1 条异议待处理' });
      await page.getByTestId('objection-resolve').click();
      await page.getByTestId('objection-note').fill('入户核实：务工收入已计入，仍低于监测标准');
      await page.getByTestId('objection-resolve-ok').click();
      await expectText(page.getByTestId('objection-resolution'), '不成立');
      await suite.shot(page, '03-notice-objection');

      // Closing before the end date is refused, and the page says why (409 notice_not_ended).
      await takeStep(page, page, 'close_notice');
      const refusal = page.getByTestId('case-action-error');
      await expectVisible(refusal);
      expect(await refusal.getAttribute('data-code')).toBe('notice_not_ended');
      expect(await refusal.getAttribute('data-status')).toBe('409');
      await expectText(page.getByTestId('case-state'), '村内公示');
      await suite.shot(page, '04-close-refused');

      // The day after the notice ends it closes: on to the township.
      clock.setDate(AFTER_NOTICE);
      await takeStep(page, page, 'close_notice');
      await expectText(page.getByTestId('case-state'), '乡镇复核');
      expect(await refusal.count()).toBe(0);
      await suite.shot(page, '05-notice-closed');
    },
    [400, 409],
  );
  expect(caseId).not.toBe('');

  // 2. The township officer reviews it on the board (which opens on 乡镇复核 for that role).
  await suite.inBrowser('township', async (page) => {
    await suite.signIn(page, 'township.yudu');
    await page.waitForURL('**/console/households');
    await page.getByTestId('nav-cases').click();
    await page.waitForURL('**/console/cases');
    expect(await page.getByTestId('page-cases').getAttribute('data-state')).toBe('township_review');
    const row = page.locator(`tr[data-row-key="${caseId}"]`);
    await expectText(row, { contains: headName });
    await expectText(row.getByTestId('case-state'), '乡镇复核');
    // Only the township's own step is offered: review, return, reject.
    expect(await row.getByTestId('case-action-approve').count()).toBe(0);
    await suite.shot(page, '06-township-board');
    await takeStep(page, row, 'review');
    await expectText(row.getByTestId('case-state'), '县级审批');
    await suite.shot(page, '07-township-reviewed');
  });

  // 3. The county officer approves it: beyond Q, so with an override reason.
  const approvedOn = AFTER_NOTICE;
  await suite.inBrowser(
    'county',
    async (page) => {
      await suite.signIn(page, 'county.yudu');
      await page.waitForURL('**/console/households');
      await page.goto(`${suite.gatewayUrl}/console/cases`);
      expect(await page.getByTestId('page-cases').getAttribute('data-state')).toBe('county_review');
      const row = page.locator(`tr[data-row-key="${caseId}"]`);
      await expectText(row.getByTestId('case-state'), '县级审批');
      await takeStep(page, row, 'approve');

      await expectText(page.getByTestId('override-note'), { contains: '超过规模 2 人' });
      await suite.shot(page, '08-override-asked');
      await page.getByTestId('case-input-ok').click();
      await expectText(inlineError(page, 'case-input-text'), '请填写超规模理由');
      await page
        .getByTestId('case-input-text')
        .fill('该户住房为唯一土坯房且收入低于监测标准，经县领导小组研究同意超规模认定');
      await page.getByTestId('case-input-ok').click();
      await expectText(row.getByTestId('case-state'), '已认定');

      // The case page: approved, policies from the first day of the next month, the household identified.
      await row.getByTestId('case-open').click();
      await page.waitForURL(`**/console/cases/${caseId}`);
      await expectText(page.getByTestId('case-state'), '已认定');
      await expectText(page.getByTestId('case-policy-start'), policyStartDate(approvedOn));
      await expectText(page.getByTestId('case-override-reason'), { contains: '超规模认定' });
      await expectText(page.getByTestId('identification-status'), { contains: '相对贫困户' });
      expect(await page.getByTestId('identification-status').getAttribute('data-status')).toBe('identified');
      for (const step of [
        'submit',
        'verify',
        'lodge_objection',
        'resolve_objection',
        'close_notice',
        'review',
        'approve',
      ])
        await expectVisible(page.getByTestId('case-timeline').getByTestId(`step-${step}`));
      expect(await page.getByTestId(`step-approve`).getAttribute('data-actor')).toBe('county.yudu');
      await expectVisible(page.getByTestId('case-audit-note')); // the trail is for auditors and the city
      expect(await page.getByTestId('case-actions').count()).toBe(0); // nothing left to do
      await suite.shot(page, '09-case-approved');

      // The household page shows the identification too.
      await page.getByTestId('case-household').click();
      await page.waitForURL(`**/console/households/${householdId}`);
      await expectText(page.getByTestId('identification-status'), {
        contains: `政策享受自 ${policyStartDate(approvedOn)}`,
      });

      // The quota gauge: 3 identified against Q = 2, hard limit 3.
      await page.getByTestId('nav-quota').click();
      await page.waitForURL('**/console/quota');
      await expectText(page.getByTestId('quota-used'), { contains: '3' });
      await expectText(page.getByTestId('quota-quota'), { contains: '2' });
      await expectText(page.getByTestId('quota-hard-limit'), { contains: '3' });
      expect(await page.getByTestId('quota-status').getAttribute('data-level')).toBe('over');
      await suite.shot(page, '10-quota');
    },
    [409],
  );

  // 4. The city administrator reads the case's audit entries on its page.
  await suite.inBrowser('admin-audit', async (page) => {
    await suite.signIn(page, 'admin');
    await page.waitForURL('**/console/households');
    await page.goto(`${suite.gatewayUrl}/console/cases/${caseId}`);
    await expectText(page.getByTestId('case-state'), '已认定');
    const audit = page.getByTestId('case-audit');
    await expectVisible(audit.locator('tr[data-action="case.approve"]'));
    await expectVisible(audit.locator('tr[data-action="case.verify"]'));
    await suite.shot(page, '11-case-audit');
  });

  // The server agrees: the household is identified by this case, its warning converted to it.
  const { identification } = await api<{ identification: Record<string, unknown> }>(
    'GET',
    `/households/${householdId}/identification`,
    'county.yudu',
  );
  expect(identification).toMatchObject({
    status: 'identified',
    caseId,
    persons: 3,
    policyStartDate: policyStartDate(approvedOn),
  });
  const { warnings } = await api<{ warnings: { id: string; status: string; applicationId?: string }[] }>(
    'GET',
    `/warnings?householdId=${householdId}&cause=F6`,
    'cadre.yudu',
  );
  expect(warnings.find((w) => w.id === warningId)).toMatchObject({ status: 'converted', applicationId: caseId });
});
