import { randomBytes } from 'node:crypto';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import {
  call,
  createUser as createUserAs,
  postHousehold,
  startTestPlatform,
  testClock,
  waitFor,
  type ApiResponse,
  type Json,
} from './support';

/**
 * Assistance (帮扶措施, DOMAIN.md §8) end to end through the gateway, on real Kafka, FerretDB and Redis:
 * households built so that monitoring finds exactly one cause each are included directly by the county
 * (已经录入系统的), the assistance service plans their measures from those causes (policy first, the
 * insurance backstop last), and each measure becomes a task for each responsible department. Department
 * officers work their own queues inside their area; the county officer changes a plan; a re-assessment
 * proposes a change; an exit closes the open tasks; the love-supermarket points never go negative.
 * Identification and assistance read "now" from one test clock file, moved past the policy start and
 * the due dates. Every refusal is read back to show that nothing changed.
 */
jest.setTimeout(600000);

const clock = testClock('assistance');
let env: Awaited<ReturnType<typeof startTestPlatform>>;
let url: string;
const run = randomBytes(3).toString('hex');

const VILLAGE = '360731101201'; // the demo village of cadre.yudu
const DAY0 = '2026-12-07'; // identified today: policies start on 2027-01-01
const POLICY_START = '2027-01-01';
const DUE = '2027-01-31'; // 30 days (the service default) after the start

// ---------------------------------------------------------------------------------------------
// HTTP helpers

