import { generateKeyPairSync, randomBytes } from 'node:crypto';
import request from 'supertest';
import pino from 'pino';
import mongoose, { type Connection } from 'mongoose';
import type { reportingV1 } from '@shouwang/contracts';
import { assistanceV1, auditV1, householdV1, identificationV1, monitoringV1 } from '@shouwang/contracts';
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
  const assistance = assistanceFake();
  const assistanceAudit = {
    listAuditEntries: jest.fn(
      async (_req: auditV1.ListAuditEntriesRequest): Promise<auditV1.ListAuditEntriesResponse> => ({
        entries: [
          auditV1.AuditEntry.fromPartial({ id: 'a-1', aggregateId: 'task-1', action: 'task.delivered', seq: 1 }),
        ],
        nextCursor: '',
      }),
    ),
    verifyAuditTrail: async () => ({ ok: true, checked: 3, problemsJson: '[]' }),
  };
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
    assistance,
    assistanceAudit,
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
  return { app, identification, reporting, registered, monitoring, published, workflow, assistance, assistanceAudit };
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

/** A task as the assistance service would answer it: M4 for medical insurance in the demo village. */
function aTask(over: Partial<assistanceV1.Task> = {}): assistanceV1.Task {
  return assistanceV1.Task.fromPartial({
    id: 'task-1',
    householdId: 'hh-1',
    areaCode: cadreVillage,
    headName: '赵一',
    measureCode: 'M4',
    department: 'health',
    state: 'open',
    startsOn: '2027-01-01',
    dueOn: '2027-01-31',
    allowedActions: ['accept', 'decline'],
    version: 2,
    ...over,
  });
}

function aPlan(over: Partial<assistanceV1.Plan> = {}): assistanceV1.Plan {
  return assistanceV1.Plan.fromPartial({
    householdId: 'hh-1',
    areaCode: cadreVillage,
    causes: ['F4'],
    policyStartDate: '2027-01-01',
    measures: [
      { code: 'M4', answers: ['F4'], startsOn: '2027-01-01', kind: 'policy', status: 'active', addedBy: 'system' },
      {
        code: 'M7',
        answers: ['F4'],
        startsOn: '2027-01-01',
        kind: 'insurance',
        status: 'active',
        addedBy: 'system',
        plannedAmountYuan: 1200,
      },
    ],
    status: 'active',
    version: 3,
    ...over,
  });
}

/**
 * The assistance service: checks the gateway signed the caller and answers as the service would for
 * the cases the routes pass through (department, state, balance); its rules are tested in the
 * service and end to end in tests/integration/assistance.test.ts.
 */
