import { randomBytes } from 'node:crypto';
import { dlqTopic, feedEvents, feedV1, monitoringV1, topics } from '@shouwang/contracts';
import { createEnvelope, decodeEnvelope, encodeEnvelope, readDeadLetters } from '@shouwang/kit';
import { call, findMessage, startTestPlatform, testKafka, waitFor, type Json } from './support';
import { family, registerAndAssess, waitForWarning, warningsOf } from './support-monitoring';

/**
 * Monitoring on the real platform: the registry's events feed its projection, department feeds arrive
 * over REST and straight on Kafka, the assessment raises warnings, officers work them, and a cause that
 * goes away resolves its warning by itself.
 */
jest.setTimeout(180000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let url: string;
const run = randomBytes(3).toString('hex');
const dropout = (idNumber: string, n: number, effectiveOn = '2021-03-01') => ({
  recordId: `edu-${run}-${n}`,
  idNumber,
  status: 'dropped_out',
  effectiveOn,
});

/** Publishes one education record on the feed topic itself, as a department system would. */
async function publishOnKafka(record: Partial<feedV1.SchoolEnrolmentRecord>): Promise<void> {
  const def = feedEvents.education;
  const payload = feedV1.SchoolEnrolmentRecord.fromPartial(record);
  const envelope = createEnvelope(def, `education:${record.recordId}`, payload, 'education-system');
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic: def.topic,
      acks: -1,
      messages: [{ key: record.recordId!, value: encodeEnvelope(envelope) }],
    });
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  env = await startTestPlatform('monitoring-warnings');
  url = env.platform.gatewayUrl;
});
afterAll(async () => {
  await env?.platform.stop();
});

describe('monitoring: household projection and assessment', () => {
  it('assesses a registered household from the registry event', async () => {
    const id = await registerAndAssess(url, family().body);
    const r = await call(url, 'county.yudu', 'GET', `/households/${id}/assessment`);
    expect(r.status).toBe(200);
    expect(r.body.assessment).toMatchObject({
      householdId: id,
      year: 2021,
      monitoringLine: 6000,
      perCapitaIncome: 20000,
      incomeBelowLine: false,
      features: [],
      monitoringObject: false,
      warnings: [],
      policyVersion: 1,
    });
    expect(r.body.assessment.explanation.zh[0]).toContain('人均纯收入');
    // Department officers read no assessments.
    expect((await call(url, 'dept.education', 'GET', `/households/${id}/assessment`)).status).toBe(403);
  });

  it('raises registry warnings with their source', async () => {
    const id = await registerAndAssess(url, family({ drinkingWaterSafe: false }).body);
    const w = await waitForWarning(url, id, 'unsafe_water');
    expect(w).toMatchObject({ status: 'open', source: 'registry', areaCode: '360731101201', version: 1 });
    expect(w.causeText.zh).toBe('饮水不安全');
    expect(w.explanation.en).toContain('drinking water');
    expect(w.assessment).toMatchObject({ year: 2021, policyVersion: 1 });
  });
});

