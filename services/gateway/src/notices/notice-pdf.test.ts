import { execFile } from 'node:child_process';
import { AppError } from '@shouwang/kit';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { renderNoticePdf, type NoticeEntry, type PublicNotice } from './notice-pdf';

// Synthetic names and places only.
const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许';
const GIVEN = ['建国', '秀英', '桂兰', '志强', '玉梅', '德胜', '春华', '海燕'];

function entry(i: number): NoticeEntry {
  return {
    caseId: `case-${String(i).padStart(4, '0')}`,
    headName: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}${i}`,
    address: `测试村${(i % 9) + 1}组${i + 1}号`,
    persons: (i % 6) + 1,
  };
}

function notice(entries: number, overrides: Partial<PublicNotice> = {}): PublicNotice {
  return {
    kind: 'identification',
    villageCode: '361100101001',
    villageName: '测试村',
    townshipName: '示例镇',
    countyName: '样本县',
    startDate: '2025-03-01',
    endDate: '2025-03-05',
    entries: Array.from({ length: entries }, (_, i) => entry(i)),
    objectionContact: '测试村村民委员会办公室（电话 0793-1234567）',
    issuedBy: '测试村村民委员会',
    issuedOn: '2025-02-28',
    ...overrides,
  };
}

// pdf.js (inside pdf-parse) loads its worker with a dynamic import(), which jest's CommonJS sandbox refuses,
// so the text is extracted by a plain node process: the PDF on stdin, JSON on stdout.
const EXTRACT = `
const { PDFParse } = require(process.argv[1]);
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c)).on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const text = await parser.getText();
  const { info } = await parser.getInfo();
  await parser.destroy();
  process.stdout.write(JSON.stringify({ pages: text.pages.map((p) => p.text), text: text.text, title: info.Title, author: info.Author }));
});`;

interface Extracted {
  pages: string[];
  text: string;
  title: unknown;
  author: unknown;
}

function parse(pdf: Buffer): Promise<Extracted> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', EXTRACT, require.resolve('pdf-parse')],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as Extracted)),
    );
    child.stdin!.end(pdf);
  });
}

const withoutSpace = (s: string) => s.replace(/\s+/g, '');

describe('renderNoticePdf', () => {
  it('renders a one-page identification notice with title, period, households and issuer, and no health details', async () => {
    const pdf = await renderNoticePdf(notice(3));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const { pages, text, title } = await parse(pdf);
    expect(pages).toHaveLength(1);
    const flat = withoutSpace(text);
    for (const s of [
      '相对贫困户识别公示',
      '样本县示例镇测试村',
      '拟将以下3户6人认定为相对贫困户',
      '公示期为2025年3月1日至2025年3月5日，共5天。',
      '序号户主姓名家庭住址家庭人口',
      '赵建国0',
      '钱秀英1',
      '孙桂兰2',
      '测试村3组3号',
      '向测试村村民委员会办公室（电话0793-1234567）反映',
      '按程序报乡镇复核、县级审批',
      '测试村村民委员会',
      '2025年2月28日',
      '第1页共1页',
    ])
      expect(flat).toContain(s);
    // Causes and categories say why a household is at risk (F4 is a serious illness): never on a notice.
    expect(flat).not.toMatch(/F\d|大病|边缘易致贫户/);
    expect(text).not.toContain('case-'); // case ids are not for the notice board
    expect(title).toBe('测试村相对贫困户识别公示');
  });

  it('says exit in the title and text of an exit notice', async () => {
    const { text } = await parse(await renderNoticePdf(notice(2, { kind: 'exit', endDate: '2025-03-07' })));
    const flat = withoutSpace(text);
    expect(flat).toContain('相对贫困户退出公示');
    expect(flat).toContain('以下2户3人拟退出相对贫困户');
    expect(flat).toContain('共7天');
    expect(flat).toContain('按程序办理退出');
  });

  it('runs 80 households over pages, repeating the header and numbering every page', async () => {
    const { pages } = await parse(await renderNoticePdf(notice(80)));
    expect(pages).toHaveLength(4); // the layout's known result for these rows; changes with the layout
    pages.forEach((page, p) => {
      const flat = withoutSpace(page);
      expect(flat).toContain(`第${p + 1}页共${pages.length}页`);
      // Every page holding rows starts them under the repeated header (the last may hold only the signature).
      if (/\d+[赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许]/.test(flat)) {
        expect(flat).toContain('序号户主姓名家庭住址');
        if (p > 0) expect(flat).toContain('相对贫困户识别公示（续）');
      }
    });
    // Each household exactly once, in order, across the pages.
    const all = withoutSpace(pages.join(''));
    let last = -1;
    for (let i = 0; i < 80; i++) {
      const row = `${i + 1}${entry(i).headName}${entry(i).address}`; // 序号, name and address, side by side
      const at = all.indexOf(row);
      expect(at).toBeGreaterThan(last);
      expect(all.indexOf(row, at + 1)).toBe(-1);
      last = at;
    }
    expect(withoutSpace(pages.at(-1)!)).toContain('2025年2月28日');
  });

  it('cuts a cell too tall for a page with an ellipsis', async () => {
    const long = { ...entry(1), address: '很长的地址'.repeat(600) };
    const { pages } = await parse(await renderNoticePdf(notice(0, { entries: [entry(0), long, entry(2)] })));
    expect(pages).toHaveLength(3); // row 1 | the long row, alone and cut | row 3 and the closing text
    pages.forEach((page, p) => expect(withoutSpace(page)).toContain(`第${p + 1}页共3页`));
    expect(withoutSpace(pages[1]!)).toMatch(/钱秀英1(很长的地址)+[很长的地址]{0,4}…2/);
    expect(withoutSpace(pages[2]!)).toMatch(/3孙桂兰2测试村3组3号3/);
  });

  it('never prints an ID number or mobile number put into any free-text field', async () => {
    const id = syntheticIdNumber(42, '1970-05-06');
    const mobile = '13912345678';
    const e = { ...entry(0), headName: `李四${id}`, address: `测试村1组 ${id} 电话${mobile}` };
    const pdf = await renderNoticePdf(
      notice(0, {
        entries: [e, entry(1)],
        villageCode: id,
        villageName: `测试村${id}`,
        townshipName: `示例镇${id}`,
        countyName: `样本县${id}`,
        objectionContact: `村委会（${mobile}，${id}）`,
        issuedBy: `测试村村民委员会${id}`,
      }),
    );
    const { text, title, author } = await parse(pdf);
    const flat = withoutSpace(text);
    expect(flat).toContain('李四******************'); // the row is there, the number is not
    expect(flat).not.toContain(id);
    expect(flat).not.toContain(id.slice(0, 17));
    expect(flat).not.toContain(mobile);
    expect(flat).not.toMatch(/\d{11}/);
    expect(`${String(title)}${String(author)}`).not.toMatch(/\d{11}/);
    expect(pdf.toString('latin1')).not.toContain(id); // nor in any uncompressed part of the file
  });

  it('gives the same bytes for the same notice', async () => {
    const [a, b] = await Promise.all([renderNoticePdf(notice(12)), renderNoticePdf(notice(12))]);
    expect(a.equals(b)).toBe(true);
  });

  it('refuses an invalid notice with an AppError naming each field', async () => {
    const bad = notice(2, { endDate: '2025-02-27' });
    bad.entries[1] = { ...bad.entries[1]!, persons: 0 };
    const err = await renderNoticePdf(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).issues.map((i) => i.field)).toEqual(['endDate', 'entries[1].persons']);
    await expect(renderNoticePdf(notice(0))).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('renders 500 households (time printed, not asserted)', async () => {
    await renderNoticePdf(notice(1)); // fonts read once per process, not part of the measure
    const started = performance.now();
    const pdf = await renderNoticePdf(notice(500));
    const ms = performance.now() - started;
    console.log(`notice-pdf: 500 households rendered in ${ms.toFixed(0)} ms, ${(pdf.length / 1024).toFixed(0)} KiB`);
    const { pages } = await parse(pdf);
    expect(withoutSpace(pages.at(-1)!)).toContain(`第${pages.length}页共${pages.length}页`);
    expect(withoutSpace(pages.join(''))).toContain(entry(499).headName);
  });
});
