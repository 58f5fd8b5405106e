import type { reportingV1 } from '@shouwang/contracts';
import { AppError, type UnaryHandlers } from '@shouwang/kit';
import type { HouseholdProjection } from './household-projection';

export function reportingHandlers(projection: HouseholdProjection): UnaryHandlers<reportingV1.ReportingServiceServer> {
  return {
    getVillageSummary: async (req) => {
      if (!/^\d{12}$/.test(req.areaCode)) {
        throw AppError.invalid([
          {
            field: 'areaCode',
            code: 'not_a_village_code',
            message: 'must be a 12-digit village code',
            messageZh: '须为12位行政村代码',
          },
        ]);
      }
      const s = await projection.villageSummary(req.areaCode);
      return {
        areaCode: req.areaCode,
        householdCount: s.householdCount,
        memberCount: s.memberCount,
        updatedAt: s.updatedAt?.toISOString() ?? '',
      };
    },
  };
}