describe('monitoring: department feeds', () => {
  it('raises school_dropout from an education record posted over REST, with source feed:education', async () => {
    const f = family();
    const id = await registerAndAssess(url, f.body);
    const post = await call(url, 'dept.education', 'POST', '/feeds/education', { records: [dropout(f.ids.child, 1)] });
    expect({ status: post.status, body: post.body }).toEqual({ status: 202, body: { accepted: 1 } });
    const w = await waitForWarning(url, id, 'school_dropout');
    expect(w).toMatchObject({ status: 'open', source: 'feed:education' });
    const a = await call(url, 'county.yudu', 'GET', `/households/${id}/assessment`);
    expect(a.body.assessment.warnings).toEqual(['school_dropout']);
    expect(a.body.assessment.appliedFacts).toEqual([
      expect.objectContaining({
        department: 'education',
        recordId: `edu-${run}-1`,
        effect: 'members[1].inSchool=false',
      }),
    ]);
  });

  it('refuses another department’s feed (403) and a bad batch as a whole (400 naming records[i].field)', async () => {
    const f = family();
    const id = await registerAndAssess(url, f.body);
    const wrong = await call(url, 'dept.health', 'POST', '/feeds/education', { records: [dropout(f.ids.child, 2)] });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe('wrong_department');

    const bad = await call(url, 'dept.education', 'POST', '/feeds/education', {
      records: [dropout(f.ids.child, 3), { recordId: `edu-${run}-4`, idNumber: f.ids.child, status: 'left' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: Json) => i.field)).toEqual(['records[1].status', 'records[1].effectiveOn']);
    expect(JSON.stringify(bad.body)).not.toContain(f.ids.child);

    // Nothing of the refused batch was published: an older "enrolled" record of the same person (same
    // partition, so it comes after the refused dropout would have) leaves the child in school.
    const older = { recordId: `edu-${run}-5`, idNumber: f.ids.child, status: 'enrolled', effectiveOn: '2021-01-01' };
    expect((await call(url, 'dept.education', 'POST', '/feeds/education', { records: [older] })).status).toBe(202);
    const applied = await waitFor('the enrolled record to be applied', async () => {
      const a = await call(url, 'county.yudu', 'GET', `/households/${id}/assessment`);
      const facts = (a.body.assessment?.appliedFacts ?? []) as Json[];
      return facts.length > 0 ? a.body.assessment : undefined;
    });
    expect(applied.appliedFacts.map((x: Json) => x.recordId)).toEqual([`edu-${run}-5`]);
    expect(applied.warnings).toEqual([]);
  });

  it('takes the same feed straight from Kafka, dead-letters a malformed record with its reason and goes on', async () => {
    const f = family();
    const id = await registerAndAssess(url, f.body);
    const badId = f.ids.child.slice(0, 17) + (f.ids.child[17] === '1' ? '2' : '1');
    await publishOnKafka({
      recordId: `edu-${run}-bad`,
      idNumber: badId,
      status: 'dropped_out',
      effectiveOn: '2021-03-01',
    });
    await publishOnKafka({
      recordId: `edu-${run}-6`,
      idNumber: f.ids.child,
      status: 'dropped_out',
      effectiveOn: '2021-03-01',
    });

    const w = await waitForWarning(url, id, 'school_dropout');
    expect(w.source).toBe('feed:education');
    const letter = await waitFor('the malformed record in the DLQ', async () =>
      (await readDeadLetters(testKafka(), dlqTopic(feedEvents.education.topic))).find(
        (l) => l.subject === `education:edu-${run}-bad`,
      ),
    );
    expect(letter.group).toBe(`monitoring${env.dbSuffix}`);
    expect(letter.error).toMatch(/idNumber.*check digit/);
    expect(letter.error).not.toContain(badId);
  });
});

describe('monitoring: commitment violations', () => {
  it('signals a car registered to a member of an aided household', async () => {
    const f = family({ povertyStatus: 'registered_poor' });
    const id = await registerAndAssess(url, f.body);
    const car = {
      recordId: `car-${run}`,
      idNumber: f.ids.head,
      status: 'registered',
      vehicleType: 'car',
      registeredOn: '2021-05-20',
    };
    const post = await call(url, 'dept.public_security', 'POST', '/feeds/public_security', { records: [car] });
    expect(post.status).toBe(202);
    const signal = await findMessage(
      topics.monitoringCommitmentViolation,
      (value) => {
        const e = decodeEnvelope(value);
        if (e.subject !== id) return undefined;
        return monitoringV1.CommitmentViolationSignalled.decode(e.payload);
      },
      60000,
    );
    expect(signal).toMatchObject({
      householdId: id,
      department: 'public_security',
      recordId: `car-${run}`,
      asset: 'car',
      occurredOn: '2021-05-20',
      memberPosition: 0,
      povertyStatus: 'registered_poor',
    });
    expect(JSON.stringify(signal)).not.toContain(f.ids.head);
    const a = await call(url, 'county.yudu', 'GET', `/households/${id}/assessment`);
    expect(a.body.assessment.appliedFacts).toEqual([
      expect.objectContaining({ recordId: `car-${run}`, effect: 'assets.car=true' }),
    ]);
  });
});

describe('monitoring: warning lifecycle', () => {
  let id: string;
  const find = async (cause: string) => (await warningsOf(url, id)).find((w) => w.cause === cause)!;

  beforeAll(async () => {
    id = await registerAndAssess(
      url,
      family({
        drinkingWaterSafe: false,
        medicalInsuranceEnrolled: false,
        housing: { structure: 'brick_wood', onlyHome: true, safetyGrade: 'D' },
      }).body,
    );
    await waitFor('three registry warnings', async () => ((await warningsOf(url, id)).length === 3 ? true : undefined));
  });

  it('acknowledges, then converts a warning to an application', async () => {
    const w = await find('unsafe_water');
    const ack = await call(url, 'cadre.yudu', 'POST', `/warnings/${w.id}/acknowledge`, {});
    expect(ack.status).toBe(200);
    expect(ack.body.warning).toMatchObject({ status: 'acknowledged', statusChangedBy: 'cadre.yudu' });
    const again = await call(url, 'cadre.yudu', 'POST', `/warnings/${w.id}/acknowledge`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('invalid_transition');
    const conv = await call(url, 'county.yudu', 'POST', `/warnings/${w.id}/convert`, { applicationId: 'app-1' });
    expect(conv.status).toBe(200);
    expect(conv.body.warning).toMatchObject({ status: 'converted', applicationId: 'app-1' });
  });

  it('dismisses only with a reason', async () => {
    const w = await find('unsafe_housing');
    const none = await call(url, 'cadre.yudu', 'POST', `/warnings/${w.id}/dismiss`, {});
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe('reason');
    const blank = await call(url, 'cadre.yudu', 'POST', `/warnings/${w.id}/dismiss`, { reason: '   ' });
    expect(blank.status).toBe(400);
    const ok = await call(url, 'cadre.yudu', 'POST', `/warnings/${w.id}/dismiss`, { reason: '已核实：房屋已加固' });
    expect(ok.status).toBe(200);
    expect(ok.body.warning).toMatchObject({ status: 'dismissed', dismissReason: '已核实：房屋已加固' });
    // The auditor reads it in monitoring's audit trail, through the gateway, and the chain verifies.
    const trail = await call(url, 'auditor', 'GET', `/audit?source=monitoring&aggregateId=${w.id}`);
    expect(trail.status).toBe(200);
    expect(trail.body.entries.map((e: { action: string }) => e.action)).toContain('warning.dismissed');
    const verify = await call(url, 'auditor', 'GET', `/audit/verify?source=monitoring&aggregateId=${w.id}`);
    expect(verify.body).toMatchObject({ source: 'monitoring', ok: true });
  });

  it('refuses roles that may not manage warnings, and hides warnings outside one’s area', async () => {
    const w = await find('no_medical_insurance');
    expect((await call(url, 'auditor', 'POST', `/warnings/${w.id}/acknowledge`, {})).status).toBe(403);
    const elsewhere = await call(url, 'county.yudu', 'GET', `/warnings?areaCode=360702`);
    expect(elsewhere.body).toMatchObject({ warnings: [], total: 0 });
    expect((await call(url, 'cadre.yudu', 'POST', `/warnings/no-such-warning/acknowledge`, {})).status).toBe(404);
  });

  it('lists warnings filtered by cause and status', async () => {
    const r = await call(url, 'county.yudu', 'GET', `/warnings?householdId=${id}&status=dismissed`);
    expect(r.body.total).toBe(1);
    expect(r.body.warnings[0].cause).toBe('unsafe_housing');
    const bad = await call(url, 'county.yudu', 'GET', `/warnings?cause=F99`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('cause');
  });

  it('resolves a warning by itself when its cause is gone', async () => {
    const f = family();
    const hh = await registerAndAssess(url, f.body);
    await call(url, 'dept.education', 'POST', '/feeds/education', { records: [dropout(f.ids.child, 7, '2021-03-01')] });
    const open = await waitForWarning(url, hh, 'school_dropout', (w) => w.status === 'open');
    const back = { recordId: `edu-${run}-8`, idNumber: f.ids.child, status: 'enrolled', effectiveOn: '2021-09-01' };
    expect((await call(url, 'dept.education', 'POST', '/feeds/education', { records: [back] })).status).toBe(202);
    const resolved = await waitForWarning(url, hh, 'school_dropout', (w) => w.status === 'resolved');
    expect(resolved.id).toBe(open.id);
    expect(resolved.statusChangedBy).toBe('system');
    // The cause coming back opens a new warning rather than reopening the resolved one.
    await call(url, 'dept.education', 'POST', '/feeds/education', { records: [dropout(f.ids.child, 9, '2021-10-01')] });
    const reopened = await waitForWarning(url, hh, 'school_dropout', (w) => w.status === 'open');
    expect(reopened.id).not.toBe(open.id);
  });
});
