import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { identificationV1, monitoringV1 } from '@shouwang/contracts';
import { scratchDatabase } from '@shouwang/devstack';
import { AppError, AuditTrail, bytesOf, decodeEnvelope, VersionedWrites, type Identity } from '@shouwang/kit';
import type { Household, Role } from '@shouwang/domain';
import { EXAMPLE_VILLAGE, minimalHousehold } from '@shouwang/domain/testing';
import { HouseholdStore, type HouseholdDoc } from '../households/household-store';
import { CaseStore, type CaseDoc } from './case-store';
import { createCase } from './case-transitions';
import { fixedClock } from './clock';
import { Identifications } from './identifications';
import { QuotaLedger } from './quota-ledger';
import { WORKFLOW_COMMITS } from './recovery';
import { WorkflowPolicyStore, updateWorkflowPolicy } from './workflow-policy-store';
import type { WorkflowDeps } from './workflow-deps';
import { submitApplication } from './submit-application';
import { actOnCase } from './act-on-case';
import { lodgeObjection, resolveObjection } from './objections';
import { includeDirectly } from './include-directly';
import { listCases } from './list-cases';
import { quotaStatus } from './quota-status';

jest.setTimeout(120000);

/**
 * The workflow core against the real FerretDB of infra/local (each test in a database of its own),
 * called as the gRPC handlers call it. Monitoring is replaced by a fixed assessment.
 */

const TOWNSHIP = EXAMPLE_VILLAGE.slice(0, 9);
const COUNTY = EXAMPLE_VILLAGE.slice(0, 6);
const OTHER_VILLAGE = `${TOWNSHIP}999`;

const person = (role: Role, areaCode: string, username: string): Identity => ({
  userId: `u-${username}`,
  username,
  role,
  areaCode,
  department: null,
});
const cadre = person('village_cadre', EXAMPLE_VILLAGE, 'cadre.a');
const otherCadre = person('village_cadre', OTHER_VILLAGE, 'cadre.b');
const township = person('township_officer', TOWNSHIP, 'township.a');
const county = person('county_officer', COUNTY, 'county.a');
const admin = person('city_admin', '3607', 'admin');

const conns: Connection[] = [];
afterAll(async () => {
  for (const c of conns) {
    await c.db?.dropDatabase();
    await c.close();
  }
});

/** A fresh database with every store, the clock at 1 December 2026 10:00 in China. */
async function setup() {
  const conn = await scratchDatabase('workflow');
  conns.push(conn);
  const clock = fixedClock('2026-12-01T02:00:00Z');
  const writes = await VersionedWrites.open(conn, WORKFLOW_COMMITS);
  const audit = await AuditTrail.open(conn);
  const quota = await QuotaLedger.open(conn, writes);
  const cases = await CaseStore.open(conn, writes);
  const deps: WorkflowDeps = {
    cases,
    quota,
    identifications: await Identifications.open(conn, { writes, quota, audit, clock, onEventsWritten: () => {} }),
    policies: await WorkflowPolicyStore.open(conn, writes),
    households: await HouseholdStore.open(conn),
    audit,
    clock,
    assessments: {
      current: async () =>
        monitoringV1.Assessment.fromPartial({
          category: 'sudden_hardship',
          features: ['F3', 'F7'],
          incomeBelowLine: true,
        }),
    },
    onEventsWritten: () => {},
  };
  return { conn, clock, writes, deps };
}
type Env = Awaited<ReturnType<typeof setup>>;

async function addHousehold(env: Env, persons = 3, over: Partial<Household> = {}): Promise<HouseholdDoc> {
  const h = minimalHousehold({
    members: Array.from({ length: persons }, (_, i) => ({
      name: i === 0 ? '赵一' : `赵${i + 1}`,
      relation: i === 0 ? ('head' as const) : ('child' as const),
    })),
    ...over,
  });
  const now = new Date().toISOString();
  const doc = { ...h, _id: randomUUID(), version: 1, createdAt: now, updatedAt: now } as HouseholdDoc;
  expect(await env.deps.households.insert(doc, [])).toBe(true);
  return doc;
}

