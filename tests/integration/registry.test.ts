import ExcelJS from 'exceljs';
import { minimalHousehold, syntheticIdNumber } from '@shouwang/domain/testing';
import { blindIndex } from '@shouwang/kit';
import { cadreToken, connectDb, postHousehold, startTestPlatform, tokenFor, waitFor } from './support';

jest.setTimeout(180000);

let env: Awaited<ReturnType<typeof startTestPlatform>>;
let url: string;
const village = '360731101201';
const otherVillage = '360731101202';

beforeAll(async () => {
  env = await startTestPlatform('registry');
  url = env.platform.gatewayUrl;
});
afterAll(async () => {
  await env?.platform.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the tests
type Json = Record<string, any>;

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)
        ? { 'content-type': 'application/json' }
        : {}),
      ...headers,
    },
    body:
      body === undefined
        ? undefined
        : typeof body === 'string' || body instanceof Uint8Array
          ? body
          : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = { text };
  }
  return { status: res.status, headers: res.headers, body: json };
}

let seq = 0;
/** A fresh synthetic ID number: the sequence goes in the birth date (and the 2-digit serial). */
const nextId = (birth?: string) => {
  const n = seq++;
  return syntheticIdNumber(n % 100, birth ?? `19${60 + (n % 30)}-0${1 + (n % 9)}-1${n % 10}`);
};

async function register(areaCode = village, extra: Json = {}) {
  const res = await postHousehold(
    url,
    minimalHousehold({
      areaCode,
      members: [{ name: '赵一', relation: 'head', idNumber: nextId() }],
      income: { year: 2020, wage: 1000, business: 0, property: 0, transfer: 0 },
      ...extra,
    }),
  );
  expect(res.status).toBe(201);
  return res.body.household as Json;
}

const header = [
  '户号',
  '村级区划代码',
  '地址',
  '贫困状态',
  '收入年度',
  '工资性收入',
  '经营净收入',
  '财产性收入',
  '转移性收入',
  '姓名',
  '身份证号',
  '与户主关系',
  '出生日期',
  '劳动力状况',
];
const line = (cells: (string | number)[]) => cells.join(',');

async function waitJob(token: string, id: string): Promise<Json> {
  return waitFor(
    'the import to finish',
    async () => {
      const res = await call('GET', `/households/imports/${id}`, token);
      return res.body.job?.status === 'running' ? undefined : (res.body.job as Json);
    },
    120000,
    300,
  );
}

