import { Router } from 'express';
import type { reportingV1 } from '@shouwang/contracts';
import { AppError, type PromiseClient } from '@shouwang/kit';
import { isKnownCountyVillageCode } from '@shouwang/domain';

export function reportsRouter(reporting: PromiseClient<reportingV1.ReportingServiceClient>): Router {
  const router = Router();

  /** Village register header (一村一册): how many households and people the registry holds there. */
  router.get('/villages/:areaCode', async (req, res) => {
    const { areaCode } = req.params;
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
    const summary = await reporting.getVillageSummary({ areaCode });
    res.json({
      areaCode: summary.areaCode,
      householdCount: summary.householdCount,
      memberCount: summary.memberCount,
      updatedAt: summary.updatedAt || null,
    });
  });

  return router;
}
