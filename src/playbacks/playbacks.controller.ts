import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { ListPlaybacksDto } from './dto/list-playbacks.dto';
import { ConfirmPlaybackDto, ReportProblemDto } from './dto/operator-report.dto';
import { OperatorReports } from './operator-reports';
import { PlaybacksService } from './playbacks.service';

@ApiTags('playbacks')
@ApiBearerAuth()
@Controller('playbacks')
export class PlaybacksController {
  constructor(
    private readonly playbacks: PlaybacksService,
    private readonly operatorReports: OperatorReports,
  ) {}

  @Get()
  @Allow(Role.Admin, Role.Editor, Role.Approver, Role.Viewer, Role.Operator)
  @ApiOperation({
    summary: 'Playbacks (speaker × occurrence) of my communes, or of my villages for operators',
    description:
      'Answers `{items, next}`, in scheduled order (with problem=true: latest report first), at most `limit` (1 to 5000, default 1000) per page. ' +
      'While `next` is not null, ask again with the same filters and `after=<next>` for the following page.',
  })
  list(@Query() filter: ListPlaybacksDto, @CurrentUser() caller: AuthUser) {
    return this.playbacks.list(filter, caller);
  }

  @Post(':id/confirm')
  @HttpCode(HttpStatus.OK)
  @Allow(Role.Operator)
  @ApiOperation({
    summary: 'Confirm that a playback of my village was heard (village operators; after its scheduled time; the first confirmation stands)',
  })
  confirm(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ConfirmPlaybackDto, @CurrentUser() caller: AuthUser) {
    return this.operatorReports.confirm(id, dto, caller);
  }

  @Delete(':id/confirm')
  @Allow(Role.Operator)
  @ApiOperation({ summary: 'Take back my confirmation that a playback was heard, within 5 minutes of giving it (a tap by mistake)' })
  withdrawConfirmation(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.operatorReports.withdrawConfirmation(id, caller);
  }

  @Post(':id/problem')
  @HttpCode(HttpStatus.OK)
  @Allow(Role.Operator)
  @ApiOperation({ summary: 'Report a problem with a playback of my village: speaker broken, power cut, no signal, not heard, other' })
  reportProblem(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReportProblemDto, @CurrentUser() caller: AuthUser) {
    return this.operatorReports.reportProblem(id, dto, caller);
  }
}
