import type { monitoringV1 } from '@shouwang/contracts';
import { AppError, identityMetadata, type Identity, type PromiseClient } from '@shouwang/kit';

/** Monitoring's current assessment of a household, read as the caller (monitoring checks their scope too). */
export interface AssessmentSource {
  /** Null when monitoring has not assessed the household yet. */
  current(who: Identity, householdId: string): Promise<monitoringV1.Assessment | null>;
}

/**
 * Over gRPC (MonitoringService.GetAssessment), with the caller's identity signed again by this service
 * (the same platform secret), so monitoring applies the caller's own role and area.
 */
export function monitoringAssessments(
  monitoring: Pick<PromiseClient<monitoringV1.MonitoringServiceClient>, 'getAssessment'>,
  identitySecret: string,
): AssessmentSource {
  return {
    async current(who, householdId) {
      try {
        const res = await monitoring.getAssessment(
          { householdId },
          { metadata: await identityMetadata(identitySecret, who) },
        );
        const a = res.assessment;
        return a && !a.errorCode ? a : null;
      } catch (err) {
        if (err instanceof AppError && err.kind === 'not_found') return null;
        throw err;
      }
    },
  };
}
