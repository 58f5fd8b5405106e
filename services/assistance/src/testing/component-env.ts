/**
 * The service's stores against the real FerretDB of infra/local, each environment in a database of its
 * own, wired as main.ts wires them, with a clock the test moves. For the component tests only.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { householdV1, identificationV1, monitoringV1 } from '@shouwang/contracts';
import { scratchDatabase } from '@shouwang/devstack';
import { AuditTrail, bytesOf, decodeEnvelope, VersionedWrites, type Identity, fixedClock } from '@shouwang/kit';
import type { Role } from '@shouwang/domain';
import { EXAMPLE_VILLAGE } from '@shouwang/domain/testing';
import { COMMITS, type AssistanceDeps } from '../assistance-deps';
import { CatalogueStore } from '../catalogue/catalogue-store';
import { MembersProjection } from '../households/members-projection';
import { PlanStore } from '../plans/plan-store';
import { PointsStore } from '../points/points-store';
import { TaskStore } from '../tasks/task-store';

export const VILLAGE = EXAMPLE_VILLAGE;
export const TOWNSHIP = VILLAGE.slice(0, 9);
export const COUNTY = VILLAGE.slice(0, 6);
export const OTHER_COUNTY = '360732';

export function person(role: Role, areaCode: string, username: string, department: string | null = null): Identity {
  return { userId: `u-${username}`, username, role, areaCode, department };
}
export const cadre = person('village_cadre', VILLAGE, 'cadre.a');
export const countyOfficer = person('county_officer', COUNTY, 'county.a');
export const admin = person('city_admin', '3607', 'admin');
export const auditor = person('auditor', '3607', 'auditor');
export const officerOf = (department: string, areaCode = COUNTY) =>
  person('department_officer', areaCode, `dept.${department}`, department);

/** A clock fixed at one instant that the test moves. */
export const testClock = fixedClock;

const conns: Connection[] = [];

/** Drops every database the file's environments made (call in afterAll). */
export async function dropEnvironments(): Promise<void> {
  for (const c of conns.splice(0)) {
    await c.db?.dropDatabase();
    await c.close();
  }
}

/** A fresh database with every store, the catalogue seeded, the clock at 15 June 2026 10:00 in China. */
export async function componentEnv(opts: { taskDueDays?: number } = {}) {
  const conn = await scratchDatabase('assistance');
  conns.push(conn);
  const clock = testClock('2026-06-15T02:00:00Z');
  const writes = await VersionedWrites.open(conn, COMMITS);
  const measures = await CatalogueStore.open(conn, writes);
  await measures.seed();
  let wakes = 0;
  const deps: AssistanceDeps = {
    writes,
    measures,
    households: await MembersProjection.open(conn),
    plans: await PlanStore.open(conn, writes),
    tasks: await TaskStore.open(conn, writes),
    points: await PointsStore.open(conn, writes),
    audit: await AuditTrail.open(conn),
    clock,
    taskDueDays: opts.taskDueDays ?? 30,
    onEventsWritten: () => void wakes++,
  };
  return { conn, clock, writes, deps, wakes: () => wakes };
}
export type ComponentEnv = Awaited<ReturnType<typeof componentEnv>>;

export type MemberSpec = Partial<householdV1.Member>;
export const LABOURER: MemberSpec = { labour: 'ordinary', health: 'healthy', birthDate: '1980-03-01' };
export const NO_LABOUR: MemberSpec = { labour: 'lost', health: 'chronic', birthDate: '1975-03-01' };

/** Projects a registry household (as its registered event would) and returns its id. */
export async function addHousehold(env: ComponentEnv, members: MemberSpec[], areaCode = VILLAGE): Promise<string> {
  const id = randomUUID();
  await env.deps.households.apply(
    householdV1.Household.fromPartial({
      id,
      version: 1,
      areaCode,
      address: '于都县青山乡上坪村1组',
      povertyStatus: 'none',
      members: members.map((m, i) => ({
        name: i === 0 ? '赵一' : `赵${i + 1}`,
        relation: i === 0 ? 'head' : 'child',
        ...m,
      })),
    }),
  );
  return id;
}

export function identifiedEvent(
  householdId: string,
  causes: string[],
  over: Partial<identificationV1.HouseholdIdentified> = {},
): identificationV1.HouseholdIdentified {
  return identificationV1.HouseholdIdentified.fromPartial({
    householdId,
    areaCode: VILLAGE,
    caseId: `case-${householdId.slice(0, 8)}`,
    category: 'edge',
    causes,
    persons: 1,
    policyStartDate: '2026-07-01',
    identifiedAt: '2026-06-15T02:00:00.000Z',
    direct: false,
    ...over,
  });
}

export function exitedEvent(householdId: string, reason = '收入稳定超过监测线，村民代表大会表决通过') {
  return identificationV1.HouseholdExited.fromPartial({
    householdId,
    areaCode: VILLAGE,
    caseId: `exit-${householdId.slice(0, 8)}`,
    kind: 'vote',
    reason,
    exitedAt: '2026-09-01T02:00:00.000Z',
    persons: 1,
  });
}

/** A warning as monitoring publishes it: its assessment's features and category, seen at `assessedAt`. */
export function warning(
  householdId: string,
  cause: string,
  features: string[],
  assessedAt: string,
  over: Partial<monitoringV1.Warning> = {},
): monitoringV1.Warning {
  return monitoringV1.Warning.fromPartial({
    id: randomUUID(),
    householdId,
    areaCode: VILLAGE,
    cause,
    status: 'open',
    firstSeenAt: assessedAt,
    lastSeenAt: assessedAt,
    assessment: { assessedAt, category: features.length ? 'edge' : '', features },
    ...over,
  });
}

/** The events released by moves of aggregates whose key starts with `prefix` (no relay runs here), oldest first. */
export async function released(env: ComponentEnv, prefix: string) {
  const commits = await env.writes.coll.find({ _outboxPending: true }).toArray();
  return commits
    .filter((c) => c.aggregate.startsWith(prefix))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.version - b.version)
    .flatMap((c) => c._outbox ?? [])
    .map((e) => ({ type: e.type, topic: e.topic, key: e.key, envelope: decodeEnvelope(bytesOf(e.value)) }));
}
