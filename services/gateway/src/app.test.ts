import { generateKeyPairSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import pino from 'pino';
import mongoose, { type Connection } from 'mongoose';
import type { reportingV1 } from '@shouwang/contracts';
import { householdV1, identificationV1, monitoringV1 } from '@shouwang/contracts';
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
  const workflow = workflowFake();
  const app = createApp({
    identification,
    workflow,
    noticeObjectionContact: '{village}村民委员会或{township}人民政府',
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
  return { app, identification, reporting, registered, monitoring, published, workflow };
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
    listWarnings: jest.fn(
      async (req: monitoringV1.ListWarningsRequest): Promise<monitoringV1.ListWarningsResponse> => ({
        warnings:
          req.householdId === 'hh-1'
            ? [
                monitoringV1.Warning.fromPartial({ id: 'w-1', householdId: 'hh-1', status: 'open', cause: 'F6' }),
                monitoringV1.Warning.fromPartial({
                  id: 'w-2',
                  householdId: 'hh-1',
                  status: 'converted',
                  cause: 'F1',
                  applicationId: 'case-0',
                }),
              ]
            : [],
        nextPageToken: '',
        total: 0,
      }),
    ),
    acknowledgeWarning: unused,
    dismissWarning: unused,
    convertWarning: jest.fn(
      async (req: monitoringV1.ConvertWarningRequest): Promise<monitoringV1.ConvertWarningResponse> => ({
        warning: monitoringV1.Warning.fromPartial({
          id: req.id,
          householdId: 'hh-1',
          status: 'converted',
          applicationId: req.applicationId,
        }),
      }),
    ),
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

type CallOpts = { metadata?: import('@grpc/grpc-js').Metadata };

/** A case as the identification service would answer it. */
function aCase(over: Partial<identificationV1.Case> = {}): identificationV1.Case {
  return identificationV1.Case.fromPartial({
    id: 'case-1',
    kind: 'identification',
    householdId: 'hh-1',
    areaCode: cadreVillage,
    countyCode: '360731',
    headName: '赵一',
    address: '于都县青山乡上坪村1组',
    persons: 3,
    state: 'village_verification',
    origin: 'household_request',
    allowedActions: ['verify', 'reject', 'return'],
    version: 1,
    ...over,
  });
}

/** The workflow service: every call checks the gateway signed the caller, then answers from `cases`. */
function workflowFake() {
  const unused = async (): Promise<never> => {
    throw new AppError('unavailable', 'not faked');
  };
  const signed = async (opts?: CallOpts) => identityFrom(secret, opts!.metadata!);
  const state = { inNotice: [] as identificationV1.Case[] };
  return {
    state,
    submitApplication: jest.fn(async (req: identificationV1.SubmitApplicationRequest, opts?: CallOpts) => {
      await signed(opts);
      return { case: aCase({ householdId: req.householdId, origin: req.origin, warningId: req.warningId }) };
    }),
    actOnCase: jest.fn(async (req: identificationV1.ActOnCaseRequest, opts?: CallOpts) => {
      await signed(opts);
      if (req.action === 'approve')
        throw new AppError('conflict', 'approve is not allowed in village_verification', {
          code: 'illegal_transition',
          details: { state: 'village_verification', allowedActions: 'verify,reject,return' },
        });
      return { case: aCase({ state: 'in_notice', version: req.expectedVersion + 1 }) };
    }),
    getCase: jest.fn(async (req: identificationV1.GetCaseRequest, opts?: CallOpts) => {
      await signed(opts);
      if (req.id !== 'case-1') throw new AppError('not_found', 'case not found', { code: 'case_not_found' });
      return { case: aCase({ version: 4 }) };
    }),
    listCases: jest.fn(async (req: identificationV1.ListCasesRequest, opts?: CallOpts) => {
      await signed(opts);
      const cases = state.inNotice.filter((c) => c.areaCode.startsWith(req.areaCode));
      return { cases, nextPageToken: '', total: cases.length };
    }),
    recordVote: jest.fn(async (req: identificationV1.RecordVoteRequest, opts?: CallOpts) => {
      await signed(opts);
      return { case: aCase({ kind: 'exit', state: 'in_notice', vote: req.vote, version: req.expectedVersion + 1 }) };
    }),
    updateWorkflowPolicy: jest.fn(async (req: identificationV1.UpdateWorkflowPolicyRequest, opts?: CallOpts) => {
      await signed(opts);
      return { policy: { ...req.policy!, version: req.expectedVersion + 1 } };
    }),
    includeDirectly: unused,
    lodgeObjection: unused,
    resolveObjection: unused,
    getQuotaStatus: unused,
    getWorkflowPolicy: unused,
    getIdentification: unused,
    getExitReviewList: unused,
    startExit: unused,
    listViolations: unused,
    decideViolation: unused,
  };
}

describe('workflow routes', () => {
  const application = {
    householdId: 'hh-1',
    origin: 'household_request',
    commitmentSigned: true,
    assetCheckAuthorised: true,
  };

  it('submits an application: 201 with Location, ETag and the Idempotency-Key passed on', async () => {
    const { app, workflow } = fakes();
    const res = await request(app)
      .post('/api/v1/applications')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .set('Idempotency-Key', 'app-k1')
      .send(application)
      .expect(201);
    expect(res.headers.location).toBe('/api/v1/cases/case-1');
    expect(res.headers.etag).toBe('"1"');
    expect(res.body.case).toMatchObject({ id: 'case-1', state: 'village_verification', notice: null, vote: null });
    expect(res.body.warning).toBeNull();
    expect(workflow.submitApplication.mock.calls[0]![0]).toMatchObject({
      idempotencyKey: 'app-k1',
      householdId: 'hh-1',
    });
  });

  it('converts the warning an application came from, after the case exists', async () => {
    const { app, monitoring } = fakes();
    const res = await request(app)
      .post('/api/v1/applications')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send({ ...application, origin: 'warning', warningId: 'w-1' })
      .expect(201);
    expect(monitoring.convertWarning).toHaveBeenCalledWith({ id: 'w-1', applicationId: 'case-1' }, expect.anything());
    expect(res.body.warning).toMatchObject({ id: 'w-1', status: 'converted', applicationId: 'case-1' });
  });

  it('refuses a warning already converted to another application (409), unless retrying with the same key', async () => {
    const { app, workflow } = fakes();
    const res = await request(app)
      .post('/api/v1/applications')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send({ ...application, origin: 'warning', warningId: 'w-2' })
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'warning_not_open',
      field: 'warningId',
      details: { status: 'converted' },
    });
    expect(workflow.submitApplication).not.toHaveBeenCalled();
  });

  it.each([
    ['no signed commitment', { ...application, commitmentSigned: false }, 'commitmentSigned'],
    ['the commitment missing', { ...application, commitmentSigned: undefined }, 'commitmentSigned'],
    ['no asset-check authorisation', { ...application, assetCheckAuthorised: false }, 'assetCheckAuthorised'],
    ['an unknown origin', { ...application, origin: 'rumour' }, 'origin'],
    ['no household', { ...application, householdId: undefined }, 'householdId'],
    ['a warning id without origin warning', { ...application, warningId: 'w-1' }, 'warningId'],
    ['origin warning without its id', { ...application, origin: 'warning' }, 'warningId'],
    ['a warning of another household', { ...application, origin: 'warning', warningId: 'w-9' }, 'warningId'],
    ['an unknown field', { ...application, priority: 'high' }, 'priority'],
    ['a document without reference', { ...application, documents: [{ kind: 'commitment' }] }, 'documents[0].reference'],
  ])('refuses an application with %s (400 naming the field), and submits nothing', async (_n, body, field) => {
    const { app, workflow } = fakes();
    const res = await request(app)
      .post('/api/v1/applications')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send(body)
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.messageZh).toBeTruthy();
    expect(workflow.submitApplication).not.toHaveBeenCalled();
  });

  it('lets only village cadres submit', async () => {
    const { app, workflow } = fakes();
    for (const user of ['county.yudu', 'township.yudu', 'auditor', 'admin', 'dept.health']) {
      const res = await request(app)
        .post('/api/v1/applications')
        .set('Authorization', await bearer(app, user))
        .send(application);
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
    }
    expect(workflow.submitApplication).not.toHaveBeenCalled();
  });

  it('needs the version read for an action (428), takes it from If-Match or the body', async () => {
    const { app, workflow } = fakes();
    const auth = await bearer(app, 'cadre.yudu');
    const none = await request(app)
      .post('/api/v1/cases/case-1/actions')
      .set('Authorization', auth)
      .send({ action: 'verify' })
      .expect(428);
    expect(none.body.error.code).toBe('precondition_required');
    expect(workflow.actOnCase).not.toHaveBeenCalled();
    const viaHeader = await request(app)
      .post('/api/v1/cases/case-1/actions')
      .set('Authorization', auth)
      .set('If-Match', '"3"')
      .send({ action: 'verify' })
      .expect(200);
    expect(viaHeader.headers.etag).toBe('"4"');
    await request(app)
      .post('/api/v1/cases/case-1/actions')
      .set('Authorization', auth)
      .send({ action: 'verify', version: 7 })
      .expect(200);
    expect(workflow.actOnCase.mock.calls.map((c) => c[0].expectedVersion)).toEqual([3, 7]);
  });

  it.each([
    ['reject without a reason', { action: 'reject', version: 1 }, 'reason'],
    ['return with a blank reason', { action: 'return', reason: '  ', version: 1 }, 'reason'],
    ['an unknown action', { action: 'celebrate', version: 1 }, 'action'],
    ['the vote through the actions route', { action: 'record_vote', version: 1 }, 'action'],
    ['a version that is not a number', { action: 'verify', version: 'latest' }, 'version'],
  ])('refuses %s with 400 before calling the service', async (_n, body, field) => {
    const { app, workflow } = fakes();
    const res = await request(app)
      .post('/api/v1/cases/case-1/actions')
      .set('Authorization', await bearer(app, 'county.yudu'))
      .send(body)
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(workflow.actOnCase).not.toHaveBeenCalled();
  });

  it('passes an illegal transition through as 409 with the state and the allowed actions', async () => {
    const { app } = fakes();
    const res = await request(app)
      .post('/api/v1/cases/case-1/actions')
      .set('Authorization', await bearer(app, 'county.yudu'))
      .set('If-Match', '"1"')
      .send({ action: 'approve' })
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'illegal_transition',
      details: { state: 'village_verification', allowedActions: 'verify,reject,return' },
    });
  });

  it('refuses actions to roles that take no step (auditor, admin, department)', async () => {
    const { app, workflow } = fakes();
    for (const user of ['auditor', 'admin', 'dept.health']) {
      await request(app)
        .post('/api/v1/cases/case-1/actions')
        .set('Authorization', await bearer(app, user))
        .send({ action: 'verify', version: 1 })
        .expect(403);
    }
    expect(workflow.actOnCase).not.toHaveBeenCalled();
  });

  it('reads a case with its version as ETag; an unknown one is 404', async () => {
    const { app } = fakes();
    const auth = await bearer(app, 'auditor');
    const res = await request(app).get('/api/v1/cases/case-1').set('Authorization', auth).expect(200);
    expect(res.headers.etag).toBe('"4"');
    expect(res.body.case.id).toBe('case-1');
    expect((await request(app).get('/api/v1/cases/nope').set('Authorization', auth).expect(404)).body.error.code).toBe(
      'case_not_found',
    );
  });

  it.each([
    ['more present than members', { members: 9, present: 10, votesFor: 5, votesAgainst: 0 }, 'present'],
    ['a negative count', { members: 9, present: 6, votesFor: -1, votesAgainst: 0 }, 'votesFor'],
    ['more votes than present', { members: 9, present: 6, votesFor: 5, votesAgainst: 2 }, 'votesFor'],
    ['no date', { members: 9, present: 6, votesFor: 4, votesAgainst: 2, heldOn: undefined }, 'heldOn'],
    ['no minutes', { members: 9, present: 6, votesFor: 4, votesAgainst: 2, minutesReference: '' }, 'minutesReference'],
  ])('refuses a vote with %s', async (_n, counts, field) => {
    const { app, workflow } = fakes();
    const res = await request(app)
      .post('/api/v1/cases/case-1/vote')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send({ heldOn: '2026-12-20', minutesReference: 'V-1', version: 1, ...counts })
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(workflow.recordVote).not.toHaveBeenCalled();
  });

  it('records a vote at the quorum boundary and leaves judging it to the service', async () => {
    const { app, workflow } = fakes();
    await request(app)
      .post('/api/v1/cases/case-1/vote')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send({
        members: 9,
        present: 6,
        votesFor: 4,
        votesAgainst: 2,
        heldOn: '2026-12-20',
        minutesReference: 'V-1',
        version: 2,
      })
      .expect(200);
    expect(workflow.recordVote.mock.calls[0]![0]).toMatchObject({
      expectedVersion: 2,
      minutesReference: 'V-1',
      vote: { members: 9, present: 6, votesFor: 4, votesAgainst: 2, abstentions: 0, heldOn: '2026-12-20' },
    });
  });

  it('sets a county workflow policy (city administrator), first version over 0', async () => {
    const { app, workflow } = fakes();
    const policy = {
      registeredPoorPopulation: 2000,
      quotaRatio: 0.05,
      overrideRatio: 0.1,
      noticeDays: 5,
      decisionDays: 15,
    };
    const auth = await bearer(app, 'admin');
    const ok = await request(app)
      .put('/api/v1/workflow-policy/360731')
      .set('Authorization', auth)
      .send({ policy, version: 0 })
      .expect(200);
    expect(ok.headers.etag).toBe('"1"');
    expect(workflow.updateWorkflowPolicy.mock.calls[0]![0]).toMatchObject({
      expectedVersion: 0,
      policy: { ...policy, countyCode: '360731' },
    });
    expect(
      (await request(app).put('/api/v1/workflow-policy/360731').set('Authorization', auth).send({ policy }).expect(428))
        .body.error.code,
    ).toBe('precondition_required');
    const bad = await request(app)
      .put('/api/v1/workflow-policy/360731')
      .set('Authorization', auth)
      .send({ policy: { ...policy, noticeDays: 0 }, version: 1 })
      .expect(400);
    expect(bad.body.error.field).toBe('policy.noticeDays');
    await request(app)
      .put('/api/v1/workflow-policy/110101')
      .set('Authorization', auth)
      .send({ policy, version: 0 })
      .expect(400);
    await request(app)
      .put('/api/v1/workflow-policy/360731')
      .set('Authorization', await bearer(app, 'county.yudu'))
      .send({ policy, version: 0 })
      .expect(403);
  });

  it('renders the public notice of a village as a PDF: the cases of one notice period', async () => {
    const { app, workflow } = fakes();
    const notice = { startDate: '2026-12-07', endDate: '2026-12-11', days: 5, closedAt: '' };
    workflow.state.inNotice = [
      aCase({ id: 'c-1', state: 'in_notice', notice }),
      aCase({ id: 'c-2', state: 'in_notice', notice, address: '于都县青山乡上坪村2组', headName: '钱二' }),
    ];
    const res = await request(app)
      .get(`/api/v1/notices/${cadreVillage}.pdf`)
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(`notice-${cadreVillage}-identification-2026-12-07.pdf`);
    expect((res.body as Buffer).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(workflow.listCases.mock.calls[0]![0]).toMatchObject({
      areaCode: cadreVillage,
      state: 'in_notice',
      kind: 'identification',
    });
  }, 30000);

  it('answers 404 when no case of the village is in notice, and 404 outside one’s area', async () => {
    const { app } = fakes();
    const auth = await bearer(app, 'cadre.yudu');
    const none = await request(app).get(`/api/v1/notices/${cadreVillage}.pdf`).set('Authorization', auth).expect(404);
    expect(none.body.error.code).toBe('no_cases_in_notice');
    await request(app).get('/api/v1/notices/360731101202.pdf').set('Authorization', auth).expect(404);
    await request(app).get(`/api/v1/notices/${cadreVillage}.pdf?kind=other`).set('Authorization', auth).expect(400);
    await request(app)
      .get(`/api/v1/notices/${cadreVillage}.pdf`)
      .set('Authorization', await bearer(app, 'dept.health'))
      .expect(403);
  });

  it('describes the workflow routes in the OpenAPI document', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/applications',
        '/api/v1/cases',
        '/api/v1/cases/{id}/actions',
        '/api/v1/cases/{id}/objections/{objectionId}/resolution',
        '/api/v1/cases/{id}/vote',
        '/api/v1/notices/{villageCode}.pdf',
        '/api/v1/quotas/{countyCode}',
        '/api/v1/workflow-policy/{countyCode}',
        '/api/v1/exit-reviews/{villageCode}',
        '/api/v1/exits',
        '/api/v1/violations',
        '/api/v1/violations/{id}/decision',
        '/api/v1/direct-inclusions',
        '/api/v1/households/{id}/identification',
      ]),
    );
    expect(res.body.components.schemas.Case.properties.allowedActions).toBeDefined();
  });
});
