import type { RequestHandler } from 'express';
import { AppError, type Identity } from '@shouwang/kit';
import { can, isWithin, type Permission } from '@shouwang/domain';
import type { TokenService } from './tokens';

declare module 'express-serve-static-core' {
  interface Locals {
    user?: Identity & { jti: string; exp: number };
    requestId?: string;
  }
}

/** Bearer token → res.locals.user; 401 without a valid one. */
export function authenticate(tokens: TokenService): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([\w.-]+)$/.exec(header);
    if (!match) {
      throw new AppError('unauthenticated', 'sign in first: Authorization: Bearer <token> is missing', {
        code: 'token_missing',
        messageZh: '请先登录',
      });
    }
    res.locals.user = await tokens.verify(match[1]);
    next();
  };
}

/** 403 unless the signed-in role holds the permission. */
export function authorize(permission: Permission): RequestHandler {
  return (_req, res, next) => {
    const user = res.locals.user;
    if (!user || !can(user.role, permission)) {
      throw new AppError('permission_denied', `this role may not ${permission}`, {
        code: 'forbidden',
        messageZh: '当前角色无权执行此操作',
      });
    }
    next();
  };
}

export function currentUser(locals: { user?: Identity }): Identity {
  if (!locals.user)
    throw new AppError('unauthenticated', 'sign in first', { code: 'token_missing', messageZh: '请先登录' });
  return locals.user;
}

/** For writes into an area: outside one's scope is forbidden (the area itself is no secret). */
export function requireWriteScope(user: Identity, areaCode: string): void {
  if (!isWithin(user.areaCode, areaCode)) {
    throw new AppError('permission_denied', `area ${areaCode} is outside your area ${user.areaCode}`, {
      code: 'outside_scope',
      field: 'areaCode',
      messageZh: '该区划不在您的管辖范围内',
    });
  }
}
