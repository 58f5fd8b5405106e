import { GENESIS_HASH, auditEntryHash } from './canonical';

export type AuditProblemKind = 'hash_mismatch' | 'broken_link' | 'missing_seq';

export interface AuditProblem {
  aggregateType: string;
  aggregateId: string;
  /** The entry concerned; for missing_seq, the first missing sequence number. */
  seq: number;
  problem: AuditProblemKind;
  detail: string;
}

/** An entry as read back from the store: whatever fields it has now, tampered or not. */
export type StoredAuditEntry = Record<string, unknown> & {
  aggregateType: string;
  aggregateId: string;
  seq: number;
  prevHash: string;
  hash: string;
};

/**
 * Checks one aggregate's entries, given in ascending seq order:
 * - hash_mismatch: the stored hash is not the hash of the entry's content (the entry was modified);
 * - missing_seq: seq numbers jump (entries were deleted); reported once per gap, at its first number;
 * - broken_link: prevHash is not the hash of the entry before it (an entry before it was deleted,
 *   modified and re-hashed, or moved), or a seq repeats or goes back.
 * What a hash chain alone cannot show: deletion of the newest entries, or a rewrite of an entry and
 * everything after it. Compare the head with a copy kept elsewhere to catch those.
 */
export function checkAggregateChain(entries: readonly StoredAuditEntry[]): AuditProblem[] {
  const problems: AuditProblem[] = [];
  let expected = 1;
  let prev: StoredAuditEntry | undefined;
  for (const e of entries) {
    const at = (problem: AuditProblemKind, seq: number, detail: string) =>
      problems.push({ aggregateType: e.aggregateType, aggregateId: e.aggregateId, seq, problem, detail });
    const seq = e.seq;
    if (auditEntryHash(e) !== e.hash) at('hash_mismatch', seq, `entry ${seq} does not match its hash (modified)`);
    if (!Number.isInteger(seq) || seq < expected) {
      at('broken_link', seq, `entry ${seq} is out of order or repeated after entry ${prev?.seq ?? 'none'}`);
    } else if (seq > expected) {
      const range = seq - 1 === expected ? `${expected}` : `${expected}-${seq - 1}`;
      at('missing_seq', expected, `entry ${range} missing (deleted)`);
    }
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (e.prevHash !== expectedPrev)
      at(
        'broken_link',
        seq,
        prev
          ? `entry ${seq} does not link to entry ${prev.seq} before it`
          : `entry ${seq} is the first left but does not start the chain`,
      );
    prev = e;
    if (Number.isInteger(seq)) expected = Math.max(expected, seq + 1);
  }
  return problems;
}
