import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role, ROLES } from '../auth/role';
import { CreateTopicDto, ListTopicsDto, UpdateTopicDto } from './dto/topic.dto';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@ApiBearerAuth()
@Controller('topics')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get()
  @Allow(...ROLES)
  @ApiOperation({ summary: "Topics of the communication plan, in display order: the shared ones and those of the caller's communes" })
  list(@Query() filter: ListTopicsDto, @CurrentUser() caller: AuthUser) {
    return this.topics.list(filter, caller);
  }

  @Post()
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Add a topic to one of my communes (admins: to any, or shared by every commune)' })
  create(@Body() dto: CreateTopicDto, @CurrentUser() caller: AuthUser) {
    return this.topics.create(dto, caller);
  }

  @Patch(':id')
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Rename, reorder, or deactivate a topic of my communes (admins: any, shared ones too)' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTopicDto, @CurrentUser() caller: AuthUser) {
    return this.topics.update(id, dto, caller);
  }
}
