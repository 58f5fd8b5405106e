import { setTimeout as sleep } from 'node:timers/promises';
import { events, type identificationV1 } from '@shouwang/contracts';
import {
  outboxEntry,
  requireInScope,
  requirePermission,
  type AuditActor,
  type AuditTrail,
  type Identity,
  type OutboxEntry,
  type VersionedWrites,
} from '@shouwang/kit';
import type { Collection, Connection } from 'mongoose';
import type { HouseholdStore } from '../households/household-store';
import type { Clock } from './clock';
import type { QuotaLedger } from './quota-ledger';
import { conflict, householdNotFound } from './workflow-errors';

export type ExitKind = 'vote' | 'violation';

/**
 * A household's identification status (相对贫困户), `_id` = household id, versioned: each change is
 * one VersionedWrites move carrying its event (identified, exited). An exited household keeps its
 * document (and everything else): exit is a status, never a deletion.
 */
export interface IdentificationDoc {
  _id: string;
  status: 'identified' | 'exited';
  areaCode: string;
  countyCode: string;
  /** The case that identified the household. */
  caseId: string;
  direct: boolean;
  category: string;
  causes: string[];
  persons: number;
  policyStartDate: string;
  identifiedAt: string;
  exitedAt: string;
  exitKind: '' | ExitKind;
  exitReason: string;
  /** The exit case, or the violation case that ended the assistance. */
  exitCaseId: string;
  version: number;
}

export interface IdentifyInput {
  householdId: string;
  areaCode: string;
  countyCode: string;
  caseId: string;
  category: string;
  causes: string[];
  persons: number;
  policyStartDate: string;
  /** A direct inclusion of a household already in the national system. */
  direct: boolean;
}

export interface ExitInput {
  kind: ExitKind;
  reason: string;
  /** The exit case (vote) or violation case (violation) behind the exit. */
  caseId: string;
}

export interface IdentificationsDeps {
  writes: VersionedWrites;
  quota: QuotaLedger;
  audit: AuditTrail;
  clock: Clock;
  onEventsWritten: () => void;
}

function auditState(d: IdentificationDoc | null): Record<string, unknown> | null {
  return d ? { ...d } : null;
}

/**
 * The `identifications` collection and the two changes of status: identify (on approval or direct
 * inclusion; the quota places are reserved by the caller before) and exit (vote or violation; gives
 * the quota places back).
 */
export class Identifications {
  private constructor(
    readonly coll: Collection<IdentificationDoc>,
    private readonly deps: IdentificationsDeps,
  ) {}

  static async open(conn: Connection, deps: IdentificationsDeps): Promise<Identifications> {
    const coll = conn.collection<IdentificationDoc>('identifications');
    await coll.createIndex({ areaCode: 1 });
    return new Identifications(coll, deps);
  }

  async get(householdId: string): Promise<IdentificationDoc | null> {
    return this.coll.findOne({ _id: householdId });
  }

  /** Identified, not exited households of an area (code prefix). Scans: for a village's review list. */
  async identifiedIn(areaPrefix: string): Promise<IdentificationDoc[]> {
    return this.coll.find({ areaCode: { $gte: areaPrefix, $lt: `${areaPrefix}~` }, status: 'identified' }).toArray();
  }

