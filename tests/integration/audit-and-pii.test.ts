import type { Connection } from 'mongoose';
import { topics } from '@shouwang/contracts';
import { decodeEnvelope, eventsV1Household } from './support-events';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import { connectDb, findMessage, postHousehold, startTestPlatform, tokenFor } from './support';

jest.setTimeout(120000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let identificationDb: Connection;
const idNumber = syntheticIdNumber(42, '1966-06-06');
let householdId: string;

beforeAll(async () => {
  env = await startTestPlatform('audit-and-pii');
  identificationDb = await connectDb(`shouwang_identification${env.dbSuffix}`);
  const res = await postHousehold(
    env.platform.gatewayUrl,
    minimalHousehold({ areaCode: '360731101201', members: [{ name: '吴七', relation: 'head', idNumber }] }),
  );
  expect(res.status).toBe(201);
  householdId = res.body.household.id;
});
afterAll(async () => {
  await identificationDb?.close();
  await env?.platform.stop();
});

async function get(user: string, path: string) {
  const res = await fetch(`${env.platform.gatewayUrl}/api/v1${path}`, {
    headers: { authorization: `Bearer ${await tokenFor(env.platform.gatewayUrl, user)}` },
  });
  return { status: res.status, text: await res.text() };
}

describe('ID numbers at rest and in events', () => {
  it('are stored encrypted, with a blind index, never in clear', async () => {
    const doc = await identificationDb.collection('households').findOne({ _id: householdId } as never);
    const member = (doc!.members as { idNumber: string; idNumberIndex: string }[])[0];
    expect(member.idNumber).toMatch(/^v1\.[\w-]+\./);
    expect(member.idNumberIndex).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(doc)).not.toContain(idNumber);
  });

  it('leave the registry masked in events', async () => {
    const shown = await findMessage(topics.identificationHousehold, (v) => {
      try {
        const e = decodeEnvelope(v);
        return e.subject === householdId ? eventsV1Household(e).members[0].idNumber : undefined;
      } catch {
        return undefined;
      }
    });
    expect(shown).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
  });
});

describe('audit trail through the API', () => {
  it('records the registration with who and what, personal data not in clear', async () => {
    const res = await get('auditor', `/audit?source=identification&aggregateId=${householdId}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.entries).toHaveLength(1);
    expect(body.entries[0]).toMatchObject({
      action: 'household.registered',
      aggregateType: 'household',
      seq: 1,
      areaCode: '360731101201',
      actor: { username: 'cadre.360731101201', role: 'village_cadre' },
    });
    expect(res.text).not.toContain(idNumber);
  });

  it('records that a county officer read ID numbers in clear', async () => {
    expect((await get('county.yudu', `/households/${householdId}`)).text).toContain(idNumber);
    const res = await get(
      'auditor',
      `/audit?source=gateway&aggregateId=${householdId}&action=household.id_numbers_read`,
    );
    const body = JSON.parse(res.text);
    expect(body.entries[0]).toMatchObject({ actor: { username: 'county.yudu' }, after: { revealed: 1 } });
  });

  it('filters by actor and verifies the chains', async () => {
    const res = await get('admin', `/audit?source=identification&areaCode=360731101201`);
    expect(JSON.parse(res.text).entries.length).toBeGreaterThanOrEqual(1);
    const verify = JSON.parse((await get('auditor', '/audit/verify?source=identification')).text);
    expect(verify).toMatchObject({ ok: true, problems: [] });
    expect(verify.checked).toBeGreaterThanOrEqual(1);
  });

  it.each(['county.yudu', 'township.yudu', 'cadre.yudu', 'dept.health'])('is closed to %s (403)', async (user) => {
    expect((await get(user, '/audit')).status).toBe(403);
  });

  it('detects tampering', async () => {
    await identificationDb
      .collection('audit_log')
      .updateOne({ aggregateId: householdId } as never, { $set: { action: 'household.something_else' } });
    const verify = JSON.parse(
      (await get('auditor', `/audit/verify?source=identification&aggregateId=${householdId}`)).text,
    );
    expect(verify.ok).toBe(false);
    expect(verify.problems[0]).toMatchObject({ aggregateId: householdId, problem: 'hash_mismatch' });
  });
});
