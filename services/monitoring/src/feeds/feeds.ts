import type { Producer } from 'kafkajs';
import { feedEvents, type Codec, type FeedDepartment } from '@shouwang/contracts';
import {
  AppError,
  createEnvelope,
  encodeEnvelope,
  requirePermission,
  type Identity,
  type PiiCipher,
} from '@shouwang/kit';
import type { Reassessor } from '../assessment/reassess';
import type { HouseholdProjection } from '../households/household-projection';
import type { FeedFactStore } from './feed-fact-store';
import { isFeedDepartment, validateFeedBatch, validateFeedRecord, type DepartmentRecord } from './feed-records';

/** ts-proto's JSON form of a message (camelCase, default values left out). */
type JsonCodec<T> = Codec<T> & { toJSON(m: T): unknown; fromPartial(o: object): T };

/** A department officer posts their own department's feed only; health officers may post medical insurance. */
export function mayPublish(who: Identity, department: FeedDepartment): boolean {
  return who.department === department || (who.department === 'health' && department === 'medical_insurance');
}

export class Feeds {
  constructor(
    private readonly deps: {
      facts: FeedFactStore;
      households: HouseholdProjection;
      reassessor: Reassessor;
      pii: PiiCipher;
      producer: Producer;
    },
  ) {}

  /**
   * The REST feed (through the gateway): validates every record, then publishes them all, unchanged, to
   * the department's topic — or, when any record is invalid, publishes nothing and names every problem
   * as records[i].<field>.
   */
  async publish(who: Identity, department: string, recordsJson: string): Promise<number> {
    requirePermission(who, 'feeds.publish');
    if (!isFeedDepartment(department))
      throw AppError.invalid([
        {
          field: 'department',
          code: 'unknown_department',
          message: 'is not a feed department',
          messageZh: '不是可报送数据的部门',
        },
      ]);
    if (!mayPublish(who, department))
      throw new AppError(
        'permission_denied',
        `a ${who.department ?? 'non-department'} officer may not post the ${department} feed`,
        {
          code: 'wrong_department',
          field: 'department',
          messageZh: '只能报送本部门的数据',
        },
      );
    let records: unknown;
    try {
      records = JSON.parse(recordsJson);
    } catch {
      throw AppError.invalid([
        { field: 'records', code: 'malformed_json', message: 'is not JSON', messageZh: '不是合法的JSON' },
      ]);
    }
    const batch = validateFeedBatch(department, records);
    if (!batch.ok) throw AppError.invalid(batch.issues, 'some feed records are invalid; nothing was published');
    const def = feedEvents[department];
    const codec = def.codec as unknown as JsonCodec<unknown>;
    const publishedAt = new Date().toISOString();
    const messages = batch.values.map((v) => {
      const record = v.record as DepartmentRecord['record'];
      const payload = codec.fromPartial({
        ...record,
        source: { system: record.source?.system ?? '', department, publisher: who.username, publishedAt },
      });
      const envelope = createEnvelope(def, `${department}:${record.recordId}`, payload, 'monitoring');
      // Keyed by the person's blind index: one person's records stay in order, and no ID number is a key.
      return { key: this.deps.pii.blindIndex(record.idNumber), value: encodeEnvelope(envelope) };
    });
    await this.deps.producer.send({ topic: def.topic, acks: -1, messages });
    return messages.length;
  }

  /**
   * One record from the department's topic: validated like the REST feed (a bad one is refused with
   * the reason and goes to the DLQ), stored as a fact, and every household the person belongs to is
   * re-assessed.
   */
  async ingest(department: FeedDepartment, message: unknown): Promise<void> {
    const codec = feedEvents[department].codec as unknown as JsonCodec<unknown>;
    const json = codec.toJSON(message) as Record<string, unknown>;
    const source = json.source as { department?: string } | undefined;
    const checked = validateFeedRecord(department, json);
    if (!checked.ok)
      throw new AppError(
        'invalid_argument',
        `invalid ${department} record: ${checked.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`,
        { code: 'invalid_feed_record', issues: checked.issues },
      );
    if (source?.department && source.department !== department)
      throw new AppError(
        'invalid_argument',
        `invalid ${department} record: source.department names another department`,
        {
          code: 'invalid_feed_record',
          field: 'source.department',
        },
      );
    const personIndex = await this.deps.facts.put(checked.value, this.deps.pii);
    for (const id of await this.deps.households.idsByPerson(personIndex))
      await this.deps.reassessor.reassess(id, { source: `feed:${department}` });
  }
}
