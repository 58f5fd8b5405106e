import { Metadata } from '@grpc/grpc-js';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES, can, isWithin, type Permission, type Role } from '@shouwang/domain';
import { AppError } from './errors';

/**
 * Who is calling. The gateway authenticates the user and passes this to services in gRPC metadata,
 * signed with a secret only the platform's services share (INTERNAL_IDENTITY_SECRET), so a request
 * forged past the gateway is refused by the service that owns the data.
 */
export interface Identity {
  userId: string;
  username: string;
  role: Role;
  areaCode: string;
  department: string | null;
}

export const IDENTITY_METADATA_KEY = 'x-shouwang-identity';

export const identityConfigSchema = z.object({
  /** Shared by the gateway and every service; at least 32 characters. */
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
});

const claims = z.object({
  sub: z.string().min(1),
  username: z.string().min(1),
  role: z.enum(ROLES),
  area: z.string().regex(/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/),
  dept: z.string().nullable(),
});

const ISSUER = 'shouwang-gateway';
const AUDIENCE = 'shouwang-services';

export async function signIdentity(secret: string, who: Identity, ttlSeconds = 60): Promise<string> {
  return new SignJWT({ username: who.username, role: who.role, area: who.areaCode, dept: who.department })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(who.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export async function identityMetadata(secret: string, who: Identity): Promise<Metadata> {
  const md = new Metadata();
  md.set(IDENTITY_METADATA_KEY, await signIdentity(secret, who));
  return md;
}

/** Reads and verifies the caller's identity from gRPC metadata; unauthenticated when absent or forged. */
export async function identityFrom(secret: string, metadata: Metadata): Promise<Identity> {
  const token = metadata.get(IDENTITY_METADATA_KEY)[0];
  if (typeof token !== 'string' || !token) {
    throw new AppError('unauthenticated', 'no caller identity', { code: 'identity_missing' });
  }
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const c = claims.parse(payload);
    return { userId: c.sub, username: c.username, role: c.role, areaCode: c.area, department: c.dept };
  } catch {
    throw new AppError('unauthenticated', 'caller identity is invalid or expired', { code: 'identity_invalid' });
  }
}

export function requirePermission(who: Identity, permission: Permission): void {
  if (!can(who.role, permission)) {
    throw new AppError('permission_denied', `role ${who.role} may not ${permission}`, {
      code: 'forbidden',
      messageZh: '当前角色无权执行此操作',
    });
  }
}

/** A record outside the caller's area is reported as absent, so its existence is not revealed. */
export function requireInScope(who: Identity, areaCode: string, what = 'record'): void {
  if (!isWithin(who.areaCode, areaCode)) {
    throw new AppError('not_found', `${what} not found`, { code: `${what}_not_found`, messageZh: '未找到该记录' });
  }
}
