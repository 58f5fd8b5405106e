import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { identificationV1 } from '@shouwang/contracts';
import { requireInScope, type Identity, type PromiseClient } from '@shouwang/kit';
import { isKnownCountyVillageCode, isQuarter } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';
import { sendCase } from './cases';
import { bodyOf, idField, invalid, queryText } from './workflow-input';

function quarterOf(value: string): string {
  if (value && !isQuarter(value))
    throw invalid('quarter', 'invalid_quarter', 'must be a quarter like 2026Q4', '须为季度，例如2026Q4');
  return value;
}

/**
 * Exit (退出, DOMAIN.md §7): the quarterly review list of a village (集中研判) and starting a
 * household's exit; the vote, notice and informing go through the case routes.
 */
export function exitsRouter(
  workflow: PromiseClient<identificationV1.WorkflowServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  router.get('/exit-reviews/:villageCode', authorize('cases.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const villageCode = String(req.params.villageCode);
    if (!isKnownCountyVillageCode(villageCode))
      throw invalid(
        'villageCode',
        'not_a_village_code',
        'must be a 12-digit village code under one of the 18 counties',
        '须为赣州市18个县（市、区）下的12位行政村代码',
      );
    requireInScope(user, villageCode, 'village');
    const r = await workflow.getExitReviewList(
      { villageCode, quarter: quarterOf(queryText(req.query, 'quarter', 6)) },
      { metadata: await callAs(user) },
    );
    res.json({ quarter: r.quarter, candidates: r.candidates, retained: r.retained });
  });

  /** A household of the review list goes to the village representative assembly's vote. */
  router.post('/exits', authorize('cases.submit'), async (req, res) => {
    const user = currentUser(res.locals);
    const body = bodyOf(req.body, ['householdId', 'quarter']);
    const householdId = idField(body, 'householdId');
    const quarter = body.quarter === undefined ? '' : quarterOf(typeof body.quarter === 'string' ? body.quarter : '?');
    const r = await workflow.startExit({ householdId, quarter }, { metadata: await callAs(user) });
    res.location(`/api/v1/cases/${r.case!.id}`);
    sendCase(res, r.case, 201);
  });

  return router;
}
