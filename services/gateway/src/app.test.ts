import request from 'supertest';
import pino from 'pino';
import type { identificationV1, reportingV1 } from '@shouwang/contracts';
import { householdV1 } from '@shouwang/contracts';
import { AppError } from '@shouwang/kit';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import { createApp } from './app';

/** In-memory stand-ins for the gRPC clients: this file tests the HTTP edge only. */
function fakes() {
  const registered: identificationV1.RegisterHouseholdRequest[] = [];
  const identification = {
    registerHousehold: jest.fn(async (req: identificationV1.RegisterHouseholdRequest) => {
      registered.push(req);
      return { household: { ...req.household!, id: 'hh-1', version: 1, createdAt: 'now', updatedAt: 'now' } };
    }),
    getHousehold: jest.fn(
      async (req: identificationV1.GetHouseholdRequest): Promise<identificationV1.GetHouseholdResponse> => {
        if (req.id !== 'hh-1') throw new AppError('not_found', 'household not found', { code: 'household_not_found' });
        return { household: householdV1.Household.fromJSON({ ...minimalHousehold(), id: 'hh-1', version: 1 }) };
      },
    ),
  };
  const reporting = {
    getVillageSummary: jest.fn(
      async (req: reportingV1.GetVillageSummaryRequest): Promise<reportingV1.GetVillageSummaryResponse> => ({
        areaCode: req.areaCode,
        householdCount: 2,
        memberCount: 5,
        updatedAt: '',
      }),
    ),
  };
  const app = createApp({ identification, reporting, logger: pino({ level: 'silent' }), bodyLimitBytes: 4096 });
  return { app, identification, reporting, registered };
}

describe('POST /api/v1/households', () => {
  it('registers a valid household and answers 201 with Location and a masked ID number', async () => {
    const { app, registered } = fakes();
    const body = minimalHousehold();
    const res = await request(app).post('/api/v1/households').send(body).expect(201);
    expect(res.headers.location).toBe('/api/v1/households/hh-1');
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.body.household.areaCode).toBe(body.areaCode);
    const id = body.members[0].idNumber!;
    expect(res.body.household.members[0].idNumber).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
    expect(registered).toHaveLength(1);
  });

  it('passes the Idempotency-Key header to the registry', async () => {
    const { app, registered } = fakes();
    await request(app).post('/api/v1/households').set('Idempotency-Key', 'k-1').send(minimalHousehold()).expect(201);
    expect(registered[0].idempotencyKey).toBe('k-1');
  });

  const bad: [string, (r: request.Test) => request.Test, number, string, string | undefined][] = [
    [
      'malformed JSON',
      (r) => r.set('Content-Type', 'application/json').send('{"areaCode": '),
      400,
      'malformed_json',
      'body',
    ],
    [
      'a non-JSON content type',
      (r) => r.set('Content-Type', 'text/plain').send('hello'),
      415,
      'unsupported_media_type',
      'Content-Type',
    ],
    [
      'a body over the size limit',
      (r) => r.send({ ...minimalHousehold(), address: 'x'.repeat(5000) }),
      413,
      'payload_too_large',
      'body',
    ],
    [
      'members of the wrong type',
      (r) => r.send({ ...minimalHousehold(), members: 'two people' }),
      400,
      'validation_failed',
      'members',
    ],
    [
      'an area code outside the 18 counties',
      (r) => r.send(minimalHousehold({ areaCode: '110101001001' })),
      400,
      'validation_failed',
      'areaCode',
    ],
    [
      'a township code instead of a village',
      (r) => r.send(minimalHousehold({ areaCode: '360731102' })),
      400,
      'validation_failed',
      'areaCode',
    ],
    [
      'an ID number with a wrong checksum',
      (r) => {
        const id = syntheticIdNumber(7, '1980-01-01');
        const wrong = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
        return r.send(minimalHousehold({ members: [{ name: '钱二', relation: 'head', idNumber: wrong }] }));
      },
      400,
      'validation_failed',
      'members[0].idNumber',
    ],
    [
      'an unknown field',
      (r) => r.send({ ...minimalHousehold(), arecode: '360731102203' }),
      400,
      'validation_failed',
      'arecode',
    ],
    ['a JSON array', (r) => r.send([minimalHousehold()]), 400, 'validation_failed', undefined],
  ];

  it.each(bad)('refuses %s and stores nothing', async (_name, send, status, code, field) => {
    const { app, identification } = fakes();
    const res = await send(request(app).post('/api/v1/households')).expect(status);
    expect(res.body.error.code).toBe(code);
    if (field) expect(res.body.error.field).toBe(field);
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.requestId).toBeTruthy();
    expect(identification.registerHousehold).not.toHaveBeenCalled();
  });

  it('never echoes an ID number in an error', async () => {
    const { app } = fakes();
    const id = syntheticIdNumber(9, '1980-01-01');
    const res = await request(app)
      .post('/api/v1/households')
      .send(minimalHousehold({ members: [{ name: '孙三', relation: 'head', idNumber: id, birthDate: '1990-01-01' }] }))
      .expect(400);
    expect(JSON.stringify(res.body)).not.toContain(id);
  });

  it.each([
    [new AppError('unprocessable', 'unknown area', { code: 'unknown_area', field: 'areaCode' }), 422, 'unknown_area'],
    [new AppError('unavailable', 'a backend service is unavailable'), 503, 'unavailable'],
    [new AppError('deadline_exceeded', 'too slow'), 504, 'deadline_exceeded'],
    [new Error('boom'), 500, 'internal'],
  ])('maps a backend error %p to %i', async (err, status, code) => {
    const { app, identification } = fakes();
    identification.registerHousehold.mockRejectedValueOnce(err);
    const res = await request(app).post('/api/v1/households').send(minimalHousehold()).expect(status);
    expect(res.body.error.code).toBe(code);
    expect(JSON.stringify(res.body)).not.toContain('boom');
  });
});

describe('GET routes', () => {
  it('reads a household, masked', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/households/hh-1').expect(200);
    expect(res.body.household.id).toBe('hh-1');
    expect(res.body.household.members[0].idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it('answers 404 with a code for a household that does not exist', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/households/nope').expect(404);
    expect(res.body.error.code).toBe('household_not_found');
  });

  it('returns the village summary', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/reports/villages/360731102203').expect(200);
    expect(res.body).toEqual({ areaCode: '360731102203', householdCount: 2, memberCount: 5, updatedAt: null });
  });

  it.each(['36073110220', '110101001001', 'abc'])('refuses village code %s with 400', async (code) => {
    const { app, reporting } = fakes();
    const res = await request(app).get(`/api/v1/reports/villages/${code}`).expect(400);
    expect(res.body.error.field).toBe('areaCode');
    expect(reporting.getVillageSummary).not.toHaveBeenCalled();
  });

  it('serves the OpenAPI document with every route', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/households', '/api/v1/households/{id}', '/api/v1/reports/villages/{areaCode}']),
    );
    expect(res.body.components.schemas.HouseholdInput.properties.areaCode).toBeDefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/nothing-here').expect(404);
    expect(res.body.error.code).toBe('route_not_found');
  });
});
