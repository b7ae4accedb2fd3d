import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { AirtimeService } from './airtime.service';
import { CheckpointScopeDto, ExportCheckpointsDto } from './dto/checkpoints.dto';
import { ListAirtimeDto } from './dto/list-airtime.dto';

@ApiTags('airtime')
@ApiBearerAuth()
@Controller('airtime')
export class AirtimeController {
  constructor(private readonly airtime: AirtimeService) {}

  @Get()
  @Allow(Role.Admin, Role.Editor, Role.Approver, Role.Viewer, Role.Operator)
  @ApiOperation({ summary: 'The broadcast log (airtime records) of my communes, or of my villages for operators' })
  list(@Query() filter: ListAirtimeDto, @CurrentUser() caller: AuthUser) {
    return this.airtime.list(filter, caller);
  }

  @Get('verify')
  @Allow(Role.Admin, Role.Editor, Role.Approver, Role.Viewer)
  @ApiOperation({ summary: "Recompute my communes' chains against every signed checkpoint; names the first broken record, or why a chain is not ok" })
  verify(@Query() scope: CheckpointScopeDto, @CurrentUser() caller: AuthUser) {
    return this.airtime.verify(caller, scope.communeId);
  }

  @Get('checkpoints')
  @Allow(Role.Admin, Role.Editor, Role.Approver, Role.Viewer)
  @ApiOperation({ summary: 'Signed checkpoints with the public key, as a file to keep outside the database' })
  exportCheckpoints(@Query() filter: ExportCheckpointsDto, @CurrentUser() caller: AuthUser) {
    return this.airtime.exportCheckpoints(caller, filter);
  }

  @Post('checkpoints')
  @HttpCode(201)
  @Allow(Role.Admin, Role.Approver)
  @ApiOperation({ summary: "Sign the current head of my communes' chains now; 409, signing nothing, if one does not extend its last checkpoint" })
  writeCheckpoints(@Body() scope: CheckpointScopeDto, @CurrentUser() caller: AuthUser) {
    return this.airtime.writeCheckpoints(caller, scope.communeId);
  }
}
