import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
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
  @ApiOperation({ summary: 'Topics of the communication plan, in display order' })
  list(@Query() filter: ListTopicsDto) {
    return this.topics.list(filter);
  }

  @Post()
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Add a topic' })
  create(@Body() dto: CreateTopicDto) {
    return this.topics.create(dto);
  }

  @Patch(':id')
  @Allow(Role.Admin, Role.Editor)
  @ApiOperation({ summary: 'Rename, reorder, or deactivate a topic' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTopicDto) {
    return this.topics.update(id, dto);
  }
}
