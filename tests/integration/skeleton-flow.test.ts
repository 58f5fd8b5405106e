import type { Connection } from 'mongoose';
import { topics } from '@shouwang/contracts';
import { decodeEnvelope } from '@shouwang/kit';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import {
  connectDb,
  findMessage,
  freshHousehold,
  postHousehold,
  startTestPlatform,
  tokenFor,
  villageCount,
  waitFor,
} from './support';

jest.setTimeout(120000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let identificationDb: Connection;
const storedHouseholds = () => identificationDb.collection('households').countDocuments();

beforeAll(async () => {
  env = await startTestPlatform('skeleton-flow');
  identificationDb = await connectDb(`shouwang_identification${env.dbSuffix}`);
});
afterAll(async () => {
  await identificationDb?.close();
  await env?.platform.stop();
});

describe('walking skeleton: gateway → identification (gRPC) → FerretDB + outbox → Kafka → reporting', () => {
  it('counts a registered household in its village report', async () => {
    const village = '360731101201';
    const { gatewayUrl } = env.platform;
    expect(await villageCount(gatewayUrl, village)).toBe(0);
    const res = await postHousehold(
      gatewayUrl,
      minimalHousehold({
        areaCode: village,
        members: [
          { name: '李四', relation: 'head', idNumber: syntheticIdNumber(11, '1968-03-01') },
          { name: '王五', relation: 'spouse', birthDate: '1970-07-07' },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.household.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(
      await waitFor('the village report to count the household', async () =>
        (await villageCount(gatewayUrl, village)) === 1 ? true : undefined,
      ),
    ).toBe(true);
    const auth = { headers: { authorization: `Bearer ${await tokenFor(gatewayUrl, 'county.yudu')}` } };
    const summary = await (await fetch(`${gatewayUrl}/api/v1/reports/villages/${village}`, auth)).json();
    expect(summary).toMatchObject({ areaCode: village, householdCount: 1, memberCount: 2 });
    const read = (await (await fetch(`${gatewayUrl}/api/v1/households/${res.body.household.id}`, auth)).json()) as {
      household: { members: unknown[] };
    };
    expect(read.household.members).toHaveLength(2);
  });

  it('carries one trace from the HTTP request through gRPC into the Kafka event', async () => {
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const res = await postHousehold(env.platform.gatewayUrl, freshHousehold({ areaCode: '360731101202' }), {
      traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-trace-id')).toBe(traceId);
    const envelopeTrace = await findMessage(topics.identificationHousehold, (value) => {
      try {
        const e = decodeEnvelope(value);
        return e.subject === res.body.household.id ? e.traceparent : undefined;
      } catch {
        return undefined;
      }
    });
    expect(envelopeTrace.split('-')[1]).toBe(traceId);
    // …and the same trace id is on the log lines of the gateway and of identification.
    const logged = (service: 'gateway' | 'identification') =>
      env.platform.services[service].logTail(400).includes(`"trace_id":"${traceId}"`);
    expect(logged('gateway')).toBe(true);
    expect(logged('identification')).toBe(true);
  });

  it('registers once when a request is retried with the same Idempotency-Key', async () => {
    const village = '360731101203';
    const body = freshHousehold({ areaCode: village });
    const a = await postHousehold(env.platform.gatewayUrl, body, { 'idempotency-key': 'retry-test-1' });
    const b = await postHousehold(env.platform.gatewayUrl, body, { 'idempotency-key': 'retry-test-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.household.id).toBe(a.body.household.id);
    await waitFor('count 1', async () =>
      (await villageCount(env.platform.gatewayUrl, village)) === 1 ? true : undefined,
    );
    expect(await identificationDb.collection('households').countDocuments({ areaCode: village })).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"areaCode":', 400, 'malformed_json', 'body'],
    ['wrong types', { ...minimalHousehold(), members: 3 }, 400, 'validation_failed', 'members'],
    [
      'a village code not in the area table',
      minimalHousehold({ areaCode: '360731109999' }),
      422,
      'unknown_area',
      'areaCode',
    ],
    ['an oversize body', { ...minimalHousehold(), address: '村'.repeat(600000) }, 413, 'payload_too_large', 'body'],
  ])('refuses %s with a machine-readable error and stores nothing', async (_n, body, status, code, field) => {
    const before = await storedHouseholds();
    const res = await postHousehold(env.platform.gatewayUrl, body);
    expect(res.status).toBe(status);
    expect(res.body.error).toMatchObject({ code, field });
    expect(res.body.error.message).toEqual(expect.any(String));
    expect(await storedHouseholds()).toBe(before);
  });

  it('serves the OpenAPI document', async () => {
    const doc = (await (await fetch(`${env.platform.gatewayUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: unknown }>;
    };
    expect(doc.paths['/api/v1/households'].post).toBeDefined();
  });
});
