import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import type { Identity } from '@shouwang/kit';
import { authorize, currentUser } from '../auth/middleware';
import type { Assistance } from './measures';
import { bodyOf, enumField, invalid, notFound, RECORD_ID, textField } from './workflow-input';

/** Most points one entry records (the service's limit too). */
const MAX_POINTS = 10_000;
const IDEMPOTENCY_KEY = /^[\w.:-]{1,128}$/;

function householdIdOf(raw: unknown): string {
  const id = String(raw);
  if (!RECORD_ID.test(id)) throw notFound('household', 'household_not_found', '未找到该农户');
  return id;
}

/**
 * Motivation (志智双扶, M8, DOMAIN.md §8): a household's points ledger for the love supermarket (爱心超市),
 * earned for recorded actions and spent there, the balance never below zero; and red (commended) and
 * black (criticised) list entries, each with who and why. The village cadre records them.
 */
export function pointsRouter(assistance: Assistance, callAs: (who: Identity) => Promise<Metadata>): Router {
  const router = Router();

  /** The ledger (newest first), the balance and the list entries. */
  router.get('/households/:id/points', authorize('assistance.read'), async (req, res) => {
    const user = currentUser(res.locals);
    const r = await assistance.getPoints(
      { householdId: householdIdOf(req.params.id) },
      { metadata: await callAs(user) },
    );
    res.json({ entries: r.entries, balance: r.balance, listEntries: r.listEntries });
  });

  /** earn | spend points with a reason; a retry with the same Idempotency-Key records once. */
  router.post('/households/:id/points', authorize('assistance.points.record'), async (req, res) => {
    const user = currentUser(res.locals);
    const householdId = householdIdOf(req.params.id);
    const body = bodyOf(req.body, ['kind', 'points', 'reason']);
    const kind = enumField(body, 'kind', ['earn', 'spend'] as const, true);
    const points = body.points;
    if (points === undefined || points === null) throw invalid('points', 'required', 'is required', '不能为空');
    if (typeof points !== 'number' || !Number.isInteger(points) || points < 1 || points > MAX_POINTS)
      throw invalid(
        'points',
        'out_of_range',
        `must be a whole number from 1 to ${MAX_POINTS}`,
        `积分应为1至${MAX_POINTS}的整数`,
      );
    const reason = textField(body, 'reason', { required: true });
    const idempotencyKey = req.get('idempotency-key') ?? '';
    if (idempotencyKey && !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw invalid(
        'Idempotency-Key',
        'invalid_key',
        'must be 1–128 letters, digits or . : _ -',
        '幂等键须为1至128个字母、数字或 . : _ -',
      );
    const r = await assistance.recordPoints(
      { householdId, kind, points, reason, idempotencyKey },
      { metadata: await callAs(user) },
    );
    res.status(201).json({ entry: r.entry, balance: r.balance });
  });

  /** A red-list (commended) or black-list (criticised) entry with the reason. */
  router.post('/households/:id/list-entries', authorize('assistance.points.record'), async (req, res) => {
    const user = currentUser(res.locals);
    const householdId = householdIdOf(req.params.id);
    const body = bodyOf(req.body, ['list', 'reason']);
    const list = enumField(body, 'list', ['red', 'black'] as const, true);
    const reason = textField(body, 'reason', { required: true });
    const r = await assistance.addListEntry({ householdId, list, reason }, { metadata: await callAs(user) });
    res.status(201).json({ entry: r.entry });
  });

  return router;
}
