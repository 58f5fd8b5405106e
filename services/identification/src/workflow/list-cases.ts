import type { identificationV1 } from '@shouwang/contracts';
import {
  AppError,
  keysetToken,
  pageRequest,
  requireInScope,
  requirePermission,
  type FieldIssue,
  type Identity,
  notOneOf,
} from '@shouwang/kit';
import { areaLevel, CASE_KINDS, EXIT_STATES, IDENTIFICATION_STATES, isWithin, type CaseKind } from '@shouwang/domain';
import type { CaseDoc } from './case-store';
import type { WorkflowDeps } from './workflow-deps';
import { caseNotFound } from './workflow-errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
const HOUSEHOLD_ID = /^[\w-]{1,64}$/;

/** Cases of an area and below, newest first, filtered, one keyset page at a time. */
export async function listCases(
  deps: Pick<WorkflowDeps, 'cases' | 'clock'>,
  who: Identity,
  req: identificationV1.ListCasesRequest,
): Promise<{ docs: CaseDoc[]; nextPageToken: string; total: number }> {
  requirePermission(who, 'cases.read');
  const issues: FieldIssue[] = [];
  const areaCode = req.areaCode || who.areaCode;
  if (!areaLevel(areaCode))
    issues.push({
      field: 'areaCode',
      code: 'invalid_area',
      message: 'not an area code',
      messageZh: '不是有效的区划代码',
    });
  if (req.kind && !(CASE_KINDS as readonly string[]).includes(req.kind))
    issues.push(notOneOf('kind', CASE_KINDS, '案件类型'));
  const states: readonly string[] =
    req.kind === 'identification'
      ? IDENTIFICATION_STATES
      : req.kind === 'exit'
        ? EXIT_STATES
        : [...IDENTIFICATION_STATES, ...EXIT_STATES];
  if (req.state && !states.includes(req.state)) issues.push(notOneOf('state', states, '案件状态'));
  if (req.householdId && !HOUSEHOLD_ID.test(req.householdId))
    issues.push({
      field: 'householdId',
      code: 'invalid_id',
      message: 'is not a household id',
      messageZh: '农户编号无效',
    });
  const page = pageRequest(req, { defaultSize: DEFAULT_PAGE_SIZE, maxSize: MAX_PAGE_SIZE }, ({ key, id }) => ({
    submittedAt: key,
    id,
  }));
  issues.push(...page.issues);
  const { size, after } = page;
  if (issues.length) throw AppError.invalid(issues);
  // Outside the caller's area there is nothing to list (and nothing to tell about).
  if (!isWithin(who.areaCode, areaCode)) return { docs: [], nextPageToken: '', total: 0 };

  const { docs, total } = await deps.cases.list(
    {
      areaPrefix: areaCode,
      kind: (req.kind || undefined) as CaseKind | undefined,
      state: req.state || undefined,
      householdId: req.householdId || undefined,
      lateOn: req.lateOnly ? deps.clock.today() : undefined,
    },
    { size, after },
  );
  const last = docs.at(-1);
  return {
    docs,
    nextPageToken: last && docs.length === size ? keysetToken(last.submittedAt, last._id) : '',
    total,
  };
}

export async function getCase(deps: Pick<WorkflowDeps, 'cases'>, who: Identity, id: string): Promise<CaseDoc> {
  requirePermission(who, 'cases.read');
  const doc = id ? await deps.cases.get(id) : null;
  if (!doc) throw caseNotFound();
  requireInScope(who, doc.areaCode, 'case');
  return doc;
}
