import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { monitoringV1 } from '@shouwang/contracts';
import { AppError, type Identity, type PromiseClient } from '@shouwang/kit';
import { authorize, currentUser } from '../auth/middleware';

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** An assessment as the API returns it (api-spec "Monitoring"). */
export function assessmentJson(a: monitoringV1.Assessment): Record<string, unknown> {
  return {
    householdId: a.householdId,
    year: a.year,
    asOf: a.asOf,
    monitoringLine: a.monitoringLine,
    tolerance: a.tolerance,
    perCapitaIncome: a.perCapitaIncome,
    incomeBelowLine: a.incomeBelowLine,
    features: a.features,
    monitoringObject: a.monitoringObject,
    category: a.category || null,
    warnings: a.warnings,
    explanation: {
      zh: a.explanationZh,
      en: a.explanationEn,
      items: a.items.map((i) => ({ code: i.code, zh: i.zh, en: i.en, inputs: parseJson(i.inputsJson) })),
    },
    appliedFacts: a.appliedFacts,
    assessedAt: a.assessedAt,
    policyVersion: a.policyVersion,
    householdVersion: a.householdVersion,
  };
}

export function jobJson(j: monitoringV1.RescreeningJob): Record<string, unknown> {
  return {
    id: j.id,
    areaCode: j.areaCode,
    year: j.year || null,
    status: j.status,
    processed: j.processed,
    total: j.total,
    skipped: j.skipped,
    ratePerSecond: j.ratePerSecond,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt || null,
    trigger: j.trigger,
    policyVersion: j.policyVersion,
    startedBy: j.startedBy,
    runs: j.runs,
    ...(j.failure ? { failure: j.failure } : {}),
  };
}

function policyJson(p: { policyJson: string; version: number; updatedAt: string; updatedBy: string }) {
  return { policy: parseJson(p.policyJson), version: p.version, updatedAt: p.updatedAt, updatedBy: p.updatedBy };
}

const ID = /^[\w-]{1,64}$/;

/** Assessments, the assessment policy and re-screening jobs of the monitoring service. */
export function monitoringRouter(
  monitoring: PromiseClient<monitoringV1.MonitoringServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  router.get('/households/:id/assessment', authorize('warnings.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const id = String(req.params.id);
    if (!ID.test(id))
      throw new AppError('not_found', 'no assessment of this household', {
        code: 'assessment_not_found',
        messageZh: '该农户尚无评估结果',
      });
    const { assessment } = await monitoring.getAssessment({ householdId: id }, { metadata: await callAs(user) });
    const a = assessment!;
    if (a.errorCode)
      // The household is known but cannot be assessed (say, no monitoring line for its income year).
      throw new AppError('unprocessable', a.errorMessage || 'the household cannot be assessed', {
        code: a.errorCode,
        field: a.errorField || undefined,
        messageZh: a.errorMessageZh || undefined,
      });
    res.json({ assessment: assessmentJson(a) });
  });

  router.get('/policy', authorize('warnings.read'), async (_req, res) => {
    const user = currentUser(res.locals);
    res.json(policyJson(await monitoring.getPolicy({}, { metadata: await callAs(user) })));
  });

  router.put('/policy', authorize('policy.manage'), async (req, res) => {
    const user = currentUser(res.locals);
    const body = (req.body ?? {}) as { policy?: unknown; version?: unknown };
    if (!body.policy || typeof body.policy !== 'object' || Array.isArray(body.policy))
      throw AppError.invalid([
        { field: 'policy', code: 'required', message: 'the policy object is required', messageZh: '须提供政策参数' },
      ]);
    if (body.version !== undefined && (!Number.isInteger(body.version) || (body.version as number) < 1))
      throw AppError.invalid([
        { field: 'version', code: 'invalid_type', message: 'must be the version read', messageZh: '版本号无效' },
      ]);
    const r = await monitoring.updatePolicy(
      { policyJson: JSON.stringify(body.policy), expectedVersion: (body.version as number | undefined) ?? 0 },
      { metadata: await callAs(user) },
    );
    res.json({ ...policyJson(r), rescreeningJob: r.rescreeningJob ? jobJson(r.rescreeningJob) : null });
  });

  router.post('/rescreening-jobs', authorize('rescreening.run'), async (req, res) => {
    const user = currentUser(res.locals);
    const body = (req.body ?? {}) as { areaCode?: unknown; year?: unknown };
    if (typeof body.areaCode !== 'string' || !/^(\d{4}|\d{6})$/.test(body.areaCode))
      throw AppError.invalid([
        {
          field: 'areaCode',
          code: 'not_a_city_or_county',
          message: 'must be the 4-digit city or a 6-digit county code',
          messageZh: '须为市（4位）或县（6位）区划代码',
        },
      ]);
    if (
      body.year !== undefined &&
      (!Number.isInteger(body.year) || (body.year as number) < 2000 || (body.year as number) > 2100)
    )
      throw AppError.invalid([
        {
          field: 'year',
          code: 'out_of_range',
          message: 'must be a year from 2000 to 2100',
          messageZh: '年份应在2000至2100之间',
        },
      ]);
    const r = await monitoring.startRescreening(
      { areaCode: body.areaCode, year: (body.year as number | undefined) ?? 0 },
      { metadata: await callAs(user) },
    );
    res
      .status(202)
      .location(`/api/v1/rescreening-jobs/${r.job!.id}`)
      .json({ job: jobJson(r.job!), created: r.created });
  });

  router.get('/rescreening-jobs/:id', authorize('rescreening.run'), async (req, res) => {
    const user = currentUser(res.locals);
    const id = String(req.params.id);
    if (!ID.test(id))
      throw new AppError('not_found', 're-screening job not found', {
        code: 'job_not_found',
        messageZh: '未找到该复核任务',
      });
    const r = await monitoring.getRescreeningJob({ id }, { metadata: await callAs(user) });
    res.json({ job: jobJson(r.job!) });
  });

  return router;
}
