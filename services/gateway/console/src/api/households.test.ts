// The household endpoints' requests and answers, against a scripted fetch (root jest, node environment).
import { minimalHousehold } from '@shouwang/domain/testing';
import * as households from './households';

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: BodyInit | null | undefined;
}
const calls: Call[] = [];
let reply: () => Response;

beforeAll(() => {
  globalThis.fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET', headers: new Headers(init.headers), body: init.body });
    return reply();
  }) as typeof fetch;
});
beforeEach(() => {
  calls.length = 0;
});

const stored = { ...minimalHousehold(), id: 'h-1', version: 4, createdAt: 't0', updatedAt: 't1' };
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

test.each([
  ['"7"', 7],
  ['W/"12"', 12],
  ['3', 3],
  ['"abc"', null],
  [null, null],
])('ETag %j is version %j', (etag, version) => {
  expect(households.versionFromEtag(etag)).toBe(version);
});

test('a household is read with the version of its ETag', async () => {
  reply = json(200, { household: stored }, { etag: '"5"' });
  await expect(households.getHousehold('h-1')).resolves.toEqual({ household: stored, version: 5 });
  expect(calls[0].url).toBe('/api/v1/households/h-1');
});

test('without an ETag the body’s version is the one to send back', async () => {
  reply = json(200, { household: stored });
  expect((await households.getHousehold('h-1')).version).toBe(4);
});

test('an update is a PUT of the canonical JSON with If-Match; a stale version is a 412 ApiError', async () => {
  reply = json(200, { household: { ...stored, version: 5 }, changed: true });
  const sent = minimalHousehold({ address: '新地址' });
  await expect(households.updateHousehold('h-1', 4, sent)).resolves.toMatchObject({ changed: true });
  expect(calls[0]).toMatchObject({ url: '/api/v1/households/h-1', method: 'PUT' });
  expect(calls[0].headers.get('if-match')).toBe('"4"');
  expect(calls[0].headers.get('content-type')).toBe('application/json');
  expect(JSON.parse(String(calls[0].body))).toEqual(sent);

  reply = json(412, { error: { code: 'version_conflict', message: 'stale', messageZh: '已被修改' } });
  await expect(households.updateHousehold('h-1', 4, sent)).rejects.toMatchObject({
    status: 412,
    code: 'version_conflict',
  });
});

test('a list asks with the filters that are set', async () => {
  reply = json(200, { households: [stored], nextPageToken: 'n2', total: 31 });
  const page = await households.listHouseholds({ areaCode: '360731101201', q: '赵', pageSize: 20, pageToken: '' });
  expect(page.total).toBe(31);
  expect(calls[0].url).toBe('/api/v1/households?areaCode=360731101201&q=%E8%B5%B5&pageSize=20');
});

test('an import uploads the file itself as the body, with its Content-Type, dry run or not', async () => {
  const job = { id: 'j1', status: 'running', processed: 0 };
  reply = json(202, { job });
  const file = new Blob(['areaCode,address\n'], { type: 'text/plain' });
  await expect(households.startImport(file, { format: 'csv', contentType: 'text/csv', dryRun: true })).resolves.toEqual(
    job,
  );
  expect(calls[0]).toMatchObject({ url: '/api/v1/households/imports?dryRun=true&format=csv', method: 'POST' });
  expect(calls[0].headers.get('content-type')).toBe('text/csv');
  expect(calls[0].body).toBe(file);
});
