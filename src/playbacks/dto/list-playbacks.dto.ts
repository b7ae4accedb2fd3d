import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { IsKeysetCursor } from '../../common/keyset-cursor';
import { QueryInteger } from '../../common/query-integer';
import { PLAYBACK_STATUSES, PlaybackStatus } from '../playback-status';

const MAX_PLAYBACKS_PAGE = 5000;
const DEFAULT_PLAYBACKS_PAGE = 1000;

export class ListPlaybacksDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'scheduleId must be the id of a schedule' })
  scheduleId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'villageId must be the id of a village' })
  villageId?: string;

  @ApiPropertyOptional({ enum: PLAYBACK_STATUSES })
  @IsOptional()
  @IsIn(PLAYBACK_STATUSES, { message: `status must be one of ${PLAYBACK_STATUSES.join(', ')}` })
  status?: PlaybackStatus;

  @ApiPropertyOptional({ description: 'ISO instant: scheduled at or after' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO instant: scheduled before' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  to?: string;

  @ApiPropertyOptional({ enum: ['today'], description: 'today in Asia/Ho_Chi_Minh (instead of from and to)' })
  @IsOptional()
  @IsIn(['today'], { message: 'date must be today (or give from and to)' })
  date?: 'today';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only playbacks with a problem reported by an operator, latest report first' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'problem must be true or false' })
  problem?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: only those an operator confirmed; false: those still unconfirmed' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'confirmed must be true or false' })
  confirmed?: 'true' | 'false';

  @QueryInteger({ min: 1, max: MAX_PLAYBACKS_PAGE, default: DEFAULT_PLAYBACKS_PAGE, description: 'Playbacks per page' })
  limit = DEFAULT_PLAYBACKS_PAGE;

  @ApiPropertyOptional({ description: 'The `next` of the previous page, to read the page after it (with the same filters)' })
  @IsOptional()
  @IsKeysetCursor({ message: 'after must be the next cursor of a previous page' })
  after?: string;
}
