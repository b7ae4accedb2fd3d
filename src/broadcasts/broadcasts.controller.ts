import { Body, Controller, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { EmergencyBroadcastDto } from './broadcast.dto';
import { BroadcastsService } from './broadcasts.service';

@ApiTags('broadcasts')
@ApiBearerAuth()
@Controller('broadcasts')
export class BroadcastsController {
  constructor(private readonly broadcasts: BroadcastsService) {}

  @Post('emergency')
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Play an approved bulletin now on the targets, pre-empting lower priorities; optionally repeat every N minutes until `until` or a stop' })
  emergency(@Body() dto: EmergencyBroadcastDto, @CurrentUser() caller: AuthUser) {
    return this.broadcasts.emergency(dto, caller);
  }

  @Post(':id/stop')
  @HttpCode(HttpStatus.OK)
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Stop an emergency broadcast: cancel its repeats and stop what plays' })
  stop(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.broadcasts.stop(id, caller);
  }
}
