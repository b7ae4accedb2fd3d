import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { User } from '../users/user.entity';
import { toUserView, UserView } from '../users/user-view';
import { AuthUser } from './auth-user';
import { PasswordHasher } from './password-hasher';
import { passwordProblem } from './password-policy';
import { LoginAttempts } from './login-attempts';
import { IssuedToken, TokenService } from './token.service';

export interface LoginResult extends IssuedToken {
  tokenType: 'Bearer';
  user: UserView;
}

const BAD_CREDENTIALS = 'Wrong username or password';

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly attempts: LoginAttempts,
  ) {}

  /** Checks the password; the same answer, after the same work, whether or not the username exists. */
  async login(username: string, password: string, request: Request): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    const user = await this.users.findOneBy({ username: name });
    const valid = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyUnknownUser(password);
    if (!user || !valid || user.disabled) {
      await this.attempts.failed(name, request.ip);
      await this.audit.record(
        {
          actorId: user?.id,
          actorUsername: name,
          action: 'auth.login',
          outcome: 'failure',
          statusCode: 401,
          details: { reason: !user ? 'unknown user' : !valid ? 'wrong password' : 'disabled' },
        },
        request,
      );
      throw new UnauthorizedException(user?.disabled && valid ? 'This account is disabled; ask the administrator' : BAD_CREDENTIALS);
    }
    await this.attempts.succeeded(name, request.ip);
    await this.users.update({ id: user.id }, { lastLoginAt: new Date() });
    await this.audit.record({ actorId: user.id, actorUsername: user.username, action: 'auth.login', outcome: 'success', statusCode: 200 }, request);
    return { tokenType: 'Bearer', ...(await this.tokens.issue(user.id, user.tokenVersion)), user: toUserView(user) };
  }

  async me(caller: AuthUser): Promise<UserView> {
    return toUserView(await this.users.findOneByOrFail({ id: caller.id }));
  }

  /** Ends this token only. */
  logout(caller: AuthUser): Promise<void> {
    return this.tokens.revoke({ jti: caller.tokenId, exp: Math.floor(caller.tokenExpiresAt.getTime() / 1000) });
  }

  /** Ends every token of the account, on every device. */
  async logoutEverywhere(caller: AuthUser): Promise<void> {
    await this.users.increment({ id: caller.id }, 'tokenVersion', 1);
  }

  async changePassword(caller: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findOneByOrFail({ id: caller.id });
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) throw new BadRequestException('The current password is wrong');
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw new BadRequestException(problem);
    await this.users.update(
      { id: user.id },
      { passwordHash: await this.hasher.hash(newPassword), tokenVersion: user.tokenVersion + 1, passwordChangedAt: new Date() },
    );
  }
}
