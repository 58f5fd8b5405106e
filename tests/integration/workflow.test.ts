import { randomBytes } from 'node:crypto';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import {
  call,
  createUser as createUserAs,
  forgetToken,
  postHousehold,
  startTestPlatform,
  testClock,
  waitFor,
  type ApiResponse,
  type Json,
} from './support';

/**
 * The identification and exit workflows (DOMAIN.md §6, §7) end to end through the gateway, on real
 * Kafka, FerretDB and Redis: an application from a warning through village verification, the public
 * notice with objections, township review and county approval under the quota; direct inclusion;
 * late cases; exit by the village assembly's vote; a commitment violation ending the assistance.
 * The identification service's clock is a file (CLOCK_FILE) the test moves past notice end dates and
 * due dates. Every case is read back after a refusal to show that nothing changed.
 */
jest.setTimeout(600000);

const clock = testClock('workflow');
let env: Awaited<ReturnType<typeof startTestPlatform>>;
let url: string;
const run = randomBytes(3).toString('hex');

// The demo county 于都县 and its demo users (README), and two more counties for the quota tests.
const VILLAGE = '360731101201';
const QUOTA_VILLAGE = '360732101201'; // 兴国县: Q = 10, hard limit 11
const RACE_VILLAGE = '360733101201'; // 会昌县: Q = hard limit = 1
const DAY0 = '2026-12-07';

// ---------------------------------------------------------------------------------------------
// HTTP helpers

