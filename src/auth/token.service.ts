import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InjectRedis } from '../queue/redis-client';

export const TOKEN_AUDIENCE = 'loa-api';
export const TOKEN_ISSUER = 'loa';
const ALGORITHM = 'HS256';

export interface TokenClaims {
  sub: string;
  /** The user's token version when the token was issued. */
  ver: number;
  jti: string;
  exp: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresAt: Date;
}

/** Issues and checks login tokens: HS256 only, audience, issuer and `typ` checked, revocable one by one. */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  async issue(userId: string, tokenVersion: number): Promise<IssuedToken> {
    const ttl = this.config.auth.tokenTtlSeconds;
    const accessToken = await this.jwt.signAsync(
      { ver: tokenVersion },
      {
        secret: this.config.auth.jwtSecret,
        algorithm: ALGORITHM,
        header: { alg: ALGORITHM, typ: 'JWT' },
        subject: userId,
        audience: TOKEN_AUDIENCE,
        issuer: TOKEN_ISSUER,
        jwtid: randomUUID(),
        expiresIn: ttl,
      },
    );
    return { accessToken, expiresAt: new Date(Date.now() + ttl * 1000) };
  }

  /** The token's claims, or 401 saying what is wrong with it. */
  async verify(token: string): Promise<TokenClaims> {
    let decoded: { header: { typ?: string }; payload: TokenClaims };
    try {
      decoded = await this.jwt.verifyAsync(token, {
        secret: this.config.auth.jwtSecret,
        algorithms: [ALGORITHM],
        audience: TOKEN_AUDIENCE,
        issuer: TOKEN_ISSUER,
        complete: true,
      });
    } catch (error) {
      const expired = (error as Error).name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'Your sign-in has expired; sign in again' : 'The sign-in token is not valid; sign in again');
    }
    const { header, payload } = decoded;
    if (header.typ !== 'JWT' || typeof payload.sub !== 'string' || typeof payload.ver !== 'number' || typeof payload.jti !== 'string') {
      throw new UnauthorizedException('The sign-in token is not valid; sign in again');
    }
    return payload;
  }

  /** Ends one token before its expiry (logout on this device). */
  async revoke(claims: Pick<TokenClaims, 'jti' | 'exp'>): Promise<void> {
    const remainingMs = claims.exp * 1000 - Date.now();
    if (remainingMs > 0) await this.redis.set(this.revocationKey(claims.jti), '1', 'PX', remainingMs);
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.redis.exists(this.revocationKey(jti))) === 1;
  }

  private revocationKey(jti: string): string {
    return `${this.config.redis.queuePrefix}:revoked-token:${jti}`;
  }
}
