import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { identificationV1 } from '@shouwang/contracts';
import type { Identity, PromiseClient } from '@shouwang/kit';
import { authorize, currentUser } from '../auth/middleware';
import { versionOf } from './households';
import {
  areaQuery,
  bodyOf,
  enumField,
  notFound,
  pageJson,
  pageQuery,
  queryText,
  RECORD_ID,
  textField,
} from './workflow-input';

const STATES = ['open', 'warned', 'assistance_ended'] as const;

/**
 * Commitment violations (反向约束, DOMAIN.md §7): a car or commercial housing shown by a department
 * for an aided household opens a case for the county officer, who warns or ends the assistance.
 */
export function violationsRouter(
  workflow: PromiseClient<identificationV1.WorkflowServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  router.get('/', authorize('violations.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const state = enumField({ state: queryText(req.query, 'state') }, 'state', STATES, false);
    const page = await workflow.listViolations(
      {
        areaCode: areaQuery(req.query),
        state,
        ...pageQuery(req.query),
      },
      { metadata: await callAs(user) },
    );
    res.json(pageJson('violations', page.violations, page));
  });

  /** warn, or end_assistance with a reason (the household exits with that reason). */
  router.post('/:id/decision', authorize('violations.decide'), async (req, res) => {
    const user = currentUser(res.locals);
    const id = String(req.params.id);
    if (!RECORD_ID.test(id)) throw notFound('violation case', 'violation_not_found', '未找到该违诺案件');
    const body = bodyOf(req.body, ['decision', 'reason', 'version']);
    const decision = enumField(body, 'decision', ['warn', 'end_assistance'] as const, true);
    const reason = textField(body, 'reason', { required: decision === 'end_assistance' });
    const expectedVersion = versionOf(req.get('if-match'), body.version, { en: 'violation case', zh: '违诺案件' });
    const r = await workflow.decideViolation(
      { id, expectedVersion, decision, reason },
      { metadata: await callAs(user) },
    );
    res.set('ETag', `"${r.violation!.version}"`).json({ violation: r.violation });
  });

  return router;
}