type Res = ApiResponse;
const api = (user: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(url, user, method, path, body, headers);

/** Status and error code together, so a failure shows what the API said. */
const outcome = (r: Res) => ({ status: r.status, code: r.body.error?.code as string | undefined });
const ok = (r: Res, status = 200) =>
  expect({ status: r.status, error: r.body.error }).toEqual({ status, error: undefined });

const createUser = (username: string, role: string, areaCode: string, department: string | null = null) =>
  createUserAs(url, { username, role, areaCode, department });

async function plan(householdId: string): Promise<Json> {
  const r = await api('county.yudu', 'GET', `/households/${householdId}/plan`);
  ok(r);
  expect(r.headers.get('etag')).toBe(`"${r.body.plan.version}"`);
  return r.body.plan;
}

/** Every task of a household, as the county officer (every department) sees them. */
async function tasksOf(householdId: string, query = ''): Promise<Json[]> {
  const r = await api('county.yudu', 'GET', `/tasks?householdId=${householdId}&pageSize=200${query}`);
  ok(r);
  expect(r.body.total).toBe(r.body.tasks.length);
  return r.body.tasks;
}

async function taskOf(householdId: string, measureCode: string, department: string): Promise<Json> {
  const found = (await tasksOf(householdId)).filter(
    (t) => t.measureCode === measureCode && t.department === department && t.state !== 'closed',
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}

async function getTask(id: string): Promise<Json> {
  const r = await api('county.yudu', 'GET', `/tasks/${id}`);
  ok(r);
  expect(r.headers.get('etag')).toBe(`"${r.body.task.version}"`);
  return r.body.task;
}

/** An action over the version read (If-Match). */
function act(user: string, task: Json, body: Json): Promise<Res> {
  return api(user, 'POST', `/tasks/${task.id}/actions`, body, { 'if-match': `"${task.version}"` });
}

/** A refusal leaves the task as it was. */
async function expectUnchanged(task: Json): Promise<void> {
  const now = await getTask(task.id);
  expect({ version: now.version, state: now.state, deliveries: now.deliveries.length }).toEqual({
    version: task.version,
    state: task.state,
    deliveries: task.deliveries.length,
  });
}

// ---------------------------------------------------------------------------------------------
// Households, each built so that monitoring finds exactly the causes named

let seq = 0;
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

function member(over: Json = {}): Json {
  const n = seq++;
  const birthDate = plusDays('1975-01-01', n);
  return {
    name: over.relation === 'head' ? `户主${n}` : `成员${n}`,
    relation: 'spouse',
    idNumber: syntheticIdNumber(n % 100, birthDate, VILLAGE.slice(0, 6)),
    birthDate,
    labour: 'ordinary',
    mainLabour: false,
    employed: true,
    health: 'healthy',
    education: 'junior',
    inSchool: false,
    hasGuardian: true,
    hasSupporter: true,
    ...over,
  };
}

/** Income below the line (2 000 per person), a safe brick house, industry covered: no feature unless `over` adds one. */
function household(members: Json[], over: Json = {}): Json {
  return {
    areaCode: VILLAGE,
    address: `测试村${run}组${seq}号`,
    povertyStatus: 'none',
    nationalSystemId: `NS-${run}-${seq}`,
    members,
    income: { year: 2021, wage: 2000 * members.length, business: 0, property: 0, transfer: 0 },
    expenses: { medicalSelfPaid: 0, education: 0 },
    housing: { structure: 'brick_concrete', onlyHome: true, safetyGrade: 'B' },
    industry: { covered: true, failedDueToForceMajeure: false },
    drinkingWaterSafe: true,
    medicalInsuranceEnrolled: true,
    ...over,
  };
}

const HOUSEHOLDS = {
  /** F4: the seriously ill head, the main earner, can no longer work; the spouse works. */
  f4: household([
    member({ relation: 'head', health: 'serious_illness', mainLabour: true, labour: 'lost', employed: false }),
    member(),
  ]),
  /** F3: two able labourers, no industry, nobody employed. */
  f3: household([member({ relation: 'head', employed: false, mainLabour: true }), member({ employed: false })], {
    industry: { covered: false, failedDueToForceMajeure: false },
  }),
  /** F2 without a labourer: the only member has lost the ability to work. */
  f2: household([member({ relation: 'head', labour: 'lost', employed: false, health: 'chronic' })]),
  /** F2 with a (weak or half) labourer, employed. */
  f2weak: household([member({ relation: 'head', labour: 'weak_or_half', mainLabour: true })]),
};
type Name = keyof typeof HOUSEHOLDS;
const EXPECTED: Record<Name, { causes: string[]; measures: string[]; notPlanned: Json[] }> = {
  f4: { causes: ['F4'], measures: ['M4', 'M8', 'M9', 'M7'], notPlanned: [] },
  f3: { causes: ['F3'], measures: ['M1', 'M2', 'M3', 'M8', 'M9'], notPlanned: [] },
  f2: { causes: ['F2'], measures: ['M5', 'M8', 'M9'], notPlanned: [{ code: 'M3', unmet: ['has_labourer'] }] },
  f2weak: { causes: ['F2'], measures: ['M3', 'M5', 'M8', 'M9'], notPlanned: [] },
};

const hh = {} as Record<Name, { id: string; headId: string; caseId: string }>;
let catalogue: Json[] = [];
const departmentsOf = (code: string): string[] => catalogue.find((m) => m.code === code)!.departments;

beforeAll(async () => {
  clock.setDate(DAY0);
  env = await startTestPlatform('assistance', { env: clock.env });
  url = env.platform.gatewayUrl;

  // Department officers of the demo county, and one of another county (兴国县).
  await createUser('mi.yudu', 'department_officer', '360731', 'medical_insurance');
  await createUser('agri.yudu', 'department_officer', '360731', 'agriculture');
  await createUser('housing.yudu', 'department_officer', '360731', 'housing');
  await createUser('insurer.yudu', 'department_officer', '360731', 'insurer');
  await createUser('mi.xingguo', 'department_officer', '360732', 'medical_insurance');
  await createUser('cadre.360731101202', 'village_cadre', '360731101202');

  // The county quota (direct inclusion counts against it).
  ok(
    await api('admin', 'PUT', '/workflow-policy/360731', {
      policy: { registeredPoorPopulation: 2000, quotaRatio: 0.05, overrideRatio: 0.1, noticeDays: 5, decisionDays: 15 },
      version: 0,
    }),
  );

  for (const name of Object.keys(HOUSEHOLDS) as Name[]) {
    const body = HOUSEHOLDS[name];
    const res = await postHousehold(url, body);
    expect({ name, status: res.status, error: res.body.error }).toEqual({ name, status: 201, error: undefined });
    const id = res.body.household.id as string;
    // The causes at approval are monitoring's features: wait until it has judged this household.
    const features = await waitFor(
      `the assessment of ${name}`,
      async () => {
        const r = await api('admin', 'GET', `/households/${id}/assessment`);
        return r.status === 200 ? (r.body.assessment.features as string[]) : undefined;
      },
      120000,
    );
    expect({ name, features }).toEqual({ name, features: EXPECTED[name].causes });
    const inclusion = await api('county.yudu', 'POST', '/direct-inclusions', {
      householdId: id,
      note: '已录入全国系统',
    });
    ok(inclusion, 201);
    expect(inclusion.body.case).toMatchObject({ causes: EXPECTED[name].causes, policyStartDate: POLICY_START });
    hh[name] = { id, headId: body.members[0].idNumber, caseId: inclusion.body.case.id };
  }
  for (const name of Object.keys(HOUSEHOLDS) as Name[])
    await waitFor(
      `the plan of ${name}`,
      async () =>
        (await api('county.yudu', 'GET', `/households/${hh[name].id}/plan`)).status === 200 ? true : undefined,
      60000,
    );
  const measures = await api('dept.health', 'GET', '/measures');
  ok(measures);
  catalogue = measures.body.measures;
  // The plan is stored before its tasks: wait until each household has as many as its plan calls for.
  for (const name of Object.keys(HOUSEHOLDS) as Name[]) {
    const count = EXPECTED[name].measures.reduce((n, code) => n + departmentsOf(code).length, 0);
    await waitFor(`the ${count} tasks of ${name}`, async () => {
      const r = await api('county.yudu', 'GET', `/tasks?householdId=${hh[name].id}&pageSize=1`);
      return r.body.total >= count ? true : undefined;
    });
  }
});
afterAll(async () => {
  await env?.platform.stop();
  clock.remove();
});

// ---------------------------------------------------------------------------------------------

describe('the measure catalogue', () => {
  it('holds M1–M10 with their departments, M7 the insurance backstop', () => {
    expect(catalogue.map((m) => m.code)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9', 'M10']);
    expect(catalogue.find((m) => m.code === 'M4')).toMatchObject({
      departments: ['medical_insurance', 'civil_affairs', 'health'],
      kind: 'policy',
      amountLimitYuan: null,
    });
    expect(catalogue.find((m) => m.code === 'M7')).toMatchObject({ kind: 'insurance', amountLimitYuan: 300000 });
    expect(catalogue.find((m) => m.code === 'M8')).toMatchObject({ answersAll: true, causes: [] });
  });

  it('is changed by the city administrator over the version read; a bad measure is 400 and changes nothing', async () => {
    const m6 = catalogue.find((m) => m.code === 'M6')!;
    const { code, version, updatedAt, updatedBy, ...fields } = m6;
    void code;
    void updatedAt;
    void updatedBy;
    const bad = await api('admin', 'PUT', '/measures/M6', {
      measure: { ...fields, departments: ['weather'] },
      version,
    });
    expect({ status: bad.status, field: bad.body.error?.field }).toEqual({
      status: 400,
      field: 'measure.departments.0',
    });
    expect(outcome(await api('county.yudu', 'PUT', '/measures/M6', { measure: fields, version }))).toMatchObject({
      status: 403,
    });
    expect(outcome(await api('admin', 'PUT', '/measures/M6', { measure: fields }))).toEqual({
      status: 428,
      code: 'precondition_required',
    });
    const r = await api(
      'admin',
      'PUT',
      '/measures/M6',
      { measure: { ...fields, dueDays: 60 } },
      { 'if-match': `"${version}"` },
    );
    ok(r);
    expect(r.body.measure).toMatchObject({ code: 'M6', dueDays: 60, version: version + 1, updatedBy: 'admin' });
    expect(r.headers.get('etag')).toBe(`"${version + 1}"`);
    const stale = await api('admin', 'PUT', '/measures/M6', { measure: fields, version });
    expect(outcome(stale)).toEqual({ status: 412, code: 'version_conflict' });
    const after = (await api('admin', 'GET', '/measures')).body.measures.find((m: Json) => m.code === 'M6');
    expect(after).toMatchObject({ dueDays: 60, version: version + 1, departments: ['education'] });
  });
});

describe('plans from the causes (缺什么补什么, policy first, insurance last)', () => {
  it.each(Object.keys(EXPECTED) as Name[])('%s', async (name) => {
    const p = await plan(hh[name].id);
    const expected = EXPECTED[name];
    expect(p).toMatchObject({
      householdId: hh[name].id,
      areaCode: VILLAGE,
      caseId: hh[name].caseId,
      category: 'edge',
      causes: expected.causes,
      policyStartDate: POLICY_START,
      status: 'active',
      notPlanned: expected.notPlanned,
      proposals: [],
      version: 1,
    });
    expect(p.headName).toMatch(/^户主/);
    expect(p.measures.map((m: Json) => m.code)).toEqual(expected.measures);
    for (const m of p.measures as Json[])
      expect(m).toMatchObject({
        startsOn: POLICY_START,
        status: 'active',
        addedBy: 'system',
        answers: expected.causes,
      });
    expect(p.measures.filter((m: Json) => m.kind === 'insurance').map((m: Json) => m.code)).toEqual(
      expected.measures.includes('M7') ? ['M7'] : [],
    );
  });

  it('one plan per identification, one task per measure and department, none twice', async () => {
    for (const name of Object.keys(EXPECTED) as Name[]) {
      const tasks = await tasksOf(hh[name].id);
      const expected = EXPECTED[name].measures.flatMap((code) => departmentsOf(code).map((d) => `${code}/${d}`));
      expect(tasks.map((t) => `${t.measureCode}/${t.department}`).sort()).toEqual([...expected].sort());
      for (const t of tasks)
        expect(t).toMatchObject({
          householdId: hh[name].id,
          areaCode: VILLAGE,
          state: 'open',
          startsOn: POLICY_START,
          dueOn: DUE,
          overdue: false,
          allowedActions: ['accept', 'decline'],
          deliveries: [],
        });
    }
    // F4: M4 (3 departments) + M8 (3) + M9 (2) + M7 (1).
    expect(await tasksOf(hh.f4.id)).toHaveLength(9);
    // Identified already: a second inclusion is refused and the plan stays the one of the first.
    const again = await api('county.yudu', 'POST', '/direct-inclusions', { householdId: hh.f4.id });
    expect(again.status).toBe(409);
    expect((await plan(hh.f4.id)).version).toBe(1);
    const cases = await api('county.yudu', 'GET', `/cases?householdId=${hh.f4.id}`);
    expect(cases.body.total).toBe(1);
  });

  it('answers 404 for a household without a plan, and outside the caller’s area', async () => {
    const res = await postHousehold(url, household([member({ relation: 'head' })]));
    expect(res.status).toBe(201);
    expect(outcome(await api('county.yudu', 'GET', `/households/${res.body.household.id}/plan`))).toEqual({
      status: 404,
      code: 'plan_not_found',
    });
    expect(outcome(await api('cadre.360731101202', 'GET', `/households/${hh.f4.id}/plan`))).toEqual({
      status: 404,
      code: 'plan_not_found',
    });
    expect(outcome(await api('mi.xingguo', 'GET', `/households/${hh.f4.id}/plan`)).status).toBe(404);
  });
});

describe('department queues', () => {
  it("a medical-insurance officer sees the M4 task; agriculture's officer does not", async () => {
    const mi = await api('mi.yudu', 'GET', `/tasks?householdId=${hh.f4.id}`);
    ok(mi);
    expect(mi.body.tasks.map((t: Json) => [t.measureCode, t.department])).toEqual([['M4', 'medical_insurance']]);
    expect(mi.body.total).toBe(1);
    const all = await api('mi.yudu', 'GET', '/tasks?pageSize=200');
    expect((all.body.tasks as Json[]).every((t) => t.department === 'medical_insurance')).toBe(true);
    expect(all.body.total).toBe(1); // only the F4 household has a cause M4 answers

    const agri = await api('agri.yudu', 'GET', `/tasks?householdId=${hh.f4.id}`);
    expect({ status: agri.status, total: agri.body.total }).toEqual({ status: 200, total: 0 });
    const agriF3 = await api('agri.yudu', 'GET', `/tasks?householdId=${hh.f3.id}`);
    expect(agriF3.body.tasks.map((t: Json) => t.measureCode).sort()).toEqual(['M1', 'M2', 'M3']);
  });

  it('keeps officers to their own department (403) and area (not listed, 404)', async () => {
    const other = await api('mi.yudu', 'GET', '/tasks?department=agriculture');
    expect(outcome(other)).toEqual({ status: 403, code: 'wrong_department' });
    const m4 = await taskOf(hh.f4.id, 'M4', 'medical_insurance');
    const outside = await api('mi.xingguo', 'GET', '/tasks?pageSize=200');
    expect({ status: outside.status, total: outside.body.total }).toEqual({ status: 200, total: 0 });
    const asked = await api('mi.xingguo', 'GET', '/tasks?areaCode=360731');
    expect({ status: asked.status, total: asked.body.total }).toEqual({ status: 200, total: 0 });
    expect(outcome(await api('mi.xingguo', 'GET', `/tasks/${m4.id}`))).toEqual({ status: 404, code: 'task_not_found' });
  });

  it('shows every department to the county, township and village (filterable), in due order', async () => {
    for (const user of ['county.yudu', 'township.yudu', 'cadre.yudu', 'admin', 'auditor']) {
      const r = await api(user, 'GET', `/tasks?householdId=${hh.f4.id}&pageSize=200`);
      expect({ user, status: r.status, total: r.body.total }).toEqual({ user, status: 200, total: 9 });
    }
    const insurer = await api('county.yudu', 'GET', `/tasks?department=insurer&householdId=${hh.f4.id}`);
    expect(insurer.body.tasks.map((t: Json) => t.measureCode)).toEqual(['M7']);
    // Keyset pages: two pages of 5 and 4 cover the 9 tasks once each.
    const first = await api('county.yudu', 'GET', `/tasks?householdId=${hh.f4.id}&pageSize=5`);
    expect({ n: first.body.tasks.length, total: first.body.total }).toEqual({ n: 5, total: 9 });
    const second = await api(
      'county.yudu',
      'GET',
      `/tasks?householdId=${hh.f4.id}&pageSize=5&pageToken=${encodeURIComponent(first.body.nextPageToken)}`,
    );
    const ids = [...first.body.tasks, ...second.body.tasks].map((t: Json) => t.id);
    expect(new Set(ids).size).toBe(9);
  });

  it.each([
    ['department=weather', 'department'],
    ['state=lost', 'state'],
    ['overdue=yes', 'overdue'],
    ['areaCode=3607311', 'areaCode'],
    ['pageSize=500', 'pageSize'],
    ['pageToken=garbage', 'pageToken'],
  ])('refuses a queue with %s (400 naming the field)', async (query, field) => {
    const r = await api('county.yudu', 'GET', `/tasks?${query}`);
    expect({ status: r.status, field: r.body.error?.field }).toEqual({ status: 400, field });
  });
});

describe('a task from open to delivered', () => {
  it('refuses what the state does not allow (409 with the allowed actions), changing nothing', async () => {
    const m4 = await taskOf(hh.f4.id, 'M4', 'medical_insurance');
    const r = await act('mi.yudu', m4, { action: 'deliver', deliveredOn: DAY0 });
    expect(outcome(r)).toEqual({ status: 409, code: 'illegal_transition' });
    expect(r.body.error.details).toEqual({ state: 'open', allowedActions: 'accept,decline' });
    await expectUnchanged(m4);
  });

  it("refuses another department's officer (403), the wrong level (403), another county (404), no or a stale version", async () => {
    const m4 = await taskOf(hh.f4.id, 'M4', 'medical_insurance');
    expect(outcome(await act('agri.yudu', m4, { action: 'accept' }))).toEqual({
      status: 403,
      code: 'wrong_department',
    });
    expect(outcome(await act('dept.health', m4, { action: 'accept' }))).toEqual({
      status: 403,
      code: 'wrong_department',
    });
    for (const user of ['county.yudu', 'cadre.yudu', 'admin', 'auditor'])
      expect({ user, status: (await act(user, m4, { action: 'accept' })).status }).toEqual({ user, status: 403 });
    expect(outcome(await act('mi.xingguo', m4, { action: 'accept' }))).toEqual({ status: 404, code: 'task_not_found' });
    const none = await api('mi.yudu', 'POST', `/tasks/${m4.id}/actions`, { action: 'accept' });
    expect(none.status).toBe(428);
    const stale = await api('mi.yudu', 'POST', `/tasks/${m4.id}/actions`, { action: 'accept', version: 7 });
    expect(outcome(stale)).toEqual({ status: 412, code: 'version_conflict' });
    await expectUnchanged(m4);
  });

  it('accepts, then delivers once the policy has started (date, amount, note)', async () => {
    const m4 = await taskOf(hh.f4.id, 'M4', 'medical_insurance');
    const accepted = await act('mi.yudu', m4, { action: 'accept', note: '已受理' });
    ok(accepted);
    expect(accepted.body.task).toMatchObject({
      state: 'accepted',
      allowedActions: ['deliver', 'decline'],
      version: m4.version + 1,
    });
    expect(accepted.headers.get('etag')).toBe(`"${m4.version + 1}"`);

    clock.setDate('2027-01-10');
    const task = accepted.body.task;
    for (const [deliveredOn, code] of [
      [undefined, 'required'],
      ['2027-01-11', 'in_future'],
      ['2026-12-31', 'before_start'],
      ['2027-02-30', 'invalid_date'],
    ] as const) {
      const r = await act('mi.yudu', task, { action: 'deliver', deliveredOn, amountYuan: 100 });
      expect({ deliveredOn, status: r.status, field: r.body.error?.field }).toEqual({
        deliveredOn,
        status: 400,
        field: 'deliveredOn',
      });
      if (deliveredOn !== undefined && code !== 'invalid_date') expect(r.body.error.issues[0].code).toBe(code);
    }
    await expectUnchanged(task);
    const delivered = await act('mi.yudu', task, {
      action: 'deliver',
      deliveredOn: '2027-01-08',
      amountYuan: 1500.5,
      note: '住院报销落实',
    });
    ok(delivered);
    expect(delivered.body.task).toMatchObject({ state: 'delivered', overdue: false, allowedActions: ['deliver'] });
    expect(delivered.body.task.deliveries).toEqual([
      expect.objectContaining({
        deliveredOn: '2027-01-08',
        amountYuan: 1500.5,
        note: '住院报销落实',
        recordedBy: 'mi.yudu',
      }),
    ]);
    const done = await api('mi.yudu', 'GET', `/tasks?householdId=${hh.f4.id}&state=delivered`);
    expect(done.body.tasks.map((t: Json) => t.id)).toEqual([task.id]);
  });

  it("refuses an amount over the measure's limit (400 amountYuan), then delivers at the limit", async () => {
    const m2 = await taskOf(hh.f3.id, 'M2', 'agriculture'); // industry award, at most 5 000 yuan
    const accepted = await act('agri.yudu', m2, { action: 'accept' });
    ok(accepted);
    const task = accepted.body.task;
    const over = await act('agri.yudu', task, { action: 'deliver', deliveredOn: '2027-01-09', amountYuan: 5000.01 });
    expect({ status: over.status, field: over.body.error?.field, code: over.body.error?.issues?.[0]?.code }).toEqual({
      status: 400,
      field: 'amountYuan',
      code: 'over_limit',
    });
    const tooPrecise = await act('agri.yudu', task, {
      action: 'deliver',
      deliveredOn: '2027-01-09',
      amountYuan: 1.234,
    });
    expect({ status: tooPrecise.status, field: tooPrecise.body.error?.field }).toEqual({
      status: 400,
      field: 'amountYuan',
    });
    await expectUnchanged(task);
    const atLimit = await act('agri.yudu', task, { action: 'deliver', deliveredOn: '2027-01-09', amountYuan: 5000 });
    ok(atLimit);
    expect(atLimit.body.task.deliveries.map((d: Json) => d.amountYuan)).toEqual([5000]);
  });

  it('declines only with a reason; a declined task takes no further action', async () => {
    const m3 = await taskOf(hh.f3.id, 'M3', 'agriculture');
    const noReason = await act('agri.yudu', m3, { action: 'decline' });
    expect({ status: noReason.status, field: noReason.body.error?.field }).toEqual({ status: 400, field: 'reason' });
    const blank = await act('agri.yudu', m3, { action: 'decline', reason: '   ' });
    expect({ status: blank.status, field: blank.body.error?.field }).toEqual({ status: 400, field: 'reason' });
    await expectUnchanged(m3);
    const declined = await act('agri.yudu', m3, { action: 'decline', reason: '已由人社部门落实公益性岗位' });
    ok(declined);
    expect(declined.body.task).toMatchObject({
      state: 'declined',
      declineReason: '已由人社部门落实公益性岗位',
      allowedActions: [],
    });
    const after = await act('agri.yudu', declined.body.task, { action: 'accept' });
    expect(outcome(after)).toEqual({ status: 409, code: 'illegal_transition' });
    expect(after.body.error.details).toEqual({ state: 'declined', allowedActions: '' });
  });
});

describe('overdue tasks', () => {
  it('are flagged and listed once past the due date; delivered and declined ones never', async () => {
    const before = await api('county.yudu', 'GET', `/tasks?householdId=${hh.f4.id}&overdue=true`);
    expect({ status: before.status, total: before.body.total }).toEqual({ status: 200, total: 0 });
    clock.setDate(DUE);
    expect((await api('county.yudu', 'GET', `/tasks?householdId=${hh.f4.id}&overdue=true`)).body.total).toBe(0);

    clock.setDate(plusDays(DUE, 1));
    const overdue = await tasksOf(hh.f4.id, '&overdue=true');
    // Nine tasks less the delivered M4 task of medical insurance.
    expect(overdue).toHaveLength(8);
    expect(overdue.every((t) => t.overdue && (t.state === 'open' || t.state === 'accepted'))).toBe(true);
    expect(overdue.map((t) => `${t.measureCode}/${t.department}`)).not.toContain('M4/medical_insurance');
    const delivered = await taskOf(hh.f4.id, 'M4', 'medical_insurance');
    expect({ state: delivered.state, overdue: delivered.overdue }).toEqual({ state: 'delivered', overdue: false });
    // F3: the delivered M2 and the declined M3 (agriculture) are not overdue; its other tasks are.
    const f3 = await tasksOf(hh.f3.id, '&overdue=true');
    const f3Keys = f3.map((t) => `${t.measureCode}/${t.department}`);
    expect(f3Keys).toContain('M1/agriculture');
    expect(f3Keys).not.toContain('M2/agriculture');
    expect(f3Keys).not.toContain('M3/agriculture');
    // A department officer's overdue list is their own department's.
    const mine = await api('insurer.yudu', 'GET', '/tasks?overdue=true');
    expect(mine.body.tasks.map((t: Json) => [t.householdId, t.measureCode])).toEqual([[hh.f4.id, 'M7']]);
  });
});

describe('plan changes by the county officer or the village cadre', () => {
  it('drops a measure with a reason (its open tasks close) and adds one (its tasks open)', async () => {
    const before = await plan(hh.f2.id);
    const noReason = await api('county.yudu', 'POST', `/households/${hh.f2.id}/plan/changes`, {
      operation: 'drop',
      measureCode: 'M9',
      version: before.version,
    });
    expect({ status: noReason.status, field: noReason.body.error?.field }).toEqual({ status: 400, field: 'reason' });
    expect((await plan(hh.f2.id)).version).toBe(before.version);

    const dropped = await api(
      'county.yudu',
      'POST',
      `/households/${hh.f2.id}/plan/changes`,
      { operation: 'drop', measureCode: 'M9', reason: '已由帮扶企业结对' },
      { 'if-match': `"${before.version}"` },
    );
    ok(dropped);
    expect(dropped.headers.get('etag')).toBe(`"${before.version + 1}"`);
    expect(dropped.body.plan.measures.find((m: Json) => m.code === 'M9')).toMatchObject({
      status: 'dropped',
      dropReason: '已由帮扶企业结对',
    });
    const m9 = (await tasksOf(hh.f2.id)).filter((t) => t.measureCode === 'M9');
    expect(m9.map((t) => t.department).sort()).toEqual([...departmentsOf('M9')].sort());
    for (const t of m9)
      expect(t).toMatchObject({ state: 'closed', closedReason: '已由帮扶企业结对', allowedActions: [] });

    const added = await api('county.yudu', 'POST', `/households/${hh.f2.id}/plan/changes`, {
      operation: 'add',
      measureCode: 'M10',
      note: '房屋老旧，纳入危房改造',
      plannedAmountYuan: 20000,
      version: before.version + 1,
    });
    ok(added);
    const m10 = added.body.plan.measures.find((m: Json) => m.code === 'M10');
    // Today is past the policy start, so the measure starts today.
    expect(m10).toMatchObject({
      status: 'active',
      addedBy: 'county.yudu',
      plannedAmountYuan: 20000,
      startsOn: plusDays(DUE, 1),
    });
    const housing = await api('housing.yudu', 'GET', `/tasks?householdId=${hh.f2.id}`);
    expect(housing.body.tasks).toEqual([
      expect.objectContaining({ measureCode: 'M10', department: 'housing', state: 'open', startsOn: plusDays(DUE, 1) }),
    ]);
  });

  it('refuses a stale version, a measure already in or not in the plan, an amount over the limit, other roles', async () => {
    const p = await plan(hh.f2.id);
    const change = (user: string, body: Json, version = p.version) =>
      api(user, 'POST', `/households/${hh.f2.id}/plan/changes`, { ...body, version });
    expect(outcome(await change('county.yudu', { operation: 'drop', measureCode: 'M5', reason: 'x' }, 1))).toEqual({
      status: 412,
      code: 'version_conflict',
    });
    expect(outcome(await change('county.yudu', { operation: 'add', measureCode: 'M10' }))).toEqual({
      status: 409,
      code: 'measure_in_plan',
    });
    expect(outcome(await change('county.yudu', { operation: 'drop', measureCode: 'M9', reason: 'x' }))).toEqual({
      status: 409,
      code: 'measure_not_in_plan',
    });
    const over = await change('county.yudu', { operation: 'adjust', measureCode: 'M10', plannedAmountYuan: 40000.01 });
    expect({ status: over.status, field: over.body.error?.field }).toEqual({ status: 400, field: 'plannedAmountYuan' });
    const unknown = await change('county.yudu', { operation: 'replace', measureCode: 'M10' });
    expect({ status: unknown.status, field: unknown.body.error?.field }).toEqual({ status: 400, field: 'operation' });
    for (const user of ['township.yudu', 'admin', 'auditor', 'mi.yudu'])
      expect({
        user,
        status: (await change(user, { operation: 'drop', measureCode: 'M5', reason: 'x' })).status,
      }).toEqual({
        user,
        status: 403,
      });
    expect(outcome(await change('cadre.360731101202', { operation: 'drop', measureCode: 'M5', reason: 'x' }))).toEqual({
      status: 404,
      code: 'plan_not_found',
    });
    expect((await plan(hh.f2.id)).version).toBe(p.version);
    // The household's own cadre may adjust.
    const adjusted = await change('cadre.yudu', { operation: 'adjust', measureCode: 'M10', note: '先修屋顶' });
    ok(adjusted);
    expect(adjusted.body.plan.measures.find((m: Json) => m.code === 'M10').note).toBe('先修屋顶');
  });
});

describe('a change of causes from monitoring', () => {
  it('is proposed, never applied silently; accepting it opens the tasks of the new measure', async () => {
    const before = await plan(hh.f3.id);
    // The F3 household now lives in its only home, of mud brick (F6).
    const read = await api('cadre.yudu', 'GET', `/households/${hh.f3.id}`);
    const { id, version, createdAt, updatedAt, ...fields } = read.body.household;
    void id;
    void createdAt;
    void updatedAt;
    const put = await api(
      'cadre.yudu',
      'PUT',
      `/households/${hh.f3.id}`,
      { ...fields, housing: { structure: 'mud_brick', onlyHome: true, safetyGrade: 'B' } },
      { 'if-match': `"${version}"` },
    );
    ok(put);
    const proposed = await waitFor(
      'the proposal',
      async () => {
        const p = await plan(hh.f3.id);
        return p.proposals.find((x: Json) => x.status === 'open') ? p : undefined;
      },
      120000,
    );
    const proposal = proposed.proposals.find((x: Json) => x.status === 'open');
    expect(proposal).toMatchObject({ add: ['M10'], drop: [] });
    expect([...proposal.features].sort()).toEqual(['F3', 'F6']);
    // Nothing applied yet.
    expect(proposed.measures.map((m: Json) => `${m.code}:${m.status}`)).toEqual(
      before.measures.map((m: Json) => `${m.code}:${m.status}`),
    );
    expect(proposed.causes).toEqual(['F3']);
    expect((await tasksOf(hh.f3.id)).filter((t) => t.measureCode === 'M10')).toEqual([]);

    const decide = (user: string, body: Json, v = proposed.version) =>
      api(user, 'POST', `/households/${hh.f3.id}/plan/proposals/${proposal.id}/decision`, { ...body, version: v });
    expect((await decide('mi.yudu', { accept: true })).status).toBe(403);
    const noAccept = await decide('cadre.yudu', { note: 'x' });
    expect({ status: noAccept.status, field: noAccept.body.error?.field }).toEqual({ status: 400, field: 'accept' });
    expect(outcome(await decide('cadre.yudu', { accept: true }, proposed.version - 1))).toEqual({
      status: 412,
      code: 'version_conflict',
    });
    const accepted = await decide('cadre.yudu', { accept: true, note: '核实属实' });
    ok(accepted);
    expect(accepted.body.plan.proposals.find((x: Json) => x.id === proposal.id)).toMatchObject({
      status: 'accepted',
      decidedBy: 'cadre.yudu',
      note: '核实属实',
    });
    expect([...accepted.body.plan.causes].sort()).toEqual(['F3', 'F6']);
    expect(accepted.body.plan.measures.find((m: Json) => m.code === 'M10')).toMatchObject({ status: 'active' });
    const housing = await api('housing.yudu', 'GET', `/tasks?householdId=${hh.f3.id}`);
    expect(housing.body.tasks.map((t: Json) => [t.measureCode, t.state])).toEqual([['M10', 'open']]);
    const again = await decide('cadre.yudu', { accept: false }, accepted.body.plan.version);
    expect(outcome(again)).toEqual({ status: 409, code: 'proposal_decided' });
  });
});

describe('motivation points (爱心超市) and red/black lists', () => {
  const points = (user: string, body: Json, key?: string) =>
    api(user, 'POST', `/households/${hh.f2weak.id}/points`, body, key ? { 'idempotency-key': key } : {});

  it('earns and spends, the balance never below zero (409), a retried key recorded once', async () => {
    const empty = await api('cadre.yudu', 'GET', `/households/${hh.f2weak.id}/points`);
    ok(empty);
    expect(empty.body).toEqual({ entries: [], balance: 0, listEntries: [] });
    const broke = await points('cadre.yudu', { kind: 'spend', points: 5, reason: '兑换食用油' });
    expect(outcome(broke)).toEqual({ status: 409, code: 'insufficient_points' });
    expect(broke.body.error.details).toEqual({ balance: '0' });

    const earned = await points('cadre.yudu', { kind: 'earn', points: 10, reason: '参加村庄环境整治' }, `earn-${run}`);
    ok(earned, 201);
    expect(earned.body).toMatchObject({ balance: 10, entry: { points: 10, recordedBy: 'cadre.yudu' } });
    const retried = await points('cadre.yudu', { kind: 'earn', points: 10, reason: '参加村庄环境整治' }, `earn-${run}`);
    expect({ status: retried.status, id: retried.body.entry?.id, balance: retried.body.balance }).toEqual({
      status: 201,
      id: earned.body.entry.id,
      balance: 10,
    });
    ok(await points('cadre.yudu', { kind: 'spend', points: 4, reason: '兑换大米' }), 201);
    const over = await points('cadre.yudu', { kind: 'spend', points: 7, reason: '兑换洗衣粉' });
    expect(outcome(over)).toEqual({ status: 409, code: 'insufficient_points' });
    expect(over.body.error.details).toEqual({ balance: '6' });
    const ledger = await api('township.yudu', 'GET', `/households/${hh.f2weak.id}/points`);
    expect(ledger.body.balance).toBe(6);
    expect(ledger.body.entries.map((e: Json) => e.points)).toEqual([-4, 10]);
  });

  it('records red and black list entries with who and why', async () => {
    for (const [list, reason] of [
      ['red', '主动参与公益劳动'],
      ['black', '子女不履行赡养义务'],
    ] as const)
      ok(await api('cadre.yudu', 'POST', `/households/${hh.f2weak.id}/list-entries`, { list, reason }), 201);
    const r = await api('county.yudu', 'GET', `/households/${hh.f2weak.id}/points`);
    expect(r.body.listEntries.map((e: Json) => [e.list, e.reason, e.recordedBy])).toEqual([
      ['black', '子女不履行赡养义务', 'cadre.yudu'],
      ['red', '主动参与公益劳动', 'cadre.yudu'],
    ]);
  });

  it('refuses bad input (400 naming the field), other roles (403) and other villages (404), changing nothing', async () => {
    for (const [body, field] of [
      [{ kind: 'earn', points: 0, reason: 'x' }, 'points'],
      [{ kind: 'earn', points: 2.5, reason: 'x' }, 'points'],
      [{ kind: 'earn', points: 3 }, 'reason'],
      [{ kind: 'steal', points: 3, reason: 'x' }, 'kind'],
      [{ kind: 'earn', points: 3, reason: 'x', by: 'me' }, 'by'],
    ] as const) {
      const r = await points('cadre.yudu', body);
      expect({ body, status: r.status, field: r.body.error?.field }).toEqual({ body, status: 400, field });
    }
    const badKey = await points('cadre.yudu', { kind: 'earn', points: 3, reason: 'x' }, 'not a key');
    expect({ status: badKey.status, field: badKey.body.error?.field }).toEqual({
      status: 400,
      field: 'Idempotency-Key',
    });
    const list = await api('cadre.yudu', 'POST', `/households/${hh.f2weak.id}/list-entries`, {
      list: 'green',
      reason: 'x',
    });
    expect({ status: list.status, field: list.body.error?.field }).toEqual({ status: 400, field: 'list' });
    for (const user of ['county.yudu', 'township.yudu', 'admin', 'mi.yudu'])
      expect({ user, status: (await points(user, { kind: 'earn', points: 3, reason: 'x' })).status }).toEqual({
        user,
        status: 403,
      });
    expect(outcome(await points('cadre.360731101202', { kind: 'earn', points: 3, reason: 'x' }))).toEqual({
      status: 404,
      code: 'household_not_found',
    });
    const r = await api('cadre.yudu', 'GET', `/households/${hh.f2weak.id}/points`);
    expect({ balance: r.body.balance, entries: r.body.entries.length, lists: r.body.listEntries.length }).toEqual({
      balance: 6,
      entries: 2,
      lists: 2,
    });
  });
});

describe('exit', () => {
  it('closes the open tasks with the exit reason and keeps the delivered history', async () => {
    const reason = '违反承诺购买小轿车';
    const car = {
      recordId: `car-${run}`,
      idNumber: hh.f4.headId,
      status: 'registered',
      vehicleType: 'car',
      registeredOn: '2026-11-20',
    };
    expect((await api('dept.public_security', 'POST', '/feeds/public_security', { records: [car] })).status).toBe(202);
    const v = await waitFor(
      'the violation case',
      async () => {
        const r = await api('county.yudu', 'GET', `/violations?areaCode=${VILLAGE}`);
        return (r.body.violations as Json[] | undefined)?.find((x) => x.householdId === hh.f4.id);
      },
      60000,
    );
    ok(
      await api('county.yudu', 'POST', `/violations/${v.id}/decision`, {
        decision: 'end_assistance',
        reason,
        version: v.version,
      }),
    );

    const closed = await waitFor(
      'the plan closed',
      async () => {
        const p = await plan(hh.f4.id);
        return p.status === 'closed' ? p : undefined;
      },
      60000,
    );
    expect(closed.closedReason).toBe(reason);
    expect(closed.measures.every((m: Json) => m.status === 'closed')).toBe(true);
    // The plan closes first; its tasks follow it (the service brings tasks in line with the plan).
    const tasks = await waitFor(
      'the open tasks closed',
      async () => {
        const all = await tasksOf(hh.f4.id);
        return all.some((t) => t.state === 'open' || t.state === 'accepted') ? undefined : all;
      },
      60000,
    );
    expect(tasks).toHaveLength(9);
    const delivered = tasks.filter((t) => t.state === 'delivered');
    expect(delivered.map((t) => `${t.measureCode}/${t.department}`)).toEqual(['M4/medical_insurance']);
    expect(delivered[0]!.deliveries).toEqual([
      expect.objectContaining({ deliveredOn: '2027-01-08', amountYuan: 1500.5 }),
    ]);
    for (const t of tasks.filter((x) => x.state !== 'delivered'))
      expect(t).toMatchObject({ state: 'closed', closedReason: reason, overdue: false, allowedActions: [] });
    expect(await tasksOf(hh.f4.id, '&overdue=true')).toEqual([]);

    // Nothing more happens on a closed plan or its closed tasks.
    const m7 = tasks.find((t) => t.measureCode === 'M7')!;
    const late = await act('insurer.yudu', m7, { action: 'accept' });
    expect(outcome(late)).toEqual({ status: 409, code: 'illegal_transition' });
    const change = await api('county.yudu', 'POST', `/households/${hh.f4.id}/plan/changes`, {
      operation: 'add',
      measureCode: 'M10',
      version: closed.version,
    });
    expect(outcome(change)).toEqual({ status: 409, code: 'plan_closed' });
  });
});

describe('the audit trail', () => {
  it("records every step of a task in the assistance service's trail, readable by auditors and intact", async () => {
    const m4 = (await tasksOf(hh.f4.id)).find((t) => t.measureCode === 'M4' && t.department === 'medical_insurance')!;
    // Oldest first, by the aggregate's sequence (the trail answers newest first).
    const bySeq = (entries: Json[]) => [...entries].sort((a, b) => a.seq - b.seq);
    const r = await api('auditor', 'GET', `/audit?source=assistance&aggregateId=${m4.id}`);
    ok(r);
    const steps = bySeq(r.body.entries);
    expect(steps.map((e) => e.action)).toEqual(['task.opened', 'task.accepted', 'task.delivered']);
    expect(steps[2]!.actor).toMatchObject({ username: 'mi.yudu', role: 'department_officer' });
    expect(steps[2]!.after.delivery).toMatchObject({ deliveredOn: '2027-01-08', amountYuan: 1500.5 });
    const plans = await api('admin', 'GET', `/audit?source=assistance&aggregateId=${hh.f4.id}&aggregateType=plan`);
    expect(bySeq(plans.body.entries).map((e) => e.action)).toEqual(['plan.created', 'plan.closed']);
    expect((await api('county.yudu', 'GET', '/audit?source=assistance')).status).toBe(403);
    const verify = await api('auditor', 'GET', '/audit/verify?source=assistance');
    ok(verify);
    expect(verify.body).toMatchObject({ source: 'assistance', ok: true, problems: [] });
    expect(verify.body.checked).toBeGreaterThan(0);
  });
});