/** The county's poor population (quota = 5 %, hard limit = ⌊Q × 1.1⌋). */
async function setPopulation(env: Env, registeredPoorPopulation: number) {
  const current = await env.deps.policies.get(COUNTY);
  await updateWorkflowPolicy(env.deps, admin, {
    expectedVersion: current.version,
    policy: identificationV1.WorkflowPolicy.fromPartial({
      countyCode: COUNTY,
      registeredPoorPopulation,
      quotaRatio: 0.05,
      overrideRatio: 0.1,
      noticeDays: 5,
      decisionDays: 15,
    }),
  });
}

function submit(env: Env, householdId: string, over: Partial<identificationV1.SubmitApplicationRequest> = {}) {
  return submitApplication(
    env.deps,
    cadre,
    identificationV1.SubmitApplicationRequest.fromPartial({
      householdId,
      origin: 'household_request',
      commitmentSigned: true,
      assetCheckAuthorised: true,
      documents: [{ kind: 'commitment', reference: '上坪村2026-017' }],
      ...over,
    }),
  );
}

function act(
  env: Env,
  who: Identity,
  c: CaseDoc,
  action: string,
  over: Partial<identificationV1.ActOnCaseRequest> = {},
) {
  return actOnCase(
    env.deps,
    who,
    identificationV1.ActOnCaseRequest.fromPartial({ id: c._id, expectedVersion: c.version, action, ...over }),
  );
}

/** Submitted, verified, notice over and closed, reviewed: waiting for the county. */
async function toCountyReview(env: Env, householdId: string): Promise<CaseDoc> {
  let c = await submit(env, householdId);
  c = await act(env, cadre, c, 'verify');
  env.clock.set(`${c.notice!.endDate}T16:00:00Z`); // the day after the end date, 00:00 in China
  c = await act(env, cadre, c, 'close_notice');
  return act(env, township, c, 'review');
}

/** The events a case's moves released (the outbox relay is not running here), oldest first. */
async function eventsOf(env: Env, aggregate: string) {
  const commits = await env.writes.coll.find({ aggregate }).toArray();
  return commits
    .sort((a, b) => a.version - b.version)
    .filter((c) => c._outboxPending)
    .flatMap((c) => c._outbox ?? [])
    .map((e) => ({ type: e.type, topic: e.topic, key: e.key, envelope: decodeEnvelope(bytesOf(e.value)) }));
}

const appError = (kind: string, code: string, more: object = {}) =>
  expect.objectContaining({ kind, code, ...more }) as unknown as AppError;

