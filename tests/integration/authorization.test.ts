import { randomBytes } from 'node:crypto';
import { identificationV1 } from '@shouwang/contracts';
import { AppError, createGrpcClient, identityMetadata } from '@shouwang/kit';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import {
  cadreToken,
  DEMO_PASSWORD,
  freshHousehold,
  postHousehold,
  startTestPlatform,
  tokenFor,
  waitFor,
} from './support';

jest.setTimeout(120000);

/**
 * The authorisation matrix: every route × every role × inside/outside the caller's area, with the
 * exact status. Demo users: admin (city 3607), county.yudu (360731), township.yudu (360731101),
 * cadre.yudu (village 360731101201), dept.health (department officer, 360731), auditor (3607).
 */
const ROLES = ['admin', 'county.yudu', 'township.yudu', 'cadre.yudu', 'dept.health', 'auditor'] as const;
type User = (typeof ROLES)[number];

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let inside: { id: string; idNumber: string };
let outside: { id: string };
const IN_VILLAGE = '360731101201';
const OUT_VILLAGE = '360732101201'; // another county (兴国县)

beforeAll(async () => {
  env = await startTestPlatform('authorization');
  const idNumber = syntheticIdNumber(21, '1975-04-04');
  const a = await postHousehold(
    env.platform.gatewayUrl,
    minimalHousehold({ areaCode: IN_VILLAGE, members: [{ name: '周六', relation: 'head', idNumber }] }),
  );
  const b = await postHousehold(env.platform.gatewayUrl, freshHousehold({ areaCode: OUT_VILLAGE }));
  expect([a.status, b.status]).toEqual([201, 201]);
  inside = { id: a.body.household.id, idNumber };
  outside = { id: b.body.household.id };
});
// The assistance service keeps points per household it knows from the registry's events: wait for both.
beforeAll(async () => {
  const admin = await tokenFor(env.platform.gatewayUrl, 'admin');
  for (const id of [inside.id, outside.id])
    await waitFor(`assistance to know household ${id}`, async () => {
      const res = await fetch(`${env.platform.gatewayUrl}/api/v1/households/${id}/points`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      return res.status === 200 ? true : undefined;
    });
});
afterAll(async () => {
  await env?.platform.stop();
});

async function call(
  user: User | null,
  method: string,
  path: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- bodies are asserted field by field
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (user) headers.authorization = `Bearer ${await tokenFor(env.platform.gatewayUrl, user)}`;
  const res = await fetch(`${env.platform.gatewayUrl}/api/v1${path}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const newUser = () => ({
  username: `u.${randomBytes(4).toString('hex')}`,
  password: DEMO_PASSWORD,
  displayName: '测试用户',
  role: 'auditor',
  areaCode: '3607',
  department: null,
});

type Row = [string, string, () => string, (() => unknown) | undefined, Record<User, number>];
const rows: Row[] = [
  [
    "register a household in the cadre's village",
    'POST',
    () => '/households',
    () => freshHousehold({ areaCode: IN_VILLAGE }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 201, 'dept.health': 403, auditor: 403 },
  ],
  [
    'register a household in another village of the county',
    'POST',
    () => '/households',
    () => freshHousehold({ areaCode: '360731101202' }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  [
    'read a household inside the demo village',
    'GET',
    () => `/households/${inside.id}`,
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 403, auditor: 200 },
  ],
  [
    'read a household of another county',
    'GET',
    () => `/households/${outside.id}`,
    undefined,
    { admin: 200, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 403, auditor: 200 },
  ],
  [
    'read the demo village report',
    'GET',
    () => `/reports/villages/${IN_VILLAGE}`,
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 200, auditor: 200 },
  ],
  [
    "read another county's village report",
    'GET',
    () => `/reports/villages/${OUT_VILLAGE}`,
    undefined,
    { admin: 200, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 404, auditor: 200 },
  ],
  [
    'list users',
    'GET',
    () => '/users',
    undefined,
    { admin: 200, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  [
    'create a user',
    'POST',
    () => '/users',
    newUser,
    { admin: 201, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  [
    'read the audit trail',
    'GET',
    () => '/audit',
    undefined,
    { admin: 200, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 200 },
  ],
  [
    "read one's own profile",
    'GET',
    () => '/auth/me',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 200, auditor: 200 },
  ],
  // Identification and exit workflows (DOMAIN.md §6, §7): who may reach each route; the service then
  // decides which level takes which step (tests/integration/workflow.test.ts walks every step).
  [
    'list cases',
    'GET',
    () => '/cases',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 403, auditor: 200 },
  ],
  [
    "submit an application for a household of the cadre's village",
    'POST',
    () => '/applications',
    () => ({ householdId: inside.id, origin: 'household_request', commitmentSigned: true, assetCheckAuthorised: true }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 201, 'dept.health': 403, auditor: 403 },
  ],
  [
    'submit an application for a household of another county',
    'POST',
    () => '/applications',
    () => ({
      householdId: outside.id,
      origin: 'household_request',
      commitmentSigned: true,
      assetCheckAuthorised: true,
    }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 404, 'dept.health': 403, auditor: 403 },
  ],
  [
    'act on a case that does not exist',
    'POST',
    () => '/cases/no-such-case/actions',
    () => ({ action: 'verify', version: 1 }),
    { admin: 403, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 403, auditor: 403 },
  ],
  [
    'include directly a household not in the national system',
    'POST',
    () => '/direct-inclusions',
    () => ({ householdId: inside.id }),
    { admin: 403, 'county.yudu': 400, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  [
    'read the quota of the demo county',
    'GET',
    () => '/quotas/360731',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 403, 'dept.health': 403, auditor: 200 },
  ],
  [
    'read the quota of another county',
    'GET',
    () => '/quotas/360732',
    undefined,
    { admin: 200, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 403, 'dept.health': 403, auditor: 200 },
  ],
  [
    "read the demo county's workflow policy",
    'GET',
    () => '/workflow-policy/360731',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 403, auditor: 200 },
  ],
  [
    "set a county's workflow policy",
    'PUT',
    () => '/workflow-policy/360735',
    () => ({
      policy: { registeredPoorPopulation: 1000, quotaRatio: 0.05, overrideRatio: 0.1, noticeDays: 5, decisionDays: 15 },
      version: 0,
    }),
    { admin: 200, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  [
    'read the identification of a household inside the demo village',
    'GET',
    () => `/households/${inside.id}/identification`,
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 403, auditor: 200 },
  ],
  [
    'read the identification of a household of another county',
    'GET',
    () => `/households/${outside.id}/identification`,
    undefined,
    { admin: 200, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 403, auditor: 200 },
  ],
  [
    'download the public notice of the demo village (none in notice)',
    'GET',
    () => `/notices/${IN_VILLAGE}.pdf`,
    undefined,
    { admin: 404, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 403, auditor: 404 },
  ],
  [
    'read the exit review list of the demo village',
    'GET',
    () => `/exit-reviews/${IN_VILLAGE}`,
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 403, auditor: 200 },
  ],
  [
    "read the exit review list of another county's village",
    'GET',
    () => `/exit-reviews/${OUT_VILLAGE}`,
    undefined,
    { admin: 200, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 403, auditor: 200 },
  ],
  [
    'start the exit of a household that is not identified',
    'POST',
    () => '/exits',
    () => ({ householdId: inside.id }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 409, 'dept.health': 403, auditor: 403 },
  ],
  [
    'list violation cases',
    'GET',
    () => '/violations',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 200 },
  ],
  [
    'decide a violation case that does not exist',
    'POST',
    () => '/violations/no-such-case/decision',
    () => ({ decision: 'warn', version: 1 }),
    { admin: 403, 'county.yudu': 404, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  // Assistance (DOMAIN.md §8): the catalogue, plans, department queues, points (the households here
  // have no plan: tests/integration/assistance.test.ts works plans and tasks end to end).
  [
    'read the measure catalogue',
    'GET',
    () => '/measures',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 200, auditor: 200 },
  ],
  [
    'change a measure at a version long gone',
    'PUT',
    () => '/measures/M6',
    () => ({
      measure: {
        nameZh: '教育资助',
        nameEn: 'Education aid',
        departments: ['education'],
        causes: ['F5'],
        conditions: [],
        kind: 'policy',
        amountLimitYuan: null,
        dueDays: null,
        active: true,
      },
      version: 99,
    }),
    { admin: 412, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 403 },
  ],
  [
    'read the plan of a household that has none',
    'GET',
    () => `/households/${inside.id}/plan`,
    undefined,
    { admin: 404, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 404, auditor: 404 },
  ],
  [
    'change the plan of a household that has none',
    'POST',
    () => `/households/${inside.id}/plan/changes`,
    () => ({ operation: 'drop', measureCode: 'M9', reason: '测试', version: 1 }),
    { admin: 403, 'county.yudu': 404, 'township.yudu': 403, 'cadre.yudu': 404, 'dept.health': 403, auditor: 403 },
  ],
  [
    'list assistance tasks',
    'GET',
    () => '/tasks',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 200, auditor: 200 },
  ],
  [
    "list another department's tasks",
    'GET',
    () => '/tasks?department=education',
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 403, auditor: 200 },
  ],
  [
    'act on a task that does not exist',
    'POST',
    () => '/tasks/no-such-task/actions',
    () => ({ action: 'accept', version: 1 }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 404, auditor: 403 },
  ],
  [
    'read the points of a household inside the demo village',
    'GET',
    () => `/households/${inside.id}/points`,
    undefined,
    { admin: 200, 'county.yudu': 200, 'township.yudu': 200, 'cadre.yudu': 200, 'dept.health': 200, auditor: 200 },
  ],
  [
    'read the points of a household of another county',
    'GET',
    () => `/households/${outside.id}/points`,
    undefined,
    { admin: 200, 'county.yudu': 404, 'township.yudu': 404, 'cadre.yudu': 404, 'dept.health': 404, auditor: 200 },
  ],
  [
    "record points of a household in the cadre's village",
    'POST',
    () => `/households/${inside.id}/points`,
    () => ({ kind: 'earn', points: 1, reason: '测试' }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 201, 'dept.health': 403, auditor: 403 },
  ],
  [
    'record points of a household of another county',
    'POST',
    () => `/households/${outside.id}/points`,
    () => ({ kind: 'earn', points: 1, reason: '测试' }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 404, 'dept.health': 403, auditor: 403 },
  ],
  [
    "put a household of the cadre's village on the red list",
    'POST',
    () => `/households/${inside.id}/list-entries`,
    () => ({ list: 'red', reason: '测试' }),
    { admin: 403, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 201, 'dept.health': 403, auditor: 403 },
  ],
  [
    "read the assistance service's audit trail",
    'GET',
    () => '/audit?source=assistance',
    undefined,
    { admin: 200, 'county.yudu': 403, 'township.yudu': 403, 'cadre.yudu': 403, 'dept.health': 403, auditor: 200 },
  ],
];

describe.each(rows)('%s (%s)', (_what, method, path, body, expected) => {
  it.each(ROLES)('as %s', async (user) => {
    const res = await call(user, method, path(), body?.());
    expect({ user, status: res.status, code: res.body?.error?.code }).toMatchObject({ user, status: expected[user] });
  });
  it('without a token: 401', async () => {
    expect((await call(null, method, path(), body?.())).status).toBe(401);
  });
});

describe('personal data in responses', () => {
  it.each([
    ['county.yudu', true],
    ['township.yudu', true],
    ['cadre.yudu', true],
    ['admin', false],
    ['auditor', false],
  ] as const)('ID numbers for %s are shown in full: %p', async (user, full) => {
    const res = await call(user, 'GET', `/households/${inside.id}`);
    const shown = res.body.household.members[0].idNumber as string;
    expect(shown).toBe(full ? inside.idNumber : `${inside.idNumber.slice(0, 6)}********${inside.idNumber.slice(14)}`);
  });
});

describe('services check the caller themselves', () => {
  const client = () =>
    createGrpcClient(identificationV1.IdentificationServiceClient, `127.0.0.1:${env.ports.identificationGrpc}`, 5000);
  const who = { userId: 'x', username: 'admin', role: 'city_admin' as const, areaCode: '3607', department: null };

  it('refuses a call without the gateway-signed identity', async () => {
    const c = client();
    await expect(c.call.getHousehold({ id: inside.id })).rejects.toMatchObject({ kind: 'unauthenticated' });
    c.close();
  });

  it('refuses an identity signed with any other secret (a forged request past the gateway)', async () => {
    const c = client();
    const forged = await identityMetadata(randomBytes(32).toString('hex'), who);
    await expect(c.call.getHousehold({ id: inside.id }, { metadata: forged })).rejects.toBeInstanceOf(AppError);
    await expect(c.call.getHousehold({ id: inside.id }, { metadata: forged })).rejects.toMatchObject({
      code: 'identity_invalid',
    });
    c.close();
  });

  it('answers a correctly signed identity, and applies its scope', async () => {
    const c = client();
    const secret = env.platform.services.identification.env.INTERNAL_IDENTITY_SECRET;
    const ok = await c.call.getHousehold({ id: outside.id }, { metadata: await identityMetadata(secret, who) });
    expect(ok.household?.id).toBe(outside.id);
    const county = await identityMetadata(secret, { ...who, role: 'county_officer', areaCode: '360731' });
    await expect(c.call.getHousehold({ id: outside.id }, { metadata: county })).rejects.toMatchObject({
      kind: 'not_found',
    });
    c.close();
  });
});

describe('cadre accounts of other villages', () => {
  it('are kept to their own village', async () => {
    const token = await cadreToken(env.platform.gatewayUrl, OUT_VILLAGE);
    const res = await fetch(`${env.platform.gatewayUrl}/api/v1/households/${inside.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
  });
});
