import { events, monitoringEvents, type monitoringV1 } from '@shouwang/contracts';
import { EventConsumer, type ConsumerOptions } from '@shouwang/kit';
import type { AssistanceDeps } from './assistance-deps';
import { closePlanOnExit, planIdentified } from './plans/identification-events';
import { considerCauses } from './plans/proposals';

/**
 * What the service consumes: the registry's households (its members projection), identifications
 * (plans), exits (plans close) and monitoring's warnings (the household's causes → proposals).
 * Every handler is idempotent on its own: a replayed event changes nothing.
 */
export function assistanceConsumer(deps: AssistanceDeps, opts: ConsumerOptions): EventConsumer {
  const { logger } = opts;
  /** A raised or updated warning carries the household's newest assessment. */
  const assessed = async ({ warning }: { warning?: monitoringV1.Warning }) => {
    const a = warning?.assessment;
    if (!warning || !a) return;
    const causes = await deps.households.assessed(warning.householdId, a.assessedAt, a.category, a.features);
    if (causes) await considerCauses(deps, causes);
  };
  return new EventConsumer(opts)
    .on(events.householdRegistered, async (e) => {
      await deps.households.apply(e.household!);
    })
    .on(events.householdUpdated, async (e) => {
      await deps.households.apply(e.household!);
    })
    .on(events.householdIdentified, async (e) => {
      const outcome = await planIdentified(deps, e);
      logger.info({ householdId: e.householdId, outcome }, 'household identified');
    })
    .on(events.householdExited, async (e) => {
      const outcome = await closePlanOnExit(deps, e);
      logger.info({ householdId: e.householdId, outcome }, 'household exited');
    })
    .on(monitoringEvents.warningRaised, assessed)
    .on(monitoringEvents.warningUpdated, assessed)
    .on(monitoringEvents.warningResolved, async ({ warning }) => {
      if (!warning) return;
      // The warning keeps the assessment that raised it; the resolution only says its cause is gone.
      const at = warning.statusChangedAt || warning.lastSeenAt;
      const causes = await deps.households.resolved(warning.householdId, at, warning.cause);
      if (causes) await considerCauses(deps, causes);
    });
}
