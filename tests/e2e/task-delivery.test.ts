/**
 * One assistance task (帮扶任务) in a real browser from a department's queue to delivered, against the
 * whole platform: a household with a seriously ill member whose self-paid medical costs exceed 40 % of
 * the net income (F4) is registered, assessed by monitoring and included directly by the county officer
 * (it is in the national system), so the assistance service plans M4 (medical) for it with a task for
 * medical insurance. The medical-insurance officer of the county opens 帮扶任务, accepts the M4 task,
 * is told inline that a delivery date after the service's today is refused (400), is told the task was
 * changed meanwhile when a colleague's delivery came first (412, reload), and records a delivery with a
 * date, an amount and a note; the task shows delivered with both deliveries. The village cadre then sees
 * the delivered amount on the household's 帮扶计划 tab, and records love-supermarket points (a spend
 * beyond the balance refused: 409) and a red-list entry. Screenshots go to test-artifacts/e2e/task-delivery/.
 *
 * Identification reads "now" from a clock file (CLOCK_FILE, tests/integration/support.ts testClock): the
 * household is identified 60 days ago (policies from the first of the month after), so its tasks have
 * started by today; the clock is then set to today, the day the deliveries are recorded (the assistance
 * service judges delivery dates against its today, the real one or the same clock file).
 *
 * Needs what tests/e2e/console.test.ts needs: `npm run infra:up`, `npm run build` and the console build.
 */
import { randomInt } from 'node:crypto';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { addDays, policyStartDate, todayInChina } from '@shouwang/domain';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { testClock } from '../integration/support';
import { ARTIFACTS, ConsoleSuite, DEMO_PASSWORD, expectText, expectVisible } from './support';

jest.setTimeout(600_000);

const clock = testClock('e2e-task-delivery');
const suite = new ConsoleSuite('e2e-task-delivery', path.join(ARTIFACTS, 'task-delivery'), { env: clock.env });
beforeAll(() => suite.start(), 300_000);
afterAll(async () => {
  try {
    await suite.stop();
  } finally {
    clock.remove();
  }
}, 60_000);

/** The demo users' village and county (README: cadre.yudu, county.yudu). */
const VILLAGE = '360731101201';
const COUNTY = '360731';
const TODAY = todayInChina();
/** Identified on DAY0: policies (and the tasks) start on the first of the next month, before TODAY. */
const DAY0 = addDays(TODAY, -60);
const POLICY_START = policyStartDate(DAY0);
/** A colleague's delivery on the first day, the officer's a week later; tomorrow is refused. */
const COLLEAGUE_DELIVERY = POLICY_START;
const DELIVERED_ON = addDays(POLICY_START, 7);
const TOMORROW = addDays(TODAY, 1);
/**
 * Monitoring assesses the household after the registry's event: allow it this long (a test platform's
 * monitoring also assesses the households other platforms publish on the shared Kafka).
 */
const ASSESSMENT_WAIT_MS = 300_000;

const run = String(randomInt(1000, 9999));
const headName = `帮扶户主${run}`;
const OFFICER = `mi.e2e${run}`;

/**
 * Two adults earning 2 000 yuan each; the spouse is seriously ill and the household paid 3 000 yuan of
 * medical costs itself, more than 40 % of its net income (F4). The head works, so no other cause.
 */
function household() {
  const person = (n: number, name: string, relation: 'head' | 'spouse', birthDate: string, ill: boolean) => ({
    name,
    idNumber: syntheticIdNumber(n, birthDate),
    relation,
    birthDate,
    labour: ill ? ('weak_or_half' as const) : ('ordinary' as const),
    mainLabour: !ill,
    health: ill ? ('serious_illness' as const) : ('healthy' as const),
    employed: !ill,
    education: 'junior' as const,
    inSchool: false,
    hasGuardian: true,
    hasSupporter: true,
  });
  return {
    areaCode: VILLAGE,
    address: `E2E帮扶地址${run}号`,
    povertyStatus: 'none',
    nationalSystemId: `NS-E2E-${run}`,
    members: [
      person(61, headName, 'head', '1972-03-04', false),
      person(62, `帮扶配偶${run}`, 'spouse', '1974-05-06', true),
    ],
    income: { year: 2021, wage: 4000, business: 0, property: 0, transfer: 0 },
    expenses: { medicalSelfPaid: 3000, education: 0 },
    housing: { structure: 'brick_concrete', onlyHome: true, safetyGrade: 'B' },
    industry: { covered: true, failedDueToForceMajeure: false },
    drinkingWaterSafe: true,
    medicalInsuranceEnrolled: true,
  };
}

