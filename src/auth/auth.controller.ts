import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLES } from './role';
import { Allow, Public } from './access.decorators';
import { AuthService } from './auth.service';
import { AuthUser, CurrentUser } from './auth-user';
import { ChangePasswordDto, LoginDto } from './dto/login.dto';
import { LoginAttemptsGuard } from './login-attempts.guard';
import { LoginThrottlerGuard } from './login-throttler.guard';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @Public('signing in is how a caller gets a token')
  @UseGuards(LoginThrottlerGuard, LoginAttemptsGuard)
  @ApiOperation({ summary: 'Sign in; answers a bearer token valid for JWT_TTL_SECONDS' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address, or failures for this account from this address; see Retry-After' })
  login(@Body() dto: LoginDto, @Req() request: Request) {
    return this.auth.login(dto.username, dto.password, request);
  }

  @Get('me')
  @Allow(...ROLES)
  @ApiBearerAuth()
  me(@CurrentUser() caller: AuthUser) {
    return this.auth.me(caller);
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Allow(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out this token' })
  logout(@CurrentUser() caller: AuthUser) {
    return this.auth.logout(caller);
  }

  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Allow(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Sign out every token of this account, on every device' })
  logoutEverywhere(@CurrentUser() caller: AuthUser) {
    return this.auth.logoutEverywhere(caller);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Allow(...ROLES)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change my password; every existing token stops working' })
  changePassword(@CurrentUser() caller: AuthUser, @Body() dto: ChangePasswordDto) {
    return this.auth.changePassword(caller, dto.currentPassword, dto.newPassword);
  }
}
