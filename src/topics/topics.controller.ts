import { Body, Controller, Get, Param, ParseBoolPipe, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { Role, ROLES } from '../auth/role';
import { CreateTopicDto, UpdateTopicDto } from './dto/topic.dto';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@ApiBearerAuth()
@Controller('topics')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get()
  @Allow(...ROLES)
  @ApiOperation({ summary: 'Topics of the communication plan, in display order' })
  @ApiQuery({ name: 'includeInactive', required: false, type: Boolean })
  list(@Query('includeInactive', new ParseBoolPipe({ optional: true })) includeInactive?: boolean) {
    return this.topics.list(includeInactive ?? false);
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
