import type { Collection, Connection } from 'mongoose';
import { monitoringEvents } from '@shouwang/contracts';
import { outboxEntry, outboxIndex, withOutbox, type OutboxFields } from '@shouwang/kit';
import type { AssetSignal } from '../assessment/overlay';

interface SignalDoc extends OutboxFields {
  /** `<householdId>:<department>:<recordId>`: each record is signalled once per household. */
  _id: string;
  householdId: string;
  areaCode: string;
  department: string;
  recordId: string;
  asset: string;
  occurredOn: string;
  memberPosition: number;
  signalledAt: Date;
}

/**
 * Commitment-violation signals (DOMAIN.md §7 反向约束) for the identification workflow: a car or
 * commercial housing registered to a member of an aided household. Stored once per record, with its
 * CommitmentViolationSignalled event in the same document (outbox). Unlike warnings, a signal is only
 * inserted, never changed: the outbox relay is the one writer of a signal document after its insert,
 * so the embedded outbox is safe here even on FerretDB (where conditional updates are not exclusive).
 */
export class ViolationSignals {
  private constructor(readonly coll: Collection<SignalDoc>) {}

  static async open(conn: Connection): Promise<ViolationSignals> {
    const coll = conn.collection<SignalDoc>('commitment_violation_signals');
    await coll.createIndex(outboxIndex);
    return new ViolationSignals(coll);
  }

  /** Records the signal unless it was already signalled; returns whether it is new. */
  async signal(
    household: { id: string; areaCode: string; povertyStatus: string; category: string | null },
    s: AssetSignal,
  ): Promise<boolean> {
    const now = new Date();
    const event = outboxEntry(
      monitoringEvents.commitmentViolationSignalled,
      household.id,
      {
        householdId: household.id,
        areaCode: household.areaCode,
        department: s.department,
        recordId: s.recordId,
        asset: s.asset,
        occurredOn: s.occurredOn,
        memberPosition: s.memberPosition,
        povertyStatus: household.povertyStatus,
        category: household.category ?? '',
        signalledAt: now.toISOString(),
      },
      'monitoring',
    );
    try {
      await this.coll.insertOne({
        _id: `${household.id}:${s.department}:${s.recordId}`,
        householdId: household.id,
        areaCode: household.areaCode,
        department: s.department,
        recordId: s.recordId,
        asset: s.asset,
        occurredOn: s.occurredOn,
        memberPosition: s.memberPosition,
        signalledAt: now,
        ...withOutbox([event]),
      });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }
}
