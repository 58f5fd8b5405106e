import { readFile } from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { AppError, type FieldIssue } from '@shouwang/kit';
import { isValidDate } from '@shouwang/domain';
import { maskPersonalNumbers } from './mask-personal-numbers';

// The printable public notice (公示) of DOMAIN.md §6 and §7 for the village notice board: a pure
// rendering of the input below to an A4 PDF. The input has no ID number, phone, bank or health field,
// by design — not even the causes (F4 is a serious illness) or the category; free text is masked
// again before printing (mask-personal-numbers.ts).

export interface NoticeEntry {
  /** Identifies the entry for the caller; never printed. */
  caseId: string;
  headName: string;
  address: string;
  persons: number;
}

export interface PublicNotice {
  kind: 'identification' | 'exit'; // 相对贫困户识别公示 | 相对贫困户退出公示
  villageCode: string;
  villageName: string;
  townshipName: string;
  countyName: string;
  startDate: string; // YYYY-MM-DD inclusive
  endDate: string;
  entries: NoticeEntry[];
  /** Where and how to object: an office and the office's phone, never a person's. */
  objectionContact: string;
  /** e.g. 某某村民委员会 */
  issuedBy: string;
  issuedOn: string; // YYYY-MM-DD
}

const TITLE: Record<PublicNotice['kind'], string> = {
  identification: '相对贫困户识别公示',
  exit: '相对贫困户退出公示',
};

// Noto Sans SC (SIL OFL 1.1), resolved inside node_modules so it is found wherever the service runs,
// the Docker image included. pdfkit embeds only the glyphs a notice uses.
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
} as const;
type FontName = keyof typeof FONT_FILES;

let fontsLoading: Promise<Record<FontName, Buffer>> | undefined;
/** Both fonts (about 10 MB each), read once per process. */
function loadFonts(): Promise<Record<FontName, Buffer>> {
  fontsLoading ??= Promise.all([
    readFile(require.resolve(FONT_FILES.regular)),
    readFile(require.resolve(FONT_FILES.bold)),
  ]).then(([regular, bold]) => ({ regular, bold }));
  fontsLoading.catch(() => (fontsLoading = undefined));
  return fontsLoading;
}

// A4 in points; the table spans the text width.
const MARGIN = { top: 56, bottom: 56, left: 50, right: 50 };
const PAGE = { width: 595.28, height: 841.89 };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const TABLE_BOTTOM = PAGE.height - MARGIN.bottom;
const CELL_PAD = 4;
const SIZE = { title: 20, subtitle: 12, body: 11.5, table: 10, footer: 9 };
const LINE_GAP = { body: 4, table: 1 };

interface Column {
  header: string;
  width: number;
  align: 'left' | 'center';
  cell: (entry: NoticeEntry, index: number) => string;
}
const COLUMNS: readonly Column[] = [
  { header: '序号', width: 40, align: 'center', cell: (_, i) => String(i + 1) },
  { header: '户主姓名', width: 100, align: 'center', cell: (e) => maskPersonalNumbers(e.headName) },
  { header: '家庭住址', width: TEXT_WIDTH - 200, align: 'left', cell: (e) => maskPersonalNumbers(e.address) },
  { header: '家庭人口', width: 60, align: 'center', cell: (e) => String(e.persons) },
];

const HEADERS = COLUMNS.map((c) => c.header);