type Res = ApiResponse;
const api = (user: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(url, user, method, path, body, headers);

const createUser = (username: string, role: string, areaCode: string) =>
  createUserAs(url, { username, role, areaCode });

/** A case as it stands (read by the city administrator, who sees every area). */
async function getCase(id: string): Promise<Json> {
  const r = await api('admin', 'GET', `/cases/${id}`);
  expect(r.status).toBe(200);
  expect(r.headers.get('etag')).toBe(`"${r.body.case.version}"`);
  return r.body.case;
}

/** One action over the version read (If-Match); returns the raw answer. */
async function act(user: string, c: Json, action: string, extra: Json = {}): Promise<Res> {
  return api(user, 'POST', `/cases/${c.id}/actions`, { action, ...extra }, { 'if-match': `"${c.version}"` });
}

/** An action that must succeed; returns the case after it. */
async function step(user: string, c: Json, action: string, extra: Json = {}): Promise<Json> {
  const r = await act(user, c, action, extra);
  expect({ action, user, status: r.status, error: r.body.error }).toEqual({
    action,
    user,
    status: 200,
    error: undefined,
  });
  expect(r.headers.get('etag')).toBe(`"${r.body.case.version}"`);
  return r.body.case;
}

/** The refusal must leave the case exactly as it was: same version, state and timeline. */
async function expectUnchanged(before: Json): Promise<void> {
  const after = await getCase(before.id);
  expect({ version: after.version, state: after.state, steps: after.steps.length }).toEqual({
    version: before.version,
    state: before.state,
    steps: before.steps.length,
  });
}

async function quota(county: string): Promise<Json> {
  const r = await api('admin', 'GET', `/quotas/${county}`);
  expect(r.status).toBe(200);
  return r.body.status;
}

async function identification(householdId: string): Promise<Json> {
  const r = await api('admin', 'GET', `/households/${householdId}/identification`);
  expect(r.status).toBe(200);
  return r.body.identification;
}

// ---------------------------------------------------------------------------------------------
// Households

let seq = 0;
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

interface Registered {
  id: string;
  persons: number;
  headId: string;
}

/**
 * A household of `persons` adults, all facts known. poor: per-capita income 2 000 (below the 2021 line
 * of 6 000) and an only home of mud brick (F6), so a monitoring object (edge); well_off: 30 000 each,
 * brick and concrete, no feature.
 */
function household(village: string, persons: number, kind: 'poor' | 'well_off', extra: Json = {}): Json {
  const members = Array.from({ length: persons }, (_, i) => {
    const n = seq++;
    const birthDate = plusDays('1966-01-01', n);
    return {
      name: i === 0 ? `户主${n}` : `成员${n}`,
      relation: i === 0 ? 'head' : 'other',
      idNumber: syntheticIdNumber(n % 100, birthDate, village.slice(0, 6)),
      birthDate,
      labour: 'ordinary',
      mainLabour: i === 0,
      employed: true,
      health: 'healthy',
      education: 'junior',
      inSchool: false,
      hasGuardian: true,
      hasSupporter: true,
    };
  });
  return {
    areaCode: village,
    address: `测试村${run}组${seq}号`,
    povertyStatus: 'none',
    members,
    income: { year: 2021, wage: (kind === 'poor' ? 2000 : 30000) * persons, business: 0, property: 0, transfer: 0 },
    housing: {
      structure: kind === 'poor' ? 'mud_brick' : 'brick_concrete',
      onlyHome: true,
      safetyGrade: 'B',
    },
    industry: { covered: true, failedDueToForceMajeure: false },
    drinkingWaterSafe: true,
    medicalInsuranceEnrolled: true,
    ...extra,
  };
}

/** Registers the household as its village's cadre and waits until monitoring has assessed it. */
async function register(body: Json): Promise<Registered> {
  const res = await postHousehold(url, body);
  expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
  const id = res.body.household.id as string;
  await assessed(id, () => true);
  return { id, persons: body.members.length, headId: body.members[0].idNumber };
}

/** Waits for monitoring's assessment of the household to satisfy `ok` (it follows the registry's events). */
function assessed(id: string, ok: (a: Json) => boolean): Promise<Json> {
  return waitFor(
    `the assessment of ${id}`,
    async () => {
      const r = await api('admin', 'GET', `/households/${id}/assessment`);
      return r.status === 200 && ok(r.body.assessment) ? r.body.assessment : undefined;
    },
    120000,
  );
}

const application = (householdId: string, extra: Json = {}) => ({
  householdId,
  origin: 'household_request',
  commitmentSigned: true,
  assetCheckAuthorised: true,
  ...extra,
});

async function submit(user: string, householdId: string, extra: Json = {}): Promise<Json> {
  const r = await api(user, 'POST', '/applications', application(householdId, extra));
  expect({ status: r.status, error: r.body.error }).toEqual({ status: 201, error: undefined });
  expect(r.headers.get('location')).toBe(`/api/v1/cases/${r.body.case.id}`);
  return r.body.case;
}

/** The illegal actions of a state: each answers 409 naming the state and the allowed actions, changing nothing. */
async function expectIllegal(user: string, c: Json, actions: string[]): Promise<void> {
  for (const action of actions) {
    const r = await act(user, c, action, { reason: '测试', note: '测试' });
    expect({ action, status: r.status, code: r.body.error?.code }).toEqual({
      action,
      status: 409,
      code: 'illegal_transition',
    });
    expect(r.body.error.details.state).toBe(c.state);
    expect(r.body.error.details.allowedActions.split(',').filter(Boolean)).toEqual(c.allowedActions);
    await expectUnchanged(c);
  }
}

const ACT_ACTIONS = ['verify', 'close_notice', 'review', 'approve', 'reject', 'return', 'resubmit', 'inform'];
const illegalIn = (c: Json) => ACT_ACTIONS.filter((a) => !(c.allowedActions as string[]).includes(a));

// ---------------------------------------------------------------------------------------------

/** Households and cases the steps below share, in the order the story needs them. */
const hh: Record<string, Registered> = {};
const cases: Record<string, Json> = {};
let warningId = '';

beforeAll(async () => {
  clock.setDate(DAY0);
  env = await startTestPlatform('workflow', { env: clock.env });
  url = env.platform.gatewayUrl;

  // Officers of the two quota counties, and out-of-scope officers of the demo county.
  for (const village of [QUOTA_VILLAGE, RACE_VILLAGE]) {
    await createUser(`cadre.${village}`, 'village_cadre', village);
    await createUser(`township.${village.slice(0, 9)}`, 'township_officer', village.slice(0, 9));
    await createUser(`county.${village.slice(0, 6)}`, 'county_officer', village.slice(0, 6));
  }
  await createUser('cadre.360731101202', 'village_cadre', '360731101202');
  await createUser('township.360731102', 'township_officer', '360731102');

  // The county parameters: quota 5 % of the registered poor population, notice 5 days, decision 15 days.
  for (const [county, population] of [
    ['360731', 2000],
    ['360732', 200],
    ['360733', 20],
  ] as const) {
    const r = await api('admin', 'PUT', `/workflow-policy/${county}`, {
      policy: {
        registeredPoorPopulation: population,
        quotaRatio: 0.05,
        overrideRatio: 0.1,
        noticeDays: 5,
        decisionDays: 15,
      },
      version: 0,
    });
    expect({ status: r.status, error: r.body.error }).toEqual({ status: 200, error: undefined });
  }

  const poor = (village: string, persons: number, extra: Json = {}) =>
    register(household(village, persons, 'poor', extra));
  const wellOff = (village: string, persons: number, extra: Json = {}) =>
    register(household(village, persons, 'well_off', extra));
  // 于都县: the main case, the separation-of-duties case, an upheld objection, a returned case, a
  // late one, one of the national system, one for the violation, a registered poor household.
  hh.main = await poor(VILLAGE, 2);
  hh.sep = await wellOff(VILLAGE, 2);
  hh.upheld = await poor(VILLAGE, 1);
  hh.returned = await poor(VILLAGE, 1);
  hh.late = await poor(VILLAGE, 1);
  hh.national = await wellOff(VILLAGE, 3, { nationalSystemId: `NS-${run}` });
  hh.violator = await poor(VILLAGE, 2);
  hh.registeredPoor = await poor(VILLAGE, 1, { povertyStatus: 'registered_poor' });
  // 兴国县 (Q 10, hard 11) and 会昌县 (Q 1).
  hh.big = await poor(QUOTA_VILLAGE, 9);
  hh.pair = await poor(QUOTA_VILLAGE, 2);
  hh.single = await poor(QUOTA_VILLAGE, 1);
  hh.racerA = await poor(RACE_VILLAGE, 1);
  hh.racerB = await poor(RACE_VILLAGE, 1);

  // The main household's F6 warning: the application is converted from it.
  const w = await waitFor('the F6 warning of the main household', async () => {
    const r = await api('county.yudu', 'GET', `/warnings?householdId=${hh.main.id}`);
    return (r.body.warnings as Json[] | undefined)?.find((x) => x.cause === 'F6');
  });
  warningId = w.id;
});
afterAll(async () => {
  await env?.platform.stop();
  clock.remove();
});

describe('applications: submission', () => {
  it.each([
    ['no household', { householdId: undefined }, 'householdId'],
    ['no signed commitment', { commitmentSigned: false }, 'commitmentSigned'],
    ['the commitment missing', { commitmentSigned: undefined }, 'commitmentSigned'],
    ['no asset-check authorisation', { assetCheckAuthorised: false }, 'assetCheckAuthorised'],
    ['an unknown origin', { origin: 'rumour' }, 'origin'],
    ['a warning of another household', { origin: 'warning', warningId: 'no-such-warning' }, 'warningId'],
  ])('refuses an application with %s (400 naming the field) and opens no case', async (_n, extra, field) => {
    const r = await api('cadre.yudu', 'POST', '/applications', application(hh.main.id, extra));
    expect({ status: r.status, field: r.body.error?.field }).toEqual({ status: 400, field });
    expect(r.body.error.messageZh).toBeTruthy();
    const list = await api('county.yudu', 'GET', `/cases?householdId=${hh.main.id}`);
    expect(list.body.total).toBe(0);
  });

  it('lets only the village cadre of the household submit', async () => {
    for (const user of ['township.yudu', 'county.yudu', 'admin', 'auditor', 'dept.health']) {
      const r = await api(user, 'POST', '/applications', application(hh.main.id));
      expect({ user, status: r.status }).toEqual({ user, status: 403 });
    }
    // A cadre of another village does not see the household (404, as for households).
    const other = await api('cadre.360731101202', 'POST', '/applications', application(hh.main.id));
    expect({ status: other.status, code: other.body.error?.code }).toEqual({
      status: 404,
      code: 'household_not_found',
    });
    expect((await api('admin', 'GET', `/cases?householdId=${hh.main.id}`)).body.total).toBe(0);
  });

  it('refuses a registered poor household (assisted as such)', async () => {
    const r = await api('cadre.yudu', 'POST', '/applications', application(hh.registeredPoor.id));
    expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 409, code: 'already_registered_poor' });
  });

  it('opens the main application from its warning and converts the warning', async () => {
    const r = await api(
      'cadre.yudu',
      'POST',
      '/applications',
      application(hh.main.id, {
        origin: 'warning',
        warningId,
        documents: [{ kind: 'commitment', reference: `村档-${run}-1` }],
      }),
      { 'idempotency-key': `main-${run}` },
    );
    expect({ status: r.status, error: r.body.error }).toEqual({ status: 201, error: undefined });
    const c = r.body.case;
    expect(c).toMatchObject({
      kind: 'identification',
      householdId: hh.main.id,
      areaCode: VILLAGE,
      countyCode: '360731',
      persons: 2,
      state: 'village_verification',
      origin: 'warning',
      warningId,
      commitmentSigned: true,
      assetCheckAuthorised: true,
      dueOn: '2026-12-22',
      late: false,
      notice: null,
      allowedActions: ['verify', 'reject', 'return'],
      version: 1,
    });
    expect(c.headName).toMatch(/^户主/);
    expect(c.steps).toEqual([expect.objectContaining({ action: 'submit', actorUsername: 'cadre.yudu' })]);
    expect(r.body.warning).toMatchObject({ id: warningId, status: 'converted', applicationId: c.id });
    cases.main = c;

    // A retry with the same Idempotency-Key answers with the same case; a new submission is refused.
    const retry = await api(
      'cadre.yudu',
      'POST',
      '/applications',
      application(hh.main.id, { origin: 'warning', warningId }),
      {
        'idempotency-key': `main-${run}`,
      },
    );
    expect({ status: retry.status, id: retry.body.case?.id }).toEqual({ status: 201, id: c.id });
    const again = await api('cadre.yudu', 'POST', '/applications', application(hh.main.id));
    expect({ status: again.status, code: again.body.error?.code }).toEqual({ status: 409, code: 'case_open' });
    expect((await api('admin', 'GET', `/cases?householdId=${hh.main.id}`)).body.total).toBe(1);
  });

  it('opens the other applications', async () => {
    await createUser('sep.person', 'village_cadre', VILLAGE);
    cases.sep = await submit('sep.person', hh.sep.id);
    for (const name of ['upheld', 'returned', 'late', 'violator'] as const)
      cases[name] = await submit('cadre.yudu', hh[name]!.id);
    for (const name of ['big', 'pair', 'single'] as const)
      cases[name] = await submit(`cadre.${QUOTA_VILLAGE}`, hh[name]!.id);
    for (const name of ['racerA', 'racerB'] as const) cases[name] = await submit(`cadre.${RACE_VILLAGE}`, hh[name]!.id);
    // The county's pipeline: undecided identification cases.
    expect(await quota('360732')).toMatchObject({
      used: 0,
      pendingCases: 3,
      pendingPersons: 12,
      quota: 10,
      hardLimit: 11,
    });
  });
});