describe('registry: read, edit with optimistic concurrency, history', () => {
  it('edits over the version read; a stale version is 412, a missing one 428; history names who changed what', async () => {
    const cadre = await cadreToken(url, village);
    const created = await register();
    const read = await call('GET', `/households/${created.id}`, cadre);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');

    const edited = {
      ...read.body.household,
      address: '新地址 1 号',
      income: { ...read.body.household.income, wage: 1234.5 },
    };
    const ok = await call('PUT', `/households/${created.id}`, cadre, edited, { 'if-match': '"1"' });
    expect(ok.body.error).toBeUndefined();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ changed: true, household: { version: 2, address: '新地址 1 号' } });
    expect(ok.headers.get('etag')).toBe('"2"');

    const stale = await call(
      'PUT',
      `/households/${created.id}`,
      cadre,
      { ...edited, address: '旧' },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'version_conflict', field: 'version' });

    const { version: _v, ...withoutVersion } = edited;
    void _v;
    const missing = await call('PUT', `/households/${created.id}`, cadre, withoutVersion);
    expect(missing.status).toBe(428);

    const same = await call('PUT', `/households/${created.id}`, cadre, { ...edited, version: 2 });
    expect(same.body).toMatchObject({ changed: false, household: { version: 2 } });

    const bad = await call(
      'PUT',
      `/households/${created.id}`,
      cadre,
      { ...edited, income: { ...edited.income, wage: -1 } },
      { 'if-match': '2' },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([expect.objectContaining({ field: 'income.wage' })]);

    const history = await call('GET', `/households/${created.id}/history`, await tokenFor(url, 'county.yudu'));
    expect(history.status).toBe(200);
    const changes = history.body.changes as Json[];
    expect(changes.map((c) => [c.version, c.action, c.actorUsername])).toEqual([
      [1, 'household.registered', `cadre.${village}`],
      [2, 'household.updated', `cadre.${village}`],
    ]);
    expect(changes[1]!.fields).toEqual([
      { path: 'address', before: JSON.stringify(created.address), after: '"新地址 1 号"' },
      { path: 'income.wage', before: JSON.stringify(created.income.wage), after: '1234.5' },
    ]);
    // ID numbers in history are masked like everywhere else.
    expect(JSON.stringify(changes)).not.toContain(created.members[0].idNumber);
  });

  it('refuses an ID number already in another household with 409 naming it; nothing is written', async () => {
    const first = await register();
    const idNumber = (await call('GET', `/households/${first.id}`, await cadreToken(url, village))).body.household
      .members[0].idNumber as string;
    const dup = await postHousehold(
      url,
      minimalHousehold({ areaCode: village, members: [{ name: '钱二', relation: 'head', idNumber }] }),
    );
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({
      code: 'duplicate_id_number',
      field: 'members[0].idNumber',
      details: { householdId: first.id },
    });
    expect(JSON.stringify(dup.body)).not.toContain(idNumber);

    // The same through an edit of another household.
    const second = await register();
    const cadre = await cadreToken(url, village);
    const current = (await call('GET', `/households/${second.id}`, cadre)).body.household;
    const clash = await call(
      'PUT',
      `/households/${second.id}`,
      cadre,
      { ...current, members: [...current.members, { name: '孙三', relation: 'child', idNumber }] },
      { 'if-match': '"1"' },
    );
    expect(clash.status).toBe(409);
    expect((await call('GET', `/households/${second.id}`, cadre)).body.household.version).toBe(1);
  });

  it('refuses an ID number another household is being registered with right now (409 id_number_busy), by hand and by import', async () => {
    // A claim just taken by a writer that has not written its household yet (as a concurrent registration leaves it).
    const idNumber = nextId('1971-05-05');
    const indexKey = Buffer.from(env.platform.services.identification.env.PII_INDEX_KEY!, 'base64');
    const db = await connectDb(`shouwang_identification${env.dbSuffix}`);
    try {
      await db
        .collection('id_number_claims')
        .insertOne({ _id: blindIndex(idNumber, indexKey), householdId: 'in-progress', at: Date.now() } as never);
      const area = '360731103204';
      const county = await tokenFor(url, 'county.yudu');
      const before = (await call('GET', `/households?areaCode=${area}`, county)).body.total as number;
      const busy = await postHousehold(
        url,
        minimalHousehold({
          areaCode: area,
          members: [
            { name: '忙一', relation: 'head', idNumber: nextId() },
            { name: '忙二', relation: 'child', idNumber },
          ],
        }),
      );
      expect(busy.status).toBe(409);
      expect(busy.body.error).toMatchObject({ code: 'id_number_busy', field: 'members[1].idNumber' });
      expect(busy.body.error.messageZh).toContain('正在另一户中登记');
      expect(JSON.stringify(busy.body)).not.toContain(idNumber);

      const csv = [
        header.join(','),
        line(['B1', area, '忙村1号', 'none', 2020, 1000, 0, 0, 0, '忙三', idNumber, 'head', '1971-05-05', 'ordinary']),
        line([
          'B2',
          area,
          '忙村2号',
          'none',
          2020,
          1000,
          0,
          0,
          0,
          '忙四',
          nextId('1972-06-06'),
          'head',
          '1972-06-06',
          'ordinary',
        ]),
      ].join('\r\n');
      const run = await call('POST', '/households/imports?format=csv', county, csv, { 'content-type': 'text/csv' });
      const job = await waitJob(county, run.body.job.id as string);
      expect(job).toMatchObject({ status: 'succeeded', created: 1, invalid: 1 });
      expect((job.errors as Json[]).map((e) => [e.row, e.field, e.code])).toEqual([
        [2, 'members[0].idNumber', 'id_number_busy'],
      ]);
      expect((await call('GET', `/households?areaCode=${area}`, county)).body.total).toBe(before + 1);
    } finally {
      await db.close();
    }
  });

  it('lists an area in keyset pages with a total, searches by name, address and exact ID number, within scope only', async () => {
    const area = '360731102203';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await postHousehold(
        url,
        minimalHousehold({
          areaCode: area,
          address: `列表村 ${i} 号`,
          members: [{ name: `列表${i}`, relation: 'head', idNumber: nextId() }],
        }),
      );
      expect(res.status).toBe(201);
      ids.push(res.body.household.id as string);
    }
    const county = await tokenFor(url, 'county.yudu');
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = await call(
        'GET',
        `/households?areaCode=${area}&pageSize=2${token ? `&pageToken=${token}` : ''}`,
        county,
      );
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(5);
      seen.push(...(page.body.households as Json[]).map((h) => h.id as string));
      token = page.body.nextPageToken ?? '';
      pages++;
    } while (token && pages < 10);
    expect(seen.sort()).toEqual([...ids].sort());
    expect(pages).toBe(3);

    const byName = await call('GET', `/households?areaCode=${area}&q=${encodeURIComponent('列表3')}`, county);
    expect((byName.body.households as Json[]).map((h) => h.id)).toEqual([ids[3]]);
    const byAddress = await call('GET', `/households?q=${encodeURIComponent('列表村 4')}`, county);
    expect((byAddress.body.households as Json[]).map((h) => h.id)).toEqual([ids[4]]);
    const full = (await call('GET', `/households/${ids[2]}`, county)).body.household;
    const byId = await call('GET', `/households?q=${full.members[0].idNumber as string}`, county);
    expect((byId.body.households as Json[]).map((h) => h.id)).toEqual([ids[2]]);
    // Someone else's area: nothing, not an error that confirms anything.
    const township = await tokenFor(url, 'township.yudu');
    expect((await call('GET', `/households?areaCode=${area}`, township)).body).toMatchObject({
      households: [],
      total: 0,
    });
    expect((await call('GET', '/households?pageSize=500', county)).status).toBe(400);
    expect((await call('GET', '/households?pageToken=nonsense', county)).body.error.issues[0].field).toBe('pageToken');
  });
});

