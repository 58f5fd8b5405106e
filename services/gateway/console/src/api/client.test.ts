// The API client's session handling, against a scripted fetch (root jest, node environment).
import * as client from './client';

type Reply = { status: number; body?: unknown };
const calls: { url: string; method: string; auth: string | null; body: unknown }[] = [];
let replies: ((url: string) => Reply | Promise<Reply>)[] = [];
const storage = new Map<string, string>();

beforeAll(() => {
  Object.assign(globalThis, {
    sessionStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => void storage.set(k, String(v)),
      removeItem: (k: string) => void storage.delete(k),
    },
  });
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    calls.push({
      url,
      method: init.method ?? 'GET',
      auth: headers.get('authorization'),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    const next = replies.shift();
    if (!next) throw new Error(`unexpected request ${url}`);
    const { status, body } = await next(url);
    return new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
});

beforeEach(() => {
  calls.length = 0;
  replies = [];
  storage.clear();
  client.onSessionEnded(null);
});

const user = {
  id: 'u1',
  username: 'cadre.yudu',
  displayName: '于都村干部',
  role: 'village_cadre' as const,
  areaCode: '360731101201',
  department: null,
};
const session = (n: number) => ({
  status: 200,
  body: { accessToken: `access-${n}`, tokenType: 'Bearer', expiresIn: 900, refreshToken: `refresh-${n}`, user },
});
const unauthorized = {
  status: 401,
  body: { error: { code: 'unauthenticated', kind: 'unauthenticated', message: 'sign in', messageZh: '请登录' } },
};

async function signedIn() {
  replies.push(() => session(1));
  await client.login('cadre.yudu', 'pw');
  calls.length = 0;
}

test('login keeps the refresh token in sessionStorage and sends the access token as a bearer', async () => {
  await signedIn();
  expect([...storage.values()]).toEqual(['refresh-1']);
  replies.push(() => ({ status: 200, body: { user } }));
  await expect(client.me()).resolves.toEqual(user);
  expect(calls).toEqual([{ url: '/api/v1/auth/me', method: 'GET', auth: 'Bearer access-1', body: undefined }]);
});

test('wrong credentials: ApiError with the message in either language', async () => {
  replies.push(() => ({
    status: 401,
    body: {
      error: { code: 'invalid_credentials', message: 'wrong username or password', messageZh: '用户名或密码错误' },
    },
  }));
  const err = await client.login('x', 'y').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(client.ApiError);
  expect((err as client.ApiError).code).toBe('invalid_credentials');
  expect((err as client.ApiError).messageIn('zh')).toBe('用户名或密码错误');
  expect((err as client.ApiError).messageIn('en')).toBe('wrong username or password');
  expect(storage.size).toBe(0);
});

test('a 401 refreshes once and retries with the new token', async () => {
  await signedIn();
  replies.push(
    () => unauthorized,
    () => session(2),
    () => ({ status: 200, body: { ok: true } }),
  );
  await expect(client.api('/reports/x')).resolves.toEqual({ ok: true });
  expect(calls.map((c) => [c.url, c.auth, c.body])).toEqual([
    ['/api/v1/reports/x', 'Bearer access-1', undefined],
    ['/api/v1/auth/refresh', null, { refreshToken: 'refresh-1' }],
    ['/api/v1/reports/x', 'Bearer access-2', undefined],
  ]);
  expect([...storage.values()]).toEqual(['refresh-2']);
});

test('when the refresh is refused the session ends: tokens forgotten, listener told, 401 thrown', async () => {
  await signedIn();
  const ended = jest.fn();
  client.onSessionEnded(ended);
  replies.push(
    () => unauthorized,
    () => unauthorized,
  );
  const err = await client.api('/households').catch((e: unknown) => e);
  expect((err as client.ApiError).status).toBe(401);
  expect(ended).toHaveBeenCalledTimes(1);
  expect(storage.size).toBe(0);
  await expect(client.refresh()).resolves.toBeNull(); // nothing left to refresh with
});

test('concurrent 401s share one refresh (refresh tokens are single-use)', async () => {
  await signedIn();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  replies.push(
    () => unauthorized,
    () => unauthorized,
    async () => {
      await gate;
      return session(2);
    },
    () => ({ status: 200, body: 1 }),
    () => ({ status: 200, body: 2 }),
  );
  const both = Promise.all([client.api('/a'), client.api('/b')]);
  await new Promise((r) => setTimeout(r, 20));
  release();
  await expect(both).resolves.toEqual([1, 2]);
  expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
});

test('an error body that is not the gateway shape still gives an ApiError', async () => {
  await signedIn();
  replies.push(() => ({ status: 502, body: 'bad gateway' }));
  const err = (await client.api('/x').catch((e: unknown) => e)) as client.ApiError;
  expect(err).toBeInstanceOf(client.ApiError);
  expect(err.status).toBe(502);
  expect(err.code).toBe('unexpected_response');
});

test('logout revokes on the server with the refresh token and forgets both tokens', async () => {
  await signedIn();
  replies.push(() => ({ status: 204 }));
  await client.logout();
  expect(calls).toEqual([
    { url: '/api/v1/auth/logout', method: 'POST', auth: 'Bearer access-1', body: { refreshToken: 'refresh-1' } },
  ]);
  expect(storage.size).toBe(0);
});

test('query strings leave out parameters without a value', () => {
  expect(client.query({ areaCode: '360731', q: '', povertyStatus: undefined, pageSize: 20, dryRun: false })).toBe(
    '?areaCode=360731&pageSize=20&dryRun=false',
  );
  expect(client.query({ q: '张 三&' })).toBe('?q=%E5%BC%A0+%E4%B8%89%26');
  expect(client.query({ a: null, b: undefined })).toBe('');
});

test.each([
  ['attachment; filename="households-template.csv"', 'households-template.csv'],
  ['attachment; filename="errors.csv"; filename*=UTF-8\'\'%E9%94%99%E8%AF%AF.csv', '错误.csv'],
  ['attachment; filename=plain.xlsx', 'plain.xlsx'],
  ['inline', null],
  [null, null],
])('Content-Disposition %j names the file %j', (header, name) => {
  expect(client.fileNameOf(header)).toBe(name);
});

test('field errors: the issues of a 400, or the one field a 409 names, or none', () => {
  const invalid = new client.ApiError(400, {
    code: 'invalid_argument',
    message: 'invalid',
    issues: [
      { field: 'members[0].idNumber', code: 'invalid_id_checksum', message: 'm', messageZh: '校验位错误' },
      { field: 'income.wage', code: 'required', message: 'r' },
    ],
  });
  expect(invalid.fieldErrors.map((e) => e.field)).toEqual(['members[0].idNumber', 'income.wage']);
  const duplicate = new client.ApiError(409, {
    code: 'duplicate_id_number',
    message: 'duplicate',
    messageZh: '重复',
    field: 'members[1].idNumber',
    details: { householdId: 'h-9' },
  });
  expect(duplicate.fieldErrors).toEqual([
    { field: 'members[1].idNumber', code: 'duplicate_id_number', message: 'duplicate', messageZh: '重复' },
  ]);
  expect(new client.ApiError(412, { code: 'version_conflict', message: 'stale' }).fieldErrors).toEqual([]);
});
