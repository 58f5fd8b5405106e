import { createHash, createPrivateKey, createPublicKey, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { Redis } from 'ioredis';
import { exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import { z } from 'zod';
import { AppError, type Identity } from '@shouwang/kit';
import { ROLES } from '@shouwang/domain';

/**
 * Access tokens: short-lived EdDSA (Ed25519) JWTs. Several signing keys may be configured; the one
 * named by JWT_ACTIVE_KID signs, all of them verify, and all public keys are published at
 * /api/v1/auth/jwks.json — so a key is rotated without downtime by adding the new key, switching the
 * active id, and removing the old key once its tokens have expired.
 * Refresh tokens: opaque random strings, stored hashed in Redis, rotated on every use.
 * Logout revokes both: the refresh token is deleted and the access token's id is deny-listed until expiry.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** JWT_SIGNING_KEYS: "kid:<base64 PKCS#8 DER Ed25519 private key>,kid2:…". */
export function parseSigningKeys(spec: string): SigningKey[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf(':');
      const kid = entry.slice(0, i);
      const privateKey = createPrivateKey({
        key: Buffer.from(entry.slice(i + 1), 'base64'),
        format: 'der',
        type: 'pkcs8',
      });
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`key ${kid} is not an Ed25519 key`);
      return { kid, privateKey, publicKey: createPublicKey(privateKey) };
    });
}

const ISSUER = 'shouwang-gateway';
const AUDIENCE = 'shouwang-api';

const accessClaims = z.object({
  sub: z.string(),
  jti: z.string(),
  exp: z.number(),
  username: z.string(),
  role: z.enum(ROLES),
  area: z.string(),
  dept: z.string().nullable(),
});

export interface IssuedTokens {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
}

export class TokenService {
  constructor(
    private readonly keys: SigningKey[],
    private readonly activeKid: string,
    private readonly redis: Redis,
    readonly accessTtlSeconds: number,
    readonly refreshTtlSeconds: number,
  ) {
    if (!keys.some((k) => k.kid === activeKid))
      throw new Error(`JWT_ACTIVE_KID ${activeKid} is not among JWT_SIGNING_KEYS`);
  }

  async issue(who: Identity): Promise<IssuedTokens> {
    const key = this.keys.find((k) => k.kid === this.activeKid)!;
    const accessToken = await new SignJWT({
      username: who.username,
      role: who.role,
      area: who.areaCode,
      dept: who.department,
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setSubject(who.userId)
      .setJti(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSeconds}s`)
      .sign(key.privateKey);
    const refreshToken = randomBytes(32).toString('base64url');
    await this.redis.set(refreshKey(refreshToken), who.userId, 'EX', this.refreshTtlSeconds);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.accessTtlSeconds, refreshToken };
  }

  /** Verifies signature, issuer, audience, expiry and revocation; any failure is 401. */
  async verify(token: string): Promise<Identity & { jti: string; exp: number }> {
    let claims: z.infer<typeof accessClaims>;
    try {
      const { payload } = await jwtVerify(
        token,
        async (header) => {
          const key = this.keys.find((k) => k.kid === header.kid);
          if (!key) throw new Error('unknown key id');
          return key.publicKey;
        },
        { issuer: ISSUER, audience: AUDIENCE, algorithms: ['EdDSA'] },
      );
      claims = accessClaims.parse(payload);
    } catch {
      throw unauthenticated(
        'token_invalid',
        'the access token is invalid or expired',
        '登录凭证无效或已过期，请重新登录',
      );
    }
    if (await this.redis.exists(revokedKey(claims.jti))) {
      throw unauthenticated('token_revoked', 'the access token was revoked', '登录凭证已注销，请重新登录');
    }
    return {
      userId: claims.sub,
      username: claims.username,
      role: claims.role,
      areaCode: claims.area,
      department: claims.dept,
      jti: claims.jti,
      exp: claims.exp,
    };
  }

  /** Consumes a refresh token (one use) and returns the user id it belonged to. */
  async consumeRefresh(refreshToken: string): Promise<string> {
    const userId = await this.redis.getdel(refreshKey(refreshToken));
    if (!userId) throw unauthenticated('refresh_invalid', 'the refresh token is invalid or expired', '请重新登录');
    return userId;
  }

  async revoke(access: { jti: string; exp: number }, refreshToken?: string): Promise<void> {
    const ttl = Math.max(1, access.exp - Math.floor(Date.now() / 1000));
    await this.redis.set(revokedKey(access.jti), '1', 'EX', ttl);
    if (refreshToken) await this.redis.del(refreshKey(refreshToken));
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return {
      keys: await Promise.all(
        this.keys.map(async (k) => ({ ...(await exportJWK(k.publicKey)), kid: k.kid, alg: 'EdDSA', use: 'sig' })),
      ),
    };
  }
}

const sha = (s: string) => createHash('sha256').update(s).digest('base64url');
const refreshKey = (t: string) => `auth:refresh:${sha(t)}`;
const revokedKey = (jti: string) => `auth:revoked:${jti}`;

function unauthenticated(code: string, message: string, messageZh: string): AppError {
  return new AppError('unauthenticated', message, { code, messageZh });
}
