import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { identificationV1 } from '@shouwang/contracts';
import { AppError, requireInScope, type Identity, type PromiseClient } from '@shouwang/kit';
import { countyName, isKnownCountyVillageCode, syntheticAreas } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';
import { renderNoticePdf, type NoticeEntry } from '../notices/notice-pdf';
import { dateField, enumField, invalid, notFound, queryText } from './workflow-input';

/** Cases read per page while collecting a village's notice, and at most this many pages. */
const PAGE = 200;
const MAX_PAGES = 10;

let names: Map<string, string> | undefined;
/**
 * Area names for the notice heading. The identification service seeds its area table from the same
 * synthetic table (until real township/village lists are imported); the console reads it the same way.
 */
function areaName(code: string): string {
  names ??= new Map(syntheticAreas().map((a) => [a.code, a.name]));
  return names.get(code) ?? countyName(code) ?? code;
}

/** The template's {village} and {township} filled in with the notice's names. */
function fillIn(template: string, village: string, township: string): string {
  return template.replaceAll('{village}', village).replaceAll('{township}', township);
}

/**
 * The printable public notice (公示, DOMAIN.md §6, §7) of a village: the cases of one kind whose notice
 * is open, as an A4 PDF for the village notice board. It shows the head's name, the address and the
 * number of persons only: never ID numbers, phones, bank or health details (the causes are features
 * such as serious illness, so they stay off the notice too).
 */
export function noticesRouter(deps: {
  workflow: PromiseClient<identificationV1.WorkflowServiceClient>;
  callAs: (who: Identity) => Promise<Metadata>;
  /** Where to object, with {village} and {township} placeholders (config NOTICE_OBJECTION_CONTACT). */
  objectionContact: string;
}): Router {
  const router = Router();

  router.get('/:file', authorize('cases.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const m = /^(\d{12})\.pdf$/.exec(String(req.params.file));
    if (!m) throw notFound('notice', 'notice_not_found', '未找到该公示');
    const villageCode = m[1]!;
    if (!isKnownCountyVillageCode(villageCode))
      throw invalid(
        'villageCode',
        'not_a_village_code',
        'must be a 12-digit village code under one of the 18 counties',
        '须为赣州市18个县（市、区）下的12位行政村代码',
      );
    requireInScope(user, villageCode, 'village');
    const kind =
      enumField({ kind: queryText(req.query, 'kind') }, 'kind', ['identification', 'exit'] as const, false) ||
      'identification';
    const wanted = dateField({ startDate: queryText(req.query, 'startDate') }, 'startDate', false);

    const metadata = await deps.callAs(user);
    const open: identificationV1.Case[] = [];
    let pageToken = '';
    for (let i = 0; i < MAX_PAGES; i++) {
      const page = await deps.workflow.listCases(
        {
          areaCode: villageCode,
          kind,
          state: 'in_notice',
          lateOnly: false,
          householdId: '',
          pageSize: PAGE,
          pageToken,
        },
        { metadata },
      );
      open.push(...page.cases.filter((c) => c.state === 'in_notice' && c.notice && !c.notice.closedAt));
      pageToken = page.nextPageToken;
      if (!pageToken) break;
    }
    // Cases verified on the same day share one notice period; one PDF shows one period, by default
    // the latest opened (startDate picks another).
    const starts = [...new Set(open.map((c) => c.notice!.startDate))].sort();
    const startDate = wanted || starts[starts.length - 1];
    const cases = open.filter((c) => c.notice!.startDate === startDate);
    if (!startDate || cases.length === 0)
      throw new AppError('not_found', 'no case of this village is in notice', {
        code: 'no_cases_in_notice',
        messageZh: '该村当前没有公示中的案件',
        details: { openPeriods: starts.join(',') },
      });
    const endDate = cases.map((c) => c.notice!.endDate).sort()[cases.length - 1]!;
    const entries: NoticeEntry[] = cases
      .sort((a, b) => a.address.localeCompare(b.address, 'zh') || a.id.localeCompare(b.id))
      .map((c) => ({ caseId: c.id, headName: c.headName, address: c.address, persons: c.persons }));
    const village = areaName(villageCode);
    const township = areaName(villageCode.slice(0, 9));
    const pdf = await renderNoticePdf({
      kind,
      villageCode,
      villageName: village,
      townshipName: township,
      countyName: areaName(villageCode.slice(0, 6)),
      startDate,
      endDate,
      entries,
      objectionContact: fillIn(deps.objectionContact, village, township),
      issuedBy: `${village}村民委员会`,
      // Posted on the notice's first day.
      issuedOn: startDate,
    });
    res
      .status(200)
      .set('Content-Type', 'application/pdf')
      .set('Content-Disposition', `inline; filename="notice-${villageCode}-${kind}-${startDate}.pdf"`)
      .set('Cache-Control', 'no-store')
      .send(pdf);
  });

  return router;
}