describe('village verification', () => {
  it('refuses every action the state does not allow (409, state and allowed actions), changing nothing', async () => {
    const c = await getCase(cases.main.id);
    await expectIllegal('cadre.yudu', c, illegalIn(c));
    await expectIllegal('county.yudu', c, ['approve']);
  });

  it('refuses the wrong level (403 wrong_role), a stale or missing version, a missing reason', async () => {
    const c = await getCase(cases.main.id);
    const wrong = await act('township.yudu', c, 'verify');
    expect({ status: wrong.status, code: wrong.body.error?.code }).toEqual({ status: 403, code: 'wrong_role' });
    const stale = await api(
      'cadre.yudu',
      'POST',
      `/cases/${c.id}/actions`,
      { action: 'verify' },
      { 'if-match': '"99"' },
    );
    expect({ status: stale.status, code: stale.body.error?.code }).toEqual({ status: 412, code: 'version_conflict' });
    const none = await api('cadre.yudu', 'POST', `/cases/${c.id}/actions`, { action: 'verify' });
    expect(none.status).toBe(428);
    for (const action of ['reject', 'return']) {
      const r = await act('cadre.yudu', c, action);
      expect({ action, status: r.status, field: r.body.error?.field }).toEqual({
        action,
        status: 400,
        field: 'reason',
      });
    }
    const outside = await act('cadre.360731101202', c, 'verify');
    expect({ status: outside.status, code: outside.body.error?.code }).toEqual({ status: 404, code: 'case_not_found' });
    for (const user of ['auditor', 'admin']) expect((await act(user, c, 'verify')).status).toBe(403);
    await expectUnchanged(c);
  });

  it('returns a case to the cadre with a reason, who resubmits it', async () => {
    let c = await step('cadre.yudu', cases.returned, 'return', { reason: '材料不全' });
    expect(c).toMatchObject({ state: 'returned', reason: '材料不全', allowedActions: ['resubmit', 'reject'] });
    c = await step('cadre.yudu', c, 'resubmit');
    expect(c.state).toBe('village_verification');
    cases.returned = c;
  });

  it('verifies: the public notice opens for 5 days from today', async () => {
    const c = await step('cadre.yudu', cases.main, 'verify');
    expect(c).toMatchObject({
      state: 'in_notice',
      notice: { startDate: DAY0, endDate: '2026-12-11', days: 5, closedAt: '' },
    });
    cases.main = c;
    cases.sep = await step('sep.person', cases.sep, 'verify');
    for (const name of ['upheld', 'violator'] as const) cases[name] = await step('cadre.yudu', cases[name]!, 'verify');
    for (const name of ['big', 'pair', 'single'] as const)
      cases[name] = await step(`cadre.${QUOTA_VILLAGE}`, cases[name]!, 'verify');
    for (const name of ['racerA', 'racerB'] as const)
      cases[name] = await step(`cadre.${RACE_VILLAGE}`, cases[name]!, 'verify');
  });
});