function assistanceFake() {
  const signed = async (opts?: CallOpts) => identityFrom(secret, opts!.metadata!);
  const measure = assistanceV1.Measure.fromPartial({
    code: 'M4',
    nameZh: '医疗保障',
    nameEn: 'Medical',
    departments: ['medical_insurance', 'civil_affairs', 'health'],
    causes: ['F4'],
    kind: 'policy',
    active: true,
    version: 1,
  });
  return {
    listMeasures: jest.fn(async (_req: assistanceV1.ListMeasuresRequest, opts?: CallOpts) => {
      await signed(opts);
      return { measures: [measure, { ...measure, code: 'M7', kind: 'insurance', amountLimitYuan: 300000 }] };
    }),
    updateMeasure: jest.fn(async (req: assistanceV1.UpdateMeasureRequest, opts?: CallOpts) => {
      await signed(opts);
      return { measure: { ...req.measure!, version: req.expectedVersion + 1 } };
    }),
    getPlan: jest.fn(async (req: assistanceV1.GetPlanRequest, opts?: CallOpts) => {
      await signed(opts);
      if (req.householdId !== 'hh-1') throw new AppError('not_found', 'plan not found', { code: 'plan_not_found' });
      return { plan: aPlan() };
    }),
    changePlan: jest.fn(async (req: assistanceV1.ChangePlanRequest, opts?: CallOpts) => {
      await signed(opts);
      return { plan: aPlan({ version: req.expectedVersion + 1 }) };
    }),
    decideProposal: jest.fn(async (req: assistanceV1.DecideProposalRequest, opts?: CallOpts) => {
      await signed(opts);
      return { plan: aPlan({ version: req.expectedVersion + 1 }) };
    }),
    listTasks: jest.fn(async (_req: assistanceV1.ListTasksRequest, opts?: CallOpts) => {
      await signed(opts);
      return { tasks: [aTask()], nextPageToken: 'next', total: 7 };
    }),
    getTask: jest.fn(async (req: assistanceV1.GetTaskRequest, opts?: CallOpts) => {
      await signed(opts);
      if (req.id !== 'task-1') throw new AppError('not_found', 'task not found', { code: 'task_not_found' });
      return { task: aTask() };
    }),
    actOnTask: jest.fn(async (req: assistanceV1.ActOnTaskRequest, opts?: CallOpts) => {
      const who = await signed(opts);
      if (who.department !== 'health')
        throw new AppError('permission_denied', 'another department', { code: 'wrong_department' });
      if (req.action === 'deliver')
        throw new AppError('conflict', 'deliver is not allowed while the task is open', {
          code: 'illegal_transition',
          details: { state: 'open', allowedActions: 'accept,decline' },
        });
      return { task: aTask({ state: 'accepted', allowedActions: ['deliver', 'decline'], version: 3 }) };
    }),
    getPoints: jest.fn(async (req: assistanceV1.GetPointsRequest, opts?: CallOpts) => {
      await signed(opts);
      return { entries: [], balance: 0, listEntries: [] };
    }),
    recordPoints: jest.fn(async (req: assistanceV1.RecordPointsRequest, opts?: CallOpts) => {
      await signed(opts);
      if (req.kind === 'spend')
        throw new AppError('conflict', 'insufficient', { code: 'insufficient_points', details: { balance: '0' } });
      return {
        entry: {
          id: 'p-1',
          householdId: req.householdId,
          points: req.points,
          reason: req.reason,
          recordedBy: '',
          at: '',
        },
        balance: req.points,
      };
    }),
    addListEntry: jest.fn(async (req: assistanceV1.AddListEntryRequest, opts?: CallOpts) => {
      await signed(opts);
      return {
        entry: { id: 'l-1', householdId: req.householdId, list: req.list, reason: req.reason, recordedBy: '', at: '' },
      };
    }),
  };
}

