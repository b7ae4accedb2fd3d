import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { CreateScheduleDto, ListSchedulesDto, OccurrencesQueryDto, UpdateScheduleDto } from './dto/schedule.dto';
import { ScheduleOccurrences } from './schedule-occurrences';
import { ScheduleAction } from './schedule-status';
import { SchedulesService } from './schedules.service';

const WRITERS = [Role.Admin, Role.Editor];
const READERS = [Role.Admin, Role.Editor, Role.Approver, Role.Viewer];

@ApiTags('schedules')
@ApiBearerAuth()
@Controller('schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: SchedulesService,
    private readonly occurrences: ScheduleOccurrences,
  ) {}

  @Post()
  @Allow(...WRITERS)
  @ApiOperation({ summary: 'Schedule approved bulletins on targets, once (startsAt) or by an RFC 5545 rule in local time (rrule)' })
  create(@Body() dto: CreateScheduleDto, @CurrentUser() caller: AuthUser) {
    return this.schedules.create(dto, caller);
  }

  @Get()
  @Allow(...READERS)
  @ApiOperation({ summary: 'The schedules of my communes' })
  list(@Query() filter: ListSchedulesDto, @CurrentUser() caller: AuthUser) {
    return this.schedules.list(filter, caller);
  }

  @Get(':id')
  @Allow(...READERS)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.schedules.get(id, caller);
  }

  @Patch(':id')
  @Allow(...WRITERS)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateScheduleDto, @CurrentUser() caller: AuthUser) {
    return this.schedules.update(id, dto, caller);
  }

  @Get(':id/occurrences')
  @Allow(...READERS)
  @ApiOperation({ summary: 'When the schedule airs between from and to (UTC and local), and per-speaker overlaps with other active schedules' })
  async occurrencesOf(@Param('id', ParseUUIDPipe) id: string, @Query() query: OccurrencesQueryDto, @CurrentUser() caller: AuthUser) {
    return this.occurrences.preview(await this.schedules.find(id, caller), query);
  }

  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @Allow(...WRITERS)
  pause(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.schedules.transition(id, ScheduleAction.Pause, caller);
  }

  @Post(':id/resume')
  @HttpCode(HttpStatus.OK)
  @Allow(...WRITERS)
  resume(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.schedules.transition(id, ScheduleAction.Resume, caller);
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @Allow(...WRITERS)
  cancel(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.schedules.transition(id, ScheduleAction.Cancel, caller);
  }
}
