import {
  auditActorOf,
  type AuditActor,
  type AuditTrail,
  type Clock,
  type Identity,
  type VersionedWrites,
} from '@shouwang/kit';
import type { CatalogueStore } from './catalogue/catalogue-store';
import type { MembersProjection } from './households/members-projection';
import type { PlanStore } from './plans/plan-store';
import type { PointsStore } from './points/points-store';
import type { TaskStore } from './tasks/task-store';

/** The collection of every move's commit with its events (VersionedWrites; the outbox relay watches it). */
export const COMMITS = 'commits';

/** What every use case of the service works with. */
export interface AssistanceDeps {
  writes: VersionedWrites;
  measures: CatalogueStore;
  households: MembersProjection;
  plans: PlanStore;
  tasks: TaskStore;
  points: PointsStore;
  audit: AuditTrail;
  clock: Clock;
  /** Days to deliver a task of a measure without its own (TASK_DUE_DAYS). */
  taskDueDays: number;
  /** Called after a write that added events (wakes the outbox relay). */
  onEventsWritten: () => void;
}

/** Who made a change: for the audit trail and the events' actor_username. */
export interface Actor {
  audit: AuditActor;
  username: string;
}

export const SYSTEM: Actor = { audit: { system: 'assistance' }, username: 'system' };

export function actorOf(who: Identity): Actor {
  return { audit: auditActorOf(who), username: who.username };
}
