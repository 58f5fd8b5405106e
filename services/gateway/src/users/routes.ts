import { Router } from 'express';
import { z } from 'zod';
import { AppError, auditActorOf, type AuditTrail, type Logger } from '@shouwang/kit';
import { areaLevel, countyOf, DEPARTMENTS, ROLES } from '@shouwang/domain';
import { parseBody } from '../http/validate';
import { authorize, currentUser } from '../auth/middleware';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { publicUser, type UserStore } from '../auth/user-store';

/** An area code a user may hold: the city, or a county/township/village under one of the 18 counties. */
const areaCode = z
  .string()
  .refine(
    (c) => c === '3607' || (areaLevel(c) !== null && countyOf(c) !== null),
    'must be 3607 or an area under one of the 18 counties',
  );
const password = z.string().superRefine((p, ctx) => {
  const problem = passwordProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `password needs ${problem}` });
});
const userFields = {
  displayName: z.string().min(1).max(50),
  role: z.enum(ROLES),
  areaCode,
  department: z.enum(DEPARTMENTS).nullable(),
};
const departmentRule = (u: { role?: string; department?: string | null }) =>
  u.role === undefined || (u.role === 'department_officer') === (u.department !== null && u.department !== undefined);

const createBody = z
  .object({ username: z.string().regex(/^[a-z0-9._-]{3,64}$/, '3–64 of a-z 0-9 . _ -'), password, ...userFields })
  .strict()
  .refine(departmentRule, {
    message: 'department officers need a department; other roles have none',
    path: ['department'],
  });
const patchBody = z
  .object({ ...userFields, password, disabled: z.boolean() })
  .partial()
  .strict()
  .refine(departmentRule, {
    message: 'department officers need a department; other roles have none',
    path: ['department'],
  });
const listQuery = z.object({
  role: z.enum(ROLES).optional(),
  areaCode: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** User and role management, for city administrators. */
export function usersRouter(deps: { users: UserStore; logger: Logger; audit: AuditTrail }): Router {
  const router = Router();
  router.use(authorize('users.manage'));

  router.get('/', async (req, res) => {
    const q = parseBody(listQuery, req.query);
    const { items, total } = await deps.users.list(q, q);
    res.json({ items: items.map(publicUser), total, limit: q.limit, offset: q.offset });
  });

  router.post('/', async (req, res) => {
    const body = parseBody(createBody, req.body);
    const created = await deps.users.create({ ...body, department: body.department ?? null });
    if (!created) {
      throw new AppError('already_exists', `username ${body.username} is taken`, {
        code: 'username_taken',
        field: 'username',
        messageZh: '用户名已存在',
      });
    }
    deps.logger.info(
      { by: currentUser(res.locals).username, username: created.username, role: created.role },
      'user created',
    );
    await deps.audit.append({
      aggregateType: 'user',
      aggregateId: created._id,
      actor: auditActorOf(currentUser(res.locals)),
      action: 'user.created',
      areaCode: created.areaCode,
      before: null,
      after: publicUser(created),
    });
    res
      .status(201)
      .location(`/api/v1/users/${created._id}`)
      .json({ user: publicUser(created) });
  });

  router.patch('/:id', async (req, res) => {
    const body = parseBody(patchBody, req.body);
    const { password: newPassword, ...rest } = body;
    const set: Record<string, unknown> = { ...rest };
    if (newPassword) set.passwordHash = await hashPassword(newPassword);
    const before = await deps.users.byId(String(req.params.id));
    const updated = before && (await deps.users.update(before._id, set));
    if (!updated)
      throw new AppError('not_found', 'user not found', { code: 'user_not_found', messageZh: '未找到该用户' });
    deps.logger.info(
      { by: currentUser(res.locals).username, username: updated.username, fields: Object.keys(body) },
      'user updated',
    );
    await deps.audit.append({
      aggregateType: 'user',
      aggregateId: updated._id,
      actor: auditActorOf(currentUser(res.locals)),
      action: 'user.updated',
      areaCode: updated.areaCode,
      before: publicUser(before),
      after: publicUser(updated),
    });
    res.json({ user: publicUser(updated) });
  });

  return router;
}
