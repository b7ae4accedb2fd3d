import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PageNumber, PageSize } from '../../common/query-integer';
import { AIRTIME_EVENTS, AirtimeEvent, AirtimeEvidenceLevel, EVIDENCE_LEVELS } from '../airtime-ledger';

export class ListAirtimeDto {
  @ApiPropertyOptional({ description: 'ISO instant: happened at or after' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO instant: happened before' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  to?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'communeId must be the id of a commune' })
  communeId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'villageId must be the id of a village' })
  villageId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'speakerId must be the id of a speaker' })
  speakerId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'playbackId must be the id of a playback' })
  playbackId?: string;

  @ApiPropertyOptional({ enum: EVIDENCE_LEVELS })
  @IsOptional()
  @IsIn(EVIDENCE_LEVELS, { message: `evidenceLevel must be one of ${EVIDENCE_LEVELS.join(', ')}` })
  evidenceLevel?: AirtimeEvidenceLevel;

  @ApiPropertyOptional({ enum: AIRTIME_EVENTS })
  @IsOptional()
  @IsIn(AIRTIME_EVENTS, { message: `event must be one of ${AIRTIME_EVENTS.join(', ')}` })
  event?: AirtimeEvent;

  @PageNumber()
  page = 1;

  @PageSize(1000, 100)
  pageSize = 100;
}
