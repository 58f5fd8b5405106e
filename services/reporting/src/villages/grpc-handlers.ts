import type { reportingV1 } from '@shouwang/contracts';
import { AppError, identityFrom, requireInScope, requirePermission, type UnaryHandlers } from '@shouwang/kit';
import type { HouseholdProjection } from './household-projection';

export function reportingHandlers(
  projection: HouseholdProjection,
  identitySecret: string,
): UnaryHandlers<reportingV1.ReportingServiceServer> {
  return {
    getVillageSummary: async (req, ctx) => {
      const who = await identityFrom(identitySecret, ctx.metadata);
      requirePermission(who, 'reports.read');
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
      requireInScope(who, req.areaCode, 'village');
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