describe('an application, from submission to approval', () => {
  it('walks the five levels, with an objection, the notice dates and the quota', async () => {
    const env = await setup();
    await setPopulation(env, 1000); // Q = 50
    const h = await addHousehold(env, 4);

    let c = await submit(env, h._id);
    expect(c).toMatchObject({
      kind: 'identification',
      state: 'village_verification',
      persons: 4,
      headName: '赵一',
      countyCode: COUNTY,
      dueOn: '2026-12-16',
      version: 1,
      open: true,
    });
    expect(c.documents).toEqual([
      { kind: 'commitment', reference: '上坪村2026-017', recordedBy: 'cadre.a', recordedAt: expect.any(String) },
    ]);

    c = await act(env, cadre, c, 'verify');
    expect(c.state).toBe('in_notice');
    expect(c.notice).toEqual({ startDate: '2026-12-01', endDate: '2026-12-05', days: 5, closedAt: '' });

    env.clock.set('2026-12-03T02:00:00Z');
    c = await lodgeObjection(
      env.deps,
      cadre,
      identificationV1.LodgeObjectionRequest.fromPartial({
        caseId: c._id,
        expectedVersion: c.version,
        summary: '村民反映家中有经营收入',
      }),
    );
    expect(c.objections).toHaveLength(1);
    expect(c.objections[0]).toMatchObject({ lodgedOn: '2026-12-03', resolution: '', recordedBy: 'cadre.a' });

    // On the end date: refused, naming it.
    env.clock.set('2026-12-05T15:59:00Z'); // 23:59 on 5 December in China
    await expect(act(env, cadre, c, 'close_notice')).rejects.toEqual(
      appError('conflict', 'notice_not_ended', { details: { endDate: '2026-12-05' } }),
    );
    // The day after, still refused while the objection is open.
    env.clock.set('2026-12-05T16:00:00Z');
    await expect(act(env, cadre, c, 'close_notice')).rejects.toEqual(
      appError('conflict', 'objections_unresolved', { details: { unresolved: '1' } }),
    );
    c = await resolveObjection(
      env.deps,
      cadre,
      identificationV1.ResolveObjectionRequest.fromPartial({
        caseId: c._id,
        expectedVersion: c.version,
        objectionId: c.objections[0]!.id,
        resolution: 'dismissed',
        note: '经核实为临时务工收入，已计入',
      }),
    );
    expect(c.state).toBe('in_notice');
    c = await act(env, cadre, c, 'close_notice');
    expect(c.state).toBe('township_review');
    expect(c.notice!.closedAt).toBe('2026-12-05T16:00:00.000Z');

    c = await act(env, township, c, 'review');
    expect(c.state).toBe('county_review');
    c = await act(env, county, c, 'approve');
    expect(c).toMatchObject({
      state: 'approved',
      category: 'sudden_hardship',
      causes: ['F3', 'F7'],
      policyStartDate: '2027-01-01',
      overrideReason: '',
      open: false,
      decidedOn: '2026-12-06',
      decidedLate: false,
      version: 7,
    });
    expect(c.steps.map((s) => [s.action, s.fromState, s.toState, s.actorRole])).toEqual([
      ['submit', '', 'village_verification', 'village_cadre'],
      ['verify', 'village_verification', 'in_notice', 'village_cadre'],
      ['lodge_objection', 'in_notice', 'in_notice', 'village_cadre'],
      ['resolve_objection', 'in_notice', 'in_notice', 'village_cadre'],
      ['close_notice', 'in_notice', 'township_review', 'village_cadre'],
      ['review', 'township_review', 'county_review', 'township_officer'],
      ['approve', 'county_review', 'approved', 'county_officer'],
    ]);

    // The household is identified, its persons count against the quota, the events are released.
    expect(await env.deps.identifications.get(h._id)).toMatchObject({
      status: 'identified',
      caseId: c._id,
      persons: 4,
      category: 'sudden_hardship',
      policyStartDate: '2027-01-01',
      version: 1,
    });
    expect(await quotaStatus(env.deps, county, COUNTY)).toEqual({
      countyCode: COUNTY,
      registeredPoorPopulation: 1000,
      quota: 50,
      hardLimit: 55,
      used: 4,
      remaining: 46,
      pendingPersons: 0,
      pendingCases: 0,
      configured: true,
    });
    const caseEvents = await eventsOf(env, CaseStore.aggregate(c._id));
    expect(caseEvents.map((e) => e.type)).toEqual(Array(7).fill('shouwang.identification.case.transitioned'));
    expect(caseEvents.every((e) => e.topic === 'shouwang.identification.case.v1' && e.key === h._id)).toBe(true);
    const idEvents = await eventsOf(env, Identifications.aggregate(h._id));
    expect(idEvents.map((e) => [e.type, e.topic])).toEqual([
      ['shouwang.identification.household.identified', 'shouwang.identification.household.v1'],
    ]);
    const identified = identificationV1.HouseholdIdentified.decode(idEvents[0]!.envelope.payload);
    expect(identified).toMatchObject({
      householdId: h._id,
      caseId: c._id,
      persons: 4,
      policyStartDate: '2027-01-01',
      direct: false,
    });

    // Every step is in the audit trail of the case, chained.
    const trail = await env.deps.audit.list({ aggregateType: 'case', aggregateId: c._id });
    expect(trail.entries.map((e) => e.action).reverse()).toEqual(c.steps.map((s) => `case.${s.action}`));
    expect((await env.deps.audit.verify({ aggregateType: 'case', aggregateId: c._id })).ok).toBe(true);
  });

  it('an upheld objection rejects the application with the note as its reason', async () => {
    const env = await setup();
    const h = await addHousehold(env);
    let c = await act(env, cadre, await submit(env, h._id), 'verify');
    c = await lodgeObjection(
      env.deps,
      cadre,
      identificationV1.LodgeObjectionRequest.fromPartial({
        caseId: c._id,
        expectedVersion: c.version,
        summary: '家有小轿车',
      }),
    );
    c = await resolveObjection(
      env.deps,
      cadre,
      identificationV1.ResolveObjectionRequest.fromPartial({
        caseId: c._id,
        expectedVersion: c.version,
        objectionId: c.objections[0]!.id,
        resolution: 'upheld',
        note: '经核实家有小轿车一辆',
      }),
    );
    expect(c).toMatchObject({ state: 'rejected', reason: '经核实家有小轿车一辆', open: false });
    expect(c.notice!.closedAt).not.toBe('');
    // The household may apply again.
    await expect(submit(env, h._id)).resolves.toMatchObject({ state: 'village_verification' });
  });

  it('objections only during the notice, not in the future', async () => {
    const env = await setup();
    const h = await addHousehold(env);
    const c = await act(env, cadre, await submit(env, h._id), 'verify'); // notice 1–5 December
    const lodge = (lodgedOn: string) =>
      lodgeObjection(
        env.deps,
        cadre,
        identificationV1.LodgeObjectionRequest.fromPartial({
          caseId: c._id,
          expectedVersion: c.version,
          summary: '异议',
          lodgedOn,
        }),
      );
    env.clock.set('2026-12-08T02:00:00Z');
    await expect(lodge('2026-11-30')).rejects.toEqual(
      appError('invalid_argument', 'validation_failed', { field: 'lodgedOn' }),
    );
    await expect(lodge('2026-12-06')).rejects.toMatchObject({
      issues: [{ field: 'lodgedOn', code: 'outside_notice' }],
    });
    env.clock.set('2026-12-02T02:00:00Z');
    await expect(lodge('2026-12-03')).rejects.toMatchObject({ issues: [{ field: 'lodgedOn', code: 'in_future' }] });
    await expect(lodge('2026-12-01')).resolves.toMatchObject({ objections: [{ lodgedOn: '2026-12-01' }] });
  });
});