describe('bulk import', () => {
  it('serves the template in CSV and Excel', async () => {
    const county = await tokenFor(url, 'county.yudu');
    const csv = await call('GET', '/households/import-template?format=csv', county);
    expect(csv.status).toBe(200);
    expect(csv.body.text.replace(/^\uFEFF/, '').split(',')[0]).toBe('户号');
    const res = await fetch(`${url}/api/v1/households/import-template?format=xlsx`, {
      headers: { authorization: `Bearer ${county}` },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一户一表', '填表说明']);
  });

  it('dry run reports per-row errors and writes nothing; the import creates, a re-import matches', async () => {
    const county = await tokenFor(url, 'county.yudu');
    const area = '360731103203';
    const before = (await call('GET', `/households?areaCode=${area}`, county)).body.total as number;
    const [a, b, c] = [nextId('1960-01-01'), nextId('1962-02-02'), nextId('1990-03-03')];
    const csv = [
      header.join(','),
      line(['H1', area, '导入村1号', 'none', 2020, 3000, 0, 0, 500, '导入甲', a, 'head', '1960-01-01', 'ordinary']),
      line(['H1', '', '', '', '', '', '', '', '', '导入乙', c, 'child', '1990-03-03', 'skilled']),
      line(['H2', area, '导入村2号', 'none', 2020, 'abc', 0, 0, 0, '导入丙', b, 'head', '1962-02-02', 'ordinary']),
      line([
        'H3',
        '360731999999',
        '导入村3号',
        'none',
        2020,
        1,
        0,
        0,
        0,
        '导入丁',
        nextId('1970-01-01'),
        'head',
        '1970-01-01',
        'ordinary',
      ]),
    ].join('\r\n');
    const dry = await call('POST', '/households/imports?dryRun=true&format=csv', county, csv, {
      'content-type': 'text/csv',
    });
    expect(dry.status).toBe(202);
    const dryJob = await waitJob(county, dry.body.job.id as string);
    expect(dryJob).toMatchObject({ status: 'succeeded', dryRun: true, processed: 3, created: 1, invalid: 2 });
    expect((dryJob.errors as Json[]).map((e) => [e.row, e.field, e.code])).toEqual([
      [4, 'income.wage', 'invalid_number'],
      [5, 'areaCode', 'unknown_area'],
    ]);
    expect((await call('GET', `/households?areaCode=${area}`, county)).body.total).toBe(before);

    const good = csv.split('\r\n').slice(0, 3).join('\r\n');
    const run = await call('POST', '/households/imports?format=csv', county, good, { 'content-type': 'text/csv' });
    expect(await waitJob(county, run.body.job.id as string)).toMatchObject({
      status: 'succeeded',
      created: 1,
      invalid: 0,
    });
    const listed = (await call('GET', `/households?areaCode=${area}&q=${encodeURIComponent('导入甲')}`, county)).body
      .households as Json[];
    expect(listed).toHaveLength(1);
    expect(listed[0]!.members).toHaveLength(2);

    const again = await call('POST', '/households/imports?format=csv', county, good, { 'content-type': 'text/csv' });
    expect(await waitJob(county, again.body.job.id as string)).toMatchObject({ created: 0, unchanged: 1 });
    const changed = good.replace(',3000,', ',3100,');
    const third = await call('POST', '/households/imports?format=csv', county, changed, { 'content-type': 'text/csv' });
    expect(await waitJob(county, third.body.job.id as string)).toMatchObject({ created: 0, updated: 1 });
    const history = await call('GET', `/households/${listed[0]!.id as string}/history`, county);
    expect((history.body.changes as Json[]).map((x) => x.action)).toEqual(['household.imported', 'household.imported']);

    const errorsCsv = await call('GET', `/households/imports/${dryJob.id as string}/errors.csv`, county);
    expect(errorsCsv.body.text).toContain('income.wage');
  });

  it('imports an Excel workbook and JSON lines; refuses an unknown format and other people’s jobs', async () => {
    const county = await tokenFor(url, 'county.yudu');
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('一户一表');
    sheet.addRow(header);
    sheet.addRow([
      'X1',
      otherVillage,
      'Excel 1号',
      'none',
      2020,
      2000,
      0,
      0,
      0,
      'Excel甲',
      nextId('1955-06-06'),
      'head',
      new Date(Date.UTC(1955, 5, 6)),
      'ordinary',
    ]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await call('POST', '/households/imports', county, new Uint8Array(xlsx), {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(res.status).toBe(202);
    expect(await waitJob(county, res.body.job.id as string)).toMatchObject({
      status: 'succeeded',
      created: 1,
      invalid: 0,
    });

    const jsonl = [
      JSON.stringify(
        minimalHousehold({
          areaCode: otherVillage,
          members: [{ name: 'JSON甲', relation: 'head', idNumber: nextId() }],
        }),
      ),
      '{not json',
    ].join('\n');
    const j = await call('POST', '/households/imports?format=jsonl', county, jsonl, {
      'content-type': 'application/x-ndjson',
    });
    const job = await waitJob(county, j.body.job.id as string);
    expect(job).toMatchObject({ created: 1, invalid: 1 });
    expect((job.errors as Json[])[0]).toMatchObject({ row: 2, code: 'malformed_json' });

    expect((await call('POST', '/households/imports', county, 'x', { 'content-type': 'image/png' })).status).toBe(415);
    const cadre = await cadreToken(url, village);
    expect((await call('GET', `/households/imports/${j.body.job.id as string}`, cadre)).status).toBe(404);
    expect(
      (
        await call('POST', '/households/imports?format=csv', await tokenFor(url, 'auditor'), 'a', {
          'content-type': 'text/csv',
        })
      ).status,
    ).toBe(403);
  });
});
