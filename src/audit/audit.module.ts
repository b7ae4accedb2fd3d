import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { AuditEntry } from './audit-entry.entity';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';
import { UnauthenticatedDenials } from './unauthenticated-denials';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry]), UsersModule],
  controllers: [AuditController],
  providers: [AuditService, UnauthenticatedDenials, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditService, UnauthenticatedDenials],
})
export class AuditModule {}
