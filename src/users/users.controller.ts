import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { Role } from '../auth/role';
import { CreateUserDto, ListUsersDto, ResetPasswordDto, UpdateUserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Allow(Role.Admin)
  @ApiOperation({ summary: 'Create an account with its role and scope' })
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Get()
  @Allow(Role.Admin)
  list(@Query() filter: ListUsersDto) {
    return this.users.list(filter);
  }

  @Get(':id')
  @Allow(Role.Admin)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.users.get(id);
  }

  @Patch(':id')
  @Allow(Role.Admin)
  @ApiOperation({ summary: 'Change name, role, scope, or disable; disabling or a new role ends its sessions' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(id, dto);
  }

  @Post(':id/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Allow(Role.Admin)
  @ApiOperation({ summary: 'Set a new password for someone who lost theirs; their sessions end' })
  resetPassword(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ResetPasswordDto) {
    return this.users.resetPassword(id, dto.password);
  }
}
