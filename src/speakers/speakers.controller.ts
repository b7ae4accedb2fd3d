import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role, ROLES } from '../auth/role';
import { CreateSpeakerDto, ListSpeakersDto, UpdateSpeakerDto } from './dto/speaker.dto';
import { SpeakerHealthService } from './health/speaker-health.service';
import { deviceTextFor } from './speaker-view';
import { SpeakersService } from './speakers.service';

/** Checks kept in a speaker's health answer. */
const HISTORY_LENGTH = 50;

@ApiTags('speakers')
@ApiBearerAuth()
@Controller('speakers')
export class SpeakersController {
  constructor(
    private readonly speakers: SpeakersService,
    private readonly health: SpeakerHealthService,
  ) {}

  @Post()
  @Allow(Role.Admin)
  @ApiOperation({ summary: 'Register a speaker cluster of a village, with its driver settings and secrets' })
  create(@Body() dto: CreateSpeakerDto, @CurrentUser() caller: AuthUser) {
    return this.speakers.create(dto, caller);
  }

  @Get()
  @Allow(...ROLES)
  @ApiOperation({ summary: 'The speakers of my villages or communes, with their status' })
  list(@Query() filter: ListSpeakersDto, @CurrentUser() caller: AuthUser) {
    return this.speakers.list(filter, caller);
  }

  @Get(':id')
  @Allow(...ROLES)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    return this.speakers.get(id, caller);
  }

  @Patch(':id')
  @Allow(Role.Admin)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSpeakerDto, @CurrentUser() caller: AuthUser) {
    return this.speakers.update(id, dto, caller);
  }

  @Get(':id/health')
  @Allow(...ROLES)
  @ApiOperation({ summary: 'Status, last seen and the latest checks of a speaker' })
  async healthOf(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    const speaker = await this.speakers.find(id, caller);
    return {
      speakerId: speaker.id,
      status: speaker.status,
      statusDetail: deviceTextFor(caller, speaker.statusDetail),
      statusChangedAt: speaker.statusChangedAt,
      lastSeenAt: speaker.lastSeenAt,
      lastCheckedAt: speaker.lastCheckedAt,
      consecutiveFailures: speaker.consecutiveFailures,
      history: (await this.health.history(speaker.id, HISTORY_LENGTH)).map((check) => ({ ...check, detail: deviceTextFor(caller, check.detail) })),
    };
  }

  @Post(':id/check')
  @HttpCode(HttpStatus.OK)
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Check a speaker now, and answer the result' })
  async check(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() caller: AuthUser) {
    const check = await this.health.check(await this.speakers.find(id, caller));
    return { ...check, detail: deviceTextFor(caller, check.detail) };
  }
}