describe('public notice', () => {
  it('prints the notice of the village as a PDF', async () => {
    const r = await api('township.yudu', 'GET', `/notices/${VILLAGE}.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(r.headers.get('content-disposition')).toContain(`notice-${VILLAGE}-identification-${DAY0}.pdf`);
    // No exit is in notice yet.
    const exits = await api('township.yudu', 'GET', `/notices/${VILLAGE}.pdf?kind=exit`);
    expect({ status: exits.status, code: exits.body.error?.code }).toEqual({ status: 404, code: 'no_cases_in_notice' });
  });

  it('refuses the steps after the notice while it runs', async () => {
    const c = await getCase(cases.main.id);
    expect(c.allowedActions).toEqual(['lodge_objection', 'resolve_objection', 'close_notice', 'reject', 'return']);
    await expectIllegal('township.yudu', c, illegalIn(c));
  });

  it('records objections within the notice only', async () => {
    const c = await getCase(cases.main.id);
    const late = await api('cadre.yudu', 'POST', `/cases/${c.id}/objections`, {
      summary: '有村民反映其家庭有经营收入',
      lodgedOn: '2026-12-06',
      version: c.version,
    });
    expect({ status: late.status, code: late.body.error?.issues?.[0]?.code, field: late.body.error?.field }).toEqual({
      status: 400,
      code: 'outside_notice',
      field: 'lodgedOn',
    });
    const blank = await api('cadre.yudu', 'POST', `/cases/${c.id}/objections`, { summary: ' ', version: c.version });
    expect({ status: blank.status, field: blank.body.error?.field }).toEqual({ status: 400, field: 'summary' });
    await expectUnchanged(c);
    const ok = await api('cadre.yudu', 'POST', `/cases/${c.id}/objections`, {
      summary: '有村民反映其家庭有经营收入',
      version: c.version,
    });
    expect({ status: ok.status, error: ok.body.error }).toEqual({ status: 201, error: undefined });
    expect(ok.body.case.objections).toEqual([
      expect.objectContaining({ lodgedOn: DAY0, resolution: '', recordedBy: 'cadre.yudu' }),
    ]);
    expect(ok.body.case.state).toBe('in_notice');
    cases.main = ok.body.case;
  });

  it('does not close before the end date (409 notice_not_ended)', async () => {
    const r = await act('cadre.yudu', cases.main, 'close_notice');
    expect({ status: r.status, code: r.body.error?.code, endDate: r.body.error?.details?.endDate }).toEqual({
      status: 409,
      code: 'notice_not_ended',
      endDate: '2026-12-11',
    });
    await expectUnchanged(cases.main);
  });

  it('an upheld objection rejects the application, with the note as reason', async () => {
    let c = cases.upheld;
    const o = await api('cadre.yudu', 'POST', `/cases/${c.id}/objections`, {
      summary: '家中有商铺出租',
      version: c.version,
    });
    expect(o.status).toBe(201);
    c = o.body.case;
    const r = await api(
      'cadre.yudu',
      'POST',
      `/cases/${c.id}/objections/${c.objections[0].id}/resolution`,
      { resolution: 'upheld', note: '经核实属实' },
      { 'if-match': `"${c.version}"` },
    );
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ state: 'rejected', reason: '经核实属实', allowedActions: [] });
    await expectIllegal('cadre.yudu', r.body.case, ACT_ACTIONS);
  });

  it('after the end date: closes only when every objection is resolved', async () => {
    clock.setDate('2026-12-12');
    const unresolved = await act('cadre.yudu', cases.main, 'close_notice');
    expect({ status: unresolved.status, code: unresolved.body.error?.code }).toEqual({
      status: 409,
      code: 'objections_unresolved',
    });
    await expectUnchanged(cases.main);
    const lateObjection = await api('cadre.yudu', 'POST', `/cases/${cases.main.id}/objections`, {
      summary: '公示期后的异议',
      version: cases.main.version,
    });
    expect({ status: lateObjection.status, code: lateObjection.body.error?.issues?.[0]?.code }).toEqual({
      status: 400,
      code: 'outside_notice',
    });
    const noNote = await api(
      'cadre.yudu',
      'POST',
      `/cases/${cases.main.id}/objections/${cases.main.objections[0].id}/resolution`,
      { resolution: 'dismissed', version: cases.main.version },
    );
    expect({ status: noNote.status, field: noNote.body.error?.field }).toEqual({ status: 400, field: 'note' });
    const dismissed = await api(
      'cadre.yudu',
      'POST',
      `/cases/${cases.main.id}/objections/${cases.main.objections[0].id}/resolution`,
      { resolution: 'dismissed', note: '经核实经营收入已计入', version: cases.main.version },
    );
    expect(dismissed.status).toBe(200);
    expect(dismissed.body.case.objections[0]).toMatchObject({ resolution: 'dismissed', resolvedBy: 'cadre.yudu' });
    const c = await step('cadre.yudu', dismissed.body.case, 'close_notice');
    expect(c.state).toBe('township_review');
    expect(c.notice.closedAt).toBeTruthy();
    cases.main = c;

    cases.sep = await step('cadre.yudu', cases.sep, 'close_notice');
    cases.violator = await step('cadre.yudu', cases.violator, 'close_notice');
    for (const name of ['big', 'pair', 'single'] as const)
      cases[name] = await step(`cadre.${QUOTA_VILLAGE}`, cases[name]!, 'close_notice');
    for (const name of ['racerA', 'racerB'] as const)
      cases[name] = await step(`cadre.${RACE_VILLAGE}`, cases[name]!, 'close_notice');
  });
});

describe('township review and county approval', () => {
  it('township review: only the township officer of the area', async () => {
    const c = await getCase(cases.main.id);
    await expectIllegal('township.yudu', c, illegalIn(c));
    const county = await act('county.yudu', c, 'review');
    expect({ status: county.status, code: county.body.error?.code }).toEqual({ status: 403, code: 'wrong_role' });
    const otherTownship = await act('township.360731102', c, 'review');
    expect(otherTownship.status).toBe(404);
    await expectUnchanged(c);
    cases.main = await step('township.yudu', c, 'review');
    expect(cases.main.state).toBe('county_review');

    cases.sep = await step('township.yudu', cases.sep, 'review');
    cases.violator = await step('township.yudu', cases.violator, 'review');
    for (const name of ['big', 'pair', 'single'] as const)
      cases[name] = await step(`township.${QUOTA_VILLAGE.slice(0, 9)}`, cases[name]!, 'review');
    for (const name of ['racerA', 'racerB'] as const)
      cases[name] = await step(`township.${RACE_VILLAGE.slice(0, 9)}`, cases[name]!, 'review');
  });

  it('county approval: wrong level 403, a county officer of another county 404', async () => {
    const c = await getCase(cases.main.id);
    await expectIllegal('county.yudu', c, illegalIn(c));
    for (const user of ['cadre.yudu', 'township.yudu']) {
      const r = await act(user, c, 'approve');
      expect({ user, status: r.status, code: r.body.error?.code }).toEqual({ user, status: 403, code: 'wrong_role' });
    }
    expect((await act('county.360732', c, 'approve')).status).toBe(404);
    await expectUnchanged(c);
  });

  it('approves: category and causes of the current assessment, policies from the first of next month', async () => {
    const before = await quota('360731');
    const c = await step('county.yudu', cases.main, 'approve');
    expect(c).toMatchObject({
      state: 'approved',
      category: 'edge',
      causes: ['F6'],
      policyStartDate: '2027-01-01',
      late: false,
      allowedActions: [],
    });
    expect(c.decidedAt).toBeTruthy();
    expect(c.steps.map((s: Json) => s.action)).toEqual([
      'submit',
      'verify',
      'lodge_objection',
      'resolve_objection',
      'close_notice',
      'review',
      'approve',
    ]);
    cases.main = c;
    expect(await identification(hh.main.id)).toMatchObject({
      householdId: hh.main.id,
      status: 'identified',
      caseId: c.id,
      category: 'edge',
      causes: ['F6'],
      persons: 2,
      policyStartDate: '2027-01-01',
    });
    const after = await quota('360731');
    expect(after).toMatchObject({
      quota: 100,
      hardLimit: 110,
      used: before.used + 2,
      remaining: 100 - before.used - 2,
      pendingCases: before.pendingCases - 1,
      pendingPersons: before.pendingPersons - 2,
      configured: true,
    });
    await expectIllegal('county.yudu', c, ACT_ACTIONS);
    // Every step is on the identification service's audit trail.
    const trail = await api('auditor', 'GET', `/audit?source=identification&aggregateId=${c.id}`);
    expect(trail.body.entries.map((e: Json) => e.action)).toEqual(
      expect.arrayContaining(['case.submit', 'case.verify', 'case.close_notice', 'case.review', 'case.approve']),
    );
  });

  it('the same person may not verify and approve one case, even after becoming a county officer', async () => {
    const users = await api('admin', 'GET', '/users?role=village_cadre&limit=200');
    const sep = (users.body.items as Json[]).find((u) => u.username === 'sep.person')!;
    const patch = await api('admin', 'PATCH', `/users/${sep.id}`, { role: 'county_officer', areaCode: '360731' });
    expect(patch.status).toBe(200);
    forgetToken(url, 'sep.person'); // the role is in the token: sign in again
    const c = await getCase(cases.sep.id);
    const r = await act('sep.person', c, 'approve');
    expect({ status: r.status, code: r.body.error?.code }).toEqual({ status: 403, code: 'same_person' });
    await expectUnchanged(c);
    cases.sep = await step('county.yudu', c, 'approve');
    cases.violator = await step('county.yudu', cases.violator, 'approve');
  });

  it('quota: beyond Q only with an override reason, never beyond the hard limit', async () => {
    const county = 'county.360732';
    cases.big = await step(county, cases.big, 'approve');
    expect(await quota('360732')).toMatchObject({
      quota: 10,
      hardLimit: 11,
      used: 9,
      remaining: 1,
      pendingCases: 2,
      pendingPersons: 3,
    });

    const noReason = await act(county, cases.pair, 'approve');
    expect({ status: noReason.status, code: noReason.body.error?.code, details: noReason.body.error?.details }).toEqual(
      {
        status: 409,
        code: 'quota_override_required',
        details: { quota: '10', hardLimit: '11', used: '9' },
      },
    );
    await expectUnchanged(cases.pair);
    cases.pair = await step(county, cases.pair, 'approve', { overrideReason: '因灾返贫集中，经县领导小组研究同意' });
    expect(cases.pair.overrideReason).toBe('因灾返贫集中，经县领导小组研究同意');
    expect(await quota('360732')).toMatchObject({ used: 11, remaining: -1, pendingCases: 1, pendingPersons: 1 });

    const beyond = await act(county, cases.single, 'approve', { overrideReason: '仍须纳入' });
    expect({ status: beyond.status, code: beyond.body.error?.code }).toEqual({ status: 409, code: 'quota_exceeded' });
    await expectUnchanged(cases.single);
    expect((await identification(hh.single.id)).status).toBe('none');
    expect((await quota('360732')).used).toBe(11);
  });

  it('two approvals racing for the last place: exactly one wins', async () => {
    const [a, b] = await Promise.all([
      act('county.360733', cases.racerA, 'approve'),
      act('county.360733', cases.racerB, 'approve'),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.code).toBe('quota_exceeded');
    expect(await quota('360733')).toMatchObject({ quota: 1, hardLimit: 1, used: 1, remaining: 0, pendingCases: 1 });
    await expectUnchanged(a.status === 409 ? cases.racerA : cases.racerB);
    const statuses = [(await identification(hh.racerA.id)).status, (await identification(hh.racerB.id)).status];
    expect(statuses.sort()).toEqual(['identified', 'none']);
  });

  it('includes a household of the national system directly, counted against the quota', async () => {
    const before = await quota('360731');
    const notNational = await api('county.yudu', 'POST', '/direct-inclusions', { householdId: hh.late.id });
    expect({ status: notNational.status, code: notNational.body.error?.code }).toEqual({
      status: 400,
      code: 'not_in_national_system',
    });
    const cadre = await api('cadre.yudu', 'POST', '/direct-inclusions', { householdId: hh.national.id });
    expect(cadre.status).toBe(403);
    const r = await api('county.yudu', 'POST', '/direct-inclusions', {
      householdId: hh.national.id,
      note: '已录入全国系统',
    });
    expect({ status: r.status, error: r.body.error }).toEqual({ status: 201, error: undefined });
    expect(r.body.case).toMatchObject({
      state: 'approved',
      origin: 'national_system',
      persons: 3,
      policyStartDate: '2027-01-01',
    });
    expect(r.body.case.steps.map((s: Json) => s.action)).toEqual(['include_directly']);
    cases.national = r.body.case;
    expect((await identification(hh.national.id)).status).toBe('identified');
    expect((await quota('360731')).used).toBe(before.used + 3);
  });
});

describe('late cases', () => {
  it('are flagged and listable once past the 15-day limit', async () => {
    expect((await api('county.yudu', 'GET', '/cases?late=true')).body.total).toBe(0);
    clock.setDate('2026-12-23'); // 16 days after submission; due on 2026-12-22
    const r = await api('county.yudu', 'GET', '/cases?late=true&kind=identification');
    expect(r.status).toBe(200);
    const ids = (r.body.cases as Json[]).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([cases.late.id, cases.returned.id]));
    expect(ids).not.toContain(cases.main.id); // decided in time
    expect(ids).not.toContain(cases.national.id); // a direct inclusion has no due date
    expect((r.body.cases as Json[]).every((c) => c.late)).toBe(true);
    expect((await getCase(cases.late.id)).late).toBe(true);
    // Late cases of another county are not in this county's list; they are in theirs.
    expect(ids).not.toContain(cases.single.id);
    const other = await api('admin', 'GET', '/cases?late=true&areaCode=360732');
    expect((other.body.cases as Json[]).map((c) => c.id)).toEqual([cases.single.id]);
  });
});

describe('exit', () => {
  let exitMain: Json;

  it('puts households whose causes are gone on the quarterly review list', async () => {
    // The main household has a new brick house and income above the line now.
    const read = await api('cadre.yudu', 'GET', `/households/${hh.main.id}`);
    const { id, version, createdAt, updatedAt, ...fields } = read.body.household;
    void id;
    void createdAt;
    void updatedAt;
    const put = await api(
      'cadre.yudu',
      'PUT',
      `/households/${hh.main.id}`,
      {
        ...fields,
        income: { ...fields.income, wage: 60000 },
        housing: { structure: 'brick_concrete', onlyHome: true, safetyGrade: 'A' },
      },
      { 'if-match': `"${version}"` },
    );
    expect(put.status).toBe(200);
    await assessed(hh.main.id, (a) => a.householdVersion === put.body.household.version);

    const r = await api('cadre.yudu', 'GET', `/exit-reviews/${VILLAGE}`);
    expect(r.status).toBe(200);
    expect(r.body.quarter).toBe('2026Q4');
    const ids = (r.body.candidates as Json[]).map((c) => c.householdId);
    expect(ids).toEqual(expect.arrayContaining([hh.main.id, hh.sep.id, hh.national.id]));
    expect(ids).not.toContain(hh.violator.id); // still below the line with a mud-brick house
    expect((r.body.candidates as Json[]).find((c) => c.householdId === hh.main.id)).toMatchObject({
      causes: ['F6'],
      currentFeatures: [],
      incomeBelowLine: false,
      persons: 2,
    });
    expect((await api('dept.health', 'GET', `/exit-reviews/${VILLAGE}`)).status).toBe(403);
    expect((await api('cadre.360731101202', 'GET', `/exit-reviews/${VILLAGE}`)).status).toBe(404);
  });

  async function startExit(householdId: string): Promise<Json> {
    const r = await api('cadre.yudu', 'POST', '/exits', { householdId, quarter: '2026Q4' });
    expect({ status: r.status, error: r.body.error }).toEqual({ status: 201, error: undefined });
    expect(r.body.case).toMatchObject({ kind: 'exit', state: 'vote', origin: 'quarterly_review', quarter: '2026Q4' });
    return r.body.case;
  }
  const vote = (c: Json, counts: Json) =>
    api(
      'cadre.yudu',
      'POST',
      `/cases/${c.id}/vote`,
      { heldOn: '2026-12-23', minutesReference: `会议记录-${run}`, abstentions: 0, ...counts },
      { 'if-match': `"${c.version}"` },
    );

  it('a vote without quorum (5 of 9 present) keeps the household identified', async () => {
    expect((await api('township.yudu', 'POST', '/exits', { householdId: hh.sep.id })).status).toBe(403);
    const c = await startExit(hh.sep.id);
    await expectIllegal('cadre.yudu', c, illegalIn(c));
    const bad = await vote(c, { members: 9, present: 10, votesFor: 5, votesAgainst: 0 });
    expect({ status: bad.status, field: bad.body.error?.field }).toEqual({ status: 400, field: 'present' });
    await expectUnchanged(c);
    const r = await vote(c, { members: 9, present: 5, votesFor: 5, votesAgainst: 0 });
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({ state: 'retained', vote: { quorum: false, passed: false } });
    expect((await identification(hh.sep.id)).status).toBe('identified');
  });

  it('a vote with quorum (6 of 9) but only half for (3 of 6) fails too', async () => {
    const c = await startExit(hh.national.id);
    const r = await vote(c, { members: 9, present: 6, votesFor: 3, votesAgainst: 3 });
    expect(r.body.case).toMatchObject({ state: 'retained', vote: { quorum: true, passed: false } });
    expect((await identification(hh.national.id)).status).toBe('identified');
  });

  it('a passing vote (6 of 9 present, 4 for) opens the exit notice', async () => {
    const c = await startExit(hh.main.id);
    const r = await vote(c, { members: 9, present: 6, votesFor: 4, votesAgainst: 2 });
    expect(r.status).toBe(200);
    expect(r.body.case).toMatchObject({
      state: 'in_notice',
      vote: { members: 9, present: 6, votesFor: 4, votesAgainst: 2, quorum: true, passed: true },
      notice: { startDate: '2026-12-23', endDate: '2026-12-27', days: 5 },
    });
    exitMain = r.body.case;
    const pdf = await api('cadre.yudu', 'GET', `/notices/${VILLAGE}.pdf?kind=exit`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const early = await act('cadre.yudu', exitMain, 'close_notice');
    expect({ status: early.status, code: early.body.error?.code }).toEqual({ status: 409, code: 'notice_not_ended' });
  });

  it('closes the notice, tells the household, and marks it exited: quota freed, data kept', async () => {
    clock.setDate('2026-12-28');
    const before = await quota('360731');
    let c = await step('cadre.yudu', exitMain, 'close_notice');
    expect(c.state).toBe('inform');
    await expectIllegal('cadre.yudu', c, illegalIn(c));
    const noNote = await act('cadre.yudu', c, 'inform');
    expect({ status: noNote.status, field: noNote.body.error?.field }).toEqual({ status: 400, field: 'note' });
    c = await step('cadre.yudu', c, 'inform', { note: '村干部入户当面告知户主' });
    expect(c).toMatchObject({ state: 'exited', informedOn: '2026-12-28', allowedActions: [] });
    expect(await identification(hh.main.id)).toMatchObject({
      status: 'exited',
      exitKind: 'vote',
      caseId: cases.main.id,
    });
    expect((await quota('360731')).used).toBe(before.used - 2);
    // Never deleted: the household, its history and both cases stay readable.
    const household = await api('county.yudu', 'GET', `/households/${hh.main.id}`);
    expect(household.status).toBe(200);
    const history = await api('county.yudu', 'GET', `/households/${hh.main.id}/history`);
    expect(history.body.changes.length).toBeGreaterThanOrEqual(2);
    const list = await api('county.yudu', 'GET', `/cases?householdId=${hh.main.id}`);
    expect((list.body.cases as Json[]).map((x) => `${x.kind}:${x.state}`).sort()).toEqual([
      'exit:exited',
      'identification:approved',
    ]);
  });
});

describe('commitment violations', () => {
  it('a car registered to a member opens a violation case; ending the assistance exits the household', async () => {
    const before = await quota('360731');
    const car = {
      recordId: `car-${run}`,
      idNumber: hh.violator.headId,
      status: 'registered',
      vehicleType: 'car',
      registeredOn: '2026-11-20',
    };
    const post = await api('dept.public_security', 'POST', '/feeds/public_security', { records: [car] });
    expect(post.status).toBe(202);
    const v = await waitFor(
      'the violation case',
      async () => {
        const r = await api('county.yudu', 'GET', `/violations?areaCode=${VILLAGE}`);
        return (r.body.violations as Json[] | undefined)?.find((x) => x.householdId === hh.violator.id);
      },
      60000,
    );
    expect(v).toMatchObject({ department: 'public_security', recordId: `car-${run}`, asset: 'car', state: 'open' });
    expect(JSON.stringify(v)).not.toContain(hh.violator.headId);

    expect((await api('cadre.yudu', 'GET', '/violations')).status).toBe(403);
    const cadre = await api('cadre.yudu', 'POST', `/violations/${v.id}/decision`, {
      decision: 'end_assistance',
      reason: 'x',
      version: v.version,
    });
    expect(cadre.status).toBe(403);
    const noReason = await api('county.yudu', 'POST', `/violations/${v.id}/decision`, {
      decision: 'end_assistance',
      version: v.version,
    });
    expect({ status: noReason.status, field: noReason.body.error?.field }).toEqual({ status: 400, field: 'reason' });
    const r = await api('county.yudu', 'POST', `/violations/${v.id}/decision`, {
      decision: 'end_assistance',
      reason: '违反承诺购买小轿车',
      version: v.version,
    });
    expect({ status: r.status, error: r.body.error }).toEqual({ status: 200, error: undefined });
    expect(r.body.violation).toMatchObject({ state: 'assistance_ended', decisionReason: '违反承诺购买小轿车' });
    expect(await identification(hh.violator.id)).toMatchObject({
      status: 'exited',
      exitKind: 'violation',
      exitReason: '违反承诺购买小轿车',
    });
    expect((await quota('360731')).used).toBe(before.used - 2);
    const again = await api('county.yudu', 'POST', `/violations/${v.id}/decision`, {
      decision: 'warn',
      version: r.body.violation.version,
    });
    expect(again.status).toBe(409);
  });
});
