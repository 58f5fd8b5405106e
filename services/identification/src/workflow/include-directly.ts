import type { identificationV1 } from '@shouwang/contracts';
import {
  AppError,
  auditActorOf,
  requireInScope,
  requirePermission,
  type FieldIssue,
  type Identity,
} from '@shouwang/kit';
import { policyStartDate } from '@shouwang/domain';
import { CaseStore, type CaseDoc } from './case-store';
import { caseOpen, createCase } from './case-transitions';
import { householdFacts, noteIssue } from './case-documents';
import { alreadyIdentified } from './identifications';
import { categoryAndCauses, reserveQuota } from './approve-case';
import type { WorkflowDeps } from './workflow-deps';
import { householdNotFound, required } from './workflow-errors';

/**
 * A household already in the national system (已经录入系统的, nationalSystemId set) is included by one
 * county action instead of the five steps, and still counts against the quota (DOMAIN.md §6). The case
 * is created approved, with one step include_directly.
 */
export async function includeDirectly(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.IncludeDirectlyRequest,
): Promise<CaseDoc> {
  requirePermission(who, 'cases.include_directly');
  const issues = [
    req.householdId ? undefined : required('householdId', '农户'),
    noteIssue('note', req.note),
    noteIssue('overrideReason', req.overrideReason),
  ].filter((i): i is FieldIssue => i !== undefined);
  if (issues.length) throw AppError.invalid(issues);
  const household = await deps.households.get(req.householdId);
  if (!household) throw householdNotFound();
  requireInScope(who, household.areaCode, 'household');
  if (!household.nationalSystemId)
    throw new AppError('invalid_argument', 'the household is not in the national system (no nationalSystemId)', {
      code: 'not_in_national_system',
      field: 'householdId',
      messageZh: '该农户未录入全国系统，须按认定程序办理',
    });
  const status = await deps.identifications.get(household._id);
  if (status?.status === 'identified') throw alreadyIdentified(status.caseId);
  const open = await deps.cases.openCaseOf('identification', household._id);
  if (open) throw caseOpen(open._id);

  const facts = householdFacts(household);
  const { category, causes } = await categoryAndCauses(deps, who, household);
  const id = CaseStore.newId();
  const overrideReason = req.overrideReason.trim();
  const { override } = await reserveQuota(
    deps,
    { countyCode: facts.countyCode, householdId: household._id, caseId: id, persons: facts.persons },
    overrideReason,
  );
  const now = deps.clock.now().toISOString();
  const startDate = policyStartDate(deps.clock.today());
  let created: CaseDoc;
  try {
    created = await createCase(
      deps,
      who,
      {
        _id: id,
        kind: 'identification',
        householdId: household._id,
        areaCode: household.areaCode,
        countyCode: facts.countyCode,
        headName: facts.headName,
        address: facts.address,
        persons: facts.persons,
        state: 'approved',
        origin: 'national_system',
        warningId: '',
        commitmentSigned: false,
        assetCheckAuthorised: false,
        submittedAt: now,
        dueOn: '',
        notice: null,
        objections: [],
        category,
        causes,
        policyStartDate: startDate,
        overrideReason: override ? overrideReason : '',
        reason: '',
        vote: null,
        quarter: '',
        informedOn: '',
        documents: [],
      },
      { action: 'include_directly', note: req.note.trim() },
    );
  } catch (err) {
    await deps.quota.release(facts.countyCode, household._id, id);
    throw err;
  }
  await deps.identifications.identify(
    {
      householdId: household._id,
      areaCode: household.areaCode,
      countyCode: facts.countyCode,
      caseId: id,
      category,
      causes,
      persons: facts.persons,
      policyStartDate: startDate,
      direct: true,
    },
    auditActorOf(who),
  );
  return created;
}
