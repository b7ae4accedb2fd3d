import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/access.decorators';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { ListPlaybacksDto } from './dto/list-playbacks.dto';
import { PlaybacksService } from './playbacks.service';

@ApiTags('playbacks')
@ApiBearerAuth()
@Controller('playbacks')
export class PlaybacksController {
  constructor(private readonly playbacks: PlaybacksService) {}

  @Get()
  @Allow(Role.Admin, Role.Editor, Role.Approver, Role.Viewer, Role.Operator)
  @ApiOperation({ summary: 'Playbacks (speaker × occurrence) of my communes, or of my villages for operators' })
  list(@Query() filter: ListPlaybacksDto, @CurrentUser() caller: AuthUser) {
    return this.playbacks.list(filter, caller);
  }
}
