import { Router, type Response } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { identificationV1, monitoringV1 } from '@shouwang/contracts';
import { AppError, type Identity, type Logger, type PromiseClient } from '@shouwang/kit';
import { EXIT_STATES, IDENTIFICATION_STATES, voteProblems, type VoteCount } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';
import { versionOf } from './households';
import { warningJson } from './warnings';
import {
  areaQuery,
  bodyOf,
  dateField,
  enumField,
  idField,
  invalid,
  notFound,
  pageJson,
  pageQuery,
  queryText,
  RECORD_ID,
  textField,
} from './workflow-input';

type Workflow = PromiseClient<identificationV1.WorkflowServiceClient>;

/**
 * A case as the API returns it: the proto message in camelCase with every field present (proto
 * defaults kept, so a client never guesses whether "" means unset), notice and vote null when absent.
 */
export function caseJson(c: identificationV1.Case): Record<string, unknown> {
  return { ...c, notice: c.notice ?? null, vote: c.vote ?? null };
}

/** Answers with the case and its version as the ETag (the If-Match of the next action). */
export function sendCase(res: Response, c: identificationV1.Case | undefined, status = 200): void {
  res
    .status(status)
    .set('ETag', `"${c!.version}"`)
    .json({ case: caseJson(c!) });
}

const CASE = { en: 'case', zh: '案件' };
export const caseNotFound = () => notFound('case', 'case_not_found', '未找到该案件');

export function caseIdOf(raw: unknown): string {
  const id = String(raw);
  if (!RECORD_ID.test(id)) throw caseNotFound();
  return id;
}

/** The version the caller read, from If-Match or the body's `version` (428 when neither is sent). */
export function caseVersionOf(ifMatch: string | undefined, body: Record<string, unknown>): number {
  return versionOf(ifMatch, body.version, CASE);
}

/** Actions taken through POST /cases/{id}/actions; objections and the vote have their own routes. */
export const ACT_ACTIONS = [
  'verify',
  'close_notice',
  'review',
  'approve',
  'reject',
  'return',
  'resubmit',
  'inform',
] as const;
const DOCUMENT_KINDS = ['commitment', 'asset_check_authorisation', 'vote_minutes', 'other'] as const;

function documentsOf(raw: unknown): identificationV1.CaseDocument[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > 20)
    throw invalid('documents', 'invalid_type', 'must be an array of at most 20 documents', '须为不超过20份材料的数组');
  return raw.map((d, i) => {
    const doc = bodyOf(d, ['kind', 'reference']);
    const at = (f: string) => `documents[${i}].${f}`;
    const kind = enumField({ [at('kind')]: doc.kind }, at('kind'), DOCUMENT_KINDS, true);
    const reference = textField({ [at('reference')]: doc.reference }, at('reference'), { required: true, max: 200 });
    return { kind, reference, recordedBy: '', recordedAt: '' };
  });
}

function mustBeTrue(body: Record<string, unknown>, field: string, en: string, zh: string): void {
  if (body[field] === undefined) throw invalid(field, 'required', `${en} is required`, `须${zh}`);
  if (typeof body[field] !== 'boolean')
    throw invalid(field, 'invalid_type', 'must be true or false', '须为true或false');
  if (body[field] !== true) throw invalid(field, 'required', `${en} is required to submit`, `申请须${zh}`);
}

/**
 * The identification procedure (DOMAIN.md §6) and the steps every case shares: applications, direct
 * inclusion, the case list and page, actions, objections, the exit vote, and a household's
 * identification status. The identification service decides who may act and what the state allows.
 */
