import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from '../queue/redis-client';
import { User } from '../users/user.entity';
import { AccessGuard } from './access.guard';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CallerAuthentication } from './caller-authentication';
import { LoginAttempts } from './login-attempts';
import { LoginAttemptsGuard } from './login-attempts.guard';
import { ADDRESS_THROTTLER, loginAddressTracker, LoginThrottlerGuard } from './login-throttler.guard';
import { PasswordHasher } from './password-hasher';
import { TokenService } from './token.service';

/** Sign-in, tokens and the global deny-by-default guard (api role). */
@Module({
  imports: [
    TypeOrmModule.forFeature([User]),
    JwtModule.register({}),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS_CLIENT],
      useFactory: (config: AppConfig, redis: Redis) => {
        const { windowSeconds, ipLimit } = config.auth.loginThrottle;
        return {
          throttlers: [{ name: ADDRESS_THROTTLER, ttl: windowSeconds * 1000, limit: ipLimit, getTracker: loginAddressTracker(config.redis.queuePrefix) }],
          storage: new ThrottlerStorageRedisService(redis),
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    CallerAuthentication,
    PasswordHasher,
    LoginAttempts,
    LoginThrottlerGuard,
    LoginAttemptsGuard,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [CallerAuthentication],
})
export class AuthModule {}
