import type { identificationV1 } from '@shouwang/contracts';
import { AppError, requireInScope, requirePermission, type FieldIssue, type Identity, notOneOf } from '@shouwang/kit';
import { decisionDueOn } from '@shouwang/domain';
import { CaseStore, type CaseDoc } from './case-store';
import { caseOpen, createCase } from './case-transitions';
import { documentsFrom, householdFacts } from './case-documents';
import { alreadyIdentified } from './identifications';
import type { WorkflowDeps } from './workflow-deps';
import { conflict, householdNotFound, required } from './workflow-errors';

const ORIGINS = ['household_request', 'warning'] as const;
const WARNING_ID = /^[\w-]{1,64}$/;

/**
 * A village cadre opens an application (农户申请, or from a warning): DOMAIN.md §6 needs the signed
 * commitment (承诺书) and the household's authorisation of asset checks. The case starts at village
 * verification, due for the county decision `decisionDays` after today.
 */
export async function submitApplication(
  deps: WorkflowDeps,
  who: Identity,
  req: identificationV1.SubmitApplicationRequest,
): Promise<CaseDoc> {
  requirePermission(who, 'cases.submit');
  const issues: FieldIssue[] = [];
  if (!req.householdId) issues.push(required('householdId', '农户'));
  if (!(ORIGINS as readonly string[]).includes(req.origin)) issues.push(notOneOf('origin', ORIGINS, '申请来源'));
  if (req.origin === 'warning' && !WARNING_ID.test(req.warningId)) issues.push(required('warningId', '预警编号'));
  if (req.origin !== 'warning' && req.warningId)
    issues.push({
      field: 'warningId',
      code: 'not_allowed',
      message: 'only an application from a warning names a warning',
      messageZh: '仅由预警转入的申请可填写预警编号',
    });
  if (!req.commitmentSigned)
    issues.push({
      field: 'commitmentSigned',
      code: 'commitment_required',
      message: 'the household must sign the commitment (承诺书) first',
      messageZh: '农户须先签署承诺书',
    });
  if (!req.assetCheckAuthorised)
    issues.push({
      field: 'assetCheckAuthorised',
      code: 'authorisation_required',
      message: "the household's authorisation of asset checks is required",
      messageZh: '须有农户授权核查家庭资产的授权书',
    });
  const at = deps.clock.now().toISOString();
  const { documents, issues: docIssues } = documentsFrom(req.documents, who, at);
  issues.push(...docIssues);
  if (issues.length) throw AppError.invalid(issues);

  const id = CaseStore.newId(req.idempotencyKey ? `${who.userId}:${req.idempotencyKey}` : undefined);
  // A retry of a submission that went through answers with that case.
  const earlier = req.idempotencyKey ? await deps.cases.get(id) : null;
  if (earlier) {
    requireInScope(who, earlier.areaCode, 'case');
    return earlier;
  }

  const household = await deps.households.get(req.householdId);
  if (!household) throw householdNotFound();
  requireInScope(who, household.areaCode, 'household');
  if (household.povertyStatus === 'registered_poor')
    throw conflict(
      'already_registered_poor',
      'the household is a registered poor household (建档立卡) and is assisted as one',
      '该农户为建档立卡贫困户，不经此程序认定',
    );
  const status = await deps.identifications.get(household._id);
  if (status?.status === 'identified') throw alreadyIdentified(status.caseId);
  const open = await deps.cases.openCaseOf('identification', household._id);
  if (open) throw caseOpen(open._id);

  const policy = await deps.policies.get(household.areaCode.slice(0, 6));
  const facts = householdFacts(household);
  return createCase(
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
      state: 'village_verification',
      origin: req.origin,
      warningId: req.origin === 'warning' ? req.warningId : '',
      commitmentSigned: true,
      assetCheckAuthorised: true,
      submittedAt: at,
      dueOn: decisionDueOn(deps.clock.today(), policy.decisionDays),
      notice: null,
      objections: [],
      category: '',
      causes: [],
      policyStartDate: '',
      overrideReason: '',
      reason: '',
      vote: null,
      quarter: '',
      informedOn: '',
      documents,
    },
    { action: 'submit' },
  );
}