export function casesRouter(deps: {
  workflow: Workflow;
  monitoring: PromiseClient<monitoringV1.MonitoringServiceClient>;
  callAs: (who: Identity) => Promise<Metadata>;
  logger: Logger;
}): Router {
  const { workflow, monitoring, callAs, logger } = deps;
  const router = Router();

  /** 农户申请: a village cadre opens an application, from a warning or on the household's own request. */
  router.post('/applications', authorize('cases.submit'), async (req, res) => {
    const user = currentUser(res.locals);
    const body = bodyOf(req.body, [
      'householdId',
      'origin',
      'warningId',
      'commitmentSigned',
      'assetCheckAuthorised',
      'documents',
    ]);
    const householdId = idField(body, 'householdId');
    const origin = enumField(body, 'origin', ['household_request', 'warning'] as const, true);
    const warningId = origin === 'warning' ? idField(body, 'warningId') : textField(body, 'warningId', { max: 64 });
    if (origin !== 'warning' && warningId)
      throw invalid('warningId', 'not_allowed', 'only for origin warning', '仅预警转入的申请可填写预警编号');
    mustBeTrue(body, 'commitmentSigned', 'the signed commitment (承诺书)', '签订承诺书');
    mustBeTrue(body, 'assetCheckAuthorised', "the household's authorisation of asset checks", '农户授权核查家庭资产');
    const documents = documentsOf(body.documents);
    const idempotencyKey = req.get('idempotency-key') ?? '';
    if (idempotencyKey.length > 200)
      throw invalid('Idempotency-Key', 'too_long', 'at most 200 characters', '不超过200个字符');
    const metadata = await callAs(user);
    let fromWarning: monitoringV1.Warning | undefined;
    if (warningId) {
      // The warning must be this household's and still open: otherwise the conversion below would
      // link a case to the wrong warning, or fail after the case exists. Already converted is fine
      // only for a retry (same Idempotency-Key), which the service answers with the first case.
      const { warnings } = await monitoring.listWarnings(
        { householdId, areaCode: '', cause: '', source: '', status: '', pageSize: 200, pageToken: '' },
        { metadata },
      );
      fromWarning = warnings.find((x) => x.id === warningId);
      if (!fromWarning)
        throw invalid('warningId', 'warning_not_found', 'no such warning of this household', '该农户没有此预警');
      const usable = ['open', 'acknowledged', ...(idempotencyKey ? ['converted'] : [])];
      if (!usable.includes(fromWarning.status))
        throw new AppError('conflict', `the warning is ${fromWarning.status}, not open`, {
          code: 'warning_not_open',
          field: 'warningId',
          messageZh: '该预警已处置，不能转为申请',
          details: { status: fromWarning.status },
        });
    }
    const { case: created } = await workflow.submitApplication(
      {
        householdId,
        origin,
        warningId,
        commitmentSigned: true,
        assetCheckAuthorised: true,
        documents,
        idempotencyKey,
      },
      { metadata },
    );
    let warning: Record<string, unknown> | null = null;
    if (fromWarning?.status === 'converted' && fromWarning.applicationId === created!.id) {
      warning = warningJson(fromWarning);
    } else if (fromWarning) {
      // The case stands whatever happens here; a warning left unconverted is converted later
      // (POST /warnings/{id}/convert) and a retry with the same Idempotency-Key converts it again.
      try {
        const r = await monitoring.convertWarning({ id: warningId, applicationId: created!.id }, { metadata });
        warning = warningJson(r.warning!);
      } catch (err) {
        logger.warn(
          { warningId, caseId: created!.id, code: err instanceof AppError ? err.code : 'internal' },
          'application created but its warning was not converted',
        );
      }
    }
    res.location(`/api/v1/cases/${created!.id}`);
    res
      .status(201)
      .set('ETag', `"${created!.version}"`)
      .json({ case: caseJson(created!), warning });
  });

  /** 已经录入系统的: a county officer includes a household of the national system directly. */
  router.post('/direct-inclusions', authorize('cases.include_directly'), async (req, res) => {
    const user = currentUser(res.locals);
    const body = bodyOf(req.body, ['householdId', 'note', 'overrideReason']);
    const r = await workflow.includeDirectly(
      {
        householdId: idField(body, 'householdId'),
        note: textField(body, 'note'),
        overrideReason: textField(body, 'overrideReason'),
      },
      { metadata: await callAs(user) },
    );
    res.location(`/api/v1/cases/${r.case!.id}`);
    sendCase(res, r.case, 201);
  });

  router.get('/cases', authorize('cases.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const kind = queryText(req.query, 'kind');
    if (kind && kind !== 'identification' && kind !== 'exit')
      throw invalid('kind', 'invalid_enum', 'must be identification or exit', '须为identification或exit');
    const state = queryText(req.query, 'state');
    const states: readonly string[] =
      kind === 'identification'
        ? IDENTIFICATION_STATES
        : kind === 'exit'
          ? EXIT_STATES
          : [...IDENTIFICATION_STATES, ...EXIT_STATES];
    if (state && !states.includes(state))
      throw invalid('state', 'invalid_enum', `must be one of ${states.join(', ')}`, '不是该类案件的状态');
    const late = queryText(req.query, 'late');
    if (late && late !== 'true' && late !== 'false')
      throw invalid('late', 'invalid_type', 'must be true or false', '须为true或false');
    const householdId = queryText(req.query, 'householdId', 64);
    if (householdId && !RECORD_ID.test(householdId))
      throw invalid('householdId', 'invalid_id', 'is not a valid id', '编号格式不正确');
    const page = await workflow.listCases(
      {
        areaCode: areaQuery(req.query),
        kind,
        state,
        lateOnly: late === 'true',
        householdId,
        ...pageQuery(req.query),
      },
      { metadata: await callAs(user) },
    );
    res.json(pageJson('cases', page.cases.map(caseJson), page));
  });

  router.get('/cases/:id', authorize('cases.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const r = await workflow.getCase({ id: caseIdOf(req.params.id) }, { metadata: await callAs(user) });
    sendCase(res, r.case);
  });

  /** One step of the procedure over the version read: verify, close_notice, review, approve, reject, return, resubmit, inform. */
  router.post('/cases/:id/actions', authorize('cases.act'), async (req, res) => {
    const user = currentUser(res.locals);
    const id = caseIdOf(req.params.id);
    const body = bodyOf(req.body, ['action', 'reason', 'overrideReason', 'note', 'version']);
    const action = enumField(body, 'action', ACT_ACTIONS, true);
    const needsReason = action === 'reject' || action === 'return';
    const reason = textField(body, 'reason', { required: needsReason });
    const expectedVersion = caseVersionOf(req.get('if-match'), body);
    const r = await workflow.actOnCase(
      {
        id,
        expectedVersion,
        action,
        reason,
        overrideReason: textField(body, 'overrideReason'),
        note: textField(body, 'note'),
      },
      { metadata: await callAs(user) },
    );
    sendCase(res, r.case);
  });

  /** An objection lodged during the public notice (recorded by the village cadre). */
  router.post('/cases/:id/objections', authorize('cases.act'), async (req, res) => {
    const user = currentUser(res.locals);
    const caseId = caseIdOf(req.params.id);
    const body = bodyOf(req.body, ['summary', 'lodgedOn', 'version']);
    const summary = textField(body, 'summary', { required: true });
    const lodgedOn = dateField(body, 'lodgedOn', false);
    const expectedVersion = caseVersionOf(req.get('if-match'), body);
    const r = await workflow.lodgeObjection(
      { caseId, expectedVersion, summary, lodgedOn },
      { metadata: await callAs(user) },
    );
    sendCase(res, r.case, 201);
  });

  /** upheld ends the case (application rejected, exit retained); dismissed lets it go on. */
  router.post('/cases/:id/objections/:objectionId/resolution', authorize('cases.act'), async (req, res) => {
    const user = currentUser(res.locals);
    const caseId = caseIdOf(req.params.id);
    const objectionId = String(req.params.objectionId);
    if (!RECORD_ID.test(objectionId)) throw notFound('objection', 'objection_not_found', '未找到该异议');
    const body = bodyOf(req.body, ['resolution', 'note', 'version']);
    const resolution = enumField(body, 'resolution', ['upheld', 'dismissed'] as const, true);
    const note = textField(body, 'note', { required: true });
    const expectedVersion = caseVersionOf(req.get('if-match'), body);
    const r = await workflow.resolveObjection(
      { caseId, expectedVersion, objectionId, resolution, note },
      { metadata: await callAs(user) },
    );
    sendCase(res, r.case);
  });

  /** The village representative assembly's vote on an exit (DOMAIN.md §7). */
  router.post('/cases/:id/vote', authorize('cases.act'), async (req, res) => {
    const user = currentUser(res.locals);
    const caseId = caseIdOf(req.params.id);
    const body = bodyOf(req.body, [
      'members',
      'present',
      'votesFor',
      'votesAgainst',
      'abstentions',
      'heldOn',
      'minutesReference',
      'version',
    ]);
    const counts = {
      members: body.members,
      present: body.present,
      votesFor: body.votesFor,
      votesAgainst: body.votesAgainst,
      abstentions: body.abstentions ?? 0,
    } as VoteCount;
    const problems = voteProblems(counts);
    if (problems.length)
      throw AppError.invalid(
        problems.map((p) => ({ field: p.field, code: p.code, message: p.message, messageZh: p.messageZh })),
      );
    const heldOn = dateField(body, 'heldOn', true);
    const minutesReference = textField(body, 'minutesReference', { required: true, max: 200 });
    const expectedVersion = caseVersionOf(req.get('if-match'), body);
    const r = await workflow.recordVote(
      { caseId, expectedVersion, vote: { ...counts, heldOn, quorum: false, passed: false }, minutesReference },
      { metadata: await callAs(user) },
    );
    sendCase(res, r.case);
  });

  /** Whether a household is identified (相对贫困户), since when, with which category and causes. */
  router.get('/households/:id/identification', authorize('households.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const householdId = String(req.params.id);
    if (!RECORD_ID.test(householdId)) throw notFound('household', 'household_not_found', '未找到该农户');
    const r = await workflow.getIdentification({ householdId }, { metadata: await callAs(user) });
    res.json({ identification: r.identification ?? null });
  });

  return router;
}
