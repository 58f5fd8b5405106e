import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import { z } from 'zod';
import type { auditV1 } from '@shouwang/contracts';
import { listAuditEntries, type AuditTrail, type Identity, type PromiseClient } from '@shouwang/kit';
import { authorize, currentUser } from '../auth/middleware';
import { parseBody } from '../http/validate';

const query = z
  .object({
    /**
     * Whose trail: the registry's (households, workflows), monitoring's (warnings, policy, re-screening),
     * assistance's (catalogue, plans, tasks, points) or the gateway's own (users, ID-number reads).
     */
    source: z.enum(['identification', 'monitoring', 'assistance', 'gateway']).default('identification'),
    areaCode: z
      .string()
      .regex(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/)
      .optional(),
    aggregateType: z.string().max(64).optional(),
    aggregateId: z.string().max(64).optional(),
    actorId: z.string().max(64).optional(),
    action: z.string().max(64).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();

function fromWire(e: auditV1.AuditEntry) {
  const json = (s: string) => (s ? JSON.parse(s) : null);
  return {
    id: e.id,
    aggregateType: e.aggregateType,
    aggregateId: e.aggregateId,
    seq: e.seq,
    at: e.at,
    actor: json(e.actorJson),
    action: e.action,
    areaCode: e.areaCode,
    before: json(e.beforeJson),
    after: json(e.afterJson),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** The audit trails, for auditors and city administrators, limited to their area. */
export function auditRouter(deps: {
  local: AuditTrail;
  identification: PromiseClient<auditV1.AuditServiceClient>;
  monitoring: PromiseClient<auditV1.AuditServiceClient>;
  assistance: PromiseClient<auditV1.AuditServiceClient>;
  callAs: (who: Identity) => Promise<Metadata>;
}): Router {
  const router = Router();
  router.use(authorize('audit.read'));

  router.get('/', async (req, res) => {
    const user = currentUser(res.locals);
    const q = parseBody(query, req.query);
    const request: auditV1.ListAuditEntriesRequest = {
      areaCode: q.areaCode ?? '',
      aggregateType: q.aggregateType ?? '',
      aggregateId: q.aggregateId ?? '',
      actorId: q.actorId ?? '',
      action: q.action ?? '',
      from: q.from ?? '',
      to: q.to ?? '',
      limit: q.limit,
      cursor: q.cursor ?? '',
    };
    const page =
      q.source === 'gateway'
        ? await listAuditEntries(deps.local, user, request)
        : await deps[q.source].listAuditEntries(request, { metadata: await deps.callAs(user) });
    res.json({ source: q.source, entries: page.entries.map(fromWire), nextCursor: page.nextCursor || null });
  });

  router.get('/verify', async (req, res) => {
    const user = currentUser(res.locals);
    const { source, aggregateId } = parseBody(query.pick({ source: true, aggregateId: true }), req.query);
    if (source === 'gateway') {
      const r = await deps.local.verify(aggregateId ? { aggregateId } : {});
      res.json({ source, ok: r.ok, checked: r.checked, problems: r.problems });
      return;
    }
    const r = await deps[source].verifyAuditTrail(
      { aggregateId: aggregateId ?? '' },
      { metadata: await deps.callAs(user) },
    );
    res.json({ source, ok: r.ok, checked: r.checked, problems: JSON.parse(r.problemsJson || '[]') });
  });

  return router;
}
