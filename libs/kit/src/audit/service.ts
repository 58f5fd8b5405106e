import type { auditV1 } from '@shouwang/contracts';
import { isWithin } from '@shouwang/domain';
import { AppError } from '../errors';
import { identityFrom, requirePermission, type Identity } from '../identity';
import type { UnaryHandlers } from '../grpc/server';
import type { AuditEntry, AuditTrail } from './trail';

/** Stored entry → wire entry (before/after as JSON text, personal data already masked at append). */
export function auditEntryToWire(e: AuditEntry): auditV1.AuditEntry {
  return {
    id: e._id,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    seq: e.seq,
    at: new Date(e.at).toISOString(),
    actorJson: JSON.stringify(e.actor),
    action: e.action,
    areaCode: e.areaPath.at(-1) ?? '',
    beforeJson: e.before === null ? '' : JSON.stringify(e.before),
    afterJson: e.after === null ? '' : JSON.stringify(e.after),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

const time = (s: string, field: string): Date | undefined => {
  if (!s) return undefined;
  const d = new Date(s);
  if (Number.isNaN(d.getTime()))
    throw AppError.invalid([{ field, code: 'invalid_date', message: 'must be an RFC 3339 time' }]);
  return d;
};

/**
 * An auditor's (or city administrator's) read of one service's trail, limited to the caller's area:
 * without an area filter they see their whole area; an area outside it shows nothing.
 */
export async function listAuditEntries(
  trail: AuditTrail,
  who: Identity,
  req: auditV1.ListAuditEntriesRequest,
): Promise<auditV1.ListAuditEntriesResponse> {
  requirePermission(who, 'audit.read');
  const areaCode = req.areaCode || who.areaCode;
  if (!isWithin(who.areaCode, areaCode)) return { entries: [], nextCursor: '' };
  const page = await trail.list(
    {
      areaCode,
      aggregateType: req.aggregateType || undefined,
      aggregateId: req.aggregateId || undefined,
      actorId: req.actorId || undefined,
      action: req.action || undefined,
      from: time(req.from, 'from'),
      to: time(req.to, 'to'),
    },
    { limit: req.limit || 50, cursor: req.cursor || undefined },
  );
  return { entries: page.entries.map(auditEntryToWire), nextCursor: page.nextCursor ?? '' };
}

/** grpc AuditService of a service that keeps a trail. */
export function auditHandlers(trail: AuditTrail, identitySecret: string): UnaryHandlers<auditV1.AuditServiceServer> {
  return {
    listAuditEntries: async (req, ctx) =>
      listAuditEntries(trail, await identityFrom(identitySecret, ctx.metadata), req),
    verifyAuditTrail: async (req, ctx) => {
      requirePermission(await identityFrom(identitySecret, ctx.metadata), 'audit.read');
      const r = await trail.verify(req.aggregateId ? { aggregateId: req.aggregateId } : {});
      return { ok: r.ok, checked: r.checked, problemsJson: JSON.stringify(r.problems) };
    },
  };
}
