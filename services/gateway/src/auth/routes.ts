import { Router } from 'express';
import { z } from 'zod';
import { AppError, type Logger } from '@shouwang/kit';
import { parseBody } from '../http/validate';
import { verifyPassword } from './passwords';
import { identityOf, publicUser, type UserStore } from './user-store';
import type { Lockout } from './lockout';
import type { TokenService } from './tokens';
import { authenticate, currentUser } from './middleware';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
const refreshBody = z.object({ refreshToken: z.string().min(1).max(256) }).strict();
const logoutBody = z.object({ refreshToken: z.string().max(256).optional() }).strict();

const invalidCredentials = () =>
  new AppError('unauthenticated', 'wrong username or password', {
    code: 'invalid_credentials',
    messageZh: '用户名或密码错误',
  });

export function authRouter(deps: { users: UserStore; tokens: TokenService; lockout: Lockout; logger: Logger }): Router {
  const router = Router();
  const { users, tokens, lockout, logger } = deps;

  router.post('/login', async (req, res) => {
    const { username, password } = parseBody(loginBody, req.body);
    const locked = await lockout.lockedFor(username);
    if (locked) {
      res.set('Retry-After', String(locked));
      throw new AppError('rate_limited', `account locked after repeated failures; try again in ${locked} s`, {
        code: 'account_locked',
        messageZh: `登录失败次数过多，账号已锁定，请${Math.ceil(locked / 60)}分钟后再试`,
      });
    }
    const user = await users.byUsername(username);
    // Verify against a dummy hash when the user does not exist, so timing does not reveal usernames.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      const nowLocked = await lockout.fail(username);
      logger.warn({ username, ip: req.ip, locked: nowLocked }, 'sign-in failed');
      throw invalidCredentials();
    }
    await lockout.succeed(username);
    logger.info({ username, role: user.role }, 'signed in');
    res.json({ ...(await tokens.issue(identityOf(user))), user: publicUser(user) });
  });

  router.post('/refresh', async (req, res) => {
    const { refreshToken } = parseBody(refreshBody, req.body);
    const user = await users.byId(await tokens.consumeRefresh(refreshToken));
    if (!user || user.disabled) throw invalidCredentials();
    res.json({ ...(await tokens.issue(identityOf(user))), user: publicUser(user) });
  });

  router.get('/jwks.json', async (_req, res) => {
    res.json(await tokens.jwks());
  });

  router.post('/logout', authenticate(tokens), async (req, res) => {
    const { refreshToken } = parseBody(logoutBody, req.body ?? {});
    await tokens.revoke(res.locals.user!, refreshToken);
    res.status(204).end();
  });

  router.get('/me', authenticate(tokens), async (_req, res) => {
    const user = await users.byId(currentUser(res.locals).userId);
    if (!user) throw invalidCredentials();
    res.json({ user: publicUser(user) });
  });

  return router;
}

// scrypt hash of a random string: only ever compared against, never matched.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