describe('refusals', () => {
  it('names the state and allowed actions, the acting role, the reason; outside scope is not found', async () => {
    const env = await setup();
    const h = await addHousehold(env);
    const c = await submit(env, h._id);
    await expect(act(env, cadre, c, 'approve')).rejects.toEqual(
      appError('conflict', 'illegal_transition', {
        details: { state: 'village_verification', allowedActions: 'verify,reject,return' },
      }),
    );
    await expect(act(env, township, c, 'verify')).rejects.toEqual(
      appError('permission_denied', 'wrong_role', { details: { role: 'village_cadre' } }),
    );
    await expect(act(env, cadre, c, 'reject')).rejects.toMatchObject({
      issues: [{ field: 'reason', code: 'required' }],
    });
    await expect(act(env, cadre, c, 'reject', { reason: '   ' })).rejects.toMatchObject({
      issues: [{ field: 'reason' }],
    });
    await expect(act(env, otherCadre, c, 'verify')).rejects.toEqual(appError('not_found', 'case_not_found'));
    await expect(act(env, cadre, c, 'verify', { expectedVersion: 0 })).rejects.toEqual(
      appError('precondition_required', 'precondition_required'),
    );
    await expect(act(env, cadre, c, 'verify', { expectedVersion: 7 })).rejects.toEqual(
      appError('precondition_failed', 'version_conflict', { details: { currentVersion: '1' } }),
    );
    await expect(act(env, cadre, c, 'record_vote')).rejects.toEqual(appError('invalid_argument', 'validation_failed'));
    await expect(act(env, person('auditor', '3607', 'aud'), c, 'verify')).rejects.toEqual(
      appError('permission_denied', 'forbidden'),
    );
    // Nothing changed.
    expect(await env.deps.cases.get(c._id)).toMatchObject({ state: 'village_verification', version: 1 });
  });

  it('submission needs the commitment and authorisation, a household in scope, not registered poor, not open twice', async () => {
    const env = await setup();
    const h = await addHousehold(env);
    await expect(submit(env, h._id, { commitmentSigned: false, assetCheckAuthorised: false })).rejects.toMatchObject({
      code: 'validation_failed',
      issues: [{ field: 'commitmentSigned' }, { field: 'assetCheckAuthorised' }],
    });
    await expect(submit(env, h._id, { origin: 'warning' })).rejects.toMatchObject({ issues: [{ field: 'warningId' }] });
    const poor = await addHousehold(env, 2, { povertyStatus: 'registered_poor' });
    await expect(submit(env, poor._id)).rejects.toEqual(appError('conflict', 'already_registered_poor'));
    const elsewhere = await addHousehold(env, 2, { areaCode: OTHER_VILLAGE });
    await expect(submit(env, elsewhere._id)).rejects.toEqual(appError('not_found', 'household_not_found'));
    const first = await submit(env, h._id);
    await expect(submit(env, h._id)).rejects.toEqual(
      appError('conflict', 'case_open', { details: { caseId: first._id } }),
    );
    // The same idempotency key answers with the same case.
    const again = await addHousehold(env);
    const k1 = await submit(env, again._id, { idempotencyKey: 'k-1' });
    expect((await submit(env, again._id, { idempotencyKey: 'k-1' }))._id).toBe(k1._id);
  });

  it('the same person may not verify and approve', async () => {
    const env = await setup();
    await setPopulation(env, 1000);
    const h = await addHousehold(env);
    const c = await toCountyReview(env, h._id);
    const sameName = person('county_officer', COUNTY, 'township.a'); // took the review step
    await expect(act(env, sameName, c, 'approve')).rejects.toEqual(appError('permission_denied', 'same_person'));
  });

  it('approval waits for a configured quota', async () => {
    const env = await setup();
    const c = await toCountyReview(env, (await addHousehold(env))._id);
    await expect(act(env, county, c, 'approve')).rejects.toEqual(appError('conflict', 'quota_not_configured'));
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(0);
  });
});

