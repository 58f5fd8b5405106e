import { generateKeyPairSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import pino from 'pino';
import mongoose, { type Connection } from 'mongoose';
import type { identificationV1, monitoringV1, reportingV1 } from '@shouwang/contracts';
import { householdV1 } from '@shouwang/contracts';
import { AppError, AuditTrail, createRedis, identityFrom } from '@shouwang/kit';
import { infraEnv } from '@shouwang/devstack';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import { createApp } from './app';
import { parseSigningKeys, TokenService } from './auth/tokens';
import { DEMO_PASSWORD, seedDemoUsers, UserStore } from './auth/user-store';
import { Lockout } from './auth/lockout';
import { ImportJobStore } from './imports/import-jobs';

/**
 * The HTTP edge of the gateway on real Redis and FerretDB (started by `npm test`), with in-memory
 * stand-ins for the gRPC services: malformed input, body limits, error mapping, masking.
 */
const secret = randomBytes(32).toString('base64url');
const redis = createRedis(infraEnv().redisUrl);
let db: Connection;
let importJobs: ImportJobStore;
const notFaked = async (): Promise<never> => {
  throw new AppError('unavailable', 'not faked');
};
let users: UserStore;
let tokens: TokenService;
let audit: AuditTrail;

beforeAll(async () => {
  await redis.connect();
  db = await mongoose
    .createConnection(`${infraEnv().mongoBase}/gateway_unit_${randomBytes(3).toString('hex')}`)
    .asPromise();
  users = await UserStore.open(db);
  await seedDemoUsers(users);
  audit = await AuditTrail.open(db);
  importJobs = await ImportJobStore.open(db);
  const { privateKey } = generateKeyPairSync('ed25519');
  const keys = parseSigningKeys(`k1:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`);
  tokens = new TokenService(keys, 'k1', redis, 900, 3600);
}, 60000);
afterAll(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
  redis.disconnect();
});