  /**
   * The household becomes a relative-poverty household: one versioned write with its HouseholdIdentified
   * event, and an audit entry. Repeating it for the same case changes nothing; a household identified
   * by another case is refused with 409 already_identified.
   */
  async identify(input: IdentifyInput, actor: AuditActor): Promise<IdentificationDoc> {
    const at = this.deps.clock.now().toISOString();
    const fields = {
      status: 'identified' as const,
      areaCode: input.areaCode,
      countyCode: input.countyCode,
      caseId: input.caseId,
      direct: input.direct,
      category: input.category,
      causes: input.causes,
      persons: input.persons,
      policyStartDate: input.policyStartDate,
      identifiedAt: at,
      exitedAt: '',
      exitKind: '' as const,
      exitReason: '',
      exitCaseId: '',
    };
    const event = outboxEntry(
      events.householdIdentified,
      input.householdId,
      {
        householdId: input.householdId,
        areaCode: input.areaCode,
        caseId: input.caseId,
        category: input.category,
        causes: input.causes,
        persons: input.persons,
        policyStartDate: input.policyStartDate,
        identifiedAt: at,
        direct: input.direct,
      },
      'identification',
    );
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.get(input.householdId);
      if (before?.status === 'identified') {
        if (before.caseId === input.caseId) return before;
        throw alreadyIdentified(before.caseId);
      }
      // A first identification, or again after an exit.
      const after = before
        ? await this.move(before, [event], { $set: fields })
        : await this.deps.writes.move(
            Identifications.aggregate(input.householdId),
            0,
            [event],
            async () => (await this.get(input.householdId)) === null,
            async () => {
              const doc: IdentificationDoc = { _id: input.householdId, ...fields, version: 1 };
              try {
                await this.coll.insertOne({ ...doc });
                return doc;
              } catch (err) {
                if ((err as { code?: number }).code === 11000) return null;
                throw err;
              }
            },
          );
      if (!after) {
        await sleep(Math.random() * 10);
        continue;
      }
      this.deps.onEventsWritten();
      await this.deps.audit.append({
        aggregateType: 'identification',
        aggregateId: input.householdId,
        actor,
        action: 'identification.identified',
        areaCode: input.areaCode,
        before: auditState(before),
        after: auditState(after),
      });
      return after;
    }
    throw conflict('identification_contention', 'the identification changed meanwhile; retry', '请重试');
  }

  /**
   * The household exits (by the assembly's vote, or at the end of assistance for a violation): the
   * status becomes exited (one versioned write with its HouseholdExited event), an audit entry, and its
   * quota places are released. Nothing is deleted. Returns null when the household is not identified; an
   * exit already recorded is returned as it is (and its places released, should that have been missed).
   */
  async exit(householdId: string, input: ExitInput, actor: AuditActor): Promise<IdentificationDoc | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.get(householdId);
      if (!before) return null;
      if (before.status === 'exited') {
        await this.deps.quota.release(before.countyCode, householdId);
        return before;
      }
      const at = this.deps.clock.now().toISOString();
      const event = outboxEntry(
        events.householdExited,
        householdId,
        {
          householdId,
          areaCode: before.areaCode,
          caseId: input.caseId,
          kind: input.kind,
          reason: input.reason,
          exitedAt: at,
          persons: before.persons,
        },
        'identification',
      );
      const after = await this.move(before, [event], {
        $set: {
          status: 'exited',
          exitedAt: at,
          exitKind: input.kind,
          exitReason: input.reason,
          exitCaseId: input.caseId,
        },
      });
      if (!after) {
        await sleep(Math.random() * 10);
        continue;
      }
      this.deps.onEventsWritten();
      await this.deps.quota.release(before.countyCode, householdId);
      await this.deps.audit.append({
        aggregateType: 'identification',
        aggregateId: householdId,
        actor,
        action: 'identification.exited',
        areaCode: before.areaCode,
        before: auditState(before),
        after: auditState(after),
      });
      return after;
    }
    throw conflict('identification_contention', 'the identification changed meanwhile; retry', '请重试');
  }

  static aggregate(householdId: string): string {
    return `identification:${householdId}`;
  }

  /** The document from `current.version` to the next, as its one writer; null when another moved it. */
  private move(
    current: IdentificationDoc,
    events: OutboxEntry[],
    update: { $set: Partial<IdentificationDoc> },
  ): Promise<IdentificationDoc | null> {
    const { _id, version } = current;
    return this.deps.writes.move(
      Identifications.aggregate(_id),
      version,
      events,
      async () => (await this.get(_id))?.version === version,
      () =>
        this.coll.findOneAndUpdate(
          { _id, $or: [{ version }] },
          { $set: { ...update.$set, version: version + 1 } },
          { returnDocument: 'after' },
        ),
    );
  }
}

export function alreadyIdentified(caseId: string) {
  return conflict(
    'already_identified',
    'the household is already identified as a relative-poverty household',
    '该农户已认定为相对贫困户',
    { caseId },
  );
}

export function identificationToWire(
  householdId: string,
  areaCode: string,
  doc: IdentificationDoc | null,
): identificationV1.Identification {
  if (!doc)
    return {
      householdId,
      status: 'none',
      caseId: '',
      category: '',
      causes: [],
      persons: 0,
      policyStartDate: '',
      identifiedAt: '',
      exitedAt: '',
      exitKind: '',
      exitReason: '',
      areaCode,
    };
  return {
    householdId,
    status: doc.status,
    caseId: doc.caseId,
    category: doc.category,
    causes: doc.causes,
    persons: doc.persons,
    policyStartDate: doc.policyStartDate,
    identifiedAt: doc.identifiedAt,
    exitedAt: doc.exitedAt,
    exitKind: doc.exitKind,
    exitReason: doc.exitReason,
    areaCode: doc.areaCode,
  };
}

/** GetIdentification: the status of a household the caller may see ('none' when never identified). */
export async function getIdentification(
  deps: { households: HouseholdStore; identifications: Identifications },
  who: Identity,
  householdId: string,
): Promise<identificationV1.Identification> {
  requirePermission(who, 'households.read');
  const household = householdId ? await deps.households.get(householdId) : null;
  if (!household) throw householdNotFound();
  requireInScope(who, household.areaCode, 'household');
  return identificationToWire(householdId, household.areaCode, await deps.identifications.get(householdId));
}
