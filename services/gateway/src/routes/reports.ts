import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { reportingV1 } from '@shouwang/contracts';
import { AppError, requireInScope, type Identity, type PromiseClient } from '@shouwang/kit';
import { isKnownCountyVillageCode } from '@shouwang/domain';
import { authorize, currentUser } from '../auth/middleware';

export function reportsRouter(
  reporting: PromiseClient<reportingV1.ReportingServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  /** Village register header (一村一册): how many households and people the registry holds there. */
  router.get('/villages/:areaCode', authorize('reports.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const areaCode = String(req.params.areaCode);
    if (!isKnownCountyVillageCode(areaCode)) {
      throw AppError.invalid([
        {
          field: 'areaCode',
          code: 'not_a_village_code',
          message: 'must be a 12-digit village code under one of the 18 counties',
          messageZh: '须为赣州市18个县（市、区）下的12位行政村代码',
        },
      ]);
    }
    requireInScope(user, areaCode, 'village');
    const summary = await reporting.getVillageSummary({ areaCode }, { metadata: await callAs(user) });
    res.json({
      areaCode: summary.areaCode,
      householdCount: summary.householdCount,
      memberCount: summary.memberCount,
      updatedAt: summary.updatedAt || null,
    });
  });

  return router;
}