function fakes(opts: { loginRateLimitPerMinute?: number; logger?: pino.Logger } = {}) {
  const registered: identificationV1.RegisterHouseholdRequest[] = [];
  const identification = {
    registerHousehold: jest.fn(
      async (
        req: identificationV1.RegisterHouseholdRequest,
        opts?: { metadata?: import('@grpc/grpc-js').Metadata },
      ) => {
        await identityFrom(secret, opts!.metadata!); // the gateway always signs who is calling
        registered.push(req);
        return { household: { ...req.household!, id: 'hh-1', version: 1, createdAt: 'now', updatedAt: 'now' } };
      },
    ),
    getHousehold: jest.fn(
      async (req: identificationV1.GetHouseholdRequest): Promise<identificationV1.GetHouseholdResponse> => {
        if (req.id !== 'hh-1') throw new AppError('not_found', 'household not found', { code: 'household_not_found' });
        return { household: householdV1.Household.fromJSON({ ...minimalHousehold(), id: 'hh-1', version: 1 }) };
      },
    ),
    // Exercised end to end in tests/integration/registry.test.ts.
    updateHousehold: notFaked,
    listHouseholds: notFaked,
    getHouseholdHistory: notFaked,
    importHouseholds: notFaked,
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
  const published: monitoringV1.PublishFeedRecordsRequest[] = [];
  const monitoring = monitoringFake(published);
  const app = createApp({
    identification,
    reporting,
    monitoring,
    identificationAudit: {
      listAuditEntries: async () => ({ entries: [], nextCursor: '' }),
      verifyAuditTrail: async () => ({ ok: true, checked: 0, problemsJson: '[]' }),
    },
    monitoringAudit: {
      listAuditEntries: async () => ({ entries: [], nextCursor: '' }),
      verifyAuditTrail: async () => ({ ok: true, checked: 0, problemsJson: '[]' }),
    },
    audit,
    logger: opts.logger ?? pino({ level: 'silent' }),
    bodyLimitBytes: 4096,
    importJobs,
    importMaxBytes: 1024 * 1024,
    tokens,
    users,
    lockout: new Lockout(redis),
    redis,
    identitySecret: secret,
    corsOrigins: [],
    rateLimitPerMinute: 10000,
    loginRateLimitPerMinute: opts.loginRateLimitPerMinute ?? 100000,
  });
  return { app, identification, reporting, registered, monitoring, published };
}

/** The monitoring service: records feed posts; its other calls are not exercised here. */
function monitoringFake(published: monitoringV1.PublishFeedRecordsRequest[]) {
  const unused = async (): Promise<never> => {
    throw new AppError('unavailable', 'not faked');
  };
  return {
    publishFeedRecords: jest.fn(async (req: monitoringV1.PublishFeedRecordsRequest) => {
      published.push(req);
      return { accepted: (JSON.parse(req.recordsJson) as unknown[]).length };
    }),
    getAssessment: unused,
    listWarnings: unused,
    acknowledgeWarning: unused,
    dismissWarning: unused,
    convertWarning: unused,
    getPolicy: unused,
    updatePolicy: unused,
    startRescreening: unused,
    getRescreeningJob: unused,
  };
}

const tokens_: Record<string, string> = {};
async function bearer(app: ReturnType<typeof fakes>['app'], username: string): Promise<string> {
  if (!tokens_[username]) {
    const res = await request(app).post('/api/v1/auth/login').send({ username, password: DEMO_PASSWORD }).expect(200);
    tokens_[username] = res.body.accessToken;
  }
  return `Bearer ${tokens_[username]}`;
}
/** The demo village cadre's own village. */
const cadreVillage = '360731101201';

describe('POST /api/v1/households', () => {
  it('registers a valid household and answers 201 with Location and a masked ID number', async () => {
    const { app, registered } = fakes();
    const body = minimalHousehold({ areaCode: cadreVillage });
    const res = await request(app)
      .post('/api/v1/households')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send(body)
      .expect(201);
    expect(res.headers.location).toBe('/api/v1/households/hh-1');
    expect(res.headers['x-request-id']).toBeTruthy();
    expect(res.body.household.areaCode).toBe(body.areaCode);
    const id = body.members[0].idNumber!;
    // A village cadre may read ID numbers in full (households.read_id_numbers)…
    expect(res.body.household.members[0].idNumber).toBe(id);
    expect(registered).toHaveLength(1);
  });

  it('passes the Idempotency-Key header to the registry', async () => {
    const { app, registered } = fakes();
    await request(app)
      .post('/api/v1/households')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .set('Idempotency-Key', 'k-1')
      .send(minimalHousehold({ areaCode: cadreVillage }))
      .expect(201);
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
    const res = await send(
      request(app)
        .post('/api/v1/households')
        .set('Authorization', await bearer(app, 'cadre.yudu')),
    ).expect(status);
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
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send(
        minimalHousehold({
          areaCode: cadreVillage,
          members: [{ name: '孙三', relation: 'head', idNumber: id, birthDate: '1990-01-01' }],
        }),
      )
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
    const res = await request(app)
      .post('/api/v1/households')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send(minimalHousehold({ areaCode: cadreVillage }))
      .expect(status);
    expect(res.body.error.code).toBe(code);
    expect(JSON.stringify(res.body)).not.toContain('boom');
  });
});

describe('GET routes', () => {
  it('reads a household, masked for a role that may not read ID numbers', async () => {
    const { app } = fakes();
    const res = await request(app)
      .get('/api/v1/households/hh-1')
      .set('Authorization', await bearer(app, 'auditor'))
      .expect(200);
    expect(res.body.household.id).toBe('hh-1');
    expect(res.body.household.members[0].idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it('answers 404 with a code for a household that does not exist', async () => {
    const { app } = fakes();
    const res = await request(app)
      .get('/api/v1/households/nope')
      .set('Authorization', await bearer(app, 'admin'))
      .expect(404);
    expect(res.body.error.code).toBe('household_not_found');
  });

  it('returns the village summary', async () => {
    const { app } = fakes();
    const res = await request(app)
      .get('/api/v1/reports/villages/360731102203')
      .set('Authorization', await bearer(app, 'county.yudu'))
      .expect(200);
    expect(res.body).toEqual({ areaCode: '360731102203', householdCount: 2, memberCount: 5, updatedAt: null });
  });

  it.each(['36073110220', '110101001001', 'abc'])('refuses village code %s with 400', async (code) => {
    const { app, reporting } = fakes();
    const res = await request(app)
      .get(`/api/v1/reports/villages/${code}`)
      .set('Authorization', await bearer(app, 'admin'))
      .expect(400);
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
    const res = await request(app)
      .get('/api/v1/nothing-here')
      .set('Authorization', await bearer(app, 'admin'))
      .expect(404);
    expect(res.body.error.code).toBe('route_not_found');
  });
});

describe('sign-in, tokens and sign-out', () => {
  it('signs in, answers /me, and refuses a wrong password the same way as an unknown user', async () => {
    const { app } = fakes();
    const ok = await request(app)
      .post('/api/v1/auth/login')
      .send({ username: 'county.yudu', password: DEMO_PASSWORD })
      .expect(200);
    expect(ok.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { username: 'county.yudu', role: 'county_officer', areaCode: '360731' },
    });
    expect(ok.body.user.passwordHash).toBeUndefined();
    const me = await request(app)
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${ok.body.accessToken}`)
      .expect(200);
    expect(me.body.user.username).toBe('county.yudu');
    const wrong = await request(app)
      .post('/api/v1/auth/login')
      .send({ username: 'county.yudu', password: 'nope-12345' })
      .expect(401);
    const unknown = await request(app)
      .post('/api/v1/auth/login')
      .send({ username: 'nobody', password: 'nope-12345' })
      .expect(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(unknown.body.error).toMatchObject({ code: 'invalid_credentials', message: wrong.body.error.message });
  });

  it('locks an account after 5 failures, even for the right password', async () => {
    const { app } = fakes();
    const username = `lock.${randomBytes(3).toString('hex')}`;
    await users.create({
      username,
      displayName: 'x',
      role: 'auditor',
      areaCode: '3607',
      department: null,
      password: DEMO_PASSWORD,
    });
    for (let i = 0; i < 5; i++) {
      await request(app).post('/api/v1/auth/login').send({ username, password: 'wrong-pass-1' }).expect(401);
    }
    const locked = await request(app)
      .post('/api/v1/auth/login')
      .send({ username, password: DEMO_PASSWORD })
      .expect(429);
    expect(locked.body.error.code).toBe('account_locked');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('rotates refresh tokens (one use each) and revokes on logout', async () => {
    const { app } = fakes();
    const first = await request(app)
      .post('/api/v1/auth/login')
      .send({ username: 'auditor', password: DEMO_PASSWORD })
      .expect(200);
    const second = await request(app)
      .post('/api/v1/auth/refresh')
      .send({ refreshToken: first.body.refreshToken })
      .expect(200);
    await request(app).post('/api/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
    const auth = `Bearer ${second.body.accessToken}`;
    await request(app)
      .post('/api/v1/auth/logout')
      .set('Authorization', auth)
      .send({ refreshToken: second.body.refreshToken })
      .expect(204);
    const after = await request(app).get('/api/v1/auth/me').set('Authorization', auth).expect(401);
    expect(after.body.error.code).toBe('token_revoked');
    await request(app).post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
  });

  it('publishes the verification keys as JWKS', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/auth/jwks.json').expect(200);
    expect(res.body.keys).toEqual([expect.objectContaining({ kid: 'k1', kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })]);
    expect(res.body.keys[0].d).toBeUndefined(); // never the private part
  });

  it.each([
    ['no token', undefined, 'token_missing'],
    ['a malformed header', 'Token abc', 'token_missing'],
    ['garbage', 'Bearer abc.def.ghi', 'token_invalid'],
    ['an unsigned token (alg none)', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'token_invalid'],
  ])('refuses %s with 401', async (_n, header, code) => {
    const { app } = fakes();
    const r = request(app).get('/api/v1/auth/me');
    const res = await (header ? r.set('Authorization', header) : r).expect(401);
    expect(res.body.error.code).toBe(code);
  });

  it('refuses a token signed with another key, and an expired one', async () => {
    const { app } = fakes();
    const { privateKey } = generateKeyPairSync('ed25519');
    const other = new TokenService(
      parseSigningKeys(`k1:${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`),
      'k1',
      redis,
      900,
      3600,
    );
    const who = { userId: 'u', username: 'admin', role: 'city_admin' as const, areaCode: '3607', department: null };
    const forged = await other.issue(who);
    expect(
      (await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${forged.accessToken}`).expect(401)).body
        .error.code,
    ).toBe('token_invalid');
    const shortLived = new TokenService((tokens as unknown as { keys: never }).keys, 'k1', redis, 1, 3600);
    const expiring = await shortLived.issue(who);
    await new Promise((r) => setTimeout(r, 2100));
    expect(
      (await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${expiring.accessToken}`).expect(401))
        .body.error.code,
    ).toBe('token_invalid');
  });

  it('sends security headers', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits (Redis-backed)', () => {
  it('answers 429 with Retry-After once an IP exceeds its sign-in attempts', async () => {
    // Counters are shared by everything signing in from 127.0.0.1 this minute, so count from now.
    const { app } = fakes({ loginRateLimitPerMinute: 1 });
    let res = await request(app)
      .post('/api/v1/auth/login')
      .send({ username: 'nobody.ratelimit', password: 'x-wrong-123' });
    for (let i = 0; i < 5 && res.status !== 429; i++) {
      res = await request(app)
        .post('/api/v1/auth/login')
        .send({ username: 'nobody.ratelimit', password: 'x-wrong-123' });
    }
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('failed sign-ins in the log', () => {
  it('are logged with the username, never the password', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const { app } = fakes({ logger });
    const password = 'Very-secret-guess-4711';
    await request(app).post('/api/v1/auth/login').send({ username: 'nobody.logtest', password }).expect(401);
    const failure = lines.find((l) => l.includes('sign-in failed'));
    expect(failure).toContain('nobody.logtest');
    expect(lines.join('')).not.toContain(password);
  });
});

describe('POST /api/v1/feeds/:department', () => {
  const record = {
    recordId: 'edu-1',
    idNumber: '36073120100101001X',
    status: 'dropped_out',
    effectiveOn: '2021-03-01',
  };

  it('passes the records of the officer’s own department to monitoring and answers 202', async () => {
    const { app, published } = fakes();
    const res = await request(app)
      .post('/api/v1/feeds/medical_insurance')
      .set('Authorization', await bearer(app, 'dept.health'))
      .send({ records: [record] })
      .expect(202);
    expect(res.body).toEqual({ accepted: 1 });
    expect(published).toHaveLength(1);
    expect(published[0].department).toBe('medical_insurance');
  });

  it.each([
    ['another department’s feed', 'dept.health', 'education', { records: [record] }, 403, 'department'],
    ['a role that posts no feeds', 'cadre.yudu', 'education', { records: [record] }, 403, undefined],
    ['an unknown department', 'dept.education', 'weather', { records: [record] }, 404, 'department'],
    ['no records', 'dept.education', 'education', { records: [] }, 400, 'records'],
    ['records that are not an array', 'dept.education', 'education', { records: {} }, 400, 'records'],
  ])('refuses %s', async (_name, user, department, body, status, field) => {
    const { app, published } = fakes();
    const res = await request(app)
      .post(`/api/v1/feeds/${department}`)
      .set('Authorization', await bearer(app, user))
      .send(body)
      .expect(status);
    expect(res.body.error.field).toBe(field);
    expect(published).toHaveLength(0);
  });
});