describe('assistance routes', () => {
  const m4 = {
    nameZh: '医疗保障',
    nameEn: 'Medical',
    departments: ['medical_insurance', 'civil_affairs', 'health'],
    causes: ['F4'],
    answersAll: false,
    conditions: [],
    kind: 'policy',
    amountLimitYuan: null,
    dueDays: 20,
    active: true,
  };

  it('lists the catalogue, a missing limit as null', async () => {
    const { app } = fakes();
    const res = await request(app)
      .get('/api/v1/measures')
      .set('Authorization', await bearer(app, 'dept.health'))
      .expect(200);
    expect(res.body.measures.map((m: { code: string }) => m.code)).toEqual(['M4', 'M7']);
    expect(res.body.measures[0]).toMatchObject({ amountLimitYuan: null, dueDays: null });
    expect(res.body.measures[1].amountLimitYuan).toBe(300000);
  });

  it('changes a measure as the city administrator over the version read', async () => {
    const { app, assistance } = fakes();
    const auth = await bearer(app, 'admin');
    const res = await request(app)
      .put('/api/v1/measures/M4')
      .set('Authorization', auth)
      .set('If-Match', '"1"')
      .send({ measure: { ...m4, code: 'M4', version: 1, updatedAt: 'x', updatedBy: 'admin' } })
      .expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body.measure).toMatchObject({ code: 'M4', dueDays: 20, amountLimitYuan: null });
    expect(assistance.updateMeasure.mock.calls[0]![0]).toMatchObject({
      expectedVersion: 1,
      measure: { code: 'M4', nameZh: '医疗保障', dueDays: 20, amountLimitYuan: undefined, answersAll: false },
    });
    const none = await request(app).put('/api/v1/measures/M4').set('Authorization', auth).send({ measure: m4 });
    expect(none.status).toBe(428);
    await request(app)
      .put('/api/v1/measures/M4')
      .set('Authorization', await bearer(app, 'county.yudu'))
      .send({ measure: m4, version: 1 })
      .expect(403);
    expect(assistance.updateMeasure).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['an unknown department', { departments: ['weather'] }, 'measure.departments.0'],
    ['no departments', { departments: [] }, 'measure.departments'],
    ['an unknown cause', { causes: ['F11'] }, 'measure.causes'],
    ['causes besides answering all', { answersAll: true }, 'measure.causes'],
    ['an unknown condition', { conditions: ['owns_a_cow'] }, 'measure.conditions.0'],
    ['an unknown kind', { kind: 'charity' }, 'measure.kind'],
    ['a negative limit', { amountLimitYuan: -5 }, 'measure.amountLimitYuan'],
    ['a blank Chinese name', { nameZh: ' ' }, 'measure.nameZh'],
    ['zero due days', { dueDays: 0 }, 'measure.dueDays'],
    ['an unknown field', { colour: 'red' }, 'measure'],
    ['another code than the path', { code: 'M5' }, 'measure.code'],
  ])('refuses a measure with %s (400 naming the field)', async (_n, over, field) => {
    const { app, assistance } = fakes();
    const res = await request(app)
      .put('/api/v1/measures/M4')
      .set('Authorization', await bearer(app, 'admin'))
      .send({ measure: { ...m4, ...over }, version: 1 })
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(assistance.updateMeasure).not.toHaveBeenCalled();
  });

  it('answers 404 for a measure code not in the catalogue', async () => {
    const { app } = fakes();
    const res = await request(app)
      .put('/api/v1/measures/M11')
      .set('Authorization', await bearer(app, 'admin'))
      .send({ measure: m4, version: 1 })
      .expect(404);
    expect(res.body.error.code).toBe('measure_not_found');
  });

  it("reads a household's plan with its version as ETag; 404 passes through", async () => {
    const { app } = fakes();
    const auth = await bearer(app, 'cadre.yudu');
    const res = await request(app).get('/api/v1/households/hh-1/plan').set('Authorization', auth).expect(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body.plan.measures.map((m: { plannedAmountYuan: unknown }) => m.plannedAmountYuan)).toEqual([
      null,
      1200,
    ]);
    const none = await request(app).get('/api/v1/households/hh-9/plan').set('Authorization', auth).expect(404);
    expect(none.body.error.code).toBe('plan_not_found');
  });

  it('changes a plan over the version read (If-Match or body), 428 without', async () => {
    const { app, assistance } = fakes();
    const auth = await bearer(app, 'county.yudu');
    const res = await request(app)
      .post('/api/v1/households/hh-1/plan/changes')
      .set('Authorization', auth)
      .set('If-Match', '"3"')
      .send({ operation: 'drop', measureCode: 'M9', reason: '已有社会帮扶' })
      .expect(200);
    expect(res.headers.etag).toBe('"4"');
    await request(app)
      .post('/api/v1/households/hh-1/plan/changes')
      .set('Authorization', auth)
      .send({ operation: 'adjust', measureCode: 'M7', plannedAmountYuan: 800.5, version: 4 })
      .expect(200);
    const none = await request(app)
      .post('/api/v1/households/hh-1/plan/changes')
      .set('Authorization', auth)
      .send({ operation: 'add', measureCode: 'M10' })
      .expect(428);
    expect(none.body.error.code).toBe('precondition_required');
    expect(assistance.changePlan.mock.calls.map((c) => c[0])).toEqual([
      expect.objectContaining({ expectedVersion: 3, operation: 'drop', measureCode: 'M9', reason: '已有社会帮扶' }),
      expect.objectContaining({ expectedVersion: 4, operation: 'adjust', plannedAmountYuan: 800.5 }),
    ]);
  });

  it.each([
    ['drop without a reason', { operation: 'drop', measureCode: 'M9' }, 'reason'],
    ['an unknown operation', { operation: 'replace', measureCode: 'M9' }, 'operation'],
    ['an unknown measure', { operation: 'add', measureCode: 'M11' }, 'measureCode'],
    [
      'a planned amount with 3 decimals',
      { operation: 'adjust', measureCode: 'M7', plannedAmountYuan: 1.005 },
      'plannedAmountYuan',
    ],
    ['a planned amount of 0', { operation: 'adjust', measureCode: 'M7', plannedAmountYuan: 0 }, 'plannedAmountYuan'],
    [
      'a planned amount as text',
      { operation: 'add', measureCode: 'M10', plannedAmountYuan: '100' },
      'plannedAmountYuan',
    ],
    ['a start that is no date', { operation: 'add', measureCode: 'M10', startsOn: '2027-02-30' }, 'startsOn'],
    ['an adjustment of nothing', { operation: 'adjust', measureCode: 'M7' }, 'operation'],
    ['a reason on an add', { operation: 'add', measureCode: 'M10', reason: 'x' }, 'reason'],
    ['an unknown field', { operation: 'add', measureCode: 'M10', department: 'housing' }, 'department'],
  ])('refuses a plan change with %s (400) before calling the service', async (_n, body, field) => {
    const { app, assistance } = fakes();
    const res = await request(app)
      .post('/api/v1/households/hh-1/plan/changes')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send({ ...body, version: 3 })
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.messageZh).toBeTruthy();
    expect(assistance.changePlan).not.toHaveBeenCalled();
  });

  it('lets only village cadres and county officers change plans and decide proposals', async () => {
    const { app, assistance } = fakes();
    for (const user of ['township.yudu', 'admin', 'auditor', 'dept.health']) {
      const change = await request(app)
        .post('/api/v1/households/hh-1/plan/changes')
        .set('Authorization', await bearer(app, user))
        .send({ operation: 'drop', measureCode: 'M9', reason: 'x', version: 3 });
      const decide = await request(app)
        .post('/api/v1/households/hh-1/plan/proposals/p-1/decision')
        .set('Authorization', await bearer(app, user))
        .send({ accept: true, version: 3 });
      expect({ user, change: change.status, decide: decide.status }).toEqual({ user, change: 403, decide: 403 });
    }
    expect(assistance.changePlan).not.toHaveBeenCalled();
    expect(assistance.decideProposal).not.toHaveBeenCalled();
  });

  it('decides a proposal; accept must be true or false', async () => {
    const { app, assistance } = fakes();
    const auth = await bearer(app, 'county.yudu');
    for (const [body, field] of [
      [{ version: 3 }, 'accept'],
      [{ accept: 'yes', version: 3 }, 'accept'],
      [{ accept: true, note: 'x'.repeat(501), version: 3 }, 'note'],
    ] as const) {
      const bad = await request(app)
        .post('/api/v1/households/hh-1/plan/proposals/p-1/decision')
        .set('Authorization', auth)
        .send(body)
        .expect(400);
      expect(bad.body.error.field).toBe(field);
    }
    expect(assistance.decideProposal).not.toHaveBeenCalled();
    const ok = await request(app)
      .post('/api/v1/households/hh-1/plan/proposals/p-1/decision')
      .set('Authorization', auth)
      .set('If-Match', 'W/"3"')
      .send({ accept: false, note: '原因未变' })
      .expect(200);
    expect(ok.headers.etag).toBe('"4"');
    expect(assistance.decideProposal.mock.calls[0]![0]).toEqual({
      householdId: 'hh-1',
      proposalId: 'p-1',
      expectedVersion: 3,
      accept: false,
      note: '原因未变',
    });
  });

  it('lists a task queue with its filters passed on, nextPageToken and total', async () => {
    const { app, assistance } = fakes();
    const res = await request(app)
      .get('/api/v1/tasks?department=health&areaCode=360731101&state=open&overdue=true&householdId=hh-1&pageSize=5')
      .set('Authorization', await bearer(app, 'dept.health'))
      .expect(200);
    expect(res.body).toMatchObject({ nextPageToken: 'next', total: 7 });
    expect(res.body.tasks[0]).toMatchObject({ id: 'task-1', overdue: false, allowedActions: ['accept', 'decline'] });
    expect(assistance.listTasks.mock.calls[0]![0]).toEqual({
      department: 'health',
      areaCode: '360731101',
      state: 'open',
      overdueOnly: true,
      householdId: 'hh-1',
      pageSize: 5,
      pageToken: '',
    });
  });

  it.each([
    ['an unknown department', 'department=weather', 'department'],
    ['an unknown state', 'state=lost', 'state'],
    ['overdue not a boolean', 'overdue=yes', 'overdue'],
    ['a bad area code', 'areaCode=36073', 'areaCode'],
    ['a page size of 0', 'pageSize=0', 'pageSize'],
    ['a state given twice', 'state=open&state=closed', 'state'],
  ])('refuses a task list with %s (400)', async (_n, query, field) => {
    const { app, assistance } = fakes();
    const res = await request(app)
      .get(`/api/v1/tasks?${query}`)
      .set('Authorization', await bearer(app, 'county.yudu'))
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(assistance.listTasks).not.toHaveBeenCalled();
  });

  it('reads a task with its version as ETag; an unknown one is 404', async () => {
    const { app } = fakes();
    const auth = await bearer(app, 'auditor');
    const res = await request(app).get('/api/v1/tasks/task-1').set('Authorization', auth).expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body.task.id).toBe('task-1');
    const none = await request(app).get('/api/v1/tasks/task-9').set('Authorization', auth).expect(404);
    expect(none.body.error.code).toBe('task_not_found');
  });

  it('takes a task action over the version read; 428 without', async () => {
    const { app, assistance } = fakes();
    const auth = await bearer(app, 'dept.health');
    const none = await request(app)
      .post('/api/v1/tasks/task-1/actions')
      .set('Authorization', auth)
      .send({ action: 'accept' })
      .expect(428);
    expect(none.body.error.code).toBe('precondition_required');
    const res = await request(app)
      .post('/api/v1/tasks/task-1/actions')
      .set('Authorization', auth)
      .set('If-Match', '"2"')
      .send({ action: 'accept', note: '已受理' })
      .expect(200);
    expect(res.headers.etag).toBe('"3"');
    expect(res.body.task).toMatchObject({ state: 'accepted', allowedActions: ['deliver', 'decline'] });
    expect(assistance.actOnTask.mock.calls[0]![0]).toEqual({
      id: 'task-1',
      expectedVersion: 2,
      action: 'accept',
      deliveredOn: '',
      amountYuan: undefined,
      note: '已受理',
      reason: '',
    });
  });

  it('passes an illegal transition through as 409 with the state and the allowed actions', async () => {
    const { app } = fakes();
    const res = await request(app)
      .post('/api/v1/tasks/task-1/actions')
      .set('Authorization', await bearer(app, 'dept.health'))
      .send({ action: 'deliver', deliveredOn: '2027-01-05', amountYuan: 100, version: 2 })
      .expect(409);
    expect(res.body.error).toMatchObject({
      code: 'illegal_transition',
      details: { state: 'open', allowedActions: 'accept,decline' },
    });
  });

  it.each([
    ['decline without a reason', { action: 'decline' }, 'reason'],
    ['decline with a blank reason', { action: 'decline', reason: ' ' }, 'reason'],
    ['deliver without a date', { action: 'deliver', amountYuan: 10 }, 'deliveredOn'],
    ['deliver on no date', { action: 'deliver', deliveredOn: '2027-13-01' }, 'deliveredOn'],
    [
      'an amount of fractions of a fen',
      { action: 'deliver', deliveredOn: '2027-01-05', amountYuan: 0.001 },
      'amountYuan',
    ],
    ['a negative amount', { action: 'deliver', deliveredOn: '2027-01-05', amountYuan: -1 }, 'amountYuan'],
    ['an amount on accept', { action: 'accept', amountYuan: 10 }, 'amountYuan'],
    ['a reason on accept', { action: 'accept', reason: 'x' }, 'reason'],
    ['an unknown action', { action: 'close' }, 'action'],
    ['an unknown field', { action: 'accept', department: 'health' }, 'department'],
  ])('refuses a task action with %s (400) before calling the service', async (_n, body, field) => {
    const { app, assistance } = fakes();
    const res = await request(app)
      .post('/api/v1/tasks/task-1/actions')
      .set('Authorization', await bearer(app, 'dept.health'))
      .send({ ...body, version: 2 })
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.messageZh).toBeTruthy();
    expect(assistance.actOnTask).not.toHaveBeenCalled();
  });

  it('lets only department officers work tasks', async () => {
    const { app, assistance } = fakes();
    for (const user of ['cadre.yudu', 'township.yudu', 'county.yudu', 'admin', 'auditor']) {
      const res = await request(app)
        .post('/api/v1/tasks/task-1/actions')
        .set('Authorization', await bearer(app, user))
        .send({ action: 'accept', version: 2 });
      expect({ user, status: res.status }).toEqual({ user, status: 403 });
    }
    expect(assistance.actOnTask).not.toHaveBeenCalled();
    // Another department's officer reaches the service, which refuses (403 wrong_department).
    const other = await request(app)
      .post('/api/v1/tasks/task-1/actions')
      .set('Authorization', await bearer(app, 'dept.education'))
      .send({ action: 'accept', version: 2 })
      .expect(403);
    expect(other.body.error.code).toBe('wrong_department');
  });

  it('records points with the Idempotency-Key passed on; spending beyond the balance is 409', async () => {
    const { app, assistance } = fakes();
    const auth = await bearer(app, 'cadre.yudu');
    const res = await request(app)
      .post('/api/v1/households/hh-1/points')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'pts-1')
      .send({ kind: 'earn', points: 5, reason: '参加村庄保洁' })
      .expect(201);
    expect(res.body).toMatchObject({ entry: { id: 'p-1', points: 5 }, balance: 5 });
    expect(assistance.recordPoints.mock.calls[0]![0]).toEqual({
      householdId: 'hh-1',
      kind: 'earn',
      points: 5,
      reason: '参加村庄保洁',
      idempotencyKey: 'pts-1',
    });
    const spend = await request(app)
      .post('/api/v1/households/hh-1/points')
      .set('Authorization', auth)
      .send({ kind: 'spend', points: 50, reason: '兑换大米' })
      .expect(409);
    expect(spend.body.error).toMatchObject({ code: 'insufficient_points', details: { balance: '0' } });
  });

  it.each([
    ['no points', { kind: 'earn', reason: 'x' }, 'points'],
    ['0 points', { kind: 'earn', points: 0, reason: 'x' }, 'points'],
    ['fractional points', { kind: 'earn', points: 1.5, reason: 'x' }, 'points'],
    ['points as text', { kind: 'earn', points: '5', reason: 'x' }, 'points'],
    ['too many points', { kind: 'earn', points: 10001, reason: 'x' }, 'points'],
    ['no reason', { kind: 'earn', points: 5 }, 'reason'],
    ['an unknown kind', { kind: 'gift', points: 5, reason: 'x' }, 'kind'],
  ])('refuses points with %s (400)', async (_n, body, field) => {
    const { app, assistance } = fakes();
    const res = await request(app)
      .post('/api/v1/households/hh-1/points')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .send(body)
      .expect(400);
    expect(res.body.error.field).toBe(field);
    expect(assistance.recordPoints).not.toHaveBeenCalled();
  });

  it('refuses a malformed Idempotency-Key, and points or list entries by anyone but the village cadre', async () => {
    const { app, assistance } = fakes();
    const bad = await request(app)
      .post('/api/v1/households/hh-1/points')
      .set('Authorization', await bearer(app, 'cadre.yudu'))
      .set('Idempotency-Key', 'no spaces allowed')
      .send({ kind: 'earn', points: 5, reason: 'x' })
      .expect(400);
    expect(bad.body.error.field).toBe('Idempotency-Key');
    for (const user of ['county.yudu', 'township.yudu', 'admin', 'auditor', 'dept.health']) {
      const points = await request(app)
        .post('/api/v1/households/hh-1/points')
        .set('Authorization', await bearer(app, user))
        .send({ kind: 'earn', points: 5, reason: 'x' });
      const list = await request(app)
        .post('/api/v1/households/hh-1/list-entries')
        .set('Authorization', await bearer(app, user))
        .send({ list: 'red', reason: 'x' });
      expect({ user, points: points.status, list: list.status }).toEqual({ user, points: 403, list: 403 });
    }
    expect(assistance.recordPoints).not.toHaveBeenCalled();
    expect(assistance.addListEntry).not.toHaveBeenCalled();
  });

  it('adds a red or black list entry with a reason', async () => {
    const { app, assistance } = fakes();
    const auth = await bearer(app, 'cadre.yudu');
    const res = await request(app)
      .post('/api/v1/households/hh-1/list-entries')
      .set('Authorization', auth)
      .send({ list: 'red', reason: '主动参加公益劳动' })
      .expect(201);
    expect(res.body.entry).toMatchObject({ list: 'red', reason: '主动参加公益劳动' });
    for (const [body, field] of [
      [{ list: 'green', reason: 'x' }, 'list'],
      [{ list: 'black' }, 'reason'],
    ] as const) {
      const bad = await request(app)
        .post('/api/v1/households/hh-1/list-entries')
        .set('Authorization', auth)
        .send(body)
        .expect(400);
      expect(bad.body.error.field).toBe(field);
    }
    expect(assistance.addListEntry).toHaveBeenCalledTimes(1);
  });

  it("reads the assistance service's audit trail as source=assistance", async () => {
    const { app, assistanceAudit } = fakes();
    const auth = await bearer(app, 'auditor');
    const res = await request(app)
      .get('/api/v1/audit?source=assistance&action=task.delivered')
      .set('Authorization', auth)
      .expect(200);
    expect(res.body).toMatchObject({ source: 'assistance', entries: [{ id: 'a-1', action: 'task.delivered' }] });
    expect(assistanceAudit.listAuditEntries.mock.calls[0]![0]).toMatchObject({ action: 'task.delivered' });
    const verify = await request(app)
      .get('/api/v1/audit/verify?source=assistance')
      .set('Authorization', auth)
      .expect(200);
    expect(verify.body).toMatchObject({ source: 'assistance', ok: true, checked: 3 });
  });

  it('describes the assistance routes in the OpenAPI document', async () => {
    const { app } = fakes();
    const res = await request(app).get('/api/v1/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/measures',
        '/api/v1/measures/{code}',
        '/api/v1/households/{id}/plan',
        '/api/v1/households/{id}/plan/changes',
        '/api/v1/households/{id}/plan/proposals/{proposalId}/decision',
        '/api/v1/tasks',
        '/api/v1/tasks/{id}',
        '/api/v1/tasks/{id}/actions',
        '/api/v1/households/{id}/points',
        '/api/v1/households/{id}/list-entries',
      ]),
    );
    expect(res.body.components.schemas.Task.properties.allowedActions).toBeDefined();
  });
});
