import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { IsKeysetCursor } from '../../common/keyset-cursor';
import { QueryInteger } from '../../common/query-integer';
import { PLAYBACK_STATUSES, PlaybackStatus } from '../../playbacks/playback-status';
import { GROUPINGS, Grouping } from '../report-period';

const PRIORITIES = ['normal', 'priority', 'emergency'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_LIST = 500;
const MAX_AS_RUN_PAGE = 5000;
const DEFAULT_AS_RUN_PAGE = 500;

/** `a,b` or `?x=a&x=b` (or both) as one list; empty items dropped. */
const asList = ({ value }: { value: unknown }): unknown =>
  value === undefined
    ? undefined
    : ([] as unknown[])
        .concat(value)
        .flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))
        .map((item) => (typeof item === 'string' ? item.trim() : item))
        .filter((item) => item !== '');

/** Filters shared by every report. */
export class ReportFilterDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The reporting commune; optional when the caller sees only one' })
  @IsOptional()
  @IsUUID('all', { message: 'communeId must be the id of a commune' })
  communeId?: string;

  @ApiProperty({ example: '2026-11-01', description: "First calendar day, in the commune's zone" })
  @Matches(DAY, { message: 'from must be a calendar day YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-11-30', description: "Last calendar day (included), in the commune's zone" })
  @Matches(DAY, { message: 'to must be a calendar day YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ type: [String], description: 'Village ids, comma-separated or repeated' })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_LIST, { message: `villageIds: at most ${MAX_LIST}` })
  @IsUUID('all', { each: true, message: 'villageIds must hold ids of villages' })
  villageIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Speaker ids, comma-separated or repeated' })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_LIST, { message: `speakerIds: at most ${MAX_LIST}` })
  @IsUUID('all', { each: true, message: 'speakerIds must hold ids of speakers' })
  speakerIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Topic ids, comma-separated or repeated' })
  @IsOptional()
  @Transform(asList)
  @ArrayMaxSize(MAX_LIST, { message: `topicIds: at most ${MAX_LIST}` })
  @IsUUID('all', { each: true, message: 'topicIds must hold ids of topics' })
  topicIds?: string[];

  @ApiPropertyOptional({ type: [String], enum: PRIORITIES })
  @IsOptional()
  @Transform(asList)
  @IsIn(PRIORITIES, { each: true, message: `priorities must be among ${PRIORITIES.join(', ')}` })
  priorities?: string[];

  @ApiPropertyOptional({ type: [String], enum: PLAYBACK_STATUSES })
  @IsOptional()
  @Transform(asList)
  @IsIn(PLAYBACK_STATUSES, { each: true, message: `statuses must be among ${PLAYBACK_STATUSES.join(', ')}` })
  statuses?: PlaybackStatus[];
}

export const SUMMARY_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];
export const AS_RUN_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type AsRunFormat = (typeof AS_RUN_FORMATS)[number];

export class SummaryQueryDto extends ReportFilterDto {
  @ApiPropertyOptional({ enum: GROUPINGS, default: 'day' })
  @IsOptional()
  @IsIn(GROUPINGS, { message: `groupBy must be one of ${GROUPINGS.join(', ')}` })
  groupBy?: Grouping;

  @ApiPropertyOptional({ enum: SUMMARY_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(SUMMARY_FORMATS, { message: `format must be one of ${SUMMARY_FORMATS.join(', ')}` })
  format?: SummaryFormat;
}

export class AsRunQueryDto extends ReportFilterDto {
  @ApiPropertyOptional({ enum: AS_RUN_FORMATS, default: 'json', description: 'The PDF report is /reports/summary?format=pdf' })
  @IsOptional()
  @IsIn(AS_RUN_FORMATS, { message: `format must be one of ${AS_RUN_FORMATS.join(', ')} (the PDF report is /api/reports/summary?format=pdf)` })
  format?: AsRunFormat;

  @QueryInteger({ min: 1, max: MAX_AS_RUN_PAGE, default: DEFAULT_AS_RUN_PAGE, description: 'json only: lines per page' })
  limit = DEFAULT_AS_RUN_PAGE;

  @ApiPropertyOptional({ description: 'json only: the `next` cursor of the previous page' })
  @IsOptional()
  @IsKeysetCursor({ message: 'after must be the next cursor of a previous page' })
  after?: string;
}