async function api<T>(
  method: string,
  apiPath: string,
  user: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const { status, body: login } = await suite.apiLogin(user, DEMO_PASSWORD);
  if (status !== 200) throw new Error(`API sign-in as ${user} answered ${status}`);
  const res = await fetch(`${suite.gatewayUrl}/api/v1${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${login.accessToken}`, 'content-type': 'application/json', ...headers },
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
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const inlineError = (page: Page, testId: string): Locator =>
  page.locator('.ant-form-item', { has: page.getByTestId(testId) }).locator('.ant-form-item-explain-error');

/** Fills the open delivery dialog (the date last: Enter takes the typed date) and sends it. */
async function deliver(page: Page, row: Locator, deliveredOn: string, amount: string, note: string): Promise<void> {
  await row.getByTestId('task-action-deliver').click();
  await expectVisible(page.getByTestId('task-deliver-form'));
  await page.getByTestId('task-amount').fill(amount);
  await page.getByTestId('task-note').fill(note);
  await page.getByTestId('task-delivered-on').fill(deliveredOn);
  await page.getByTestId('task-delivered-on').press('Enter');
  await page.getByTestId('task-deliver-ok').click();
}

interface TaskJson {
  id: string;
  measureCode: string;
  department: string;
  state: string;
  version: number;
}

test('a medical-insurance officer takes the M4 task from the queue to delivered; the cadre sees it on the plan', async () => {
  clock.setDate(DAY0);
  // The county's parameters (direct inclusion counts against its quota) and the officer of medical
  // insurance of the county.
  await api('PUT', `/workflow-policy/${COUNTY}`, 'admin', {
    policy: { registeredPoorPopulation: 2000, quotaRatio: 0.05, overrideRatio: 0.1, noticeDays: 5, decisionDays: 15 },
    version: 0,
  });
  await api('POST', '/users', 'admin', {
    username: OFFICER,
    password: DEMO_PASSWORD,
    displayName: `医保干部${run}`,
    role: 'department_officer',
    areaCode: COUNTY,
    department: 'medical_insurance',
  });

  // The household, its assessment (the causes approval reads), its direct inclusion and its plan.
  const { household: created } = await api<{ household: { id: string } }>(
    'POST',
    '/households',
    'cadre.yudu',
    household(),
  );
  const householdId = created.id;
  let seen: string[] = [];
  await eventually(
    'the F4 assessment of the new household',
    async () => {
      const { assessment } = await api<{ assessment: { features: string[] } }>(
        'GET',
        `/households/${householdId}/assessment`,
        'admin',
      );
      seen = assessment.features;
      return assessment.features.includes('F4') ? true : undefined;
    },
    ASSESSMENT_WAIT_MS,
  ).catch((e: Error) => {
    throw new Error(`${e.message} (features seen: ${seen.join(', ') || 'none'})`);
  });
  const inclusion = await api<{ case: { causes: string[]; policyStartDate: string } }>(
    'POST',
    '/direct-inclusions',
    'county.yudu',
    { householdId, note: '已录入全国系统' },
  );
  expect(inclusion.case).toMatchObject({ policyStartDate: POLICY_START });
  expect(inclusion.case.causes).toContain('F4');
  const plan = await eventually(
    'the plan of the household',
    async () =>
      (await api<{ plan: { measures: { code: string }[] } }>('GET', `/households/${householdId}/plan`, 'county.yudu'))
        .plan,
    60_000,
  );
  expect(plan.measures.map((x) => x.code)).toContain('M4');
  clock.setDate(TODAY);

  // 1. The medical-insurance officer: the queue, accept, a refused date, a colleague first, delivered.
  const row = (page: Page) => page.locator(`tr[data-household="${householdId}"][data-measure="M4"]`);
  await suite.inBrowser(
    'officer',
    async (page) => {
      await suite.signIn(page, OFFICER);
      await page.waitForURL((u) => !u.pathname.endsWith('/sign-in'));
      await page.getByTestId('nav-tasks').click();
      await page.waitForURL('**/console/tasks');
      await expectText(page.getByTestId('tasks-department'), '医疗保障');
      const task = row(page);
      await expectVisible(task);
      // Only the officer's own department is listed.
      expect(await page.locator(`tr[data-household="${householdId}"]`).count()).toBe(1);
      expect(await task.getAttribute('data-department')).toBe('medical_insurance');
      await expectText(task.getByTestId('task-head'), headName);
      await expectText(task.getByTestId('task-measure'), { contains: 'M4 医疗保障' });
      await expectText(task.getByTestId('task-dates'), { contains: POLICY_START });
      await expectText(task.getByTestId('task-state'), '待受理');
      expect(await task.getByTestId('task-action-deliver').count()).toBe(0); // accept first
      await suite.shot(page, '01-queue');

      // Accept.
      await task.getByTestId('task-action-accept').click();
      await page.locator('.ant-popover:not(.ant-popover-hidden) [data-testid="task-action-confirm"]').click();
      await expectText(task.getByTestId('task-state'), '已受理');

      // A date after the service's today is refused on the field (400 deliveredOn); the dialog stays.
      await deliver(page, task, TOMORROW, '1500.5', '住院费用按政策报销');
      await expectVisible(inlineError(page, 'task-delivered-on'));
      await expectText(page.getByTestId('task-amount-limit'), { contains: '没有金额上限' });
      await suite.shot(page, '02-date-refused');
      await page.getByTestId('task-deliver-cancel').click();
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });

      // A colleague records a delivery first: the page's version is stale, the officer is told (412).
      const [accepted] = (
        await api<{ tasks: TaskJson[] }>('GET', `/tasks?householdId=${householdId}`, OFFICER)
      ).tasks.filter((x) => x.measureCode === 'M4');
      expect(accepted).toMatchObject({ state: 'accepted', department: 'medical_insurance' });
      await api(
        'POST',
        `/tasks/${accepted!.id}/actions`,
        OFFICER,
        { action: 'deliver', deliveredOn: COLLEAGUE_DELIVERY, amountYuan: 500 },
        {
          'if-match': `"${accepted!.version}"`,
        },
      );
      await deliver(page, task, DELIVERED_ON, '1500.5', '住院费用按政策报销');
      const refusal = page.getByTestId('task-action-error');
      await expectVisible(refusal);
      expect(await refusal.getAttribute('data-status')).toBe('412');
      await expectText(refusal, { contains: '已被他人办理' });
      await suite.shot(page, '03-changed-meanwhile');
      await page.getByTestId('task-reload').click();
      await expectText(task.getByTestId('task-state'), '已落实');
      expect(await task.getByTestId('task-deliveries').getAttribute('data-count')).toBe('1');
      expect(await refusal.count()).toBe(0);

      // Delivered (again: a measure may be delivered in instalments) with the date, amount and note.
      await deliver(page, task, DELIVERED_ON, '1500.5', '住院费用按政策报销');
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await expectText(task.getByTestId('task-state'), '已落实');
      const deliveries = task.getByTestId('task-deliveries');
      await expectText(deliveries, { contains: DELIVERED_ON });
      expect(await deliveries.getAttribute('data-count')).toBe('2');
      expect(await deliveries.getAttribute('data-amount')).toBe('2000.5');
      await expectText(deliveries, { contains: '2,000.5 元' });
      await suite.shot(page, '04-delivered');

      // The delivered filter lists it.
      await page.getByTestId('tasks-state-filter').click();
      await page.locator('.ant-select-item-option', { hasText: '已落实' }).click();
      await page.waitForURL(/\/console\/tasks\?state=delivered$/);
      await expectVisible(row(page));

      // The measure catalogue, read-only for the officer: M4 with its departments and no amount limit.
      await page.getByTestId('nav-measures').click();
      await page.waitForURL('**/console/measures');
      const m4 = page.locator('tr[data-code="M4"]');
      await expectText(m4.getByTestId('measure-departments'), { contains: '医疗保障' });
      await expectText(m4.getByTestId('measure-amount-limit'), '无');
      expect(await page.locator('[data-testid="measures-table"] tr[data-code]').count()).toBe(10);
      expect(await page.getByTestId('measure-edit').count()).toBe(0);
      await suite.shot(page, '05-measures');
    },
    [400, 412],
  );

  // The server agrees: two deliveries by the officer, the task delivered.
  const { tasks } = await api<{ tasks: (TaskJson & { deliveries: { amountYuan: number; recordedBy: string }[] })[] }>(
    'GET',
    `/tasks?householdId=${householdId}&department=medical_insurance`,
    'county.yudu',
  );
  expect(tasks).toHaveLength(1);
  expect(tasks[0]).toMatchObject({ measureCode: 'M4', state: 'delivered' });
  expect(tasks[0]!.deliveries.map((d) => [d.amountYuan, d.recordedBy])).toEqual([
    [500, OFFICER],
    [1500.5, OFFICER],
  ]);

  // 2. The village cadre: the plan with the delivered amount, then points and the red list.
  await suite.inBrowser(
    'cadre',
    async (page) => {
      await suite.signIn(page, 'cadre.yudu');
      await page.waitForURL('**/console/households');
      await page.goto(`${suite.gatewayUrl}/console/households/${householdId}?tab=plan`);
      await expectVisible(page.getByTestId('plan'));
      // Identified already: the page says so and offers no second application (the server would refuse it).
      await expectVisible(page.getByTestId('identification-status'));
      expect(await page.getByTestId('identification-status').getAttribute('data-status')).toBe('identified');
      expect(await page.getByTestId('household-apply').count()).toBe(0);
      expect(await page.getByTestId('plan').getAttribute('data-status')).toBe('active');
      await expectText(page.getByTestId('plan-policy-start'), POLICY_START);
      await expectText(page.getByTestId('plan-causes'), { contains: 'F4' });
      const m4 = page.locator('tr[data-code="M4"]');
      await expectText(m4.getByTestId('plan-measure-delivered'), { contains: '2,000.5 元' });
      expect(await m4.getAttribute('data-delivered')).toBe('2000.5');
      await expectText(m4.getByTestId('plan-measure-status'), '实施中');
      expect(
        await m4.locator('[data-testid="plan-task"][data-department="medical_insurance"]').getAttribute('data-state'),
      ).toBe('delivered');
      // The insurance backstop comes last.
      const codes = await page
        .locator('[data-testid="plan-measures"] tr[data-code]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code')));
      expect(codes[0]).toBe('M4');
      expect(codes[codes.length - 1]).toBe('M7');
      await expectVisible(page.getByTestId('plan-add')); // the cadre may change the plan
      await suite.shot(page, '06-plan');

      // Adjusting M4 to start before the policy start is refused on the field (400 startsOn), the dialog
      // stays; with a note and a later date it is saved, the dialog closes and the plan moves to its next version.
      const version = Number(await page.getByTestId('plan').getAttribute('data-version'));
      await m4.getByTestId('plan-adjust').click();
      await expectVisible(page.getByTestId('plan-change-form'));
      await page.getByTestId('plan-change-starts-on').fill(addDays(POLICY_START, -1));
      await page.getByTestId('plan-change-starts-on').press('Enter');
      await page.getByTestId('plan-change-ok').click();
      await expectText(inlineError(page, 'plan-change-starts-on'), {
        contains: `不得早于政策享受起始日${POLICY_START}`,
      });
      await page.getByTestId('plan-change-note').fill('按住院费用分期报销');
      await page.getByTestId('plan-change-starts-on').fill(addDays(POLICY_START, 10));
      await page.getByTestId('plan-change-starts-on').press('Enter');
      await page.getByTestId('plan-change-ok').click();
      await page.locator('.ant-modal').waitFor({ state: 'hidden' });
      await eventually(
        'the plan to show the adjusted version',
        async () =>
          (await page.getByTestId('plan').getAttribute('data-version')) === String(version + 1) ? true : undefined,
        10_000,
      );

      // Points for the love supermarket: earned, then a spend beyond the balance refused (409).
      await page.getByTestId('tab-points').click();
      await expectVisible(page.getByTestId('points'));
      await page.getByTestId('points-value').fill('10');
      await page.getByTestId('points-reason').fill('参加村庄环境整治');
      await page.getByTestId('points-submit').click();
      await expectText(page.getByTestId('points-balance'), '10');
      await page.getByTestId('points-spend').check();
      await page.getByTestId('points-value').fill('20');
      await page.getByTestId('points-reason').fill('兑换大米');
      await page.getByTestId('points-submit').click();
      await expectText(inlineError(page, 'points-value'), { contains: '积分不足：当前余额 10 分' });
      await page.getByTestId('list-entry-reason').fill('主动参与公益劳动');
      await page.getByTestId('list-entry-submit').click();
      await expectVisible(page.locator('[data-testid="list-entries"] tr[data-list="red"]'));
      expect(await page.locator('[data-testid="points-entries"] tr[data-points]').count()).toBe(1);
      await suite.shot(page, '07-points');
    },
    [400, 409],
  );
});
