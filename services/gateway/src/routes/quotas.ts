import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import type { identificationV1 } from '@shouwang/contracts';
import type { Identity, PromiseClient } from '@shouwang/kit';
import { isKnownCountyCode, workflowParamsSchema } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';
import { parseBody } from '../http/validate';
import { versionOf } from './households';
import { invalid } from './workflow-input';

function countyCodeOf(raw: unknown): string {
  const code = String(raw);
  if (!isKnownCountyCode(code))
    throw invalid(
      'countyCode',
      'not_a_county_code',
      'must be one of the 18 county codes',
      '须为赣州市18个县（市、区）代码之一',
    );
  return code;
}

const POLICY = { en: 'workflow policy', zh: '工作流程参数' };
const policyBody = z.strictObject({ policy: workflowParamsSchema, version: z.unknown().optional() });

/**
 * County quota (总量控制, DOMAIN.md §6) and the county's workflow parameters (registered poor
 * population, ratios, notice and decision days) that the city administrator sets.
 */
export function quotasRouter(
  workflow: PromiseClient<identificationV1.WorkflowServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  /** quota, hardLimit, used, remaining, pending persons and cases of a county. */
  router.get('/quotas/:countyCode', authorize('quota.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const r = await workflow.getQuotaStatus(
      { countyCode: countyCodeOf(req.params.countyCode) },
      { metadata: await callAs(user) },
    );
    res.json({ status: r.status });
  });

  router.get('/workflow-policy/:countyCode', authorize('cases.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const r = await workflow.getWorkflowPolicy(
      { countyCode: countyCodeOf(req.params.countyCode) },
      { metadata: await callAs(user) },
    );
    res.set('ETag', `"${r.policy!.version}"`).json({ policy: r.policy });
  });

  /** A new version of the county's parameters over the version read (0 when none was stored yet). */
  router.put('/workflow-policy/:countyCode', authorize('policy.manage'), async (req, res) => {
    const user = currentUser(res.locals);
    const countyCode = countyCodeOf(req.params.countyCode);
    const body = parseBody(policyBody, req.body);
    const ifMatch = req.get('if-match');
    const expectedVersion = ifMatch === undefined && body.version === 0 ? 0 : versionOf(ifMatch, body.version, POLICY);
    const r = await workflow.updateWorkflowPolicy(
      {
        policy: { ...body.policy, countyCode, version: 0, updatedAt: '', updatedBy: '' },
        expectedVersion,
      },
      { metadata: await callAs(user) },
    );
    res.set('ETag', `"${r.policy!.version}"`).json({ policy: r.policy });
  });

  return router;
}
