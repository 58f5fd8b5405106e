import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { monitoringV1 } from '@shouwang/contracts';
import { AppError, type Identity, type PromiseClient } from '@shouwang/kit';
import { authorize, currentUser } from '../auth/middleware';
import { pageJson, pageQuery, queryText } from './workflow-input';

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
};

/** A warning as the API returns it (api-spec "Monitoring"). */
export function warningJson(w: monitoringV1.Warning): Record<string, unknown> {
  const a = w.assessment;
  return {
    id: w.id,
    householdId: w.householdId,
    areaCode: w.areaCode,
    cause: w.cause,
    causeText: { zh: w.causeTextZh, en: w.causeTextEn },
    status: w.status,
    source: w.source,
    lastSource: w.lastSource,
    firstSeenAt: w.firstSeenAt,
    lastSeenAt: w.lastSeenAt,
    explanation: { zh: w.explanationZh, en: w.explanationEn },
    inputs: parseJson(w.inputsJson),
    ...(w.dismissReason ? { dismissReason: w.dismissReason } : {}),
    ...(w.applicationId ? { applicationId: w.applicationId } : {}),
    ...(w.statusChangedAt ? { statusChangedAt: w.statusChangedAt, statusChangedBy: w.statusChangedBy } : {}),
    assessment: a
      ? {
          assessedAt: a.assessedAt,
          policyVersion: a.policyVersion,
          householdVersion: a.householdVersion,
          year: a.year,
          asOf: a.asOf,
          perCapitaIncome: a.perCapitaIncome,
          monitoringLine: a.monitoringLine,
          category: a.category || null,
          features: a.features,
        }
      : null,
    version: w.version,
  };
}

const ID = /^[\w-]{1,64}$/;
const notFound = () =>
  new AppError('not_found', 'warning not found', { code: 'warning_not_found', messageZh: '未找到该预警' });

/** Warnings (预警): list in one's area, and the officer's lifecycle steps. The monitoring service checks again. */
export function warningsRouter(
  monitoring: PromiseClient<monitoringV1.MonitoringServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  router.get('/', authorize('warnings.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const q = (name: string) => queryText(req.query, name);
    const r = await monitoring.listWarnings(
      {
        areaCode: q('areaCode'),
        cause: q('cause'),
        source: q('source'),
        status: q('status'),
        householdId: q('householdId'),
        ...pageQuery(req.query),
      },
      { metadata: await callAs(user) },
    );
    res.json(pageJson('warnings', r.warnings.map(warningJson), r));
  });

  router.post('/:id/acknowledge', authorize('warnings.manage'), async (req, res) => {
    const user = currentUser(res.locals);
    if (!ID.test(String(req.params.id))) throw notFound();
    const r = await monitoring.acknowledgeWarning({ id: String(req.params.id) }, { metadata: await callAs(user) });
    res.json({ warning: warningJson(r.warning!) });
  });

  router.post('/:id/dismiss', authorize('warnings.manage'), async (req, res) => {
    const user = currentUser(res.locals);
    if (!ID.test(String(req.params.id))) throw notFound();
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    if (typeof reason !== 'string' || !reason.trim())
      throw AppError.invalid([
        {
          field: 'reason',
          code: 'required',
          message: 'a reason is required to dismiss a warning',
          messageZh: '撤销预警须填写理由',
        },
      ]);
    const r = await monitoring.dismissWarning({ id: String(req.params.id), reason }, { metadata: await callAs(user) });
    res.json({ warning: warningJson(r.warning!) });
  });

  router.post('/:id/convert', authorize('warnings.manage'), async (req, res) => {
    const user = currentUser(res.locals);
    if (!ID.test(String(req.params.id))) throw notFound();
    const applicationId = (req.body as { applicationId?: unknown } | undefined)?.applicationId;
    if (applicationId !== undefined && typeof applicationId !== 'string')
      throw AppError.invalid([
        { field: 'applicationId', code: 'invalid_type', message: 'must be a string', messageZh: '须为字符串' },
      ]);
    const r = await monitoring.convertWarning(
      { id: String(req.params.id), applicationId: applicationId ?? '' },
      { metadata: await callAs(user) },
    );
    res.json({ warning: warningJson(r.warning!) });
  });

  return router;
}