describe('concurrency', () => {
  it('two actions on one case at once: exactly one wins, the other is a version conflict', async () => {
    const env = await setup();
    for (let round = 0; round < 5; round++) {
      const c = await submit(env, (await addHousehold(env))._id);
      const results = await Promise.allSettled([
        act(env, cadre, c, 'verify'),
        act(env, cadre, c, 'reject', { reason: '材料不全' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toEqual(
        appError('precondition_failed', 'version_conflict'),
      );
      const stored = (await env.deps.cases.get(c._id))!;
      expect(stored.version).toBe(2);
      expect(stored.steps).toHaveLength(2);
      expect(stored.state).toBe((won[0] as PromiseFulfilledResult<CaseDoc>).value.state);
      // One transition event per applied step.
      expect(await eventsOf(env, CaseStore.aggregate(c._id))).toHaveLength(2);
    }
  });

  it('two submissions for one household at once: exactly one case opens', async () => {
    const env = await setup();
    for (let round = 0; round < 5; round++) {
      const h = await addHousehold(env);
      const results = await Promise.allSettled([submit(env, h._id), submit(env, h._id)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toEqual(
        appError('conflict', 'case_open'),
      );
      expect((await env.deps.cases.ofHousehold(h._id)).filter((c) => c.open)).toHaveLength(1);
    }
  });

  it('two approvals racing for the last places: exactly one wins', async () => {
    const env = await setup();
    await setPopulation(env, 100); // Q = 5, hard limit ⌊5.5⌋ = 5
    const filler = await toCountyReview(env, (await addHousehold(env, 3))._id);
    await act(env, county, filler, 'approve'); // 3 of 5 used
    const a = await toCountyReview(env, (await addHousehold(env, 2))._id);
    const b = await toCountyReview(env, (await addHousehold(env, 2))._id);
    const results = await Promise.allSettled([act(env, county, a, 'approve'), act(env, county, b, 'approve')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toEqual(
      appError('conflict', 'quota_exceeded', { details: { quota: '5', hardLimit: '5', used: '5' } }),
    );
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(5);
    const states = [(await env.deps.cases.get(a._id))!.state, (await env.deps.cases.get(b._id))!.state].sort();
    expect(states).toEqual(['approved', 'county_review']);
  });

  it('two approvals of one case at once: one approval, its places counted once', async () => {
    const env = await setup();
    await setPopulation(env, 1000);
    for (let round = 0; round < 3; round++) {
      const c = await toCountyReview(env, (await addHousehold(env, 2))._id);
      const results = await Promise.allSettled([act(env, county, c, 'approve'), act(env, county, c, 'approve')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await env.deps.cases.get(c._id))!.state).toBe('approved');
      expect((await env.deps.quota.usage(COUNTY)).holders[c.householdId]).toMatchObject({ caseId: c._id, persons: 2 });
    }
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(6);
  });

  it('an approval racing a return: either wins, the places follow the outcome', async () => {
    const env = await setup();
    await setPopulation(env, 1000);
    for (let round = 0; round < 3; round++) {
      const c = await toCountyReview(env, (await addHousehold(env, 2))._id);
      await Promise.allSettled([act(env, county, c, 'approve'), act(env, county, c, 'return', { reason: '材料待补' })]);
      const after = (await env.deps.cases.get(c._id))!;
      const held = (await env.deps.quota.usage(COUNTY)).holders[c.householdId];
      if (after.state === 'approved') expect(held).toBeDefined();
      else expect(held).toBeUndefined();
    }
  });
});

describe('quota override', () => {
  it('beyond Q only with a reason, never beyond the hard limit', async () => {
    const env = await setup();
    await setPopulation(env, 400); // Q = 20, hard limit 22
    await env.deps.quota.reserve(COUNTY, 'earlier', { caseId: 'earlier', persons: 19 }, 20);
    const c = await toCountyReview(env, (await addHousehold(env, 2))._id);
    await expect(act(env, county, c, 'approve')).rejects.toEqual(
      appError('conflict', 'quota_override_required', { details: { quota: '20', hardLimit: '22', used: '19' } }),
    );
    const approved = await act(env, county, c, 'approve', { overrideReason: '因灾返贫，县领导小组会议研究同意' });
    expect(approved).toMatchObject({ state: 'approved', overrideReason: '因灾返贫，县领导小组会议研究同意' });
    const d = await toCountyReview(env, (await addHousehold(env, 2))._id);
    await expect(act(env, county, d, 'approve', { overrideReason: '理由' })).rejects.toEqual(
      appError('conflict', 'quota_exceeded', { details: { quota: '20', hardLimit: '22', used: '21' } }),
    );
    expect(await quotaStatus(env.deps, county, COUNTY)).toMatchObject({
      used: 21,
      remaining: -1,
      pendingCases: 1,
      pendingPersons: 2,
    });
  });
});

describe('direct inclusion', () => {
  it('only for households in the national system; approved at once and counted', async () => {
    const env = await setup();
    await setPopulation(env, 1000);
    const plain = await addHousehold(env);
    const include = (householdId: string) =>
      includeDirectly(
        env.deps,
        county,
        identificationV1.IncludeDirectlyRequest.fromPartial({ householdId, note: '已录入全国系统' }),
      );
    await expect(include(plain._id)).rejects.toEqual(appError('invalid_argument', 'not_in_national_system'));
    const national = await addHousehold(env, 5, { nationalSystemId: 'GZ2019000123' });
    await expect(
      includeDirectly(
        env.deps,
        cadre,
        identificationV1.IncludeDirectlyRequest.fromPartial({ householdId: national._id }),
      ),
    ).rejects.toEqual(appError('permission_denied', 'forbidden'));
    const c = await include(national._id);
    expect(c).toMatchObject({
      state: 'approved',
      origin: 'national_system',
      open: false,
      policyStartDate: '2027-01-01',
    });
    expect(c.steps.map((s) => s.action)).toEqual(['include_directly']);
    expect(await env.deps.identifications.get(national._id)).toMatchObject({
      status: 'identified',
      direct: true,
      persons: 5,
    });
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(5);
    await expect(include(national._id)).rejects.toEqual(appError('conflict', 'already_identified'));
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(5);
  });
});

describe('exit cases', () => {
  it('close_notice → inform; inform (with how the household was told) → exited, places released, data kept', async () => {
    const env = await setup();
    await setPopulation(env, 1000);
    const h = await addHousehold(env, 3);
    await act(env, county, await toCountyReview(env, h._id), 'approve');
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(3);
    // The vote is the exits helper's; the case starts here already in notice.
    const today = env.clock.today();
    let c = await createCase(
      env.deps,
      cadre,
      {
        _id: randomUUID(),
        kind: 'exit',
        householdId: h._id,
        areaCode: h.areaCode,
        countyCode: COUNTY,
        headName: '赵一',
        address: h.address,
        persons: 3,
        state: 'in_notice',
        origin: 'quarterly_review',
        warningId: '',
        commitmentSigned: false,
        assetCheckAuthorised: false,
        submittedAt: env.clock.now().toISOString(),
        dueOn: '',
        notice: { startDate: today, endDate: today, days: 1, closedAt: '' },
        objections: [],
        category: '',
        causes: [],
        policyStartDate: '',
        overrideReason: '',
        reason: '',
        vote: null,
        quarter: '2026Q4',
        informedOn: '',
        documents: [],
      },
      { action: 'start_exit' },
    );
    await expect(act(env, cadre, c, 'close_notice')).rejects.toEqual(appError('conflict', 'notice_not_ended'));
    env.clock.set('2026-12-20T02:00:00Z');
    c = await act(env, cadre, c, 'close_notice');
    expect(c.state).toBe('inform');
    await expect(act(env, cadre, c, 'inform')).rejects.toMatchObject({ issues: [{ field: 'note', code: 'required' }] });
    await expect(act(env, county, c, 'inform', { note: 'x' })).rejects.toEqual(
      appError('permission_denied', 'wrong_role'),
    );
    c = await act(env, cadre, c, 'inform', { note: '村干部入户当面告知户主' });
    expect(c).toMatchObject({ state: 'exited', informedOn: '2026-12-20', open: false });
    expect(await env.deps.identifications.get(h._id)).toMatchObject({
      status: 'exited',
      exitKind: 'vote',
      exitReason: '村干部入户当面告知户主',
      exitCaseId: c._id,
      persons: 3,
    });
    expect((await env.deps.quota.usage(COUNTY)).used).toBe(0);
    expect((await eventsOf(env, Identifications.aggregate(h._id))).map((e) => e.type)).toEqual([
      'shouwang.identification.household.identified',
      'shouwang.identification.household.exited',
    ]);
    // Never deleted: the household and its cases are all still there.
    expect(await env.deps.households.get(h._id)).not.toBeNull();
    expect((await env.deps.cases.ofHousehold(h._id)).map((x) => x.state).sort()).toEqual(['approved', 'exited']);
    // A second exit changes nothing.
    const again = await env.deps.identifications.exit(
      h._id,
      { kind: 'violation', reason: 'x', caseId: 'v' },
      { system: 'test' },
    );
    expect(again).toMatchObject({ exitKind: 'vote', version: 2 });
  });
});

describe('listing', () => {
  it('newest first, keyset pages with a total, late cases flagged and filtered', async () => {
    const env = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      env.clock.set(`2026-12-0${i + 1}T02:00:00Z`);
      ids.push((await submit(env, (await addHousehold(env))._id))._id);
    }
    const page1 = await listCases(env.deps, township, identificationV1.ListCasesRequest.fromPartial({ pageSize: 2 }));
    expect(page1.total).toBe(3);
    expect(page1.docs.map((d) => d._id)).toEqual([ids[2], ids[1]]);
    const page2 = await listCases(
      env.deps,
      township,
      identificationV1.ListCasesRequest.fromPartial({ pageSize: 2, pageToken: page1.nextPageToken }),
    );
    expect(page2.docs.map((d) => d._id)).toEqual([ids[0]]);
    expect(page2.nextPageToken).toBe('');

    // Due 16, 17, 18 December: on the 17th the first is late.
    env.clock.set('2026-12-17T02:00:00Z');
    const late = await listCases(env.deps, county, identificationV1.ListCasesRequest.fromPartial({ lateOnly: true }));
    expect(late.docs.map((d) => d._id)).toEqual([ids[0]]);
    // Outside the caller's area: nothing; a bad filter: 400.
    expect((await listCases(env.deps, otherCadre, identificationV1.ListCasesRequest.fromPartial({}))).total).toBe(0);
    await expect(
      listCases(
        env.deps,
        county,
        identificationV1.ListCasesRequest.fromPartial({ kind: 'exit', state: 'county_review' }),
      ),
    ).rejects.toMatchObject({ issues: [{ field: 'state' }] });
  });
});