/** "2025年3月1日" */
function dateZh(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function daysInclusive(start: string, end: string): number {
  return (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000 + 1;
}

function validate(n: PublicNotice): void {
  const issues: FieldIssue[] = [];
  const issue = (field: string, code: string, message: string, messageZh: string) =>
    issues.push({ field, code, message, messageZh });
  if (!(n.kind in TITLE)) issue('kind', 'invalid_enum', 'must be identification or exit', '须为识别或退出公示');
  const texts = ['villageName', 'townshipName', 'countyName', 'objectionContact', 'issuedBy'] as const;
  for (const f of texts) if (!n[f]?.trim()) issue(f, 'required', 'is required', '不能为空');
  for (const f of ['startDate', 'endDate', 'issuedOn'] as const)
    if (!isValidDate(n[f])) issue(f, 'invalid_date', 'must be a date YYYY-MM-DD', '须为日期 YYYY-MM-DD');
  if (isValidDate(n.startDate) && isValidDate(n.endDate) && n.endDate < n.startDate)
    issue('endDate', 'before_start', 'must not be before startDate', '公示结束日期不能早于开始日期');
  if (n.entries.length === 0) issue('entries', 'required', 'a notice needs at least one household', '公示至少应有一户');
  n.entries.forEach((e, i) => {
    const at = `entries[${i}]`;
    if (!e.headName?.trim()) issue(`${at}.headName`, 'required', 'is required', '不能为空');
    if (!e.address?.trim()) issue(`${at}.address`, 'required', 'is required', '不能为空');
    if (!Number.isInteger(e.persons) || e.persons < 1)
      issue(`${at}.persons`, 'invalid_number', 'must be a whole number of at least 1', '须为不小于1的整数');
  });
  if (issues.length) throw AppError.invalid(issues, 'the public notice has invalid fields');
}

/** Renders the notice as an A4 PDF; throws AppError (invalid_argument) for an invalid notice. */
export async function renderNoticePdf(notice: PublicNotice): Promise<Buffer> {
  validate(notice);
  const fonts = await loadFonts();
  const title = TITLE[notice.kind];
  const village = maskPersonalNumbers(notice.villageName);
  const issuedBy = maskPersonalNumbers(notice.issuedBy);

  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    // Fixed metadata (the creation date is the issue date) makes the same notice the same bytes.
    info: {
      Title: `${village}${title}`,
      Author: issuedBy,
      Creator: '守望 Shouwang',
      CreationDate: new Date(`${notice.issuedOn}T00:00:00+08:00`),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);

  // Heading and the announcement.
  const area = [notice.countyName, notice.townshipName, notice.villageName].map(maskPersonalNumbers).join(' ');
  doc.font('bold').fontSize(SIZE.title).text(title, { align: 'center' });
  doc.moveDown(0.3).font('regular').fontSize(SIZE.subtitle).text(area, { align: 'center' });
  const households = notice.entries.length;
  const persons = notice.entries.reduce((sum, e) => sum + e.persons, 0);
  const days = daysInclusive(notice.startDate, notice.endDate);
  const period = `公示期为${dateZh(notice.startDate)}至${dateZh(notice.endDate)}，共${days}天。`;
  const announcement =
    notice.kind === 'identification'
      ? `根据相对贫困监测帮扶工作有关规定，经农户申请、村级核实，拟将以下${households}户${persons}人认定为相对贫困户，现予以公示。${period}`
      : `经村级集中研判和村民代表大会评议，以下${households}户${persons}人拟退出相对贫困户，现予以公示。${period}`;
  doc
    .moveDown(1)
    .fontSize(SIZE.body)
    .text(announcement, MARGIN.left, doc.y, {
      width: TEXT_WIDTH,
      indent: SIZE.body * 2,
      lineGap: LINE_GAP.body,
    });
  doc.moveDown(0.8);

  // The table, its header row repeated on every page it runs onto.
  let y = drawRow(doc, HEADERS, doc.y, true);
  notice.entries.forEach((entry, i) => {
    const cells = COLUMNS.map((c) => c.cell(entry, i));
    if (y + rowHeight(doc, cells, false) > TABLE_BOTTOM) {
      doc.addPage();
      doc.font('regular').fontSize(SIZE.footer).text(`${title}（续）`, MARGIN.left, MARGIN.top, { width: TEXT_WIDTH });
      y = drawRow(doc, HEADERS, doc.y + 6, true);
    }
    y = drawRow(doc, cells, y, false);
  });

  // How to object, then the issuer and date, kept together at the foot.
  const next =
    notice.kind === 'identification'
      ? '公示期满无异议的，按程序报乡镇复核、县级审批。'
      : '公示期满无异议的，按程序办理退出。';
  const objection = `公示期间，如对公示对象有异议，请以书面或口头形式向${maskPersonalNumbers(notice.objectionContact)}反映。${next}`;
  doc.font('regular').fontSize(SIZE.body);
  doc.text(objection, MARGIN.left, y + 16, { width: TEXT_WIDTH, indent: SIZE.body * 2, lineGap: LINE_GAP.body });
  const signature = [issuedBy, dateZh(notice.issuedOn)];
  const signatureHeight = 24 + signature.length * (doc.currentLineHeight(true) + LINE_GAP.body);
  if (doc.y + signatureHeight > TABLE_BOTTOM) doc.addPage();
  doc.moveDown(1.5);
  for (const line of signature) doc.text(line, MARGIN.left, doc.y, { width: TEXT_WIDTH, align: 'right' });

  // Page numbers, written into the bottom margin (which pdfkit would otherwise treat as "page full").
  const pages = doc.bufferedPageRange();
  const code = maskPersonalNumbers(notice.villageCode);
  for (let p = 0; p < pages.count; p++) {
    doc.switchToPage(pages.start + p);
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(SIZE.footer)
      .text(`${village}（${code}）  第 ${p + 1} 页 共 ${pages.count} 页`, MARGIN.left, PAGE.height - 36, {
        width: TEXT_WIDTH,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = MARGIN.bottom;
  }
  doc.end();
  return done;
}

/** Cell text options; a row is never taller than a page body, longer text ends in an ellipsis. */
function cellOptions(column: Column, header: boolean, height?: number): PDFKit.Mixins.TextOptions {
  const align = header ? 'center' : column.align;
  return { width: column.width - 2 * CELL_PAD, align, lineGap: LINE_GAP.table, height, ellipsis: true };
}

function rowHeight(doc: PDFKit.PDFDocument, cells: readonly string[], header: boolean): number {
  doc.font(header ? 'bold' : 'regular').fontSize(SIZE.table);
  const tallest = Math.max(...cells.map((text, i) => doc.heightOfString(text, cellOptions(COLUMNS[i]!, header))));
  return Math.min(tallest + 2 * CELL_PAD, TABLE_BOTTOM - MARGIN.top - 60);
}

/** Draws one row with its borders at y; returns the y below it. */
function drawRow(doc: PDFKit.PDFDocument, cells: readonly string[], y: number, header: boolean): number {
  const height = rowHeight(doc, cells, header);
  let x = MARGIN.left;
  cells.forEach((text, i) => {
    const column = COLUMNS[i]!;
    doc.lineWidth(0.5).rect(x, y, column.width, height);
    if (header) doc.fillAndStroke('#eeeeee', '#000000').fillColor('#000000');
    else doc.stroke();
    doc.text(text, x + CELL_PAD, y + CELL_PAD, cellOptions(column, header, height - 2 * CELL_PAD));
    x += column.width;
  });
  return y + height;
}
